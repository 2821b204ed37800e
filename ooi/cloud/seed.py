"""What devstack would create: service users and catalog, member projects, flavors, an
image, the external network and each project's private network and router."""

from __future__ import annotations

from typing import Any

import requests

from ooi.cloud.client import Client, token
from ooi.cloud.settings import MEMBER_PROJECTS, REGION, SERVICE_PROJECT, Box

FLAVORS = (  # devstack's ids and sizes
    ("1", "m1.tiny", 1, 512, 1),
    ("2", "m1.small", 1, 2048, 20),
    ("3", "m1.medium", 2, 4096, 40),
)
IMAGE_NAME = "box-raw"
IMAGE_ARCHITECTURE = "x86_64"
IMAGE_SIZE = 1 << 20  # a real raw disk: 1 MiB of zeros (glance checks the format)
# A documentation range (RFC 5737), not a private one: clients tell public addresses by that.
PUBLIC_CIDR = "203.0.113.0/24"
PRIVATE_CIDRS = {"demo": "10.0.0.0/26", "alt_demo": "10.0.1.0/26"}


def catalog(box: Box) -> list[tuple[str, str, str]]:
    """(service name, type, URL) of every endpoint besides keystone's own."""
    return [
        ("nova", "compute", box.url("nova") + "/v2.1"),
        ("placement", "placement", box.url("placement")),
        ("neutron", "network", box.url("neutron")),
        ("glance", "image", box.url("glance")),
        ("cinder", "block-storage", box.url("cinder") + "/v3/$(project_id)s"),
        ("cinderv3", "volumev3", box.url("cinder") + "/v3/$(project_id)s"),
        # ooi itself, as a site registers it (docs/keystone.md): clients find OCCI there.
        ("ooi", "occi", box.url("ooi") + "/occi1.2"),
    ]


def admin_client(box: Box, service: str, path: str = "") -> Client:
    tok, _ = token(box.auth_url, "admin", box.password("admin"), "admin")
    return Client(box.url(service) + path, tok)


def identity(box: Box) -> None:
    """Service users (admin + service roles in `service`), catalog, member projects and users."""
    ks = admin_client(box, "keystone", "/v3")
    roles = {r["name"]: r["id"] for r in ks.get("/roles")["roles"]}
    for role in ("admin", "member", "reader", "service"):
        if role not in roles:
            roles[role] = ks.post("/roles", {"role": {"name": role}})["role"]["id"]
    service_project = _project(ks, SERVICE_PROJECT)
    for user in ("nova", "placement", "neutron", "cinder", "glance"):
        uid = _user(ks, user, box.password(user), service_project)
        for role in ("admin", "service"):
            ks.put(f"/projects/{service_project}/users/{uid}/roles/{roles[role]}")
    for project in MEMBER_PROJECTS:
        pid = _project(ks, project)
        uid = _user(ks, project, box.password(project), pid)
        ks.put(f"/projects/{pid}/users/{uid}/roles/{roles['member']}")
    services = {s["type"]: s["id"] for s in ks.get("/services")["services"]}
    endpoints = ks.get("/endpoints")["endpoints"]
    for name, kind, url in catalog(box):
        if kind not in services:
            body = {"service": {"name": name, "type": kind, "enabled": True}}
            services[kind] = ks.post("/services", body)["service"]["id"]
        present = {e["interface"] for e in endpoints if e["service_id"] == services[kind]}
        for interface in ("public", "internal", "admin"):
            if interface not in present:
                endpoint = {
                    "service_id": services[kind],
                    "interface": interface,
                    "url": url,
                    "region_id": REGION,
                }
                ks.post("/endpoints", {"endpoint": endpoint})


def resources(box: Box) -> None:
    """Flavors, the image, `public` and each member project's network and router."""
    nova = admin_client(box, "nova", "/v2.1")
    for fid, name, vcpus, ram, disk in FLAVORS:
        body = {"flavor": {"id": fid, "name": name, "vcpus": vcpus, "ram": ram, "disk": disk}}
        nova.post("/flavors", body, ok=(409,))
    _image(admin_client(box, "glance"))
    neutron = admin_client(box, "neutron", "/v2.0")
    public = _public_network(neutron)
    for project in MEMBER_PROJECTS:
        tok, _ = token(box.auth_url, project, box.password(project), project)
        _private_network(Client(box.url("neutron") + "/v2.0", tok), project, public)


def _project(ks: Client, name: str) -> str:
    found = ks.find("/projects", "projects", name)
    if found:
        return found["id"]
    body = {"project": {"name": name, "domain_id": "default", "enabled": True}}
    return ks.post("/projects", body)["project"]["id"]


def _user(ks: Client, name: str, password: str, project: str) -> str:
    found = ks.find("/users", "users", name)
    if found:
        return found["id"]
    body = {"user": {"name": name, "password": password, "domain_id": "default"}}
    body["user"]["default_project_id"] = project
    return ks.post("/users", body)["user"]["id"]


def _image(glance: Client) -> str:
    found = glance.find("/v2/images", "images", IMAGE_NAME)
    if found and found["status"] == "active":
        return found["id"]
    body = {
        "name": IMAGE_NAME,
        "disk_format": "raw",
        "container_format": "bare",
        "visibility": "public",
        # As real images say: nova shows it (2.98) and ooi renders occi.compute.architecture.
        "hw_architecture": IMAGE_ARCHITECTURE,
    }
    image = found or glance.post("/v2/images", body)
    resp = requests.put(
        f"{glance.base}/v2/images/{image['id']}/file",
        data=bytes(IMAGE_SIZE),
        headers={"X-Auth-Token": glance.token, "Content-Type": "application/octet-stream"},
        timeout=60,
    )
    resp.raise_for_status()
    return image["id"]


def _public_network(neutron: Client) -> dict[str, Any]:
    net = neutron.find("/networks", "networks", "public")
    if not net:
        body = {
            "network": {
                "name": "public",
                "router:external": True,
                "provider:network_type": "flat",
                "provider:physical_network": "public",
            }
        }
        net = neutron.post("/networks", body)["network"]
    if not net["subnets"]:
        subnet = {
            "name": "public-subnet",
            "network_id": net["id"],
            "ip_version": 4,
            "cidr": PUBLIC_CIDR,
            "enable_dhcp": False,
        }
        neutron.post("/subnets", {"subnet": subnet})
    return net


def _private_network(neutron: Client, project: str, public: dict[str, Any]) -> None:
    net = neutron.find("/networks", "networks", "private")
    if not net:
        net = neutron.post("/networks", {"network": {"name": "private"}})["network"]
    subnet_id = net["subnets"][0] if net["subnets"] else None
    if not subnet_id:
        subnet = {
            "name": "private-subnet",
            "network_id": net["id"],
            "ip_version": 4,
            "cidr": PRIVATE_CIDRS[project],
        }
        subnet_id = neutron.post("/subnets", {"subnet": subnet})["subnet"]["id"]
    if not neutron.find("/routers", "routers", "router1"):
        body = {
            "router": {"name": "router1", "external_gateway_info": {"network_id": public["id"]}}
        }
        router = neutron.post("/routers", body)["router"]
        neutron.put(f"/routers/{router['id']}/add_router_interface", {"subnet_id": subnet_id})
