"""clouds.yaml for the box (`openstack --os-cloud ooi-box ...`) and the matching OS_* lines."""

from __future__ import annotations

from pathlib import Path

import yaml

from ooi.cloud.settings import REGION, Box

CLOUD = "ooi-box"


def entries(box: Box) -> dict[str, dict[str, object]]:
    """`ooi-box` (user demo), `ooi-box-alt` (user alt_demo) and `ooi-box-admin`."""

    def cloud(user: str, project: str) -> dict[str, object]:
        return {
            "auth": {
                "auth_url": box.url("keystone"),
                "username": user,
                "password": box.password(user),
                "project_name": project,
                "user_domain_name": "Default",
                "project_domain_name": "Default",
            },
            "region_name": REGION,
            "interface": "public",
            "identity_api_version": 3,
        }

    return {
        CLOUD: cloud("demo", "demo"),
        f"{CLOUD}-alt": cloud("alt_demo", "alt_demo"),
        f"{CLOUD}-admin": cloud("admin", "admin"),
    }


def path(box: Box) -> Path:
    return box.state / "clouds.yaml"


def write(box: Box) -> Path:
    target = path(box)
    target.write_text(yaml.safe_dump({"clouds": entries(box)}, sort_keys=False))
    target.chmod(0o600)
    return target


def env_lines(box: Box) -> list[str]:
    return [
        f"export OS_CLIENT_CONFIG_FILE={path(box)}",
        f"export OS_CLOUD={CLOUD}",
        f"export OOI_CLOUD_STATE={box.state}",
    ]
