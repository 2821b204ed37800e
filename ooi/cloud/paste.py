"""nova's api-paste.ini with ooi in it: nova's shipped file plus the sections of the seed.

Added, as the original ooi documented for nova's pipeline:

- `[filter:occi]`: the OCCI middleware with its `openstack_version`;
- `[composite:occi_api_12]`: a copy of nova's compute composite with `occi` placed just before
  the last element (the compute app), so ooi sees the request context keystone built;
- `[composite:ooi]`: the app named `ooi`, mapping `/occi1.1` and `/occi1.2` to that pipeline;
- the same two mappings in nova's own `[composite:osapi_compute]`, so that nova's endpoint
  serves OCCI too (`http://nova:8774/occi1.2/`): how a site running today's nova as a WSGI
  module adds ooi without a process of its own (docs/nova-pipeline.md).
"""

from __future__ import annotations

import configparser
from pathlib import Path

from ooi.cloud.settings import shipped_etc

COMPUTE_COMPOSITE = "composite:openstack_compute_api_v21"
NOVA_URLMAP = "[composite:osapi_compute]"
OCCI_MOUNTS = ("/occi1.1: occi_api_12", "/occi1.2: occi_api_12")
FILTER_FACTORY = "ooi.wsgi:OCCIMiddleware.factory"
OPENSTACK_VERSION = "/v2.1"
CHALLENGE_FACTORY = "ooi.wsgi.auth:KeystoneChallenge.factory"
"""ooi's filter for the 401s of keystonemiddleware (which answers before `occi` is reached):
placed just before `authtoken` when ooi provides it, so that those 401s are OCCI's too."""


def _has_challenge_filter() -> bool:
    try:
        from ooi.wsgi import auth
    except ImportError:
        return False
    return hasattr(auth, "KeystoneChallenge")


def ooi_sections(shipped: str, challenge: bool | None = None) -> str:
    """The text to append to nova's shipped api-paste.ini `shipped`.

    `challenge` adds ooi's 401 filter before `authtoken` (default: if ooi has one).
    """
    if challenge is None:
        challenge = _has_challenge_filter()
    parser = configparser.RawConfigParser(strict=False)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(shipped)
    if not parser.has_section(COMPUTE_COMPOSITE):
        raise ValueError(f"nova's api-paste.ini has no [{COMPUTE_COMPOSITE}]")
    compute = dict(parser.items(COMPUTE_COMPOSITE))
    lines = [
        "",
        "#######",
        "# ooi #",
        "#######",
        "",
        "[composite:ooi]",
        "use = call:nova.api.openstack.urlmap:urlmap_factory",
        "/occi1.1: occi_api_12",
        "/occi1.2: occi_api_12",
        "",
        "[composite:occi_api_12]",
    ]
    for key, value in compute.items():
        if key != "use":
            *before, app = value.split()
            if challenge and "authtoken" in before:
                before.insert(before.index("authtoken"), "occi_challenge")
            value = " ".join([*before, "occi", app])
        lines.append(f"{key} = {value}")
    lines += [
        "",
        "[filter:occi]",
        f"paste.filter_factory = {FILTER_FACTORY}",
        f"openstack_version = {OPENSTACK_VERSION}",
        "",
    ]
    if challenge:
        lines += ["[filter:occi_challenge]", f"paste.filter_factory = {CHALLENGE_FACTORY}", ""]
    return "\n".join(lines)


def with_occi_mounts(shipped: str) -> str:
    """nova's api-paste.ini with OCCI's mounts added to its `osapi_compute` urlmap, after its
    `use` line."""
    lines = shipped.splitlines()
    try:
        start = lines.index(NOVA_URLMAP)
        use = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("use"))
    except (ValueError, StopIteration):
        raise ValueError(f"nova's api-paste.ini has no {NOVA_URLMAP} with a use line") from None
    return "\n".join([*lines[: use + 1], *OCCI_MOUNTS, *lines[use + 1 :]]) + "\n"


def write_nova_paste(target: Path, shipped: Path | None = None) -> Path:
    """Writes nova's shipped api-paste.ini, OCCI mounted in its urlmap, followed by the ooi
    sections to `target`."""
    text = (shipped or shipped_etc("nova") / "api-paste.ini").read_text()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(with_occi_mounts(text).rstrip("\n") + "\n" + ooi_sections(text))
    return target
