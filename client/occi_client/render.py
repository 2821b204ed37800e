"""Request bodies: a new entity or an action invocation, as application/occi+json or
text/plain (for servers without JSON, such as OCCI 1.1 ones)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from occi_client.parse import is_json


@dataclass
class NewLink:
    """An inline link of a create: to `target` (a URL) of kind `target_kind`."""

    kind: str
    target: str
    target_kind: str
    mixins: list[str] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)


def _split(type_id: str) -> tuple[str, str]:
    scheme, _, term = type_id.rpartition("#")
    return scheme + "#", term


def _category_line(type_id: str, cls: str) -> str:
    scheme, term = _split(type_id)
    return f'Category: {term}; scheme="{scheme}"; class="{cls}"'


def text_value(value: Any) -> str:
    """An attribute value in the text renderings: strings quoted, numbers and booleans bare."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list | dict):  # arrays and objects: a quoted JSON string, as ooi reads
        return json.dumps(json.dumps(value, separators=(",", ":")))
    return json.dumps(str(value))


def entity(
    media_type: str,
    kind: str,
    mixins: list[str],
    attributes: dict[str, Any],
    links: list[NewLink] = (),
) -> str:
    """A resource to create."""
    if is_json(media_type):
        document: dict[str, Any] = {"kind": kind, "attributes": dict(attributes)}
        if mixins:
            document["mixins"] = list(mixins)
        for member, name in (("title", "occi.core.title"), ("summary", "occi.core.summary")):
            if name in document["attributes"]:
                document[member] = document["attributes"].pop(name)
        if links:
            document["links"] = [
                {
                    "kind": link.kind,
                    **({"mixins": link.mixins} if link.mixins else {}),
                    "attributes": link.attributes,
                    "target": {"location": link.target, "kind": link.target_kind},
                }
                for link in links
            ]
        return json.dumps(document)
    lines = [_category_line(kind, "kind"), *(_category_line(m, "mixin") for m in mixins)]
    for link in links:
        categories = " ".join([link.kind, *link.mixins])
        parts = [f"<{link.target}>", f'rel="{link.target_kind}"', f'category="{categories}"']
        parts += [f"{name}={text_value(v)}" for name, v in link.attributes.items()]
        lines.append("Link: " + "; ".join(parts))
    lines += [f"X-OCCI-Attribute: {name}={text_value(v)}" for name, v in attributes.items()]
    return "\n".join(lines) + "\n"


def mixins(media_type: str, type_ids: list[str]) -> str:
    """Mixins alone (a collection of mixins, as rOCCI-cli's update sent them)."""
    if is_json(media_type):
        return json.dumps({"mixins": list(type_ids)})
    return "".join(_category_line(type_id, "mixin") + "\n" for type_id in type_ids)


def action(media_type: str, action_id: str, attributes: dict[str, Any] | None = None) -> str:
    """An action invocation (POST <entity>?action=<term>)."""
    if is_json(media_type):
        return json.dumps({"action": action_id, "attributes": attributes or {}})
    lines = [_category_line(action_id, "action")]
    lines += [f"X-OCCI-Attribute: {n}={text_value(v)}" for n, v in (attributes or {}).items()]
    return "\n".join(lines) + "\n"


def link(
    media_type: str,
    kind: str,
    source: tuple[str, str],
    target: tuple[str, str],
    attributes: dict[str, Any] | None = None,
    mixins: list[str] = (),
) -> str:
    """A standalone link to create: `source` and `target` as (location, kind)."""
    attributes = dict(attributes or {})
    if is_json(media_type):
        document: dict[str, Any] = {
            "kind": kind,
            "attributes": attributes,
            "source": {"location": source[0], "kind": source[1]},
            "target": {"location": target[0], "kind": target[1]},
        }
        if mixins:
            document["mixins"] = list(mixins)
        return json.dumps(document)
    ends = {"occi.core.source": source[0], "occi.core.target": target[0]}
    return entity(media_type, kind, list(mixins), {**ends, **attributes})
