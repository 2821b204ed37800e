"""Version and media-type negotiation, on requests built in memory."""

import pytest
import webob

from ooi.api.negotiation import (
    RequestRefused,
    occi_version,
    request_media_type,
    response_media_type,
)


def _req(path: str = "/-/", script: str = "/occi1.2", **headers: str) -> webob.Request:
    req = webob.Request.blank(path, headers={k.replace("_", "-"): v for k, v in headers.items()})
    req.script_name = script
    return req


@pytest.mark.parametrize(
    ("agent", "script", "expected"),
    [
        ("", "/occi1.2", "1.2"),
        ("", "/occi1.1", "1.1"),
        ("curl/8", "", "1.2"),
        ("rOCCI-core/4.3.0 rOCCI-api/4.3.0 OCCI/1.1 Ruby", "/occi1.2", "1.1"),
        ("pOCCI OCCI/1.2", "/occi1.1", "1.2"),
        ("x OCCI/1.1 OCCI/1.2", "/occi1.1", "1.1"),
    ],
)
def test_version(agent: str, script: str, expected: str) -> None:
    assert occi_version(_req(script=script, User_Agent=agent)) == expected


@pytest.mark.parametrize("agent", ["client OCCI/1.3", "OCCI/2.0", "OCCI/1.0"])
def test_unsupported_version_is_501(agent: str) -> None:
    with pytest.raises(RequestRefused) as err:
        occi_version(_req(User_Agent=agent))
    assert err.value.status == 501
    assert agent.split("/")[-1] in err.value.message


def test_version_must_be_a_whole_word() -> None:
    assert occi_version(_req(User_Agent="NOTOCCI/1.3x")) == "1.2"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/plain"),
        ("*/*", "text/plain"),
        ("text/*", "text/plain"),
        ("text/plain,text/occi;q=0.2", "text/plain"),
        ("text/occi", "text/occi"),
        ("application/occi+json", "application/occi+json"),
        ("text/uri-list", "text/uri-list"),
        ("application/xml;q=1, text/occi;q=0.5", "text/occi"),
    ],
)
def test_response_media_type(accept: str | None, expected: str) -> None:
    headers = {"Accept": accept} if accept is not None else {}
    assert response_media_type(_req(**headers)) == expected


@pytest.mark.parametrize("accept", ["application/xml", "image/png;q=1", "text/html"])
def test_unsupported_accept_is_406(accept: str) -> None:
    with pytest.raises(RequestRefused) as err:
        response_media_type(_req(Accept=accept))
    assert err.value.status == 406


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        (None, "text/occi"),
        ("text/plain", "text/plain"),
        ("text/plain; charset=utf-8", "text/plain"),
        ("text/plain,text/occi", "text/plain"),
        ("application/xml, text/occi", "text/occi"),
        ("application/occi+json", "application/occi+json"),
        ("text/occi+plain", "text/plain"),
    ],
)
def test_request_media_type(content_type: str | None, expected: str) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    assert request_media_type(_req(**headers)) == expected


def test_unsupported_content_type_is_415() -> None:
    with pytest.raises(RequestRefused) as err:
        request_media_type(_req(Content_Type="application/xml"))
    assert err.value.status == 415
    assert "application/xml" in err.value.message
