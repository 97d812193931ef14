"""Every resource, data source and provider block of terraform/ checked against the provider's
schema, offline: what `terraform validate` would refuse, without downloading the provider.

The schemas are the vendored subsets in `schema/<provider>.json` (made by `refresh_schema` from
the pinned registry packages). Reported: unknown types, unknown or output-only arguments, a
block written as an attribute or the other way round, missing required arguments and blocks,
a block that takes one instance written twice, and literal values outside the enum the
provider documents. Expressions (`${...}`) are not evaluated: only literals are checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from devtools.terraform.hcl import BLOCK_MARK, Config, typed_blocks

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
# Terraform's own arguments and blocks, valid in every resource / data source / provider block.
META_ARGUMENTS = {
    "resource": {"count", "for_each", "depends_on", "provider"},
    "data": {"count", "for_each", "depends_on", "provider"},
    "provider": {"alias"},
}
META_BLOCKS = {
    "resource": {"lifecycle", "provisioner", "connection"},
    "data": {"lifecycle"},
    "provider": set(),
}

Struct = dict[str, Any]


@dataclass(frozen=True)
class ProviderSchema:
    """One vendored provider subset."""

    provider: str
    version: str
    package: str
    resource_types: frozenset[str]
    data_types: frozenset[str]
    schemas: dict[str, dict[str, Struct]]  # section -> type -> struct

    @classmethod
    def read(cls, path: Path) -> ProviderSchema:
        raw = json.loads(path.read_text())
        return cls(
            provider=raw["provider"],
            version=raw["version"],
            package=raw["package"],
            resource_types=frozenset(raw["resource_types"]),
            data_types=frozenset(raw["data_types"]),
            schemas=raw["schemas"],
        )

    def known(self, section: str, kind: str) -> bool:
        if section == "provider":
            return kind == self.provider
        return kind in (self.resource_types if section == "resource" else self.data_types)


def load_schemas(directory: Path = SCHEMA_DIR) -> dict[str, ProviderSchema]:
    """provider name -> its vendored schema."""
    schemas = (ProviderSchema.read(path) for path in sorted(directory.glob("*.json")))
    return {schema.provider: schema for schema in schemas}


def is_block(value: Any) -> bool:
    """python-hcl2 gives `name { ... }` as a list of dicts marked as blocks."""
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, dict) and v.get(BLOCK_MARK) for v in value)
    )


def _literals(value: Any) -> list[str]:
    """The literal strings of a value (itself or a list's items); expressions are skipped."""
    items = value if isinstance(value, list) else [value]
    return [v for v in items if isinstance(v, str) and "${" not in v]


def _attribute_problems(where: str, name: str, spec: Struct, value: Any) -> list[str]:
    if is_block(value):
        return [f"{where}: {name} is an attribute, not a block (write {name} = ...)"]
    allowed = spec.get("enum")
    if not allowed:
        return []
    return [
        f"{where}: {name} = {literal!r} is not one of {allowed}"
        for literal in _literals(value)
        if literal not in allowed
    ]


def _dynamic_blocks(value: Any) -> dict[str, list[dict[str, Any]]]:
    """`dynamic "x" { content { ... } }` -> {x: [content bodies]}."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in value if isinstance(value, list) else []:
        for name, spec in entry.items():
            if name != BLOCK_MARK and isinstance(spec, dict):
                found.setdefault(name, []).extend(spec.get("content") or [{}])
    return found


def struct_problems(
    struct: Struct, body: dict[str, Any], where: str, meta: Iterable[str] = ()
) -> list[str]:
    """`body` (one block's contents) against its schema; `meta` are names Terraform owns."""
    found: list[str] = []
    attributes, blocks = struct["attributes"], struct["blocks"]
    dynamic = _dynamic_blocks(body.get("dynamic"))
    for name, instances in dynamic.items():
        if name not in blocks:
            found.append(f"{where}: dynamic {name!r} is not a block of this type")
            continue
        for instance in instances:
            found += struct_problems(blocks[name]["schema"], instance, f"{where}.{name}")
    for name, value in body.items():
        if name in {BLOCK_MARK, "dynamic"} or name in meta:
            continue
        if name in attributes:
            found += _attribute_problems(where, name, attributes[name], value)
        elif name in blocks:
            found += _block_problems(where, name, blocks[name], value)
        elif name in struct["computed"]:
            found.append(f"{where}: {name} is output-only (the provider sets it)")
        else:
            found.append(f"{where}: unknown argument {name}")
    found += [
        f"{where}: missing required argument {name}"
        for name, spec in attributes.items()
        if spec.get("required") and name not in body
    ]
    found += [
        f"{where}: missing required block {name}"
        for name, spec in blocks.items()
        if spec.get("required") and name not in body and name not in dynamic
    ]
    return found


def _block_problems(where: str, name: str, spec: Struct, value: Any) -> list[str]:
    if not is_block(value):
        return [f"{where}: {name} is a block, not an attribute (write {name} {{ ... }})"]
    found = []
    if spec["max_items"] is not None and len(value) > spec["max_items"]:
        found.append(f"{where}: block {name} takes one, given {len(value)} times")
    for instance in value:
        found += struct_problems(spec["schema"], instance, f"{where}.{name}")
    return found


def provider_of(section: str, kind: str, body: dict[str, Any]) -> str:
    """The provider a block belongs to: its `provider = x.alias`, else its type's prefix."""
    if section == "provider":
        return kind
    alias = body.get("provider")
    if isinstance(alias, str):
        return alias.removeprefix("${").removesuffix("}").split(".")[0]
    return kind.split("_", 1)[0]


def blocks_to_check(config: Config) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(section, type, address, body) of every resource, data source and provider block."""
    found = [
        (section, kind, f"{'data.' if section == 'data' else ''}{kind}.{name}", body)
        for section in ("resource", "data")
        for kind, name, body in typed_blocks(config, section)
    ]
    found += [
        ("provider", name, f"provider.{name}", body)
        for blk in config.get("provider", [])
        for name, body in blk.items()
        if name != BLOCK_MARK
    ]
    return found


def schema_problems(config: Config, schemas: dict[str, ProviderSchema] | None = None) -> list[str]:
    """Everything the providers' schemas refuse in `config` (from `hcl.load(marked=True)`)."""
    schemas = load_schemas() if schemas is None else schemas
    found: list[str] = []
    for section, kind, where, body in blocks_to_check(config):
        provider = schemas.get(provider_of(section, kind, body))
        if provider is None:
            found.append(f"{where}: no vendored schema for its provider ({SCHEMA_DIR.name}/)")
            continue
        struct = provider.schemas[section].get(kind)
        if struct is None:
            found.append(
                f"{where}: not in the vendored schema: run `make tf-schema`"
                if provider.known(section, kind)
                else f"{where}: unknown {section} type {kind} in {provider.provider} "
                f"{provider.version}"
            )
            continue
        meta = META_ARGUMENTS[section] | META_BLOCKS[section]
        found += struct_problems(struct, body, where, meta)
    return found
