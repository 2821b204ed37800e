"""Authentication the OpenStack way: keystoneauth1 plugins from clouds.yaml (`--os-cloud`),
`OS_*` variables and `--os-*` options (later ones win), and Keystone found from an OCCI
endpoint's 401 `WWW-Authenticate: Keystone uri='…'` when no auth URL is given."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import dataclass, field
from typing import Any

import requests
from keystoneauth1 import exceptions as ks_exc
from keystoneauth1 import loading, session, token_endpoint

from occi_client import clouds
from occi_client.errors import AuthError, NotFound, ServerError, Timeout, UsageError

# keystoneauth option names (dest form); each is --os-<name> and OS_<NAME>.
AUTH_KEYS = (
    "auth_url",
    "username",
    "user_id",
    "password",
    "project_name",
    "project_id",
    "user_domain_name",
    "user_domain_id",
    "project_domain_name",
    "project_domain_id",
    "domain_name",
    "domain_id",
    "token",
    "application_credential_id",
    "application_credential_name",
    "application_credential_secret",
    "access_token",
    "identity_provider",
    "protocol",
)
OTHER_KEYS = ("auth_type", "region_name", "interface", "cacert")
_SECRETS = {"password", "token", "application_credential_secret", "access_token"}
_PROJECT_KEYS = ("project_id", "project_name", "domain_id", "domain_name")
_CHALLENGE = re.compile(r"""^\s*Keystone\s+uri\s*=\s*(['"])(.+?)\1\s*$""", re.IGNORECASE)


def add_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("authentication (as the openstack command takes it)")
    group.add_argument(
        "--os-cloud",
        default=os.environ.get("OS_CLOUD"),
        metavar="NAME",
        help="cloud in clouds.yaml (env OS_CLOUD)",
    )
    for key in OTHER_KEYS + AUTH_KEYS:
        env = "OS_" + key.upper()
        group.add_argument(
            "--os-" + key.replace("_", "-"),
            dest="os_" + key,
            default=os.environ.get(env),
            metavar="<value>",
            help=f"(env {env})" if key not in _SECRETS else f"(env {env}; kept out of --debug)",
        )
    group.add_argument(
        "--insecure",
        action="store_true",
        default=os.environ.get("OS_INSECURE", "").lower() in ("1", "true", "yes"),
        help="do not verify TLS certificates",
    )


@dataclass
class Settings:
    auth_type: str | None = None
    auth: dict[str, Any] = field(default_factory=dict)
    region_name: str | None = None
    interface: str | None = None
    verify: bool | str = True


def settings(options: argparse.Namespace) -> Settings:
    """clouds.yaml's cloud, then OS_* variables and --os-* options over it."""
    found = Settings()
    if options.os_cloud:
        cloud = clouds.cloud(options.os_cloud)
        found.auth = {k: v for k, v in (cloud.get("auth") or {}).items() if v is not None}
        found.auth_type = cloud.get("auth_type")
        found.region_name = cloud.get("region_name")
        found.interface = cloud.get("interface")
        if cloud.get("verify") is False:
            found.verify = False
        elif cloud.get("cacert"):
            found.verify = cloud["cacert"]
    for key in AUTH_KEYS:
        value = getattr(options, "os_" + key, None)
        if value:
            found.auth[key] = value
    found.auth_type = options.os_auth_type or found.auth_type
    found.region_name = options.os_region_name or found.region_name
    found.interface = options.os_interface or found.interface
    if options.os_cacert:
        found.verify = options.os_cacert
    if options.insecure:
        found.verify = False
    return found


def keystone_from_challenge(endpoint: str, verify: bool | str, timeout: float) -> str | None:
    """Keystone's URL as the OCCI endpoint announces it to a request without a token."""
    url = endpoint.rstrip("/") + "/-/"
    try:
        resp = requests.get(url, timeout=timeout, verify=verify, headers={"Accept": "text/plain"})
    except requests.Timeout as exc:
        raise Timeout(f"{url}: no answer in {timeout:g} s") from exc
    except requests.RequestException as exc:
        raise ServerError(f"{url}: cannot connect ({exc.__class__.__name__})") from exc
    if resp.status_code != 401:
        return None
    match = _CHALLENGE.match(resp.headers.get("WWW-Authenticate", ""))
    return match.group(2) if match else None


def _infer_type(auth: dict[str, Any]) -> str:
    if auth.get("application_credential_secret"):
        return "v3applicationcredential"
    if auth.get("access_token"):
        return "v3oidcaccesstoken"
    if auth.get("token") and not auth.get("password"):
        return "token"
    return "password"


def _plugin(auth_type: str, auth: dict[str, Any]) -> Any:
    try:
        loader = loading.get_plugin_loader(auth_type)
    except ks_exc.NoMatchingPlugin as exc:
        raise UsageError(f"unknown --os-auth-type {auth_type}") from exc
    known = {opt.dest for opt in loader.get_options()}
    try:
        return loader.load_from_options(**{k: v for k, v in auth.items() if k in known})
    except ks_exc.MissingRequiredOptions as exc:
        names = ", ".join("--os-" + opt.dest.replace("_", "-") for opt in exc.options)
        raise UsageError(f"{auth_type} authentication needs {names}") from exc


def _identity_url(auth_url: str, path: str) -> str:
    base = auth_url.rstrip("/")
    return base + path if base.endswith("/v3") else base + "/v3" + path


def _only_project(sess: session.Session, auth_url: str) -> str:
    """The id of the one project an unscoped login may use (else a list to choose from)."""
    resp = sess.get(_identity_url(auth_url, "/auth/projects"), raise_exc=False)
    if resp.status_code != 200:
        raise AuthError(f"cannot list your projects at {auth_url} ({resp.status_code})")
    projects = resp.json().get("projects") or []
    if len(projects) == 1:
        return projects[0]["id"]
    if not projects:
        raise AuthError("you have no project on this site")
    names = ", ".join(f"{p['name']} ({p['id']})" for p in projects)
    raise UsageError(f"several projects, choose one with --os-project-name or -id: {names}")


def make_session(found: Settings, endpoint: str | None, timeout: float) -> session.Session:
    """A keystoneauth1 session for the settings; `endpoint` serves Keystone discovery."""
    auth = dict(found.auth)
    auth_type = found.auth_type or _infer_type(auth)
    if auth_type in ("token", "v3token", "admin_token") and not auth.get("auth_url"):
        # A ready token without a Keystone to renew it: sent as it is.
        if not auth.get("token"):
            raise UsageError("--os-token is needed")
        plugin = token_endpoint.Token(endpoint, auth["token"])
        return session.Session(auth=plugin, verify=found.verify, timeout=timeout)
    if not auth.get("auth_url") and endpoint:
        auth["auth_url"] = keystone_from_challenge(endpoint, found.verify, timeout)
    if not auth.get("auth_url"):
        raise UsageError(
            "no Keystone: give --os-auth-url, --os-cloud or an --endpoint that names it"
        )
    if auth_type in ("password", "v3password", "v3oidcaccesstoken") and not any(
        auth.get(k) for k in _PROJECT_KEYS
    ):
        unscoped = session.Session(
            auth=_plugin(auth_type, auth), verify=found.verify, timeout=timeout
        )
        with translated_errors():
            auth["project_id"] = _only_project(unscoped, auth["auth_url"])
    return session.Session(auth=_plugin(auth_type, auth), verify=found.verify, timeout=timeout)


def catalog_endpoint(sess: session.Session, found: Settings) -> str:
    """The OCCI endpoint from the Keystone catalog (service type `occi`)."""
    with translated_errors():
        try:
            url = sess.get_endpoint(
                service_type="occi",
                interface=found.interface or "public",
                region_name=found.region_name,
            )
        except ks_exc.EndpointNotFound:
            url = None
    if not url:
        raise NotFound("no --endpoint given and no service of type occi in the catalog")
    return url


class translated_errors:  # noqa: N801 - used as a context manager, reads like one
    """keystoneauth's and requests' exceptions as the client's errors (with exit codes)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None:
            return False
        # Keystone's discovery reports an unreachable Keystone as a discovery failure.
        if isinstance(exc, ks_exc.DiscoveryFailure) and "Unable to establish connection" in str(
            exc
        ):
            raise ServerError(f"cannot connect to Keystone: {exc}") from exc
        if isinstance(exc, ks_exc.ConnectTimeout | ks_exc.RequestTimeout | requests.Timeout):
            raise Timeout(f"no answer in time: {exc}") from exc
        if isinstance(exc, ks_exc.ConnectFailure | requests.ConnectionError):
            raise ServerError(f"cannot connect: {exc}") from exc
        if isinstance(exc, ks_exc.Unauthorized | ks_exc.Forbidden | ks_exc.AuthorizationFailure):
            raise AuthError(f"authentication failed: {exc}") from exc
        if isinstance(exc, ks_exc.DiscoveryFailure | ks_exc.MissingAuthPlugin):
            raise AuthError(f"cannot use this Keystone: {exc}") from exc
        if isinstance(exc, ks_exc.HttpError):
            raise ServerError(f"Keystone failed: {exc}") from exc
        if isinstance(exc, ks_exc.ClientException):
            raise AuthError(str(exc)) from exc
        return False
