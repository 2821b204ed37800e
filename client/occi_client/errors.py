"""Failures of the client, each with its own exit status (documented in client/README.md)."""

from __future__ import annotations

# Exit statuses: scripts tell failures apart without parsing messages.
OK = 0
FAILED = 1  # anything else: a request the server refused (400, 413 ...), an entity in error
USAGE = 2  # bad command line or missing settings (argparse uses 2 as well)
AUTH = 3  # authentication or authorization failed (401, 403, Keystone refused)
NOT_FOUND = 4  # no such entity, template or endpoint (404)
CONFLICT = 5  # the server refused in this state (409), or a name matches several things
SERVER = 6  # the server failed or cannot be reached (5xx, connection refused)
TIMEOUT = 7  # no answer in time, or --wait gave up
UNSUPPORTED = 8  # the site does not offer this (501, or no such kind or action in its /-/)


class OCCIError(Exception):
    """A failure to report as one line on stderr and an exit status."""

    exit_code = FAILED

    def __init__(self, message: str, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class UsageError(OCCIError):
    exit_code = USAGE


class AuthError(OCCIError):
    exit_code = AUTH


class NotFound(OCCIError):
    exit_code = NOT_FOUND


class Conflict(OCCIError):
    exit_code = CONFLICT


class ServerError(OCCIError):
    exit_code = SERVER


class Timeout(OCCIError):
    exit_code = TIMEOUT


class Unsupported(OCCIError):
    exit_code = UNSUPPORTED


def for_status(status: int, message: str) -> OCCIError:
    """The error an HTTP status stands for."""
    if status in (401, 403):
        return AuthError(message)
    if status == 404:
        return NotFound(message)
    if status == 409:
        return Conflict(message)
    if status == 501:  # not a failure of the server: something it does not do
        return Unsupported(message)
    if status >= 500:
        return ServerError(message)
    return OCCIError(message)
