"""The box's generated files, checked without starting anything."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from ooi.cloud import configs, inifile, paste, settings

SHIPPED = """[composite:osapi_compute]
use = call:nova.api.openstack.urlmap:urlmap_factory
/v2.1: oscomputeversion_v2

[composite:openstack_compute_api_v21]
use = call:nova.api.auth:pipeline_factory_v21
keystone = cors faultwrap authtoken keystonecontext osapi_compute_app_v21
"""


def _parse(text: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return parser


def test_ooi_filter_goes_just_before_the_compute_app() -> None:
    parsed = _parse(SHIPPED + paste.ooi_sections(SHIPPED, challenge=False))
    keystone = parsed.get("composite:occi_api_12", "keystone").split()
    assert keystone == [
        "cors",
        "faultwrap",
        "authtoken",
        "keystonecontext",
        "occi",
        "osapi_compute_app_v21",
    ]
    assert parsed.get("composite:occi_api_12", "use") == "call:nova.api.auth:pipeline_factory_v21"
    assert parsed.get("filter:occi", "paste.filter_factory") == "ooi.wsgi:OCCIMiddleware.factory"
    assert parsed.get("filter:occi", "openstack_version") == "/v2.1"
    assert parsed.get("composite:ooi", "/occi1.1") == "occi_api_12"
    assert parsed.get("composite:ooi", "/occi1.2") == "occi_api_12"


def test_the_challenge_filter_goes_just_before_authtoken() -> None:
    parsed = _parse(SHIPPED + paste.ooi_sections(SHIPPED, challenge=True))
    keystone = parsed.get("composite:occi_api_12", "keystone").split()
    assert keystone[1:5] == ["faultwrap", "occi_challenge", "authtoken", "keystonecontext"]
    assert keystone[-2:] == ["occi", "osapi_compute_app_v21"]
    factory = parsed.get("filter:occi_challenge", "paste.filter_factory")
    assert factory == paste.CHALLENGE_FACTORY


def test_nova_paste_keeps_the_shipped_file_but_mounts_occi_in_its_urlmap(tmp_path: Path) -> None:
    shipped = tmp_path / "shipped.ini"
    shipped.write_text(SHIPPED)
    written = paste.write_nova_paste(tmp_path / "api-paste.ini", shipped).read_text()
    mounted = paste.with_occi_mounts(SHIPPED)
    assert written.startswith(mounted.rstrip("\n"))
    # Nothing of nova's is lost: the shipped lines are all there, in order, with OCCI's two.
    assert [line for line in mounted.splitlines() if line not in paste.OCCI_MOUNTS] == (
        SHIPPED.splitlines()
    )
    urlmap = _parse(written)["composite:osapi_compute"]
    assert urlmap["/occi1.1"] == urlmap["/occi1.2"] == "occi_api_12"
    assert "[composite:ooi]" in written[len(mounted) :]


def test_a_paste_file_without_nova_urlmap_is_refused() -> None:
    with pytest.raises(ValueError, match="osapi_compute"):
        paste.with_occi_mounts("[composite:other]\nuse = egg:Paste#urlmap\n")


def test_a_paste_file_without_the_compute_composite_is_refused() -> None:
    with pytest.raises(ValueError, match="openstack_compute_api_v21"):
        paste.ooi_sections("[composite:osapi_compute]\nuse = egg:Paste#urlmap\n")


def test_the_installed_nova_paste_file_gets_the_ooi_pipeline(tmp_path: Path) -> None:
    pytest.importorskip("nova")
    parsed = _parse(paste.write_nova_paste(tmp_path / "api-paste.ini").read_text())
    shipped = parsed.get("composite:openstack_compute_api_v21", "keystone").split()
    ours = [f for f in parsed.get("composite:occi_api_12", "keystone").split()]
    ours = [f for f in ours if f != "occi_challenge"]
    assert ours == [*shipped[:-1], "occi", shipped[-1]]


def test_ini_values_render_as_oslo_config_reads_them() -> None:
    text = inifile.render({"DEFAULT": {"debug": False, "drivers": ["a", "b"], "n": 3}})
    assert text.splitlines() == ["[DEFAULT]", "debug = false", "drivers = a,b", "n = 3"]


def test_every_service_config_points_at_the_box(tmp_path: Path) -> None:
    box = settings.load(tmp_path, {"keystone": 15000})
    written = configs.write_all(box)
    for service, path in written.items():
        parsed = _parse(path.read_text())
        text = path.read_text()
        if service != "ooi_standalone":  # the only service without state of its own
            assert str(box.data) in text, service
        if parsed.has_section("keystone_authtoken"):
            assert parsed.get("keystone_authtoken", "auth_url") == "http://127.0.0.1:15000/v3"
    nova = _parse(written["nova"].read_text())
    assert nova.get("DEFAULT", "ooi_listen") == "127.0.0.1"
    assert nova.get("DEFAULT", "ooi_listen_port") == "8787"
    assert nova.get("DEFAULT", "transport_url") == "fake:/"
    ooi = _parse(written["ooi_standalone"].read_text())
    assert ooi.get("DEFAULT", "ooi_listen_port") == "8788"
    assert ooi.get("DEFAULT", "ooi_keystone_uri") == "http://127.0.0.1:15000"


def test_ports_of_a_prepared_box_cannot_change(tmp_path: Path) -> None:
    box = settings.load(tmp_path, {"nova": 18774})
    box.save()
    box.data.mkdir(parents=True)
    assert settings.load(tmp_path).ports["nova"] == 18774
    assert settings.load(tmp_path).passwords == box.passwords
    with pytest.raises(ValueError, match="fresh"):
        settings.load(tmp_path, {"nova": 8774})
    with pytest.raises(ValueError, match="unknown"):
        settings.load(tmp_path / "other", {"swift": 8080})


def test_configs_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    written = inifile.write(tmp_path / "svc.conf", {"database": {"connection": "x"}})
    assert written.stat().st_mode & 0o777 == 0o600


def test_no_password_reaches_a_prepare_log(tmp_path: Path) -> None:
    from ooi.cloud import procs

    log = tmp_path / "prepare.log"
    procs.run_logged(["true", "--bootstrap-password", "s3cret", "--db-password=s3cret"], log)
    assert "s3cret" not in log.read_text()
    assert "--bootstrap-password ***" in log.read_text()
