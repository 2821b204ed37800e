"""The steps-with-undo mechanism of multi-step changes."""

from __future__ import annotations

import pytest

from ooi.api.steps import Steps


def test_success_keeps_everything() -> None:
    undone: list[str] = []
    with Steps() as steps:
        assert steps.run("a", lambda: "A", undo=undone.append) == "A"
        steps.run("b", lambda: "B", undo=undone.append)
    assert undone == []


def test_failure_undoes_in_reverse_with_each_result() -> None:
    undone: list[str] = []
    with pytest.raises(RuntimeError, match="boom"), Steps() as steps:
        steps.run("a", lambda: "A", undo=undone.append)
        steps.run("b", lambda: "B", undo=undone.append)
        steps.on_failure("c", lambda: undone.append("C"))
        raise RuntimeError("boom")
    assert undone == ["C", "B", "A"]


def test_a_failing_step_is_not_undone_and_the_earlier_ones_are() -> None:
    undone: list[str] = []

    def fail() -> str:
        raise ValueError("step failed")

    with pytest.raises(ValueError, match="step failed"), Steps() as steps:
        steps.run("a", lambda: "A", undo=undone.append)
        steps.run("b", fail, undo=undone.append)
    assert undone == ["A"]


def test_a_failing_undo_does_not_hide_the_error_nor_stop_the_others() -> None:
    undone: list[str] = []

    def broken(_: object) -> None:
        raise OSError("undo failed")

    with pytest.raises(RuntimeError, match="original"), Steps() as steps:
        steps.run("a", lambda: "A", undo=undone.append)
        steps.run("b", lambda: "B", undo=broken)
        raise RuntimeError("original")
    assert undone == ["A"]
