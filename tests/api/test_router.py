from ooi.api.router import Router


def _handler():  # pragma: no cover - never called
    return None


def test_match_and_params() -> None:
    router = Router({"/compute/": {"GET": _handler}, "/compute/{id}": {"GET": _handler}})
    match = router.match("/compute/42")
    assert match is not None
    assert match.params == {"id": "42"}
    assert router.match("/compute/") is not None
    assert router.match("/compute/42/x") is None
    assert router.match("/storage/1") is None


def test_head_follows_get_and_allow_lists_methods() -> None:
    router = Router({"/-/": {"GET": _handler, "POST": _handler}})
    match = router.match("/-/")
    assert match is not None
    assert match.handler("HEAD") is _handler
    assert match.handler("PUT") is None
    assert match.allowed == ["GET", "HEAD", "POST"]


def test_literal_parts_are_not_regexes() -> None:
    router = Router({"/.well-known/org/ogf/occi/-/": {"GET": _handler}})
    assert router.match("/.well-known/org/ogf/occi/-/") is not None
    assert router.match("/Xwell-known/org/ogf/occi/-/") is None


def test_unknown_paths_go_to_the_fallback() -> None:
    router = Router({"/compute/": {"GET": _handler}}, fallback={"GET": _handler})
    match = router.match("/os_tpl/img")
    assert match is not None and match.handler("GET") is _handler and match.params == {}
    assert Router({"/compute/": {"GET": _handler}}).match("/os_tpl/img") is None
