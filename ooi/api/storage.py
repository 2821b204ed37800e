"""`/storage/` and `/storagelink/`: block storage over cinder (issue 12, in progress)."""

from __future__ import annotations

from collections.abc import Mapping

from ooi.api.router import Handler

ROUTES: Mapping[str, Mapping[str, Handler]] = {}
