"""The `occi` command: cliff's application with the site's connection options."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from typing import Any

from cliff.app import App
from cliff.commandmanager import CommandManager

from occi_client import __version__, auth, connection, rocci
from occi_client.commands import (
    compute,
    discover,
    ipreservation,
    link,
    mixin,
    network,
    resources,
    security_group,
    storage,
    templates,
)
from occi_client.errors import OCCIError
from occi_client.site import Site

COMMANDS = {
    "discover": discover.Discover,
    "os-template list": templates.OsTemplateList,
    "os-template show": templates.OsTemplateShow,
    "resource-template list": templates.ResourceTemplateList,
    "resource-template show": templates.ResourceTemplateShow,
    "compute list": compute.ComputeList,
    "compute show": compute.ComputeShow,
    "compute create": compute.ComputeCreate,
    "compute delete": compute.ComputeDelete,
    "compute start": compute.ComputeStart,
    "compute stop": compute.ComputeStop,
    "compute restart": compute.ComputeRestart,
    "compute suspend": compute.ComputeSuspend,
    "compute resize": compute.ComputeResize,
    "compute save": compute.ComputeSave,
    "storage list": resources.StorageList,
    "storage show": resources.StorageShow,
    "storage create": resources.StorageCreate,
    "storage delete": resources.StorageDelete,
    "storage resize": storage.StorageResize,
    "storage snapshot": storage.StorageSnapshot,
    "storage backup": storage.StorageBackup,
    "network list": resources.NetworkList,
    "network show": resources.NetworkShow,
    "network create": network.NetworkCreate,
    "network delete": network.NetworkDelete,
    "network up": network.NetworkUp,
    "network down": network.NetworkDown,
    "ipreservation list": ipreservation.IpReservationList,
    "ipreservation show": ipreservation.IpReservationShow,
    "ipreservation create": ipreservation.IpReservationCreate,
    "ipreservation delete": ipreservation.IpReservationDelete,
    "security-group list": security_group.SecurityGroupList,
    "security-group show": security_group.SecurityGroupShow,
    "security-group create": security_group.SecurityGroupCreate,
    "security-group delete": security_group.SecurityGroupDelete,
    "security-group rule add": security_group.SecurityGroupRuleAdd,
    "security-group rule delete": security_group.SecurityGroupRuleDelete,
    "link create": link.LinkCreate,
    "link show": link.LinkShow,
    "link delete": link.LinkDelete,
    "mixin list": mixin.MixinList,
    "mixin create": mixin.MixinCreate,
    "mixin delete": mixin.MixinDelete,
    "mixin add": mixin.MixinAdd,
    "mixin remove": mixin.MixinRemove,
}
# Libraries whose debug lines would drown the HTTP exchange --debug is for.
_NOISY = ("stevedore", "urllib3", "cliff", "cmd2")


class OCCIApp(App):
    def __init__(self) -> None:
        manager = CommandManager("occi.cli")
        for name, command in COMMANDS.items():
            manager.add_command(name, command)
        super().__init__(
            description="A client for OCCI 1.2 and 1.1 sites (docs: client/README.md).",
            version=__version__,
            command_manager=manager,
            deferred_help=True,
        )
        self._site: Site | None = None
        self._error: BaseException | None = None

    def build_option_parser(
        self, description: str | None, version: str | None, argparse_kwargs: Any = None
    ) -> argparse.ArgumentParser:
        parser = super().build_option_parser(description, version, argparse_kwargs)
        parser.add_argument(
            "--endpoint",
            default=os.environ.get("OCCI_ENDPOINT"),
            metavar="URL",
            help="the OCCI endpoint, e.g. https://site:8787/occi1.2 (env OCCI_ENDPOINT; "
            "default: service type occi in the Keystone catalog)",
        )
        parser.add_argument(
            "--media-type",
            choices=("application/occi+json", "text/plain"),
            help="use this rendering (default: JSON where the server offers it)",
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=60.0,
            metavar="SECONDS",
            help="HTTP timeout of one request (default 60; exit status 7)",
        )
        parser.add_argument(
            "--no-auth",
            action="store_true",
            help="send no credentials (sites open to anyone)",
        )
        auth.add_options(parser)
        return parser

    def configure_logging(self) -> None:
        super().configure_logging()
        if self.options.debug:  # --debug also shows the HTTP exchange (secrets masked)
            for handler in logging.getLogger().handlers:
                handler.setLevel(logging.DEBUG)
            for name in _NOISY:
                logging.getLogger(name).setLevel(logging.WARNING)

    @property
    def site(self) -> Site:
        """The site of this run, connected (authenticated) on first use."""
        if self._site is None:
            self._site = Site(connection.connect(self.options))
        return self._site

    def clean_up(self, cmd: Any, result: int, err: BaseException | None) -> None:
        self._error = err

    def run_subcommand(self, argv: list[str]) -> int:
        result = super().run_subcommand(argv)
        if isinstance(self._error, OCCIError):
            return self._error.exit_code
        return result


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if rocci.is_rocci(argv):
        return rocci.main(argv)
    return OCCIApp().run(argv)


if __name__ == "__main__":
    sys.exit(main())
