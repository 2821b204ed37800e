"""What an id in a URL may look like before it is sent to an OpenStack service.

nova, cinder, neutron and glance name their resources by UUID (nova's and cinder's APIs accept
them with or without dashes, any case). Anything else cannot name one, and must not reach the
backend's URL space: ``detail`` would list servers, ``..`` would be normalised into another
path. Checking first makes such ids a plain 404 with no backend call.
"""

from __future__ import annotations

import re

_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-?[0-9a-fA-F]{4}){3}-?[0-9a-fA-F]{12}")


def is_uuid(value: str) -> bool:
    return _UUID.fullmatch(value) is not None
