"""clouds.yaml, read as the OpenStack tools read it, without openstacksdk.

Looked for where os-client-config looks: $OS_CLIENT_CONFIG_FILE, ./clouds.yaml,
~/.config/openstack/clouds.yaml, /etc/openstack/clouds.yaml (the first one found); a
secure.yaml beside it (or $OS_CLIENT_SECURE_FILE) is merged in, for passwords kept apart.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from occi_client.errors import UsageError

_DIRS = (Path.cwd(), Path.home() / ".config" / "openstack", Path("/etc/openstack"))


def _first(env: str, name: str) -> Path | None:
    if os.environ.get(env):
        return Path(os.environ[env])
    for directory in _DIRS:
        for suffix in (".yaml", ".yml"):
            if (directory / (name + suffix)).is_file():
                return directory / (name + suffix)
    return None


def _load(path: Path) -> dict[str, Any]:
    try:
        document = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise UsageError(f"cannot read {path}: {exc}") from exc
    return document.get("clouds") or {} if isinstance(document, dict) else {}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def cloud(name: str) -> dict[str, Any]:
    """The settings of cloud `name`: `auth`, `auth_type`, `region_name`, `interface` ..."""
    path = _first("OS_CLIENT_CONFIG_FILE", "clouds")
    if path is None:
        raise UsageError(f"--os-cloud {name}: no clouds.yaml found")
    clouds = _load(path)
    if name not in clouds:
        known = ", ".join(sorted(clouds)) or "none"
        raise UsageError(f"--os-cloud {name}: not in {path} (clouds there: {known})")
    settings = clouds[name] or {}
    secure = _first("OS_CLIENT_SECURE_FILE", "secure")
    if secure is not None:
        settings = _merge(settings, _load(secure).get(name) or {})
    return settings
