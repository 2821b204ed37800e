"""The OCCI and OpenStack category identifiers the functional tests send and expect, written out
as the specification and the original ooi name them (not taken from ooi's own constants)."""

INFRA = "http://schemas.ogf.org/occi/infrastructure#"
COMPUTE = INFRA + "compute"
COMPUTE_ACTIONS = "http://schemas.ogf.org/occi/infrastructure/compute/action#"
OS_TPL_SCHEME = "http://schemas.openstack.org/template/os#"
RES_TPL_SCHEME = "http://schemas.openstack.org/template/resource#"
ZONE_SCHEME = "http://schemas.openstack.org/compute/availability_zone#"
OCCI_USER_DATA = "http://schemas.ogf.org/occi/infrastructure/compute#user_data"
OS_USER_DATA = "http://schemas.openstack.org/compute/instance#user_data"
SSH_KEY = "http://schemas.ogf.org/occi/infrastructure/credentials#ssh_key"
OS_PUBLIC_KEY = "http://schemas.openstack.org/instance/credentials#public_key"
