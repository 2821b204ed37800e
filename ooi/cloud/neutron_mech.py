"""An ML2 mechanism driver for a cloud without agents: every port binds, ACTIVE, as `ovs`.

nova creates a port and then sets `binding:host_id`; with no L2 agent nothing would bind it
(neutron's own `test` driver binds only at create, on magic host names). This driver binds the
first segment offered on any host, so nova's boots get ACTIVE ports as in a working cloud.
Registered as `ooi_box` under the entry point group `neutron.ml2.mechanism_drivers`.
"""

from __future__ import annotations

from typing import Any

from neutron_lib import constants
from neutron_lib.api.definitions import portbindings
from neutron_lib.plugins.ml2 import api

VIF_DETAILS = {portbindings.CAP_PORT_FILTER: True, portbindings.OVS_HYBRID_PLUG: False}


class BoxMechanismDriver(api.MechanismDriver):
    """Binds every port on every host to its first segment, with vif type `ovs`."""

    def initialize(self) -> None:
        pass

    def bind_port(self, context: Any) -> None:
        for segment in context.segments_to_bind:
            context.set_binding(
                segment[api.ID],
                portbindings.VIF_TYPE_OVS,
                dict(VIF_DETAILS),
                status=constants.PORT_STATUS_ACTIVE,
            )
            return
