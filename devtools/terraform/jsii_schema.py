"""Turn a CDK Terrain provider package's `.jsii` assembly into a small Terraform schema.

The prebuilt provider packages (`cdktn-provider-<name>`) are generated from the provider's own
schema: every resource and data source is a class whose docs link names its Terraform type, its
`<Class>Config` interface lists the arguments (optional or not, `<name> block.` for blocks, a
plain struct for a block of at most one, an array of structs for a repeated one), the class and
each block's `OutputReference` expose the output-only attributes, and generated descriptions
carry the allowed values as `Possible values: ["A", "B"]`. The registry anchor in each
argument's docs gives its snake_case name. Only the types a configuration uses are kept.

Schema shape (JSON): a struct is `{"attributes": {name: {"required": true, "enum": [...]}},
"blocks": {name: {"required": true, "max_items": 1 | null, "schema": struct}}, "computed":
[name, ...]}`; `required` is present only when true, `enum` only where the provider documents
one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

Struct = dict[str, Any]

# The docs link of a resource/data source class: .../docs/resources/<name> google_<name>
TYPE_LINK = re.compile(
    r"registry\.terraform\.io/providers/[\w-]+/([\w-]+)/([\d.]+)/docs"
    r"(?:/(resources|data-sources)/(\w+))?"
)
ANCHOR = re.compile(r"#(\w+) \w+#\w+\}")
ENUM = re.compile(r"Possible values: \[([^\]]*)\]")
BASES = {
    "cdktn.TerraformResource": "resource",
    "cdktn.TerraformDataSource": "data",
    "cdktn.TerraformProvider": "provider",
}


def type_name(provider: str, doc_name: str) -> str:
    """A resource type from its docs page: `google` docs `compute_network` is
    google_compute_network; google-beta's pages already carry the prefix its types share with
    google (`google_firebase_project`): a type's prefix is the provider name before any `-`."""
    prefix = provider.split("-", 1)[0]
    return doc_name if doc_name.startswith(f"{prefix}_") else f"{prefix}_{doc_name}"


# Properties of generated classes that are plumbing, not Terraform attributes.
PLUMBING = {"internalValue", "tfResourceType", "fqn", "creationStack", "terraformResourceType"}


def snake(camel: str) -> str:
    """camelCase -> snake_case (only for output-only attributes, which carry no anchor)."""
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", camel).lower()


def _docs(prop: dict[str, Any]) -> str:
    docs = prop.get("docs", {})
    return f"{docs.get('summary', '')} {docs.get('remarks', '')}"


def _block_element(prop_type: dict[str, Any]) -> tuple[str | None, int | None]:
    """(struct fqn, max_items) of a block's type: a struct (at most one) or an array of them."""
    if "fqn" in prop_type:
        return prop_type["fqn"], 1
    for member in prop_type.get("union", {}).get("types", []):
        collection = member.get("collection", {})
        if collection.get("kind") == "array" and "fqn" in collection.get("elementtype", {}):
            return collection["elementtype"]["fqn"], None
    return None, None


class Assembly:
    """Lookups over one loaded `.jsii` assembly."""

    def __init__(self, jsii: dict[str, Any]) -> None:
        self.types: dict[str, Any] = jsii["types"]
        self.package = f"{jsii['name']}@{jsii['version']}"
        self.classes: dict[tuple[str, str], str] = {}  # (section, terraform type) -> class fqn
        self.provider_name = self.provider_version = ""
        for fqn, spec in self.types.items():
            section = BASES.get(spec.get("base", ""))
            link = TYPE_LINK.search(spec.get("docs", {}).get("summary", ""))
            if not section or not link:
                continue
            self.provider_name, self.provider_version = link.group(1), link.group(2)
            name = (
                link.group(1) if section == "provider" else type_name(link.group(1), link.group(4))
            )
            self.classes[(section, name)] = fqn

    def type_names(self, section: str) -> list[str]:
        return sorted(name for sec, name in self.classes if sec == section)

    def struct(self, config_fqn: str, output_fqn: str | None) -> Struct:
        """The schema of a config interface; output-only names come from its output class."""
        attributes: dict[str, Any] = {}
        blocks: dict[str, Any] = {}
        config_names = set()
        for prop in self.types[config_fqn].get("properties", []):
            config_names.add(prop["name"])
            anchor = ANCHOR.search(_docs(prop))
            name = anchor.group(1) if anchor else snake(prop["name"])
            required = not prop.get("optional", False)
            element, max_items = _block_element(prop["type"])
            if element and _docs(prop).strip().split(" ")[0:2] == [name, "block."]:
                output = f"{element}OutputReference"
                blocks[name] = {
                    **({"required": True} if required else {}),
                    "max_items": max_items,
                    "schema": self.struct(element, output if output in self.types else None),
                }
                continue
            attribute: dict[str, Any] = {"required": True} if required else {}
            if enum := ENUM.search(_docs(prop)):
                attribute["enum"] = re.findall(r'"([^"]*)"', enum.group(1))
            attributes[name] = attribute
        computed = []
        if output_fqn:
            for prop in self.types[output_fqn].get("properties", []):
                camel = prop["name"]
                if prop.get("static") or camel in PLUMBING or camel.endswith("Input"):
                    continue
                if camel not in config_names:
                    computed.append(snake(camel))
        return {"attributes": attributes, "blocks": blocks, "computed": sorted(computed)}

    def type_schema(self, section: str, name: str) -> Struct:
        fqn = self.classes[(section, name)]
        return self.struct(f"{fqn}Config", None if section == "provider" else fqn)


def extract(jsii: dict[str, Any], used: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The vendored subset: provider version, every type name, and the schemas of `used`.

    `used` holds (section, type) pairs with section `resource`, `data` or `provider`; pairs of
    another provider are skipped, unknown ones are left out (the checker reports them).
    """
    assembly = Assembly(jsii)
    wanted = sorted(
        {(section, name) for section, name in used if (section, name) in assembly.classes}
    )
    schemas: dict[str, dict[str, Any]] = {"resource": {}, "data": {}, "provider": {}}
    for section, name in wanted:
        schemas[section][name] = assembly.type_schema(section, name)
    return {
        "provider": assembly.provider_name,
        "version": assembly.provider_version,
        "package": assembly.package,
        "resource_types": assembly.type_names("resource"),
        "data_types": assembly.type_names("data"),
        "schemas": schemas,
    }
