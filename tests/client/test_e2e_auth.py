"""How `occi` logs in, against the box in both of ooi's modes: clouds.yaml (option and
OS_CLOUD), a password with Keystone found from the endpoint's 401, a ready token; a wrong
password is the authentication exit status; --debug shows the exchange, never the secrets."""

from __future__ import annotations

import pytest

from tests.client.conftest import run

pytestmark = pytest.mark.cloud


@pytest.fixture(scope="module")
def endpoint(ooi_url: str) -> str:
    return ooi_url + "/occi1.2"


def _password_args(cloud, password: str | None = None) -> list[str]:  # noqa: ANN001
    return [
        "--os-username", "demo",
        "--os-password", password or cloud.box.password("demo"),
        "--os-user-domain-name", "Default",
        "--os-project-domain-name", "Default",
    ]  # fmt: skip


def test_os_cloud_from_the_environment(endpoint: str, clouds_yaml: dict[str, str]) -> None:
    ran = run("--endpoint", endpoint, "compute", "list", env={**clouds_yaml, "OS_CLOUD": "ooi-box"})
    assert ran.code == 0, ran.err


@pytest.mark.parametrize("project", [["--os-project-name", "demo"], []], ids=["named", "only"])
def test_password_and_keystone_from_the_401(endpoint: str, cloud, project: list[str]) -> None:  # noqa: ANN001
    """No auth URL anywhere: Keystone is the one the endpoint names in WWW-Authenticate; with
    no project given, the user's only project."""
    ran = run("--endpoint", endpoint, *_password_args(cloud), *project, "discover", "-f", "value")
    assert ran.code == 0, ran.err
    assert "compute" in ran.out


def test_wrong_password_exits_3(endpoint: str, cloud) -> None:  # noqa: ANN001
    ran = run("--endpoint", endpoint, *_password_args(cloud, "not-the-password"),
              "--os-project-name", "demo", "compute", "list")  # fmt: skip
    assert ran.code == 3, (ran.code, ran.err)
    assert "Traceback" not in ran.err


def test_token_and_debug_masks_it(endpoint: str, demo_token: str) -> None:
    ran = run("--endpoint", endpoint, "--os-token", demo_token, "--debug", "compute", "list")
    assert ran.code == 0, ran.err
    assert "REQ: GET " + endpoint + "/-/" in ran.err and "RESP: 200" in ran.err
    assert demo_token not in ran.err and demo_token not in ran.out


def test_debug_never_shows_the_password(endpoint: str, cloud) -> None:  # noqa: ANN001
    ran = run("--endpoint", endpoint, *_password_args(cloud), "--os-project-name", "demo",
              "--debug", "discover")  # fmt: skip
    assert ran.code == 0, ran.err
    assert cloud.box.password("demo") not in ran.err + ran.out


def test_bad_token_exits_3(endpoint: str) -> None:
    ran = run("--endpoint", endpoint, "--os-token", "gAAAA-not-a-token", "compute", "list")
    assert ran.code == 3, (ran.code, ran.err)


def test_no_endpoint_finds_ooi_in_the_catalog(cloud, clouds_yaml: dict[str, str]) -> None:  # noqa: ANN001
    """The box registers ooi as service type `occi` (docs/keystone.md): no --endpoint needed."""
    ran = run("--debug", "os-template", "list", "-f", "value",
              env={**clouds_yaml, "OS_CLOUD": "ooi-box"})  # fmt: skip
    assert ran.code == 0, ran.err
    assert f"REQ: GET {cloud.box.url('ooi')}/occi1.2/-/" in ran.err
    assert "box-raw" in ran.out
