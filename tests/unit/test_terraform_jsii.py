"""How `make tf-schema` reads a provider package (devtools.terraform.jsii_schema and
refresh_schema), on a small assembly in the generated packages' own shape, offline; and
Terraform's version constraints (devtools.terraform.versions)."""

from __future__ import annotations

import io
import json
import tarfile
import zipfile

import pytest

from devtools.terraform.jsii_schema import extract, snake, type_name
from devtools.terraform.refresh_schema import read_assembly
from devtools.terraform.versions import satisfies

NS = "@cdktn/provider-demo.thing"
LINK = "https://registry.terraform.io/providers/hashicorp/demo/1.2.3/docs"


def prop(name: str, anchor: str, summary: str, type_: dict, *, optional: bool = True) -> dict:
    remarks = f"Docs at Terraform Registry: {{@link {LINK}/resources/thing#{anchor} T#{anchor}}}"
    found = {"name": name, "type": type_, "docs": {"summary": summary, "remarks": remarks}}
    return {**found, "optional": True} if optional else found


STRING = {"primitive": "string"}
# A repeated block's type, as the generator writes it: a token or an array of the struct.
RULES = {
    "union": {
        "types": [
            {"fqn": "cdktn.IResolvable"},
            {"collection": {"kind": "array", "elementtype": {"fqn": f"{NS}.ThingRule"}}},
        ]
    }
}
ASSEMBLY = {
    "name": "@cdktn/provider-demo",
    "version": "4.5.6",
    "types": {
        f"{NS}.Thing": {
            "base": "cdktn.TerraformResource",
            "docs": {"summary": f"Represents a {{@link {LINK}/resources/thing demo_thing}}."},
            "properties": [
                {"name": "tfResourceType", "static": True, "type": STRING, "docs": {}},
                {"name": "selfLink", "type": STRING, "docs": {}},
                {"name": "nameInput", "type": STRING, "docs": {}},
                {"name": "name", "type": STRING, "docs": {}},
            ],
        },
        f"{NS}.ThingConfig": {
            "properties": [
                prop("name", "name", "The name.", STRING, optional=False),
                prop("ipMode", "ip_mode", 'Mode. Possible values: ["A", "B"]', STRING),
                prop("setting", "setting", "setting block.", {"fqn": f"{NS}.ThingSetting"}),
                prop(
                    "rule",
                    "rule",
                    "rule block.",
                    RULES,
                    optional=False,
                ),
            ]
        },
        f"{NS}.ThingSetting": {"properties": [prop("size", "size", "Size.", STRING)]},
        f"{NS}.ThingSettingOutputReference": {
            "properties": [
                {"name": "state", "type": STRING, "docs": {}},
                {"name": "size", "type": STRING, "docs": {}},
                {"name": "internalValue", "type": STRING, "docs": {}},
            ]
        },
        f"{NS}.ThingRule": {
            "properties": [prop("action", "action", "Act.", STRING, optional=False)]
        },
        f"{NS}.Other": {
            "base": "cdktn.TerraformDataSource",
            "docs": {"summary": f"Represents a {{@link {LINK}/data-sources/other demo_other}}."},
        },
    },
}


def test_extract_keeps_arguments_blocks_enums_and_output_only_names():
    subset = extract(ASSEMBLY, [("resource", "demo_thing"), ("resource", "google_x")])
    assert (subset["provider"], subset["version"]) == ("demo", "1.2.3")
    assert subset["resource_types"] == ["demo_thing"] and subset["data_types"] == ["demo_other"]
    assert subset["schemas"]["data"] == {}  # only what is used
    thing = subset["schemas"]["resource"]["demo_thing"]
    assert thing["attributes"] == {"name": {"required": True}, "ip_mode": {"enum": ["A", "B"]}}
    assert thing["computed"] == ["self_link"]
    setting, rule = thing["blocks"]["setting"], thing["blocks"]["rule"]
    assert setting["max_items"] == 1 and "required" not in setting
    assert setting["schema"] == {"attributes": {"size": {}}, "blocks": {}, "computed": ["state"]}
    assert rule == {
        "required": True,
        "max_items": None,
        "schema": {"attributes": {"action": {"required": True}}, "blocks": {}, "computed": []},
    }


def test_the_assembly_is_read_from_the_wheel(tmp_path):
    jsii = json.dumps(ASSEMBLY).encode()
    tgz = io.BytesIO()
    with tarfile.open(fileobj=tgz, mode="w:gz") as archive:
        info = tarfile.TarInfo("package/.jsii")
        info.size = len(jsii)
        archive.addfile(info, io.BytesIO(jsii))
    wheel = tmp_path / "cdktn_provider_demo-4.5.6-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.writestr("cdktn_provider_demo/_jsii/provider-demo@4.5.6.jsii.tgz", tgz.getvalue())
    assert read_assembly(wheel) == ASSEMBLY


def test_snake_case_names():
    assert snake("selfLink") == "self_link"
    assert snake("ipv6AccessType") == "ipv6_access_type"


def test_type_names_from_docs_pages():
    """google's docs pages drop the prefix, google-beta's keep it; both name google_* types."""
    assert type_name("google", "compute_network") == "google_compute_network"
    assert type_name("google-beta", "google_firebase_project") == "google_firebase_project"
    assert type_name("time", "sleep") == "time_sleep"


@pytest.mark.parametrize(
    ("version", "constraint", "expected"),
    [
        ("8.7.0", "~> 8.7", True),
        ("8.12.1", "~> 8.7", True),
        ("9.0.0", "~> 8.7", False),
        ("8.6.9", "~> 8.7", False),
        ("8.7.4", "~> 8.7.0", True),
        ("8.8.0", "~> 8.7.0", False),
        ("6.50.0", "~> 6.10", True),
        ("8.7.0", "~> 6.10", False),
        ("1.9.8", ">= 1.5", True),
        ("2.0.0", ">= 1.5, < 2", False),
        ("0.14.2", "~> 0.14", True),
        ("2.8.1", "!= 2.8.1", False),
        ("2.8.1", "2.8.1", True),
    ],
)
def test_version_constraints(version, constraint, expected):
    assert satisfies(version, constraint) is expected


def test_a_malformed_constraint_is_refused():
    with pytest.raises(ValueError, match="not a Terraform version constraint"):
        satisfies("1.0.0", "about 1")
