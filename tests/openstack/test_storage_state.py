"""cinder's volume and attachment statuses → OCCI storage and storagelink states, per version."""

from __future__ import annotations

import pytest

from ooi.openstack.storage_state import attachments_unsettled, link_state, storage_state


@pytest.mark.parametrize(
    ("status", "state_12", "state_11"),
    [
        ("available", "online", "online"),
        ("in-use", "online", "online"),
        ("creating", "offline", "offline"),
        ("attaching", "offline", "offline"),
        ("detaching", "offline", "offline"),
        ("reserved", "offline", "offline"),
        ("downloading", "offline", "offline"),
        ("backing-up", "offline", "backup"),
        ("extending", "offline", "resize"),
        ("deleting", "offline", "offline"),
        ("error", "error", "offline"),
        ("error_deleting", "error", "offline"),
        ("error_extending", "error", "offline"),
        ("some-new-status", "offline", "offline"),
    ],
)
def test_states_per_version(status: str, state_12: str, state_11: str) -> None:
    found = storage_state(status)
    assert found.for_version("1.2")[0] == state_12
    assert found.for_version("1.1")[0] == state_11


def test_online_has_no_message() -> None:
    assert storage_state("available").for_version("1.2") == ("online", None)
    assert storage_state("IN-USE").for_version("1.1") == ("online", None)


def test_offline_says_what_cinder_does() -> None:
    state, message = storage_state("extending").for_version("1.2")
    assert state == "offline" and message == "The volume is being extended"
    assert "some-new-status" in str(storage_state("some-new-status").message)


def test_errors_carry_the_status_and_11_keeps_only_error_messages() -> None:
    state, message = storage_state("error_extending").for_version("1.2")
    assert state == "error" and "error_extending" in str(message)
    assert storage_state("error").for_version("1.1")[1] is not None
    assert storage_state("creating").for_version("1.1") == ("offline", None)


@pytest.mark.parametrize(
    ("status", "version", "expected"),
    [
        ("attached", "1.2", ("active", None)),
        ("attached", "1.1", ("active", None)),
        ("detached", "1.2", None),
        ("reserved", "1.2", ("inactive", "The attachment is reserved")),
        ("attaching", "1.1", ("inactive", "The attachment is attaching")),
    ],
)
def test_link_states(status: str, version: str, expected: object) -> None:
    assert link_state(status, version) == expected


def test_link_errors_per_version() -> None:
    assert link_state("error_attaching", "1.2")[0] == "error"  # type: ignore[index]
    assert link_state("error_attaching", "1.1")[0] == "inactive"  # type: ignore[index]


@pytest.mark.parametrize(
    ("status", "unsettled"),
    [
        ("available", False),
        ("in-use", False),
        ("creating", False),
        ("extending", False),
        ("error", False),
        ("reserved", True),
        ("attaching", True),
        ("DETACHING", True),
        ("error_attaching", True),
        ("error_detaching", True),
    ],
)
def test_attachments_are_asked_for_only_while_one_is_under_way(
    status: str, unsettled: bool
) -> None:
    # The volume lists its attached attachments; only these statuses hide others.
    assert attachments_unsettled(status) is unsettled
