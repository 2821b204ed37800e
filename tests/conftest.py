"""The cloud in a box for tests marked `cloud` (see ooi/cloud/session.py).

The box is lazy: it starts only when the run has selected at least one `cloud` test, and then
at once, in the background, so its cold start overlaps the unit tests collected before it.
`OOI_CLOUD_STATE=<state dir of a running box>` reuses that box (and leaves it running).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

_session = None


def _box_session():  # noqa: ANN202 - imported lazily: unit test runs never load ooi.cloud
    global _session
    if _session is None:
        from ooi.cloud.session import BoxSession

        _session = BoxSession()
    return _session


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Cloud tests last, so that the box's start overlaps every other test."""
    items.sort(key=lambda item: item.get_closest_marker("cloud") is not None)


def pytest_collection_finish(session: pytest.Session) -> None:
    if any(item.get_closest_marker("cloud") for item in session.items):
        _box_session().start_soon()


def pytest_sessionfinish(session: pytest.Session) -> None:
    if _session is not None:
        _session.stop()


@pytest.fixture(scope="session")
def cloud() -> Iterator[object]:
    """The box: `.endpoints`, `.admin_token`, `.projects['demo' | 'alt_demo']`, `.client()`."""
    yield _box_session().cloud()


@pytest.fixture(scope="session", params=["pipeline", "standalone"])
def ooi_url(cloud, request) -> str:  # noqa: ANN001
    """ooi's root, without the /occi1.x prefix, in each mode: in nova's pipeline (nova called
    in process), and standalone (its own Keystone authentication, nova over HTTP)."""
    return cloud.endpoints["ooi" if request.param == "pipeline" else "ooi_standalone"]


@pytest.fixture(scope="session")
def box_keystone_url(cloud) -> str:  # noqa: ANN001
    """keystone's root URL, as announced in `WWW-Authenticate`."""
    return cloud.box.url("keystone")


@pytest.fixture(scope="session")
def admin_token(cloud) -> str:  # noqa: ANN001
    return cloud.admin_token


@pytest.fixture(scope="session")
def demo_token(cloud) -> str:  # noqa: ANN001
    return cloud.projects["demo"].token


@pytest.fixture(scope="session")
def alt_demo_token(cloud) -> str:  # noqa: ANN001
    return cloud.projects["alt_demo"].token


@pytest.fixture(scope="session")
def box_flavors(cloud) -> list[dict[str, object]]:  # noqa: ANN001
    """nova's flavors in the box (m1.tiny, m1.small, m1.medium), as nova lists them."""
    from ooi.cloud.session import flavors

    return flavors(cloud)


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001
    """The fuzzer's count of requests sent (tests/functional/test_fuzz.py), when it ran."""
    import sys

    fuzz = sys.modules.get("tests.functional.test_fuzz")
    if fuzz is not None and fuzz.SENT["requests"]:
        sent = fuzz.SENT
        terminalreporter.write_line(
            f"fuzz: {sent['requests']} requests sent, {sent['5xx']} answered 5xx (but 501)"
        )
