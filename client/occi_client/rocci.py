"""rOCCI-cli's command lines, kept working: `occi --endpoint E --auth token --action list
--resource compute` and the rest, run by the same code as the `occi <object> <verb>` commands,
printed in rOCCI-cli 4.3's shapes (plain, json, json_pretty, json_extended).

Unlike rOCCI-cli, failures exit with the distinct statuses of errors.py (not always 1), and
--wait-for-active fails on an error state or when its timeout passes.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from occi_client import auth, connection, operations, parse, tags
from occi_client import rocci_output as output
from occi_client.errors import OCCIError, UsageError
from occi_client.model import Category
from occi_client.render import NewLink
from occi_client.site import (
    IPRESERVATION,
    NETWORK,
    NETWORKINTERFACE,
    OS_TPL,
    RESOURCE_TPL,
    SECURITYGROUP,
    SECURITYGROUPLINK,
    STORAGE,
    STORAGELINK,
    Site,
    link_kind_of,
)
from occi_client.wait import DEFAULT_TIMEOUT

ACTIONS = (
    "list",
    "describe",
    "create",
    "delete",
    "trigger",
    "link",
    "unlink",
    "discover",
    "update",
)
FORMATS = ("plain", "json", "json_pretty", "json_extended", "json_extended_pretty")
TEMPLATES = {"os_tpl": OS_TPL, "resource_tpl": RESOURCE_TPL}


def is_rocci(argv: list[str]) -> bool:
    """rOCCI-cli's lines are the ones with --action (or -a) or --dump-model."""
    return any(
        a in ("--action", "-a", "--dump-model", "-m") or a.startswith("--action=") for a in argv
    )


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="occi", description="rOCCI-cli compatible command lines")
    p.add_argument("-e", "--endpoint", required=True)
    p.add_argument(
        "-n", "--auth", default="none", choices=("none", "token", "basic", "x509", "digest")
    )
    p.add_argument("-u", "--username")
    p.add_argument("-p", "--password")
    p.add_argument("-q", "--token")
    p.add_argument("-a", "--action", choices=ACTIONS)
    p.add_argument("-m", "--dump-model", action="store_true")
    p.add_argument("-r", "--resource")
    p.add_argument("-M", "--mixin", action="append", default=[])
    p.add_argument("-t", "--attribute", action="append", default=[])
    p.add_argument("-T", "--context", action="append", default=[])
    p.add_argument("-j", "--link", action="append", default=[])
    p.add_argument("-g", "--trigger-action")
    p.add_argument("-o", "--output-format", default="plain", choices=FORMATS)
    p.add_argument("-y", "--media-type")
    p.add_argument("-w", "--wait-for-active", action="store_true")
    p.add_argument("--wait-timeout", type=float, default=DEFAULT_TIMEOUT)
    p.add_argument("-d", "--debug", action="store_true")
    p.add_argument("-X", "--skip-ca-check", action="store_true")
    p.add_argument("-f", "--ca-file", help="CA certificates (a file)")
    p.add_argument("-c", "--ca-path", help="CA certificates (a directory)")
    return p


def _items(values: list[str]) -> list[str]:
    """rOCCI's list options: repeatable and comma-separated (commas in quotes kept)."""
    return [item for value in values for item in parse.split_outside_quotes(value, ",")]


def _value(raw: str) -> Any:
    raw = raw.strip()
    for wrapper, convert in (("num(", float), ("bool(", lambda v: v.lower() == "true")):
        if raw.startswith(wrapper) and raw.endswith(")"):
            value = convert(raw[len(wrapper) : -1])
            return int(value) if isinstance(value, float) and value.is_integer() else value
    if raw.isdigit():
        return int(raw)
    return parse.unquote(raw)


def _pairs(values: list[str], what: str) -> dict[str, Any]:
    pairs = {}
    for item in _items(values):
        name, sep, raw = item.partition("=")
        if not sep:
            raise UsageError(f"--{what} {item!r}: expected NAME=VALUE")
        pairs[name.strip()] = _value(raw)
    return pairs


def _file_or_text(value: Any) -> bytes:
    text = str(value)
    if text.startswith("file://"):
        try:
            return Path(text[len("file://") :]).expanduser().read_bytes()
        except OSError as exc:
            raise UsageError(f"--context {text}: {exc.strerror}") from exc
    return text.encode()


def _options(args: argparse.Namespace) -> argparse.Namespace:
    """The native options for this line (auth and endpoint), OS_* variables included."""
    from occi_client.app import OCCIApp  # the one definition of the global options

    argv = ["--endpoint", args.endpoint]
    if args.auth in ("x509", "digest"):
        raise UsageError(f"--auth {args.auth} is not supported: use token, basic or none")
    if args.auth == "none":
        argv.append("--no-auth")
    elif args.auth == "token" and args.token:
        argv += ["--os-token", args.token]
    elif args.auth == "basic":  # Keystone password login, Keystone found from the 401
        argv += ["--os-username", args.username or "", "--os-password", args.password or ""]
    if args.media_type:
        argv += ["--media-type", args.media_type.split(",")[0]]
    if args.skip_ca_check:
        argv.append("--insecure")
    elif args.ca_file or args.ca_path:
        argv += ["--os-cacert", args.ca_file or args.ca_path]
    parser = OCCIApp().build_option_parser("", "")
    return parser.parse_known_args(argv)[0]


def _mixin(site: Site, ref: str) -> Category:
    short, _, term = ref.rpartition("#")
    if short in TEMPLATES:
        return site.template(TEMPLATES[short], term)
    found = site.category(ref)
    if found is None:
        found = tags.find_or_define(site, ref) if "#" not in ref else None
    if found is None:
        raise OCCIError(f"no mixin {ref} on this site", exit_code=4)
    return found


class Line:
    """One rOCCI-cli command line, run against a site."""

    def __init__(self, args: argparse.Namespace, site: Site) -> None:
        self.args, self.site, self.fmt = args, site, args.output_format

    def run(self) -> str:
        action = "discover" if self.args.dump_model else self.args.action
        if action is None:
            raise UsageError("--action is required")
        if action != "discover" and not self.args.resource:
            raise UsageError("--resource is required")
        return getattr(self, action)()

    def discover(self) -> str:
        ids = [c.type_id for c in self.site.categories()]
        return output.dump(ids, self.fmt) if self.fmt != "plain" else "\n".join(ids)

    def list(self) -> str:
        resource = self.args.resource
        if resource in TEMPLATES or resource in TEMPLATES.values():
            ids = [c.type_id for c in self.site.templates(TEMPLATES.get(resource, resource))]
        elif output.extended(self.fmt):  # every entity in full, not only its location
            entities = self.site.entities(self._kind())
            return output.dump([output.entity_json(e, full=True) for e in entities], self.fmt)
        else:
            ids = [e.location or "" for e in self.site.entities(self._kind())]
        return output.dump(ids, self.fmt) if self.fmt != "plain" else "\n".join(ids)

    def describe(self) -> str:
        resource = self.args.resource
        short, _, term = resource.partition("#")
        if resource in TEMPLATES or short in TEMPLATES:
            found = self.site.templates(TEMPLATES[short])
            if term:  # one template: os_tpl#ID
                found = [self.site.template(TEMPLATES[short], term)]
            if self.fmt == "plain":
                return "".join(output.mixin_plain(c) for c in found)
            return output.dump([{"term": c.term, "scheme": c.scheme, "title": c.title,
                           "location": c.location} for c in found], self.fmt)  # fmt: skip
        kind = self._kind()
        if any(resource in (k.term, k.type_id) for k in self._kinds()):
            entities = self.site.entities(kind)
        else:
            entities = [self.site.find(kind, resource)]
        if self.fmt == "plain":
            return "".join(output.entity_plain(e) for e in entities)
        full = output.extended(self.fmt)
        return output.dump([output.entity_json(e, full) for e in entities], self.fmt)

    def create(self) -> str:
        kind = self._kind()
        attributes = _pairs(self.args.attribute, "attribute")
        if "occi.core.title" not in attributes:
            raise UsageError("--attribute occi.core.title=... is required")
        mixins = [_mixin(self.site, ref).type_id for ref in _items(self.args.mixin)]
        context = _pairs(self.args.context, "context")
        unknown = set(context) - {"user_data", "public_key"}
        if unknown:
            raise UsageError(f"--context takes user_data and public_key, not {sorted(unknown)}")
        user_data = _file_or_text(context["user_data"]) if "user_data" in context else None
        key = _file_or_text(context["public_key"]).decode() if "public_key" in context else None
        operations.contextualize(self.site, mixins, attributes, user_data, key)
        links = [self._link(ref) for ref in _items(self.args.link)]
        location = operations.create(self.site, kind, mixins, attributes, links)
        if self.args.wait_for_active:
            state = "online" if kind.endswith("#storage") else "active"
            operations.wait_for(self.site, location, kind, state, self.args.wait_timeout)
        return location

    def delete(self) -> str:
        kind = self._kind()
        entity = self.site.find(kind, self.args.resource)
        operations.delete(self.site, entity.location or "", kind)
        return ""

    def trigger(self) -> str:
        if not self.args.trigger_action:
            raise UsageError("--trigger-action is required")
        kind = self._kind()
        entity = self.site.find(kind, self.args.resource)
        action = self.args.trigger_action.rpartition("#")[2]
        # --attribute: the action's parameters (as rOCCI's action instances carried them).
        parameters = _pairs(self.args.attribute, "attribute")
        operations.trigger(self.site, entity, kind, action, parameters)
        if self.args.wait_for_active and action in operations.ACTION_STATES:
            state = operations.ACTION_STATES[action]
            operations.wait_for(self.site, entity.location or "", kind, state,
                                self.args.wait_timeout)  # fmt: skip
        return ""

    def update(self) -> str:
        """Adds --mixin mixins to --resource: as rOCCI-cli, a POST of the mixins alone (with
        --attribute, a partial update of the resource with them)."""
        mixins = [_mixin(self.site, ref).type_id for ref in _items(self.args.mixin)]
        if not mixins:
            raise UsageError("--action update takes the mixins to add (--mixin)")
        kind = self._kind()
        entity = self.site.find(kind, self.args.resource)
        attributes = _pairs(self.args.attribute, "attribute")
        if attributes:
            operations.update(self.site, entity, kind, mixins, attributes)
        else:
            operations.add_mixins(self.site, entity, mixins)
        return ""

    def link(self) -> str:
        """--resource a compute, --link a /storage/ or /network/ resource: the new link's URL."""
        refs = _items(self.args.link)
        if len(refs) != 1:
            raise UsageError("--action link takes one --link")
        source = self.site.find(self._kind(), self.args.resource)
        new = self._link(refs[0])
        target = self.site.get(new.target, new.target_kind)
        return operations.link(self.site, new.kind, source, target, new.target_kind)

    def unlink(self) -> str:
        """--resource a link's location; returns once the link is gone (detached)."""
        url = self.site.client.url(self.args.resource)
        operations.delete(self.site, url, link_kind_of(url), self.args.wait_timeout)
        return ""

    def _kinds(self) -> list[Category]:
        """The site's resource and link kinds (rOCCI's resource types: compute, storage,
        network, ipreservation, securitygroup, ...)."""
        return [
            c
            for c in self.site.categories()
            if c.cls == "kind" and not c.scheme.endswith("/occi/core#")
        ]

    def _kind_of(self, ref: str) -> str | None:
        """The kind `ref` names (term or type id), or whose collection a location is in."""
        kinds = self._kinds()
        for kind in kinds:
            if ref in (kind.term, kind.type_id):
                return kind.type_id
        url = self.site.client.url(ref) if "/" in ref else ""
        for kind in kinds:
            if url and kind.location and url.startswith(self.site.client.url(kind.location)):
                return kind.type_id
        return None

    def _kind(self) -> str:
        kind = self._kind_of(self.args.resource)
        if kind is None:
            raise UsageError(f"unknown resource {self.args.resource!r}")
        return kind

    def _link(self, ref: str) -> NewLink:
        target_kind = self._kind_of(ref)
        link_kinds = {STORAGE: STORAGELINK, SECURITYGROUP: SECURITYGROUPLINK}
        if target_kind in (NETWORK, IPRESERVATION, *link_kinds):
            link_kind = link_kinds.get(target_kind, NETWORKINTERFACE)
            return NewLink(link_kind, self.site.client.url(ref), target_kind)
        raise UsageError(
            f"--link {ref}: link a /storage/, /network/, /ipreservation/ or /securitygroup/ "
            "resource"
        )


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)  # exits 2 on a usage error
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="%(message)s",
        stream=sys.stderr,
    )
    for name in ("urllib3", "stevedore"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        with auth.translated_errors():
            site = Site(connection.connect(_options(args)))
            out = Line(args, site).run()
    except OCCIError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    if out:
        sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return 0
