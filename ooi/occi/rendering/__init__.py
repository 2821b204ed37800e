"""Renderers by media type.

The middleware negotiates a media type from `Accept` and asks `renderer_for` for an instance.
"""

from __future__ import annotations

from ooi.occi.rendering.base import VERSIONS, Rendered, Renderer
from ooi.occi.rendering.json import JSONRenderer
from ooi.occi.rendering.text import TextOCCIRenderer, TextPlainRenderer, UriListRenderer


class TextOCCIPlainRenderer(TextPlainRenderer):
    """text/plain under its OCCI 1.2 alias, answered with the type the client asked for."""

    media_type = "text/occi+plain"
    content_type = "text/occi+plain; charset=utf-8"


# In order of preference when a client accepts several equally.
RENDERERS: dict[str, type[Renderer]] = {
    "text/plain": TextPlainRenderer,
    "text/occi": TextOCCIRenderer,
    "application/occi+json": JSONRenderer,
    "text/uri-list": UriListRenderer,
    # OCCI 1.2 names text/plain also text/occi+plain (text_rendering.tex §OCCI Text Plain).
    "text/occi+plain": TextOCCIPlainRenderer,
    # Plain JSON clients get the OCCI JSON rendering.
    "application/json": JSONRenderer,
}


def renderer_for(
    media_type: str, base_url: str = "/", version: str = "1.2", category_base: str | None = None
) -> Renderer:
    """A renderer for one of `RENDERERS`' media types; KeyError for any other."""
    return RENDERERS[media_type](base_url, version, category_base)


__all__ = ["RENDERERS", "VERSIONS", "Rendered", "Renderer", "renderer_for"]
