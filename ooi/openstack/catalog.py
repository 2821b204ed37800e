"""Finding service endpoints in the catalog keystonemiddleware hands on (X-Service-Catalog)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

# Catalog service types by what ooi calls them, newest name first.
SERVICE_TYPES: Mapping[str, tuple[str, ...]] = {
    "compute": ("compute",),
    "network": ("network",),
    "volume": ("block-storage", "volumev3", "volume"),
    "image": ("image",),
    "identity": ("identity",),
}


class Catalog:
    """Endpoints by service, from the v2-shaped catalog that keystonemiddleware puts in
    ``X-Service-Catalog``: a list of {type, name, endpoints: [{region, publicURL, …}]}."""

    def __init__(self, services: list[dict[str, Any]], interface: str = "public") -> None:
        self._services = services
        self._key = interface + "URL"

    @classmethod
    def from_header(cls, header: str | None, interface: str = "public") -> Catalog:
        if not header:
            return cls([], interface)
        try:
            services = json.loads(header)
        except ValueError:
            services = []
        return cls(services if isinstance(services, list) else [], interface)

    def url(self, service: str) -> str | None:
        """The endpoint URL of ``service`` (a key of SERVICE_TYPES), without trailing slash."""
        for service_type in SERVICE_TYPES.get(service, (service,)):
            for entry in self._services:
                if not isinstance(entry, dict) or entry.get("type") != service_type:
                    continue
                for endpoint in entry.get("endpoints") or ():
                    url = endpoint.get(self._key) if isinstance(endpoint, dict) else None
                    if url:
                        return str(url).rstrip("/")
        return None
