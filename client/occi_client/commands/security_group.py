"""`occi security-group list|show|create|delete` and `occi security-group rule add|delete`:
the project's security groups and their rules (`occi.securitygroup.rules`, a list of
{type, protocol, port, range}); `occi link create C --security-group G` puts a compute in one.

The site replaces a group's rules with the list it is sent, so adding or deleting one rule
sends the group's rules as shown, changed."""

from __future__ import annotations

import argparse
import json
from typing import Any

from cliff import columns
from cliff.lister import Lister
from cliff.show import ShowOne

from occi_client import operations
from occi_client.commands.base import DeleteEach, ResourceShow, SiteMixin, entity_fields
from occi_client.errors import NotFound, UsageError
from occi_client.model import Entity
from occi_client.site import SECURITYGROUP

RULES = "occi.securitygroup.rules"
_KEYS = ("type", "protocol", "port", "range")
_EVERYWHERE = ("0.0.0.0/0", "::/0")


def parse_rule(text: str) -> dict[str, str]:
    """`type=inbound,protocol=tcp,port=22,range=10.0.0.0/8` (type inbound when left out)."""
    rule: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or key.strip() not in _KEYS:
            raise UsageError(f"rule {text!r}: give {', '.join(k + '=…' for k in _KEYS)}")
        rule[key.strip()] = value.strip()
    rule.setdefault("type", "inbound")
    if rule["type"] not in ("inbound", "outbound"):
        raise UsageError(f"rule {text!r}: type is inbound or outbound")
    return rule


def rules_of(entity: Entity) -> list[dict[str, Any]]:
    """The group's rules (text renderings carry them as a JSON string)."""
    value = entity.attributes.get(RULES) or []
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else []
        except ValueError:
            return []
    return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def _same(rule: dict[str, Any]) -> tuple[str, ...]:
    """A rule's meaning: an address range of everywhere is no range, ports are text."""
    found = {k: str(rule[k]) for k in _KEYS if rule.get(k) not in (None, "")}
    if found.get("range") in _EVERYWHERE:
        del found["range"]
    if found.get("protocol"):
        found["protocol"] = found["protocol"].lower()
    return tuple(found.get(k, "") for k in _KEYS)


def describe(rule: dict[str, Any]) -> str:
    words = [str(rule.get("type", "inbound")), str(rule.get("protocol") or "any")]
    if rule.get("port"):
        words.append(f"port {rule['port']}")
    words.append(f"{'from' if words[0] == 'inbound' else 'to'} {rule.get('range') or 'anywhere'}")
    return " ".join(words)


class RulesColumn(columns.FormattableColumn):
    """Rules: one line each for people, objects for JSON and YAML."""

    def human_readable(self) -> str:
        return "\n".join(describe(rule) for rule in self._value)

    def machine_readable(self) -> Any:
        return list(self._value)


def group_fields(entity: Entity) -> tuple[tuple[str, ...], tuple[Any, ...]]:
    names, values = entity_fields(entity)
    rules = RulesColumn(rules_of(entity))
    return names, tuple(rules if n == RULES else v for n, v in zip(names, values, strict=True))


def _rule_option(parser: argparse.ArgumentParser, required: bool = False) -> None:
    parser.add_argument(
        "--rule",
        action="append",
        default=[],
        required=required,
        metavar="RULE",
        help="type=inbound|outbound,protocol=tcp|udp|icmp,port=N|A:B,range=CIDR "
        "(left out: every protocol, port, address; repeatable)",
    )


class SecurityGroupList(SiteMixin, Lister):
    """List the security groups."""

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, list[tuple]]:
        rows = [
            (e.id, e.title, RulesColumn(rules_of(e)), e.location)
            for e in self.site.entities(SECURITYGROUP)
        ]
        return ("ID", "Name", "Rules", "Location"), rows


class SecurityGroupShow(ResourceShow):
    """Show one security group and its rules."""

    kind = SECURITYGROUP

    def fields(self, entity: Entity) -> tuple[tuple[str, ...], tuple[Any, ...]]:
        return group_fields(entity)


class SecurityGroupCreate(SiteMixin, ShowOne):
    """Create a security group (OpenStack adds its rules for outbound traffic)."""

    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("name", help="the new group's name (occi.core.title)")
        parser.add_argument("--summary", help="a description (occi.core.summary)")
        _rule_option(parser)
        return parser

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        attributes: dict[str, Any] = {"occi.core.title": parsed_args.name}
        if parsed_args.summary:
            attributes["occi.core.summary"] = parsed_args.summary
        if parsed_args.rule:
            attributes[RULES] = [parse_rule(r) for r in parsed_args.rule]
        location = operations.create(site, SECURITYGROUP, [], attributes)
        return group_fields(site.get(location, SECURITYGROUP))


class SecurityGroupDelete(DeleteEach):
    """Delete security groups (refused while computes are in them: exit status 5)."""

    noun, kind = "group", SECURITYGROUP


class _RuleChange(SiteMixin, ShowOne):
    def get_parser(self, prog_name: str) -> argparse.ArgumentParser:
        parser = super().get_parser(prog_name)
        parser.add_argument("group", help="id, name or URL")
        _rule_option(parser, required=True)
        return parser

    def changed(self, rules: list[dict[str, Any]], asked: list[dict[str, str]]) -> list[dict]:
        raise NotImplementedError

    def take_action(self, parsed_args: argparse.Namespace) -> tuple[tuple, tuple]:
        site = self.site
        group = site.find(SECURITYGROUP, parsed_args.group)
        rules = self.changed(rules_of(group), [parse_rule(r) for r in parsed_args.rule])
        return group_fields(operations.update(site, group, SECURITYGROUP, [], {RULES: rules}))


class SecurityGroupRuleAdd(_RuleChange):
    """Add rules to a security group (those it has already are kept once)."""

    def changed(self, rules: list[dict[str, Any]], asked: list[dict[str, str]]) -> list[dict]:
        have = {_same(r) for r in rules}
        return rules + [r for r in asked if _same(r) not in have]


class SecurityGroupRuleDelete(_RuleChange):
    """Delete rules from a security group (each must match one it has)."""

    def changed(self, rules: list[dict[str, Any]], asked: list[dict[str, str]]) -> list[dict]:
        have = {_same(r) for r in rules}
        missing = [describe(r) for r in asked if _same(r) not in have]
        if missing:
            raise NotFound(f"the group has no rule {'; '.join(missing)}")
        unwanted = {_same(r) for r in asked}
        return [r for r in rules if _same(r) not in unwanted]
