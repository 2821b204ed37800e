"""What ooi's logs may say: every line with the OCCI request's id, and no secret.

``setup`` makes a process log through oslo.log (as OpenStack services do: ``[DEFAULT]``'s
``log_file``, ``debug``, ``logging_context_format_string`` …), whose lines carry the request id
of the thread's oslo.context (``bind_request``). ``protect`` masks secrets in every line that
reaches the process's log handlers, whoever wrote it (ooi, keystonemiddleware, gunicorn; in
nova's pipeline nova too): passwords (oslo.utils' ``mask_password``), Keystone tokens, SSH
public keys and user data.
"""

from __future__ import annotations

import contextlib
import logging
import re

from oslo_config import cfg
from oslo_context import context as oslo_context
from oslo_log import log as oslo_log
from oslo_utils import strutils

MASK = "***"

# A token header as clients and keystonemiddleware write it, and a bare Fernet token.
_TOKEN_HEADER = re.compile(
    r"(?i)(x-(?:auth|subject|service)-token['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+"
)
_FERNET = re.compile(r"gAAAAA[A-Za-z0-9_\-=]{40,}")
# An OpenSSH public key: the algorithm, then its base64 blob.
_SSH_KEY = re.compile(r"((?:ssh|ecdsa|sk)-[a-z0-9@.\-]+\s+)[A-Za-z0-9+/=]{16,}")
# User data under the names nova and OCCI give it, as JSON or as an OCCI attribute.
_USER_DATA = re.compile(
    r"(?i)((?:user_data|userdata|occi\.compute\.userdata|org\.openstack\.compute\.user_data)"
    r"['\"]?\s*[:=]\s*['\"]?)[^'\"\s,}]+"
)


def mask(text: str) -> str:
    """``text`` with every secret ooi knows the shape of replaced by ``***``."""
    text = strutils.mask_password(text, secret=MASK)
    text = _TOKEN_HEADER.sub(rf"\1{MASK}", text)
    text = _FERNET.sub(MASK, text)
    text = _SSH_KEY.sub(rf"\1{MASK}", text)
    return _USER_DATA.sub(rf"\1{MASK}", text)


class SecretsFilter(logging.Filter):
    """Masks secrets in a record's message (formatted here, so that its arguments are too)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record: leave it to the formatter to report
            return True
        traced = bool(record.exc_info or record.exc_text)
        if traced:
            # A traceback (its exception's message may quote a request) becomes part of the
            # message, masked: formatters would format the exception again from exc_info.
            trace = record.exc_text or logging.Formatter().formatException(record.exc_info)
            message = f"{message}\n{trace}"
            record.exc_info, record.exc_text = None, None
        masked = mask(message)
        if masked != message or traced:
            record.msg, record.args = masked, None
        return True


_FILTER = SecretsFilter()


def protect(logger: logging.Logger | None = None) -> None:
    """Mask secrets in what every handler of ``logger`` (the root logger) writes; idempotent,
    and called again after a logging setup that may have replaced the handlers."""
    for handler in (logger or logging.getLogger()).handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)


def register(conf: cfg.ConfigOpts) -> None:
    """oslo.log's options (idempotent; before the configuration is parsed)."""
    # A host (nova) that registered and parsed them already keeps its own.
    with contextlib.suppress(cfg.ArgsAlreadyParsedError):
        oslo_log.register_options(conf)


def setup(conf: cfg.ConfigOpts, program: str) -> None:
    """Log through oslo.log as configured, secrets masked."""
    oslo_log.setup(conf, program, fix_eventlet=False)
    protect()


def bind_request(request_id: str) -> None:
    """Make ``request_id`` the id on this thread's log lines (oslo.context's thread store), unless
    the thread already serves that request (e.g. under nova's own context)."""
    current = oslo_context.get_current()
    if current is None or getattr(current, "request_id", None) != request_id:
        oslo_context.RequestContext(request_id=request_id, overwrite=True)
