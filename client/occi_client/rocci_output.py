"""rOCCI-cli 4.3's output shapes: `plain` (its `[[ kind ]]` blocks), `json` and `json_pretty`
(attributes nested by their dotted names), and `json_extended` (and `_pretty`): every entity in
full, its links with their own id, location, kind, mixins and ends."""

from __future__ import annotations

import json
from typing import Any

from occi_client.model import Category, Entity, Link

RULE = "#" * 79


def extended(fmt: str) -> bool:
    return fmt.startswith("json_extended")


def nested(attributes: dict[str, Any]) -> dict[str, Any]:
    """rOCCI's JSON: attributes nested by their dotted names."""
    tree: dict[str, Any] = {}
    for name, value in sorted(attributes.items()):
        node = tree
        *path, last = name.split(".")
        for part in path:
            node = node.setdefault(part, {}) if isinstance(node.get(part, {}), dict) else node
        node[last] = value
    return tree


def entity_json(entity: Entity, full: bool = False) -> dict[str, Any]:
    return {
        "kind": entity.kind,
        "mixins": entity.mixins,
        "attributes": nested(entity.attributes),
        "actions": entity.actions,
        "id": entity.id,
        "links": [link_json(link, entity, full) for link in entity.links],
        "location": entity.location,
    }


def link_json(link: Link, source: Entity, full: bool = False) -> dict[str, Any]:
    found = {"kind": link.kind, "target": link.target, "attributes": nested(link.attributes)}
    if full:
        found.update(
            id=link.attributes.get("occi.core.id"),
            location=link.location,
            mixins=link.mixins,
            source=source.location,
            target_kind=link.target_kind,
        )
    return found


def entity_plain(entity: Entity) -> str:
    lines = [RULE, f"[[ {entity.kind} ]]"]
    lines += [f"{name} = {value}" for name, value in sorted(entity.attributes.items())]
    lines += ["", "Links:"]
    for link in entity.links:
        lines += ["", f"    [[ {link.kind} ]]"]
        lines += [f"    {n} = {v}" for n, v in sorted(link.attributes.items())]
        lines.append(f"    occi.core.target = {link.target}")
    lines += ["", "Mixins:"]
    lines += [f"    [[ {mixin} ]]" for mixin in entity.mixins]
    lines += ["", "Actions:"]
    lines += [f"    [[ {action} ]]" for action in entity.actions]
    return "\n".join([*lines, RULE, ""])


def mixin_plain(category: Category) -> str:
    return (
        f"{RULE}\n[[ {category.type_id} ]]\ntitle:        {category.title}\n"
        f"term:         {category.term}\nlocation:     {category.location}\n"
    )


def dump(data: Any, fmt: str) -> str:
    return json.dumps(data, indent=2 if fmt.endswith("pretty") else None)
