"""`ooi.wsgi.api:application` under real WSGI servers (gunicorn and uwsgi, as sites run them),
configured by environment variables only."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from tests.functional.extra_ooi import free_port, serving

pytestmark = pytest.mark.cloud


PASTE_FILE = Path(__file__).resolve().parents[2] / "etc" / "ooi" / "api-paste.ini"


def _command(server: str, port: int, paste_file: Path) -> list[str]:
    binary = str(Path(sys.executable).with_name(server.split()[0]))
    if server == "gunicorn --paste":
        return [binary, "-w", "1", "-b", f"127.0.0.1:{port}", "--paste", str(paste_file)]
    if server == "gunicorn":
        return [binary, "-w", "1", "-b", f"127.0.0.1:{port}", "ooi.wsgi.api:application"]
    return [
        binary,
        *("--http", f"127.0.0.1:{port}", "--processes", "1", "--need-app", "--die-on-term"),
        *("--module", "ooi.wsgi.api:application"),
    ]


@pytest.fixture(scope="module", params=["gunicorn", "uwsgi", "gunicorn --paste"])
def wsgi_url(cloud, request, tmp_path_factory) -> Iterator[str]:  # noqa: ANN001
    """The WSGI module under a real WSGI server (uwsgi: pyuwsgi's wheel, from the test extras),
    and etc/ooi/api-paste.ini with its `config_file` naming the box's configuration."""
    port = free_port()
    env = {**os.environ, "OOI_CONFIG_FILES": str(cloud.box.conf("ooi"))}
    paste_file = tmp_path_factory.mktemp("paste") / "api-paste.ini"
    paste_file.write_text(
        PASTE_FILE.read_text().replace(
            "#config_file = /etc/ooi/ooi.conf", f"config_file = {cloud.box.conf('ooi')}"
        )
    )
    if request.param == "gunicorn --paste":
        env.pop("OOI_CONFIG_FILES")
    with serving(_command(request.param, port, paste_file), port, env) as url:
        yield url


def test_the_wsgi_module_serves_occi_under_a_wsgi_server(wsgi_url, demo_token, box_keystone_url):
    challenge = requests.get(wsgi_url + "/occi1.1/-/", timeout=30)
    assert challenge.status_code == 401
    assert challenge.headers["WWW-Authenticate"].startswith("Keystone uri='")
    resp = requests.get(wsgi_url + "/occi1.2/-/", headers={"X-Auth-Token": demo_token}, timeout=60)
    assert resp.status_code == 200, resp.text
    assert 'Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"' in resp.text
    assert resp.headers["Server"].startswith("ooi/")
    assert "OCCI/1.2" in resp.headers["Server"]
