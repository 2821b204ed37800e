"""The one error type for bad input, in every layer of the OCCI core."""

from __future__ import annotations


class InvalidInput(ValueError):
    """What the client sent cannot be used.

    ``message`` is meant for a person: it names the line, header or field at fault and what was
    expected there. ``status`` is the HTTP status the middleware answers with (400 unless a more
    precise code applies, e.g. 404 for an unknown category, 409 for an ambiguous one).
    """

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message
