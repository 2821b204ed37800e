"""ooi's log lines: secrets masked whoever logs them, the OCCI request's id on each line."""

from __future__ import annotations

import io
import logging
import threading

from oslo_config import cfg
from oslo_log import formatters

from ooi import logs

TOKEN = "gAAAAABnZ" + "x" * 120
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDn5c9VJ0TSzFtAu3sIe0R2gPU0ZBq1n8H2J0k9x8d0P me"


def test_secrets_are_masked():
    for text, secret in [
        (f"X-Auth-Token: {TOKEN}", TOKEN),
        (f"token {TOKEN} expired", TOKEN),
        ('{"user_data": "I2Nsb3VkLWNvbmZpZwo=", "name": "x"}', "I2Nsb3VkLWNvbmZpZwo="),
        ('occi.compute.userdata="I2Nsb3VkLWNvbmZpZwo="', "I2Nsb3VkLWNvbmZpZwo="),
        (f"key {KEY}", KEY.split()[1]),
        ('{"password": "hunter2"}', "hunter2"),
    ]:
        assert secret not in logs.mask(text), text


def _logger() -> tuple[logging.Logger, io.StringIO]:
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    conf = cfg.ConfigOpts()
    logs.register(conf)
    conf([])
    handler.setFormatter(formatters.ContextFormatter(config=conf))
    logger = logging.getLogger(f"test-logs-{id(out)}")
    logger.handlers = [handler]
    logger.propagate = False
    logs.protect(logger)
    return logger, out


def test_a_log_line_has_no_secret_and_the_request_id():
    logger, out = _logger()

    def request() -> None:
        logs.bind_request("req-00000000-0000-0000-0000-000000000001")
        logger.warning("calling with %s", {"X-Auth-Token": TOKEN})
        try:
            raise ValueError(f"bad key {KEY}")
        except ValueError:
            logger.exception("failed")

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    text = out.getvalue()
    assert TOKEN not in text and KEY.split()[1] not in text
    assert text.count("req-00000000-0000-0000-0000-000000000001") == 2
