"""`ooi.wsgi.api:application` under a real WSGI server (gunicorn, as a site would run it),
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


@pytest.fixture(scope="module")
def gunicorn_url(cloud) -> Iterator[str]:  # noqa: ANN001
    port = free_port()
    env = {**os.environ, "OOI_CONFIG_FILES": str(cloud.box.conf("ooi"))}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "-w", "1", "-b", f"127.0.0.1:{port}", "ooi.wsgi.api:application"]
    with serving(command, port, env) as url:
        yield url


def test_the_wsgi_module_serves_occi_under_gunicorn(gunicorn_url, demo_token, box_keystone_url):
    challenge = requests.get(gunicorn_url + "/occi1.1/-/", timeout=30)
    assert challenge.status_code == 401
    assert challenge.headers["WWW-Authenticate"].startswith("Keystone uri='")
    resp = requests.get(
        gunicorn_url + "/occi1.2/-/", headers={"X-Auth-Token": demo_token}, timeout=60
    )
    assert resp.status_code == 200, resp.text
    assert 'Category: compute; scheme="http://schemas.ogf.org/occi/infrastructure#"' in resp.text
    assert resp.headers["Server"].startswith("ooi/")
    assert "OCCI/1.2" in resp.headers["Server"]
