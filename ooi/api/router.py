"""One route table: path templates to {method: handler}.

A path that matches with a method it has no handler for answers 405 with `Allow`; HEAD is
answered wherever GET is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Handler = Callable[..., Any]

_PARAM = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True)
class Match:
    methods: Mapping[str, Handler]
    params: dict[str, str]

    @property
    def allowed(self) -> list[str]:
        methods = set(self.methods)
        if "GET" in methods:
            methods.add("HEAD")
        return sorted(methods)

    def handler(self, method: str) -> Handler | None:
        if method == "HEAD":
            method = "GET"
        return self.methods.get(method)


class Router:
    """Matches a request path against templates such as ``/compute/{id}``; a path that matches
    none goes to ``fallback`` when there is one (it answers 404 itself where nothing lives)."""

    def __init__(
        self,
        table: Mapping[str, Mapping[str, Handler]],
        fallback: Mapping[str, Handler] | None = None,
    ) -> None:
        self._fallback = fallback
        self._routes: list[tuple[re.Pattern[str], Mapping[str, Handler]]] = []
        for template, methods in table.items():
            # A {param} is one path segment; the rest of the template is literal.
            parts = _PARAM.split(template)
            regex = "".join(
                f"(?P<{part}>[^/]+)" if i % 2 else re.escape(part) for i, part in enumerate(parts)
            )
            self._routes.append((re.compile(regex + r"\Z"), methods))

    def match(self, path: str) -> Match | None:
        for regex, methods in self._routes:
            found = regex.match(path)
            if found:
                return Match(methods, found.groupdict())
        if self._fallback is not None:
            return Match(self._fallback, {})
        return None
