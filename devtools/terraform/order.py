"""The apply order of terraform/, read from its dependency graph, offline.

Terraform creates a resource after everything it references or names in `depends_on`
(through locals too). Two orderings matter on a fresh project and neither shows up in
`terraform validate`:

- every google resource must come after the enablement of each API it calls
  (`google_project_service.apis`, the whole set or the one key), or its create races the
  enablement and fails with 403;
- a resource that runs as a service account (a function's build and runtime) must come after
  every IAM grant to that account, through a `time_sleep` (IAM takes up to a minute to
  propagate), or its first build or start fails.

`order_problems(config)` names every resource that breaks either rule.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from devtools.terraform.hcl import Config, Tf, typed_blocks

API_RESOURCE = "google_project_service.apis"
PAUSE_TYPE = "time_sleep"
# Resource type prefix -> the APIs its create calls (longest prefix wins). A new google type
# without an entry is reported, so the table cannot fall behind the configuration.
REQUIRED_APIS: dict[str, set[str]] = {
    "google_project_service": set(),  # enables the others (Service Usage is on in every project)
    "google_cloudfunctions2_": {
        "cloudfunctions.googleapis.com",
        "cloudbuild.googleapis.com",
        "run.googleapis.com",
        "artifactregistry.googleapis.com",
    },
    "google_artifact_registry_": {"artifactregistry.googleapis.com"},
    "google_cloud_run_": {"run.googleapis.com"},
    "google_apikeys_": {"apikeys.googleapis.com"},
    "google_firebase_": {"firebase.googleapis.com"},
    "google_firebaserules_": {"firebaserules.googleapis.com"},
    "google_compute_": {"compute.googleapis.com"},
    "google_firestore_": {"firestore.googleapis.com"},
    "google_secret_manager_": {"secretmanager.googleapis.com"},
    "google_storage_": {"storage.googleapis.com"},
    "google_service_account": {"iam.googleapis.com"},
    "google_project_iam_": {"cloudresourcemanager.googleapis.com"},
}
REFERENCE = re.compile(
    r"\b(?:(data)\.)?([a-z][a-z0-9]*_[a-z0-9_]+)\.([a-z_][a-z0-9_-]*)(\[\s*\"([^\"]+)\"\s*\])?"
)
LOCAL = re.compile(r"\blocal\.(\w+)")
SERVICE_ACCOUNT = re.compile(r"\bgoogle_service_account\.(\w+)")
NOT_RESOURCES = {"var", "local", "each", "count", "path", "self", "terraform"}


def required_apis(kind: str) -> set[str] | None:
    """The APIs a google type needs, or None when the table has no entry for it."""
    prefixes = [p for p in REQUIRED_APIS if kind.startswith(p)]
    return REQUIRED_APIS[max(prefixes, key=len)] if prefixes else None


@dataclass(frozen=True)
class Edge:
    """A reference from one block to a resource: its address, and the key when indexed."""

    address: str
    key: str | None


@dataclass(frozen=True, eq=False)
class Graph:
    """Resources and data sources of a configuration with the references between them."""

    config: Config

    @functools.cached_property
    def bodies(self) -> dict[str, dict[str, Any]]:
        return {
            f"{'data.' if section == 'data' else ''}{kind}.{name}": body
            for section in ("resource", "data")
            for kind, name, body in typed_blocks(self.config, section)
        }

    @functools.cached_property
    def local_text(self) -> dict[str, str]:
        return {name: str(value) for name, value in Tf(self.config).locals.items()}

    def _edges_in(self, text: str, seen_locals: set[str]) -> set[Edge]:
        edges = set()
        for match in REFERENCE.finditer(text):
            data, kind, name, _, key = match.groups()
            address = f"{'data.' if data else ''}{kind}.{name}"
            if kind not in NOT_RESOURCES and address in self.bodies:
                edges.add(Edge(address, key))
        for name in set(LOCAL.findall(text)) - seen_locals:
            seen_locals.add(name)
            edges |= self._edges_in(self.local_text.get(name, ""), seen_locals)
        return edges

    @functools.cache  # noqa: B019 - the graph is immutable and lives as long as its config
    def edges(self, address: str) -> frozenset[Edge]:
        """What `address` references directly (through locals) or names in `depends_on`."""
        return frozenset(self._edges_in(str(self.bodies[address]), set()))

    @functools.cache  # noqa: B019
    def ancestors(self, address: str) -> frozenset[Edge]:
        """Everything created before `address`, transitively."""
        found: set[Edge] = set()
        for edge in self.edges(address):
            found |= {edge, *self.ancestors(edge.address)}
        return frozenset(found)


def enabled_apis(config: Config) -> set[str]:
    return set(Tf(config).locals.get("apis") or [])


def api_problems(graph: Graph) -> list[str]:
    """Google resources created without waiting for the APIs they call."""
    enabled = enabled_apis(graph.config)
    found = []
    for address in sorted(graph.bodies):
        kind = address.removeprefix("data.").split(".")[0]
        if not kind.startswith("google_"):
            continue
        needed = required_apis(kind)
        if needed is None:
            found.append(f"{address}: no API known for {kind}: add it to order.REQUIRED_APIS")
            continue
        found += [
            f"{address}: needs {api}, which apis.tf does not enable"
            for api in sorted(needed - enabled)
        ]
        reached = set()
        for edge in graph.ancestors(address):
            if edge.address == API_RESOURCE:
                reached |= {edge.key} if edge.key else enabled
        found += [
            f"{address}: may be created before {api} is enabled (depend on {API_RESOURCE})"
            for api in sorted(needed & enabled - reached)
        ]
    return found


def _grants_to(graph: Graph, account: str) -> list[str]:
    """IAM grants whose member is google_service_account.<account>."""
    return sorted(
        address
        for address, body in graph.bodies.items()
        if "_iam_" in address.split(".")[0]
        and account in SERVICE_ACCOUNT.findall(str(body.get("member", "")))
    )


def grant_problems(graph: Graph) -> list[str]:
    """Resources running as a service account that may start before its grants propagate."""
    found = []
    for address, body in sorted(graph.bodies.items()):
        if "_iam_" in address.split(".")[0]:
            continue
        before = {edge.address for edge in graph.ancestors(address)}
        pauses = {a for a in before if a.split(".")[0] == PAUSE_TYPE}
        for account in sorted(set(SERVICE_ACCOUNT.findall(str(body)))):
            for grant in _grants_to(graph, account):
                if address in {e.address for e in graph.ancestors(grant)}:
                    continue  # a grant on this resource itself (e.g. its invoker) comes after it
                paused = any(grant in {e.address for e in graph.ancestors(p)} for p in pauses)
                if grant not in before:
                    found.append(f"{address}: may start before {grant} (its account's grant)")
                elif not paused:
                    found.append(
                        f"{address}: follows {grant} without a {PAUSE_TYPE} for IAM propagation"
                    )
    return found


def order_problems(config: Config) -> list[str]:
    """Every apply-order problem of `config` (from `hcl.load()`); empty when none."""
    graph = Graph(config)
    return api_problems(graph) + grant_problems(graph)
