"""The configuration files of every service of the box, generated from its settings."""

from __future__ import annotations

from pathlib import Path

from ooi.cloud import inifile, paste
from ooi.cloud.settings import COMPUTE_HOST, REGION, SERVICE_PROJECT, Box, shipped_etc

FAST_SQLITE = {"sqlite_synchronous": False}
NOVA_CALL_TIMEOUT = 30
"""Seconds nova waits for neutron and cinder (keystoneauth's `timeout` in its sections)."""

# ooi's options in both of the box's ooi processes (nova's pipeline and ooi-api).
OOI_TEST_OPTIONS = {
    # Tests count ooi's OpenStack calls per request (X-OOI-Backend-Calls).
    "ooi_debug_headers": True,
    # As behind a TLS proxy: URLs follow X-Forwarded-Scheme when a client sends it (not
    # X-Forwarded-Proto, which gunicorn itself already honours from 127.0.0.1).
    "ooi_secure_proxy_ssl_header": "HTTP_X_FORWARDED_SCHEME",
}


def ooi_options(box: Box) -> dict[str, object]:
    """ooi's options in both of the box's ooi processes: they share one user-mixin store."""
    return {**OOI_TEST_OPTIONS, "ooi_store_url": f"sqlite:///{box.data / 'ooi.sqlite'}"}


def service_auth(box: Box, user: str) -> dict[str, object]:
    """keystoneauth password options for a service user in project `service`."""
    return {
        "auth_type": "password",
        "auth_url": box.auth_url,
        "username": user,
        "password": box.password(user),
        "project_name": SERVICE_PROJECT,
        "user_domain_name": "Default",
        "project_domain_name": "Default",
        "region_name": REGION,
    }


def authtoken(box: Box, user: str) -> dict[str, object]:
    """`[keystone_authtoken]` of a service whose API validates tokens as `user`."""
    return {
        "www_authenticate_uri": box.url("keystone"),
        "service_type": {"nova": "compute", "cinder": "block-storage"}.get(user, user),
        "service_token_roles_required": True,
        **service_auth(box, user),
    }


def _common(box: Box, service: str) -> dict[str, object]:
    return {
        "debug": False,
        "use_stderr": True,
        "host": COMPUTE_HOST,
        "state_path": box.data / service,
    }


def keystone(box: Box) -> dict[str, dict[str, object]]:
    keys = box.data / "keystone"
    return {
        "DEFAULT": {"debug": False, "use_stderr": True},
        "database": {"connection": box.db_url("keystone"), **FAST_SQLITE},
        "token": {"provider": "fernet"},
        "fernet_tokens": {"key_repository": keys / "fernet-keys"},
        "fernet_receipts": {"key_repository": keys / "fernet-keys"},
        "credential": {"key_repository": keys / "credential-keys"},
        "cache": {"enabled": True, "backend": "dogpile.cache.memory"},
        "identity": {"password_hash_rounds": 4},
    }


def placement(box: Box) -> dict[str, dict[str, object]]:
    return {
        "DEFAULT": {"debug": False, "use_stderr": True},
        "placement_database": {"connection": box.db_url("placement"), **FAST_SQLITE},
        "api": {"auth_strategy": "keystone"},
        "keystone_authtoken": authtoken(box, "placement"),
    }


def glance(box: Box) -> dict[str, dict[str, object]]:
    store = box.data / "glance"
    return {
        "DEFAULT": {
            "debug": False,
            "use_stderr": True,
            "enabled_backends": "fs:file",
            "worker_self_reference_url": box.url("glance"),
            "image_size_cap": 10 * 2**30,
        },
        "database": {"connection": box.db_url("glance"), **FAST_SQLITE},
        "glance_store": {"default_backend": "fs"},
        "fs": {"filesystem_store_datadir": store / "images"},
        "os_glance_staging_store": {"filesystem_store_datadir": store / "staging"},
        "os_glance_tasks_store": {"filesystem_store_datadir": store / "tasks"},
        "keystone_authtoken": authtoken(box, "glance"),
        "paste_deploy": {
            "flavor": "keystone",
            "config_file": shipped_etc("glance") / "glance-api-paste.ini",
        },
        "oslo_concurrency": {"lock_path": store / "lock"},
    }


def cinder(box: Box) -> dict[str, dict[str, object]]:
    big = 100_000
    return {
        "DEFAULT": {
            **_common(box, "cinder"),
            "transport_url": "fake:/",
            "auth_strategy": "keystone",
            "enabled_backends": "fake",
            "default_volume_type": "__DEFAULT__",
            "api_paste_config": shipped_etc("cinder") / "api-paste.ini",
            "resource_query_filters_file": shipped_etc("cinder") / "resource_filters.json",
            "quota_volumes": big,
            "quota_snapshots": big,
            "quota_gigabytes": big * 10,
            "quota_backups": big,
            "quota_backup_gigabytes": big * 10,
            "quota_groups": big,
        },
        "fake": {
            "volume_driver": "cinder.tests.fake_driver.FakeLoggingVolumeDriver",
            "volume_backend_name": "fake",
        },
        "database": {"connection": box.db_url("cinder"), **FAST_SQLITE},
        "keystone_authtoken": authtoken(box, "cinder"),
        "nova": {**service_auth(box, "cinder"), "interface": "public"},
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": box.data / "cinder" / "lock"},
    }


def neutron(box: Box) -> dict[str, dict[str, object]]:
    unlimited = -1
    return {
        "DEFAULT": {
            **_common(box, "neutron"),
            "core_plugin": "ml2",
            "service_plugins": "router",
            "transport_url": "fake:/",
            "auth_strategy": "keystone",
            "allow_overlapping_ips": True,
            "rpc_workers": 0,
            "rpc_state_report_workers": 0,
            "dhcp_agent_notification": False,
            "notify_nova_on_port_status_changes": True,
            "notify_nova_on_port_data_changes": True,
            "api_paste_config": shipped_etc("neutron") / "api-paste.ini",
        },
        "database": {"connection": box.db_url("neutron"), **FAST_SQLITE},
        "keystone_authtoken": authtoken(box, "neutron"),
        "nova": {**service_auth(box, "neutron"), "endpoint_type": "public"},
        "quotas": {
            f"quota_{name}": unlimited
            for name in (
                "network",
                "subnet",
                "port",
                "router",
                "floatingip",
                "security_group",
                "security_group_rule",
            )
        },
        "oslo_messaging_notifications": {"driver": "noop"},
        "oslo_concurrency": {"lock_path": box.data / "neutron" / "lock"},
    }


def ml2(box: Box) -> dict[str, dict[str, object]]:
    return {
        "ml2": {
            "type_drivers": "flat,vlan,vxlan,local",
            "tenant_network_types": "vxlan",
            "mechanism_drivers": "ooi_box",
            "extension_drivers": "port_security",
        },
        "ml2_type_flat": {"flat_networks": "public"},
        "ml2_type_vlan": {"network_vlan_ranges": "public"},
        "ml2_type_vxlan": {"vni_ranges": "1:10000"},
    }


def nova(box: Box) -> dict[str, dict[str, object]]:
    big = 100_000
    return {
        "DEFAULT": {
            **_common(box, "nova"),
            "transport_url": "fake:/",
            # nova's fake driver with a stable node identity (state_path/compute_id), as a real
            # one, and snapshots that upload (ooi/cloud/fake_driver.py).
            "compute_driver": "ooi_box.BoxDriver",
            "my_ip": box.host,
            "allow_resize_to_same_host": True,
            # Read by the box's nova launcher, as nova-api once did for `enabled_apis = ooi`.
            "ooi_listen": box.host,
            "ooi_listen_port": box.ports["ooi"],
            **ooi_options(box),
        },
        "wsgi": {"api_paste_config": box.etc / "nova" / "api-paste.ini"},
        "api_database": {"connection": box.db_url("nova_api"), **FAST_SQLITE},
        "database": {"connection": box.db_url("nova"), **FAST_SQLITE},
        "oslo_messaging_notifications": {"driver": "noop"},
        "keystone_authtoken": authtoken(box, "nova"),
        "service_user": {"send_service_user_token": True, **service_auth(box, "nova")},
        "placement": {**service_auth(box, "nova"), "valid_interfaces": "public"},
        # Bounded, as production clouds bound them: nova's own calls to a hung neutron or cinder
        # must not hold its API threads (which ooi shares in the pipeline) for ever.
        "neutron": {
            **service_auth(box, "nova"),
            "valid_interfaces": "public",
            "default_floating_pool": "public",
            "timeout": NOVA_CALL_TIMEOUT,
        },
        "cinder": {
            **service_auth(box, "nova"),
            "os_region_name": REGION,
            "timeout": NOVA_CALL_TIMEOUT,
        },
        "glance": {"valid_interfaces": "public", "region_name": REGION},
        "scheduler": {"discover_hosts_in_cells_interval": -1},
        "quota": {
            "instances": big,
            "cores": big * 10,
            "ram": big * 100_000,
            "key_pairs": big,
            "server_groups": big,
            "server_group_members": big,
            "metadata_items": 1024,
        },
        "oslo_concurrency": {"lock_path": box.data / "nova" / "lock"},
        "vnc": {"enabled": False},
    }


def cell0_url(box: Box) -> str:
    return box.db_url("nova_cell0")


def ooi(box: Box) -> dict[str, dict[str, object]]:
    """`ooi-api`'s file: where it listens, and keystonemiddleware as nova's service user."""
    return {
        "DEFAULT": {
            "ooi_listen": box.host,
            "ooi_listen_port": box.ports["ooi_standalone"],
            "ooi_workers": 2,
            "ooi_keystone_uri": box.url("keystone"),
            **ooi_options(box),
        },
        "keystone_authtoken": authtoken(box, "nova"),
    }


def write_all(box: Box) -> dict[str, Path]:
    """Writes every service's files under `<state>/etc/`; returns the main file of each."""
    written = {
        "keystone": inifile.write(box.conf("keystone"), keystone(box)),
        "placement": inifile.write(box.conf("placement"), placement(box)),
        "glance": inifile.write(box.etc / "glance" / "glance-api.conf", glance(box)),
        "cinder": inifile.write(box.conf("cinder"), cinder(box)),
        "neutron": inifile.write(box.conf("neutron"), neutron(box)),
        "nova": inifile.write(box.conf("nova"), nova(box)),
        "ooi_standalone": inifile.write(box.conf("ooi"), ooi(box)),
    }
    inifile.write(box.etc / "neutron" / "ml2_conf.ini", ml2(box))
    paste.write_nova_paste(box.etc / "nova" / "api-paste.ini")
    return written
