"""The OCCI 1.2 JSON schema (occi-spec/1.2/json_rendering.tex §OCCI JSON Schema).

``occi-schema-1.2.json`` beside this module is the schema from the appendix of the OCCI JSON
Rendering document, copied verbatim (it is valid JSON as published). The document carries this
notice, which applies to that copy:

    Copyright (C) Open Grid Forum (2009-2016). All Rights Reserved.

    This document and translations of it may be copied and furnished to others, and derivative
    works that comment on or otherwise explain it or assist in its implementation may be
    prepared, copied, published and distributed, in whole or in part, without restriction of
    any kind, provided that the above copyright notice and this paragraph are included as
    references to the derived portions on all such copies and derivative works. The published
    OGF document from which such works are derived, however, may not be modified in any way,
    such as by removing the copyright notice or references to the OGF or other organizations,
    except as needed for the purpose of developing new or updated OGF documents in conformance
    with the procedures defined in the OGF Document Process, or as required to translate it
    into languages other than English. OGF, with the approval of its board, may remove this
    restriction for inclusion of OGF document content for the purpose of producing standards
    in cooperation with other international standards bodies.

    The limited permissions granted above are perpetual and will not be revoked by the OGF or
    its successors or assignees.

Two things about the published schema, handled here rather than by editing the file:

- Several references are written ``#definitions/<name>`` (no ``/`` after ``#``), which is not a
  JSON pointer; `load_schema` rewrites them to ``#/definitions/<name>`` so that validators can
  resolve them. Nothing else is changed.
- The top level is an ``anyOf`` that includes the ``attributes`` definition, so *any* object
  whose values are not null passes it. Validate against one definition with `definition`
  (the spec: "Sub-schemas or fragments need to be used to validate specific OCCI classes").

Known slip kept as published (occi-essentials.md §7): ``attribute_description.default`` allows
only number, string and boolean, while the prose (§Attribute Description Rendering) also allows
arrays and objects; the renderer follows the prose.

The module has no dependency on a validator library; it only loads data.
"""

from __future__ import annotations

import copy
import functools
import json
from importlib import resources
from typing import Any

SCHEMA_FILE = "occi-schema-1.2.json"
SCHEMA_ID = "http://schemas.ogf.org/occi/OCCI-schema.json"
DRAFT_04 = "http://json-schema.org/draft-04/schema#"

_BROKEN_REF_PREFIX = "#definitions/"


def _repair_refs(node: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_BROKEN_REF_PREFIX):
            node["$ref"] = "#/definitions/" + ref[len(_BROKEN_REF_PREFIX) :]
        for value in node.values():
            _repair_refs(value)
    elif isinstance(node, list):
        for value in node:
            _repair_refs(value)


@functools.cache
def _schema() -> dict[str, Any]:
    text = resources.files("ooi.occi").joinpath(SCHEMA_FILE).read_text(encoding="utf-8")
    schema = json.loads(text)
    _repair_refs(schema)
    return schema


def load_schema() -> dict[str, Any]:
    """The whole schema, references repaired. Loaded once; each call returns a fresh copy."""
    return copy.deepcopy(_schema())


def definition_names() -> list[str]:
    """The names under ``definitions`` (``resource``, ``link``, ``kind``, ``model``, ...)."""
    return list(_schema()["definitions"])


def definition(name: str) -> dict[str, Any]:
    """A schema that accepts exactly what ``definitions/<name>`` accepts.

    It keeps the whole document (so internal references resolve) and replaces the top-level
    ``anyOf`` by a reference to the one definition. KeyError for an unknown name.
    """
    schema = load_schema()
    if name not in schema["definitions"]:
        raise KeyError(name)
    schema["anyOf"] = [{"$ref": "#/definitions/" + name}]
    return schema
