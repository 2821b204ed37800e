"""No secret in any log: creates with user data and SSH keys (ones that succeed and ones that
fail) through ooi in both modes, then every log of the box and of ooi (.ooi-cloud/logs) is
searched for the token, the user data and the key.
"""

from __future__ import annotations

import base64
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from tests.functional.occi_names import OCCI_USER_DATA, OS_TPL_SCHEME, RES_TPL_SCHEME, SSH_KEY
from tests.functional.test_compute_lifecycle import post, text_body

pytestmark = pytest.mark.cloud


def _public_key() -> str:
    key = ed25519.Ed25519PrivateKey.generate().public_key()
    raw = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    return raw.decode() + " scrub-test"


@pytest.fixture(scope="module")
def image_id(cloud) -> str:  # noqa: ANN001
    images = cloud.client("glance", "demo").get("/v2/images?status=active")["images"]
    return next(i["id"] for i in images if i["name"] == "box-raw")


def test_no_token_user_data_or_key_in_any_log(cloud, ooi_url, demo_token, image_id):
    marker = f"scrub-{uuid.uuid4().hex}"
    user_data = f"#cloud-config {{runcmd: [echo {marker}]}}"
    encoded = base64.b64encode(user_data.encode()).decode()
    key = _public_key()
    blob = key.split()[1]
    logs = Path(cloud.box.logs)
    sizes = {path: path.stat().st_size for path in logs.glob("*.log")}
    made = []
    try:
        url = ooi_url + "/occi1.2/compute/"
        attributes = {
            "occi.core.title": marker,
            "occi.compute.userdata": user_data,
            "occi.credentials.ssh.publickey": key,
        }
        good = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "1", OCCI_USER_DATA, SSH_KEY]
        for _ in range(2):
            resp = post(url, demo_token, text_body(good, attributes))
            assert resp.status_code == 201, resp.text
            made.append(resp.headers["Location"].rsplit("/", 1)[1])
        # Failing ones too: an image nova refuses, and a flavor that does not exist.
        bad = [OS_TPL_SCHEME + str(uuid.uuid4()), RES_TPL_SCHEME + "1", OCCI_USER_DATA, SSH_KEY]
        assert post(url, demo_token, text_body(bad, attributes)).status_code >= 400
        bad = [OS_TPL_SCHEME + image_id, RES_TPL_SCHEME + "nope", OCCI_USER_DATA, SSH_KEY]
        assert post(url, demo_token, text_body(bad, attributes)).status_code >= 400
    finally:
        for server_id in made:
            cloud.client("nova").call("DELETE", f"/servers/{server_id}", ok=(404,))
    secrets = {"token": demo_token, "user data": encoded, "marker": marker, "key": blob}
    # The title carries the marker on purpose (names may be logged): look for the rest.
    secrets.pop("marker")
    found = []
    for path in sorted(logs.glob("*.log")):
        with path.open("rb") as log:
            log.seek(sizes.get(path, 0))
            text = log.read().decode("utf-8", "replace")
        found += [f"{what} in {path.name}" for what, value in secrets.items() if value in text]
    assert not found, found
