"""A small JSON-over-HTTP client for the box's own set-up (tokens, creates, look-ups)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

TIMEOUT = 60


class HTTPFailure(RuntimeError):
    pass


def token(auth_url: str, user: str, password: str, project: str) -> tuple[str, dict[str, Any]]:
    """A project-scoped token for `user` (Default domain) and the token's body."""
    body = {
        "auth": {
            "identity": {
                "methods": ["password"],
                "password": {
                    "user": {"name": user, "domain": {"id": "default"}, "password": password}
                },
            },
            "scope": {"project": {"name": project, "domain": {"id": "default"}}},
        }
    }
    resp = requests.post(f"{auth_url}/auth/tokens", json=body, timeout=TIMEOUT)
    if resp.status_code != 201:
        raise HTTPFailure(f"token for {user}@{project}: {resp.status_code} {resp.text[:300]}")
    return resp.headers["X-Subject-Token"], resp.json()["token"]


@dataclass
class Client:
    """Calls one service's API with one token."""

    base: str
    token: str
    headers: dict[str, str] | None = None

    def call(self, method: str, path: str, body: Any = None, ok: tuple[int, ...] = ()) -> Any:
        headers = {"X-Auth-Token": self.token, **(self.headers or {})}
        resp = requests.request(
            method, self.base + path, json=body, headers=headers, timeout=TIMEOUT
        )
        if resp.status_code >= 400 and resp.status_code not in ok:
            raise HTTPFailure(f"{method} {self.base}{path}: {resp.status_code} {resp.text[:500]}")
        if not resp.content or resp.status_code in ok:
            return None
        return resp.json()

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any, ok: tuple[int, ...] = ()) -> Any:
        return self.call("POST", path, body, ok)

    def put(self, path: str, body: Any = None, ok: tuple[int, ...] = ()) -> Any:
        return self.call("PUT", path, body, ok)

    def find(self, path: str, key: str, name: str) -> dict[str, Any] | None:
        """The first item named `name` in the list at `path` (whose items are under `key`)."""
        sep = "&" if "?" in path else "?"
        items = self.get(f"{path}{sep}name={name}")[key]
        return next((i for i in items if i.get("name") == name), None)
