"""`/network/` and the other networking collections over neutron (issue 13, in progress)."""

from __future__ import annotations

from collections.abc import Mapping

from ooi.api.router import Handler

ROUTES: Mapping[str, Mapping[str, Handler]] = {}
