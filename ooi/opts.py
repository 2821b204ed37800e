"""ooi's configuration options, read from nova.conf-style files (section [DEFAULT]).

The first five keep the names and defaults of the original ooi, so existing nova.conf files keep
working; the rest are new.
"""

from __future__ import annotations

from oslo_config import cfg

OPTS = [
    cfg.HostAddressOpt("ooi_listen", default="0.0.0.0", help="Address the ooi server binds."),
    cfg.PortOpt("ooi_listen_port", default=8787, help="Port the ooi server listens on."),
    cfg.IntOpt(
        "ooi_workers",
        min=1,
        help="Worker processes of the ooi server; unset means one per CPU.",
    ),
    cfg.StrOpt(
        "ooi_secure_proxy_ssl_header",
        help="WSGI environ key (e.g. HTTP_X_FORWARDED_PROTO) whose value, when present, is the "
        "scheme of every URL ooi renders: set it behind a TLS-terminating proxy.",
    ),
    cfg.URIOpt(
        "ooi_public_endpoint",
        schemes=["http", "https"],
        help="The public URL of ooi's root as clients reach it (e.g. "
        "https://occi.example.org:8787), used for every URL ooi renders, as OpenStack services "
        "have public_endpoint. Unset: URLs follow the request's Host header (checked to be a "
        "host and port) and scheme.",
    ),
    cfg.StrOpt(
        "neutron_ooi_endpoint",
        help="Neutron URL including /v2.0. Unset: neutron from the service catalog, and nova's "
        "network API where the catalog has none.",
    ),
    cfg.StrOpt(
        "ooi_network_api",
        default="auto",
        choices=[
            (
                "auto",
                "neutron when ooi has its endpoint (neutron_ooi_endpoint or the catalog), "
                "else nova's network API",
            ),
            ("nova", "nova's network API (os-networks, read-only) even where neutron is there"),
        ],
        help="Which API networks are read through.",
    ),
    cfg.StrOpt(
        "ooi_default_network",
        help="Network (neutron id) a compute created without network links is attached to. "
        "Unset: the project's own network when it has exactly one, else 409 listing them.",
    ),
    cfg.StrOpt(
        "ooi_default_os_tpl",
        help="Image (glance name or id) of a compute created without an os_tpl mixin, so that "
        "a create with the compute kind alone works. Unset: such a create is a 400 that says "
        "where the templates are listed.",
    ),
    cfg.StrOpt(
        "ooi_default_resource_tpl",
        help="Flavor (nova name or id) of a compute created without a resource_tpl mixin nor "
        "occi.compute.cores/memory. Unset: such a create is a 400 listing the flavors.",
    ),
    cfg.StrOpt(
        "ooi_keystone_uri",
        help="Keystone URL advertised in 401 answers (WWW-Authenticate: Keystone uri='…'), "
        "unversioned and without a trailing slash. Unset: [keystone_authtoken] "
        "www_authenticate_uri.",
    ),
    cfg.StrOpt(
        "ooi_location_style",
        default="path",
        choices=[
            (
                "path",
                "host-absolute paths with the endpoint's prefix (/occi1.2/compute/): rOCCI, "
                "jOCCI and the Infrastructure Manager resolve them against scheme://host:port, "
                "and on an endpoint at a port's root clients that join endpoint and location do",
            ),
            ("absolute", "absolute URLs (http://host:8787/occi1.2/compute/)"),
            ("relative", "deprecated: the same as path (endpoint-relative paths broke clients)"),
        ],
        help="How Category locations are rendered in the query interface. Entity locations "
        "(Location, X-OCCI-Location, link ends) are always absolute URLs.",
    ),
    cfg.IntOpt(
        "ooi_cache_ttl",
        default=30,
        min=0,
        help="Seconds that discovery data (flavors, images, pools, zones) and the names of "
        "networks and security groups (with which a compute is read from nova alone) are kept "
        "per project.",
    ),
    cfg.IntOpt(
        "ooi_max_page_size",
        default=1000,
        min=1,
        help="Most entities one page of a collection may hold (?page=&number=): a larger "
        "number is refused with 413 naming this maximum.",
    ),
    cfg.StrOpt(
        "ooi_root_version",
        default="1.2",
        choices=[
            ("1.2", "OCCI 1.2 at the root of ooi-api's port, besides /occi1.1 and /occi1.2"),
            ("1.1", "OCCI 1.1 there"),
            ("none", "nothing there: only /occi1.1 and /occi1.2"),
        ],
        help="What the standalone server serves at the root of its port, for clients that "
        "join their endpoint URL and the Category locations of /-/ (/compute/). A client's "
        "User-Agent naming one OCCI version still chooses it.",
    ),
    cfg.StrOpt(
        "ooi_store_url",
        default="sqlite:////var/lib/ooi/ooi.sqlite",
        secret=True,
        help="SQLAlchemy URL of the store of user-defined mixins (their definitions, per "
        "project; which entities carry them is kept on the OpenStack resources). A SQLite "
        "file (made on first use) serves one host; give every ooi host the same MySQL or "
        "PostgreSQL URL when several serve one cloud.",
    ),
    cfg.BoolOpt(
        "ooi_debug_headers",
        default=False,
        help="Add X-OOI-Backend-Calls (OpenStack calls made per service) and X-OOI-CPU (the "
        "request thread's CPU time in ooi's own work and in its HTTP client) to every answer: "
        "for tests and tuning, not for production.",
    ),
    cfg.FloatOpt(
        "ooi_backend_timeout",
        default=60.0,
        min=1.0,
        help="Seconds one OCCI request may spend waiting for OpenStack, all its calls together "
        "(each waits only for what is left): at this deadline ooi answers 504.",
    ),
    cfg.IntOpt(
        "ooi_max_body_size",
        default=1024 * 1024,
        min=1,
        help="Largest request body in bytes (announced or chunked): a larger one is a 413.",
    ),
    cfg.IntOpt(
        "ooi_max_header_count",
        default=100,
        min=1,
        help="Most headers one request may have: more is a 400.",
    ),
    cfg.IntOpt(
        "ooi_max_header_size",
        default=80 * 1024,
        min=1,
        help="Longest header (name and value) in bytes: a longer one is a 400. The default "
        "lets a text/occi request carry nova's largest user data (64 KiB of base64) in an "
        "X-OCCI-Attribute header; the WSGI server in front may limit headers further.",
    ),
    cfg.IntOpt(
        "ooi_max_inline_links",
        default=32,
        min=0,
        help="Most links one entity of a request may carry inline (e.g. the storage and "
        "network links of a new compute): more is a 400.",
    ),
    cfg.IntOpt(
        "ooi_max_attribute_length",
        default=65536,
        min=1,
        help="Longest attribute value in characters (nova's user data is at most 65,535 "
        "characters of base64): a longer one is a 400.",
    ),
    cfg.FloatOpt(
        "ooi_backend_down_seconds",
        default=5.0,
        min=0.0,
        help="Fail fast: after 3 connection failures or timeouts in a row, a service is taken "
        "for down this long, and requests that need it answer 503 with Retry-After at once "
        "instead of waiting for it (per ooi worker process). 0 turns this off.",
    ),
    cfg.DictOpt(
        "ooi_service_endpoints",
        default={},
        help="Endpoints to use instead of the service catalog's, by service (compute, volume, "
        "image), e.g. compute:http://nova.internal:8774/v2.1 where ooi cannot reach the public "
        "URLs; neutron's is neutron_ooi_endpoint. In nova's pipeline nova itself is always "
        "called in process.",
    ),
]


def register(conf: cfg.ConfigOpts) -> None:
    """Register ooi's options on ``conf`` (idempotent)."""
    conf.register_opts(OPTS)


def list_opts() -> list[tuple[str, list[cfg.Opt]]]:
    """For oslo-config-generator (entry point ``oslo.config.opts``: ``ooi``)."""
    return [("DEFAULT", list(OPTS))]
