"""The HTTP session reads the process environment (proxies) once per service URL."""

from __future__ import annotations

from ooi.openstack.transport import _pooled_session


def test_proxies_are_read_from_the_environment_once_per_service(monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    session = _pooled_session()
    first = session.merge_environment_settings(
        "http://nova.example/v2.1/servers", {}, None, True, None
    )
    assert first["proxies"].get("http") == "http://proxy.example:3128"
    # A server's environment does not change: a later change is not read again for that URL...
    monkeypatch.setenv("HTTP_PROXY", "http://other.example:3128")
    again = session.merge_environment_settings(
        "http://nova.example/v2.1/flavors", {}, None, True, None
    )
    assert again == first and again is not first  # a copy: requests may change what it gets
    # ...while another service's URL is read when first met.
    other = session.merge_environment_settings("http://cinder.example/v3", {}, None, True, None)
    assert other["proxies"].get("http") == "http://other.example:3128"
    # A call's own proxies are taken as requests takes them.
    own = session.merge_environment_settings(
        "http://nova.example/", {"http": "http://mine.example:1"}, None, True, None
    )
    assert own["proxies"]["http"] == "http://mine.example:1"
