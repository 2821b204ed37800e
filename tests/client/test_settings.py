"""How the client puts its settings together: clouds.yaml, OS_* variables, options; exit codes
of a usage error; the WWW-Authenticate challenge (no server needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from occi_client import app, auth
from occi_client.errors import USAGE, UsageError

CLOUDS = """\
clouds:
  site:
    auth:
      auth_url: http://keystone:5000
      username: alice
      password: from-yaml
      project_name: p
    region_name: R1
"""


def _options(argv: list[str]):  # noqa: ANN202
    return app.OCCIApp().build_option_parser("", "0").parse_known_args(argv)[0]


def test_options_over_environment_over_clouds_yaml(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clouds.yaml").write_text(CLOUDS)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(tmp_path / "clouds.yaml"))
    monkeypatch.setenv("OS_USERNAME", "bob")
    found = auth.settings(_options(["--os-cloud", "site", "--os-password", "typed"]))
    assert found.auth["auth_url"] == "http://keystone:5000"
    assert found.auth["username"] == "bob" and found.auth["password"] == "typed"
    assert found.region_name == "R1"


def test_unknown_cloud_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "clouds.yaml").write_text(CLOUDS)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(tmp_path / "clouds.yaml"))
    with pytest.raises(UsageError, match="clouds there: site"):
        auth.settings(_options(["--os-cloud", "nope"]))


@pytest.mark.parametrize(
    "argv",
    [
        ["--no-auth", "compute", "create"],  # missing NAME
        ["--no-auth", "compute", "list", "--no-such-option"],
        ["--no-auth", "discover"],  # no endpoint
        ["--os-auth-type", "password", "--os-username", "u", "discover"],  # no Keystone
    ],
)
def test_usage_errors_exit_2(argv: list[str], tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "occi_client.app", *argv],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == USAGE, done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("header", "uri"),
    [
        ("Keystone uri='http://k:5000'", "http://k:5000"),
        ('Keystone uri="http://k:5000/v3"', "http://k:5000/v3"),
        ("Basic realm=x", None),
    ],
)
def test_keystone_challenge(header: str, uri: str | None) -> None:
    match = auth._CHALLENGE.match(header)
    assert (match.group(2) if match else None) == uri
