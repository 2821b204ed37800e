"""What the networking functional tests send: text/plain bodies and requests, and the names
they check for."""

from __future__ import annotations

import json
from collections.abc import Sequence

import requests

from tests.functional.occi_names import INFRA

NETWORK = INFRA + "network"
NETWORKINTERFACE = INFRA + "networkinterface"
IPNETWORK = "http://schemas.ogf.org/occi/infrastructure/network#ipnetwork"
POOL_SCHEME = "http://schemas.openstack.org/network/floatingippool#"
# How ooi marks the floating IPs it allocates for a compute (neutron's description).
MARK = "ooi: public IP of compute "


def category(type_id: str, cls: str = "mixin") -> str:
    scheme, term = type_id.split("#")
    return f'Category: {term}; scheme="{scheme}#"; class="{cls}"'


def body(kind: str, mixins: Sequence[str] = (), **attributes: str) -> str:
    """A text/plain rendering: the kind, mixins and attributes (JSON-quoted values)."""
    lines = [category(kind, "kind"), *(category(m) for m in mixins)]
    lines += [f"X-OCCI-Attribute: {name}={json.dumps(v)}" for name, v in attributes.items()]
    return "\n".join(lines)


def request(
    method: str, url: str, token: str, data: str = "", accept: str = "text/plain"
) -> requests.Response:
    headers = {"X-Auth-Token": token, "Accept": accept, "Content-Type": "text/plain"}
    return requests.request(method, url, data=data, headers=headers, timeout=120)
