"""OpenStack extension categories: the kinds and mixins the original ooi exposed, and factories
for the per-cloud mixins (images, flavors, floating-IP pools, availability zones).

Schemes, terms, titles and locations are the original ooi's (reference/original-ooi.md A6):
rOCCI-cli and the Infrastructure Manager send and grep for them.

Per-cloud terms: the OpenStack id becomes the term and the name goes into the title, as the
clients expect. An id that rOCCI's term grammar ``[A-Za-z0-9][A-Za-z0-9_-]*`` (stricter than
OCCI 1.2's, which also allows dots) would reject is encoded by ``safe_term``; ``raw_id`` turns a
term back into the id, so no lookup table is needed.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ooi.occi import core
from ooi.occi import infrastructure as infra
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Mixin

OPENSTACK = "http://schemas.openstack.org/"
OS_TEMPLATE_SCHEME = OPENSTACK + "template/os#"
RESOURCE_TEMPLATE_SCHEME = OPENSTACK + "template/resource#"
FLOATING_IP_POOL_SCHEME = OPENSTACK + "network/floatingippool#"
# Not in the original ooi: availability zones, in the same family of schemes as the others.
AVAILABILITY_ZONE_SCHEME = OPENSTACK + "compute/availability_zone#"

_S = AttributeType.STRING
_I = AttributeType.INTEGER
_N = AttributeType.NUMBER
_B = AttributeType.BOOLEAN

# --- Term safety --------------------------------------------------------------------------

# Terms every client parses (rOCCI's default mode; OCCI 1.2 would allow dots as well).
_SAFE_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
# Marks an encoded term. Ids that happen to start with it are encoded too, so the mapping stays
# one-to-one: ``raw_id(safe_term(x)) == x`` for every string ``x``.
ENCODED_PREFIX = "x--"
_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_ESCAPE = re.compile(r"_([0-9a-f]{2})")
_ENCODED_TERM = re.compile(r"x--(?:[A-Za-z0-9-]|_[0-9a-f]{2})*")


def safe_term(raw: str) -> str:
    """The term for an OpenStack id or name: the id itself when clients accept it as a term,
    otherwise ``x--`` followed by its UTF-8 bytes with every byte other than a letter, a digit or
    ``-`` written as ``_`` plus two lowercase hex digits (``m1.small`` -> ``x--m1_2esmall``)."""
    if _SAFE_TERM.fullmatch(raw) and not raw.startswith(ENCODED_PREFIX):
        return raw
    encoded = "".join(chr(b) if b in _KEEP else f"_{b:02x}" for b in raw.encode("utf-8"))
    return ENCODED_PREFIX + encoded


def raw_id(term: str) -> str:
    """The OpenStack id or name ``safe_term`` made ``term`` from (the inverse of safe_term)."""
    if not term.startswith(ENCODED_PREFIX) or not _ENCODED_TERM.fullmatch(term):
        return term  # not made by safe_term: no id to recover, the term stands for itself
    body = term[len(ENCODED_PREFIX) :]
    data = _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), body).encode("latin-1")
    return data.decode("utf-8", errors="replace")


def mib_to_gib(mib: float) -> float:
    """Nova counts RAM in MiB; OCCI's ``occi.compute.memory`` is GiB (a float)."""
    return mib / 1024


# --- Extension kinds ----------------------------------------------------------------------

IPRESERVATION_ATTRIBUTES = (
    Attribute(
        "occi.ipreservation.address",
        _S,
        description="IP address reserved for compute instances linking to this reservation",
    ),
    Attribute(
        "occi.ipreservation.used",
        _B,
        mutable=False,
        description="Whether the reserved address is in use",
    ),
    Attribute(
        "occi.ipreservation.state",
        _S,
        mutable=False,
        pattern="active|inactive|error",
        description="Current state of the reservation",
    ),
)

# A floating IP, as a network (its parent) one can link a compute to.
IPRESERVATION = Kind(
    term="ipreservation",
    scheme=infra.SCHEME,
    title="IPReservation",
    attributes=IPRESERVATION_ATTRIBUTES,
    parent=infra.NETWORK,
    location="ipreservation/",
)
IPRESERVATION_11 = replace(
    IPRESERVATION,
    parent=infra.NETWORK_11,
)

SECURITYGROUP = Kind(
    term="securitygroup",
    scheme=infra.SCHEME,
    title="securitygroup resource",
    attributes=(
        Attribute(
            "occi.securitygroup.rules", AttributeType.ARRAY, description="Security group rules"
        ),
        Attribute(
            "occi.securitygroup.state",
            _S,
            mutable=False,
            pattern="active|inactive|error",
            description="Current state of the security group",
        ),
    ),
    parent=core.RESOURCE,
    location="securitygroup/",
)

_SECURITYGROUPLINK_STATE = Attribute(
    "occi.securitygrouplink.state",
    _S,
    mutable=False,
    pattern="active|inactive|error",
    description="Current state of the link",
)
SECURITYGROUPLINK = Kind(
    term="securitygrouplink",
    scheme=infra.SCHEME,
    title="security group link resource",
    attributes=(_SECURITYGROUPLINK_STATE,),
    parent=core.LINK,
    location="securitygrouplink/",
)
SECURITYGROUPLINK_11 = replace(
    SECURITYGROUPLINK,
    parent=core.LINK_11,
)

# --- Static OpenStack mixins ----------------------------------------------------------------

# Contextualization as rOCCI-cli and IM send it (base64 user data; a public key with an
# optional keypair name). Clients set these at creation, so they are mutable here (the
# original marked them immutable, which would forbid exactly what clients do).
OPENSTACK_USER_DATA = Mixin(
    term="user_data",
    scheme=OPENSTACK + "compute/instance#",
    title="Contextualization extension - user_data",
    attributes=(
        Attribute(
            "org.openstack.compute.user_data",
            _S,
            required=True,
            description="Base64-encoded user data for the instance",
        ),
    ),
    applies=(infra.COMPUTE,),
    location="openstack_user_data/",
)
OPENSTACK_PUBLIC_KEY = Mixin(
    term="public_key",
    scheme=OPENSTACK + "instance/credentials#",
    title="Contextualization extension - public_key",
    attributes=(
        Attribute(
            "org.openstack.credentials.publickey.name",
            _S,
            description="Name of the keypair holding the key",
        ),
        # Not required: a name alone selects an existing keypair (original-ooi.md A7).
        Attribute(
            "org.openstack.credentials.publickey.data",
            _S,
            description="Public SSH key to inject into the instance",
        ),
    ),
    applies=(infra.COMPUTE,),
    location="openstack_public_key/",
)

# On a link to network/PUBLIC: the pool its floating IP comes from; on an ipreservation
# create: the pool the reserved address comes from.
FLOATING_IP_POOL = Mixin(
    term="floatingippool",
    scheme=OPENSTACK + "network#",
    title="Floating IP pool base mixin",
    applies=(infra.NETWORKINTERFACE, IPRESERVATION),
    location="floatingippool/",
)

OSNETWORK = Mixin(
    term="osnetwork",
    scheme=OPENSTACK + "infrastructure/network#",
    title="openstack network",
    attributes=(
        Attribute(
            "org.openstack.network.ip_version",
            _I,
            pattern="4|6",
            description="IP version of the network's subnet (4 or 6)",
        ),
    ),
    applies=(infra.NETWORK,),
    location="osnetwork/",
)

# Tags a network as managed by neutron; offered only where neutron is configured.
NEUTRON = Mixin(
    term="neutron",
    scheme=OPENSTACK + "infrastructure/network#",
    title="Network component",
    applies=(infra.NETWORK,),
    location="neutron/",
)

AVAILABILITY_ZONE = Mixin(
    term="availability_zone",
    scheme=OPENSTACK + "compute#",
    title="Availability zone base mixin",
    # Storages are placed in zones too (cinder's zones, named as nova's in most clouds).
    applies=(infra.COMPUTE, infra.STORAGE),
    location="availability_zone/",
)

# Security groups as mixins of computes (as occi-os offered them): a compute create naming one
# boots the server in that group; a compute carries the mixin of every group it is in. Terms
# are the groups' ids (names repeat: every project has a ``default``), titles their names.
SECURITY_GROUP_SCHEME = OPENSTACK + "infrastructure/security/group#"
SECURITY_GROUP = Mixin(
    term="group",
    scheme="http://schemas.ogf.org/occi/infrastructure/security#",
    title="Security group base mixin",
    applies=(infra.COMPUTE,),
    location="security_group/",
)


def security_group(group_id: str, name: str | None) -> Mixin:
    """A neutron security group a compute can be booted in."""
    term = safe_term(group_id)
    return Mixin(
        term=term,
        scheme=SECURITY_GROUP_SCHEME,
        title=name or group_id,
        depends=(SECURITY_GROUP,),
        applies=(infra.COMPUTE,),
        location=f"security_group/{term}",
    )


# --- Storage actions OCCI 1.2 lacks -------------------------------------------------------

# OCCI 1.2 storage has only online and offline; cinder snapshots and backups are offered to
# 1.2 clients under OpenStack's scheme (1.1's own snapshot and backup do the same).
STORAGE_ACTION_SCHEME = OPENSTACK + "storage/action#"
_COPY_NAME = Attribute("name", _S, description="Name of the copy (default: the storage's name)")
STORAGE_SNAPSHOT = Action(
    term="snapshot",
    scheme=STORAGE_ACTION_SCHEME,
    title="Snapshot the storage (a cinder snapshot)",
    attributes=(_COPY_NAME,),
)
STORAGE_BACKUP = Action(
    term="backup",
    scheme=STORAGE_ACTION_SCHEME,
    title="Back up the storage (a cinder backup)",
    attributes=(_COPY_NAME,),
)
STORAGE_ACTIONS_12 = (STORAGE_SNAPSHOT, STORAGE_BACKUP)

# cinder volume types, chosen when a storage is created (one mixin per type, the type's id as
# term and its name as title).
VOLUME_TYPE_SCHEME = OPENSTACK + "storage/volume_type#"
VOLUME_TYPE = Mixin(
    term="volume_type",
    scheme=OPENSTACK + "storage#",
    title="Volume type base mixin",
    applies=(infra.STORAGE,),
    location="volume_type/",
)


def volume_type(type_id: str, name: str) -> Mixin:
    """A cinder volume type a storage can be created with."""
    term = safe_term(type_id)
    return Mixin(
        term=term,
        scheme=VOLUME_TYPE_SCHEME,
        title=name,
        depends=(VOLUME_TYPE,),
        applies=(infra.STORAGE,),
        location=f"volume_type/{term}",
    )


# --- Per-cloud mixins ---------------------------------------------------------------------


def os_template(image_id: str, title: str | None) -> Mixin:
    """The OS template for a glance image: term = image id, title = image name."""
    term = safe_term(image_id)
    return Mixin(
        term=term,
        scheme=OS_TEMPLATE_SCHEME,
        title=title or image_id,
        depends=(infra.OS_TPL,),
        applies=(infra.COMPUTE,),
        location=f"os_tpl/{term}",
    )


def _fixed(name: str, type_: AttributeType, value: object, description: str) -> Attribute:
    return Attribute(name, type_, mutable=False, default=value, description=description)


def resource_template(
    flavor_id: str,
    name: str,
    cores: int,
    memory_gib: float,
    disk_gib: int,
    ephemeral_gib: int = 0,
    swap_mib: int = 0,
    title: str | None = None,
) -> Mixin:
    """The resource template for a nova flavor (``memory_gib`` in GiB: see ``mib_to_gib``).

    Its attributes are immutable with the flavor's values as defaults, which override the
    compute kind's (occi-spec/1.2/infrastructure.tex §Resource Template).
    """
    term = safe_term(flavor_id)
    return Mixin(
        term=term,
        scheme=RESOURCE_TEMPLATE_SCHEME,
        title=title or f"Flavor: {name}",
        attributes=(
            _fixed("occi.compute.cores", _I, int(cores), "Number of virtual CPU cores"),
            _fixed("occi.compute.memory", _N, float(memory_gib), "RAM in GiB"),
            _fixed("org.openstack.flavor.disk", _I, int(disk_gib), "Root disk size in GiB"),
            _fixed(
                "org.openstack.flavor.ephemeral", _I, int(ephemeral_gib), "Ephemeral disk in GiB"
            ),
            _fixed("org.openstack.flavor.swap", _I, int(swap_mib), "Swap size in MiB"),
            _fixed("org.openstack.flavor.name", _S, name, "Flavor name"),
        ),
        depends=(infra.RESOURCE_TPL,),
        applies=(infra.COMPUTE,),
        location=f"resource_tpl/{term}",
    )


def floating_ip_pool(name: str) -> Mixin:
    """A floating-IP pool, for networkinterface links to ``network/PUBLIC``."""
    term = safe_term(name)
    return Mixin(
        term=term,
        scheme=FLOATING_IP_POOL_SCHEME,
        title=name,
        depends=(FLOATING_IP_POOL,),
        applies=(infra.NETWORKINTERFACE,),
        location=f"floatingippool/{term}",
    )


def availability_zone(name: str) -> Mixin:
    """A nova availability zone a compute can be placed in."""
    term = safe_term(name)
    return Mixin(
        term=term,
        scheme=AVAILABILITY_ZONE_SCHEME,
        title=f"Availability zone: {name}",
        depends=(AVAILABILITY_ZONE,),
        applies=AVAILABILITY_ZONE.applies,
        location=f"availability_zone/{term}",
    )
