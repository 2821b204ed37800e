"""`python -m ooi.cloud.neutron_schema NEUTRON_CONF ML2_CONF`: neutron's schema on sqlite.

`neutron-db-manage upgrade head` fails on sqlite (its migrations ALTER constraints), so the
schema is created from the models at head, stamped as head, and given the rows a migration
would have added: the four default security-group rule templates (without them every security
group is created with no rules).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

TEMPLATES = (
    # (direction, ethertype, remote group of the default group, used in non-default groups)
    ("egress", "IPv4", None, True),
    ("egress", "IPv6", None, True),
    ("ingress", "IPv4", "PARENT", False),
    ("ingress", "IPv6", "PARENT", False),
)
TEMPLATE_DESCRIPTION = {
    "egress": "Legacy default SG rule for egress traffic",
    "ingress": "Legacy default SG rule for ingress traffic",
}


def create(url: str) -> None:
    from neutron.db.migration.models import head
    from oslo_utils import uuidutils

    engine = sa.create_engine(url)
    metadata = head.get_metadata()
    metadata.create_all(engine)
    attrs = metadata.tables["standardattributes"]
    rules = metadata.tables["securitygroupdefaultrules"]
    now = datetime.now(UTC).replace(tzinfo=None)
    with engine.begin() as conn:
        for direction, ethertype, remote_group, non_default in TEMPLATES:
            attr_id = conn.execute(
                sa.insert(attrs).values(
                    resource_type="securitygroupdefaultrules",
                    description=TEMPLATE_DESCRIPTION[direction],
                    revision_number=0,
                    created_at=now,
                    updated_at=now,
                )
            ).inserted_primary_key[0]
            conn.execute(
                sa.insert(rules).values(
                    id=uuidutils.generate_uuid(),
                    standard_attr_id=attr_id,
                    direction=direction,
                    ethertype=ethertype,
                    remote_group_id=remote_group,
                    used_in_default_sg=True,
                    used_in_non_default_sg=non_default,
                )
            )
    engine.dispose()


def main(argv: list[str]) -> int:
    neutron_conf, ml2_conf = argv
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt("connection"), group="database")
    conf(["--config-file", neutron_conf], project="neutron")
    create(conf.database.connection)
    manage = Path(sys.executable).with_name("neutron-db-manage")
    args = [str(manage), "--config-file", neutron_conf, "--config-file", ml2_conf]
    subprocess.run([*args, "stamp", "heads"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
