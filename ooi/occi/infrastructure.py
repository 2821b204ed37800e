"""OCCI Infrastructure categories: 1.2 (occi-spec/1.2/infrastructure.tex) and the 1.1 variants.

Attribute flags follow the spec tables: multiplicity ``1`` is ``required``, "Immutable" is
``mutable=False``; enumerations are ``pattern``s matched in full. Locations are the original
ooi's (``networklink/`` for networkinterface), which clients build URLs from.

OCCI 1.1 (occi-spec/1.1/infrastructure.tex) differs in compute (``speed`` not ``share``, no
``error`` state, no ``save``), storage (six states, five actions), network and the links (no
``error``), and has no ``state.message`` anywhere. Those kinds are separate constants with the
same type identifiers (``COMPUTE_11`` ...), so a registry holds exactly one of each.

Mixins are shared by both versions: ``applies`` compares kinds by type identifier, so
``OS_TPL.applies_to(COMPUTE_11)`` holds. The 1.2 ``ssh_key`` and ``user_data`` mixins are offered
to 1.1 clients too, as extensions (see catalog.py).
"""

from __future__ import annotations

from dataclasses import replace

from ooi.occi import core
from ooi.occi.model import Action, Attribute, AttributeType, Kind, Mixin

SCHEME = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE_ACTION_SCHEME = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
STORAGE_ACTION_SCHEME = "http://schemas.ogf.org/occi/infrastructure/storage/action#"
NETWORK_ACTION_SCHEME = "http://schemas.ogf.org/occi/infrastructure/network/action#"
NETWORK_SCHEME = "http://schemas.ogf.org/occi/infrastructure/network#"
NETWORKINTERFACE_SCHEME = "http://schemas.ogf.org/occi/infrastructure/networkinterface#"
CREDENTIALS_SCHEME = "http://schemas.ogf.org/occi/infrastructure/credentials#"
COMPUTE_SCHEME = "http://schemas.ogf.org/occi/infrastructure/compute#"

_S = AttributeType.STRING
_I = AttributeType.INTEGER
_N = AttributeType.NUMBER

# A VLAN id 0-4095 (infrastructure.tex table "Attributes defined for the Network type"); for
# an INTEGER attribute the pattern applies to its decimal form.
VLAN_PATTERN = r"[0-9]|[1-9][0-9]|[1-9][0-9][0-9]|[1-3][0-9][0-9][0-9]|40[0-8][0-9]|409[0-5]"
ALLOCATION_PATTERN = "dynamic|static"


def _state(name: str, states: str, what: str = "instance") -> Attribute:
    return Attribute(
        name,
        _S,
        mutable=False,
        required=True,
        pattern=states,
        description=f"Current state of the {what}",
    )


def _state_message(prefix: str) -> Attribute:
    return Attribute(
        prefix + ".state.message",
        _S,
        mutable=False,
        description="Human-readable explanation of the current state",
    )


def _method(choices: str) -> Attribute:
    return Attribute("method", _S, pattern=choices, description=f"One of {choices}")


# --- Compute (infrastructure.tex §Compute) ---------------------------------------------------

ARCHITECTURE = Attribute(
    "occi.compute.architecture", _S, pattern="x86|x64", description="CPU architecture"
)
CORES = Attribute("occi.compute.cores", _I, description="Number of virtual CPU cores")
HOSTNAME = Attribute("occi.compute.hostname", _S, description="Fully qualified DNS hostname")
SHARE = Attribute("occi.compute.share", _I, description="Relative number of CPU shares")
SPEED = Attribute("occi.compute.speed", _N, description="CPU clock frequency in GHz")
MEMORY = Attribute("occi.compute.memory", _N, description="Maximum RAM in GiB")
COMPUTE_STATE = _state("occi.compute.state", "active|inactive|suspended|error")
COMPUTE_STATE_11 = _state("occi.compute.state", "active|inactive|suspended")
COMPUTE_STATE_MESSAGE = _state_message("occi.compute")

START = Action(term="start", scheme=COMPUTE_ACTION_SCHEME, title="Start the compute instance")
STOP = Action(
    term="stop",
    scheme=COMPUTE_ACTION_SCHEME,
    title="Stop the compute instance",
    attributes=(_method("graceful|acpioff|poweroff"),),
)
RESTART = Action(
    term="restart",
    scheme=COMPUTE_ACTION_SCHEME,
    title="Restart the compute instance",
    attributes=(_method("graceful|warm|cold"),),
)
SUSPEND = Action(
    term="suspend",
    scheme=COMPUTE_ACTION_SCHEME,
    title="Suspend the compute instance",
    attributes=(_method("hibernate|suspend"),),
)
SAVE = Action(
    term="save",
    scheme=COMPUTE_ACTION_SCHEME,
    title="Save the compute instance as a new OS template",
    attributes=(
        _method("hot|deferred"),
        Attribute("name", _S, description="Name of the new OS template"),
    ),
)
COMPUTE_ACTIONS = (START, STOP, RESTART, SUSPEND, SAVE)
COMPUTE_ACTIONS_11 = (START, STOP, RESTART, SUSPEND)

COMPUTE = Kind(
    term="compute",
    scheme=SCHEME,
    title="Compute Resource",
    attributes=(
        ARCHITECTURE,
        CORES,
        HOSTNAME,
        SHARE,
        MEMORY,
        COMPUTE_STATE,
        COMPUTE_STATE_MESSAGE,
    ),
    parent=core.RESOURCE,
    actions=COMPUTE_ACTIONS,
    location="compute/",
)
COMPUTE_11 = replace(
    COMPUTE,
    attributes=(ARCHITECTURE, CORES, HOSTNAME, SPEED, MEMORY, COMPUTE_STATE_11),
    actions=COMPUTE_ACTIONS_11,
)

# --- Storage (infrastructure.tex §Storage) ---------------------------------------------------

STORAGE_SIZE = Attribute("occi.storage.size", _N, required=True, description="Storage size in GiB")
STORAGE_STATE = _state("occi.storage.state", "online|offline|error")
STORAGE_STATE_11 = _state("occi.storage.state", "online|offline|backup|snapshot|resize|degraded")
STORAGE_STATE_MESSAGE = _state_message("occi.storage")

ONLINE = Action(term="online", scheme=STORAGE_ACTION_SCHEME, title="Bring the storage online")
OFFLINE = Action(term="offline", scheme=STORAGE_ACTION_SCHEME, title="Take the storage offline")
BACKUP = Action(term="backup", scheme=STORAGE_ACTION_SCHEME, title="Back up the storage")
SNAPSHOT = Action(term="snapshot", scheme=STORAGE_ACTION_SCHEME, title="Snapshot the storage")
RESIZE = Action(
    term="resize",
    scheme=STORAGE_ACTION_SCHEME,
    title="Resize the storage",
    attributes=(Attribute("size", _N, required=True, description="New size in GiB"),),
)
STORAGE_ACTIONS = (ONLINE, OFFLINE)
STORAGE_ACTIONS_11 = (ONLINE, OFFLINE, BACKUP, SNAPSHOT, RESIZE)

STORAGE = Kind(
    term="storage",
    scheme=SCHEME,
    title="Storage Resource",
    attributes=(STORAGE_SIZE, STORAGE_STATE, STORAGE_STATE_MESSAGE),
    parent=core.RESOURCE,
    actions=STORAGE_ACTIONS,
    location="storage/",
)
STORAGE_11 = replace(
    STORAGE,
    attributes=(STORAGE_SIZE, STORAGE_STATE_11),
    actions=STORAGE_ACTIONS_11,
)

# --- Network (infrastructure.tex §Network) ---------------------------------------------------

VLAN = Attribute(
    "occi.network.vlan", _I, pattern=VLAN_PATTERN, description="802.1q VLAN identifier (0-4095)"
)
LABEL = Attribute("occi.network.label", _S, description="Tag based VLAN label")
NETWORK_STATE = _state("occi.network.state", "active|inactive|error")
NETWORK_STATE_11 = _state("occi.network.state", "active|inactive")
NETWORK_STATE_MESSAGE = _state_message("occi.network")

UP = Action(term="up", scheme=NETWORK_ACTION_SCHEME, title="Bring the network up")
DOWN = Action(term="down", scheme=NETWORK_ACTION_SCHEME, title="Take the network down")
NETWORK_ACTIONS = (UP, DOWN)

NETWORK = Kind(
    term="network",
    scheme=SCHEME,
    title="Network Resource",
    attributes=(VLAN, LABEL, NETWORK_STATE, NETWORK_STATE_MESSAGE),
    parent=core.RESOURCE,
    actions=NETWORK_ACTIONS,
    location="network/",
)
NETWORK_11 = replace(
    NETWORK,
    attributes=(VLAN, LABEL, NETWORK_STATE_11),
)

# --- Links (infrastructure.tex §Linking Infrastructure Resources) -----------------------------

INTERFACE = Attribute(
    "occi.networkinterface.interface",
    _S,
    mutable=False,
    required=True,
    description="Device interface the link relates to",
)
MAC = Attribute(
    "occi.networkinterface.mac", _S, required=True, description="MAC address of the interface"
)
NETWORKINTERFACE_STATE = _state("occi.networkinterface.state", "active|inactive|error", "link")
NETWORKINTERFACE_STATE_11 = _state("occi.networkinterface.state", "active|inactive", "link")
NETWORKINTERFACE_STATE_MESSAGE = _state_message("occi.networkinterface")

NETWORKINTERFACE = Kind(
    term="networkinterface",
    scheme=SCHEME,
    title="NetworkInterface Link",
    attributes=(INTERFACE, MAC, NETWORKINTERFACE_STATE, NETWORKINTERFACE_STATE_MESSAGE),
    parent=core.LINK,
    location="networklink/",
)
NETWORKINTERFACE_11 = replace(
    NETWORKINTERFACE,
    attributes=(INTERFACE, MAC, NETWORKINTERFACE_STATE_11),
    parent=core.LINK_11,
)

DEVICEID = Attribute(
    "occi.storagelink.deviceid", _S, required=True, description="Device identifier"
)
MOUNTPOINT = Attribute(
    "occi.storagelink.mountpoint", _S, description="Where the storage is mounted in the guest"
)
STORAGELINK_STATE = _state("occi.storagelink.state", "active|inactive|error", "link")
STORAGELINK_STATE_11 = _state("occi.storagelink.state", "active|inactive", "link")
STORAGELINK_STATE_MESSAGE = _state_message("occi.storagelink")

STORAGELINK = Kind(
    term="storagelink",
    scheme=SCHEME,
    title="StorageLink Link",
    attributes=(DEVICEID, MOUNTPOINT, STORAGELINK_STATE, STORAGELINK_STATE_MESSAGE),
    parent=core.LINK,
    location="storagelink/",
)
STORAGELINK_11 = replace(
    STORAGELINK,
    attributes=(DEVICEID, MOUNTPOINT, STORAGELINK_STATE_11),
    parent=core.LINK_11,
)

# --- Mixins -----------------------------------------------------------------------------------

# IPNetwork (infrastructure.tex §Network/IPNetwork Mixin); the same table in 1.1.
IPNETWORK = Mixin(
    term="ipnetwork",
    scheme=NETWORK_SCHEME,
    title="IP Networking Mixin",
    attributes=(
        Attribute("occi.network.address", _S, description="IP network address (CIDR)"),
        Attribute("occi.network.gateway", _S, description="IP address of the gateway"),
        Attribute(
            "occi.network.allocation",
            _S,
            pattern=ALLOCATION_PATTERN,
            description="Address allocation: dynamic or static",
        ),
    ),
    applies=(NETWORK,),
    location="ipnetwork/",
)

# IPNetworkInterface (infrastructure.tex §Linking to Network ¶IPNetworkInterface Mixin).
IPNETWORKINTERFACE = Mixin(
    term="ipnetworkinterface",
    scheme=NETWORKINTERFACE_SCHEME,
    title="IP Network interface Mixin",
    attributes=(
        Attribute(
            "occi.networkinterface.address",
            _S,
            required=True,
            description="IP address of the link",
        ),
        Attribute("occi.networkinterface.gateway", _S, description="IP address of the gateway"),
        Attribute(
            "occi.networkinterface.allocation",
            _S,
            required=True,
            pattern=ALLOCATION_PATTERN,
            description="Address allocation: dynamic or static",
        ),
    ),
    applies=(NETWORKINTERFACE,),
    location="ipnetworkinterface/",
)

# Templates (infrastructure.tex §Infrastructure Templates): provider templates depend on these.
OS_TPL = Mixin(
    term="os_tpl",
    scheme=SCHEME,
    title="OCCI OS Template",
    applies=(COMPUTE,),
    location="os_tpl/",
)
RESOURCE_TPL = Mixin(
    term="resource_tpl",
    scheme=SCHEME,
    title="OCCI Resource Template",
    applies=(COMPUTE,),
    location="resource_tpl/",
)

# Credentials and contextualization (infrastructure.tex §Resource Template ¶Credentials Mixin,
# ¶Contextualization Mixin), new in 1.2.
SSH_KEY = Mixin(
    term="ssh_key",
    scheme=CREDENTIALS_SCHEME,
    title="Credentials mixin",
    attributes=(
        Attribute(
            "occi.credentials.ssh.publickey",
            _S,
            required=True,
            description="Public SSH key to inject into the compute instance",
        ),
    ),
    applies=(COMPUTE,),
    location="ssh_key/",
)
USER_DATA = Mixin(
    term="user_data",
    scheme=COMPUTE_SCHEME,
    title="Contextualization mixin",
    attributes=(
        Attribute(
            "occi.compute.userdata",
            _S,
            required=True,
            description="Contextualization data supplied to the instance at boot",
        ),
    ),
    applies=(COMPUTE,),
    location="user_data/",
)

# Other spellings clients send (reference/original-ooi.md A7, B2): the original ooi read
# ``occi.compute.user_data`` and ``occi.credentials.ssh_key`` and advertised the typo
# ``occi.crendentials.ssh.publickey``. Read as the spec names; never rendered.
ATTRIBUTE_ALIASES: dict[str, str] = {
    "occi.compute.user_data": "occi.compute.userdata",
    "occi.credentials.ssh_key": "occi.credentials.ssh.publickey",
    "occi.crendentials.ssh.publickey": "occi.credentials.ssh.publickey",
}
