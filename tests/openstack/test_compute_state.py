"""nova's server states → OCCI compute states, messages and applicable actions."""

from __future__ import annotations

from typing import Any

import pytest

from ooi.openstack.compute_state import compute_state, is_gone


def _server(status: str, task: str | None = None, power: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "status": status,
        "OS-EXT-STS:task_state": task,
        "OS-EXT-STS:power_state": power,
        "OS-SRV-USG:launched_at": "2026-01-01T00:00:00",
        **extra,
    }


@pytest.mark.parametrize(
    ("status", "power", "state", "actions"),
    [
        ("ACTIVE", 1, "active", ("stop", "restart", "suspend", "save")),
        ("SHUTOFF", 4, "inactive", ("start", "save")),
        ("SUSPENDED", 7, "suspended", ("start", "save")),
        ("PAUSED", 3, "suspended", ("start", "save")),
        ("SHELVED_OFFLOADED", 4, "inactive", ()),
        ("VERIFY_RESIZE", 1, "active", ()),
        ("VERIFY_RESIZE", 4, "inactive", ()),
        ("RESCUE", 1, "active", ()),
    ],
)
def test_steady_states(status: str, power: int, state: str, actions: tuple[str, ...]) -> None:
    found = compute_state(_server(status, power=power))
    assert found.state == state
    assert found.actions == actions


def test_active_has_no_message_and_shelved_says_so() -> None:
    assert compute_state(_server("ACTIVE")).message is None
    assert compute_state(_server("SHELVED", power=4)).message == "shelved"


@pytest.mark.parametrize(
    ("status", "task", "power", "state"),
    [
        ("BUILD", "spawning", 0, "inactive"),
        ("REBOOT", "reboot_started", 1, "active"),
        ("HARD_REBOOT", "reboot_started_hard", 4, "inactive"),
        ("RESIZE", "resize_migrating", 1, "active"),
        ("ACTIVE", "powering-off", 1, "active"),
        ("SHUTOFF", "powering-on", 4, "inactive"),
        ("ACTIVE", "image_snapshot", 1, "active"),
    ],
)
def test_a_task_under_way_is_the_message_and_allows_no_action(
    status: str, task: str, power: int, state: str
) -> None:
    found = compute_state(_server(status, task, power))
    assert (found.state, found.message, found.actions) == (state, task, ())


def test_error_carries_novas_fault() -> None:
    server = _server("ERROR", power=0, fault={"code": 500, "message": "No valid host was found. "})
    found = compute_state(server)
    assert found.state == "error"
    assert found.message == "No valid host was found. "
    assert found.actions == ("stop", "restart")


def test_error_without_fault_still_explains() -> None:
    assert compute_state(_server("ERROR")).message


def test_error_of_a_server_that_never_ran_allows_nothing() -> None:
    server = _server("ERROR", power=0, fault={"message": "boom"})
    server["OS-SRV-USG:launched_at"] = None
    assert compute_state(server).actions == ()


def test_occi_11_has_no_error_state() -> None:
    found = compute_state(_server("ERROR", fault={"message": "boom"})).for_version("1.1")
    assert (found.state, found.message) == ("inactive", "boom")
    assert compute_state(_server("ACTIVE")).for_version("1.1").state == "active"


def test_unknown_status_is_inactive_without_actions() -> None:
    found = compute_state(_server("SOMETHING_NEW", power=0))
    assert (found.state, found.actions) == ("inactive", ())


@pytest.mark.parametrize(
    ("status", "task", "gone"),
    [
        ("ACTIVE", "deleting", True),
        ("DELETED", None, True),
        ("SOFT_DELETED", None, True),
        ("ACTIVE", None, False),
        ("ERROR", None, False),
    ],
)
def test_servers_being_deleted_are_gone(status: str, task: str | None, gone: bool) -> None:
    assert is_gone(_server(status, task)) is gone
