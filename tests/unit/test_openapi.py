"""docs/openapi.json is generated from the models and must be current."""

from __future__ import annotations

import json

from devtools.openapi import build_document, render
from devtools.processes import REPO


def test_committed_document_is_current():
    committed = (REPO / "docs" / "openapi.json").read_text()
    assert committed == render(), "docs/openapi.json is stale: run `make openapi`"


def test_document_covers_both_routes_and_errors():
    document = build_document()
    assert document["openapi"].startswith("3.1")
    paths = document["paths"]
    assert set(paths) >= {"/api/chatkit/update-context", "/api/chatkit/chart-action"}
    schemas = document["components"]["schemas"]
    for name in (
        "UpdateContextRequest",
        "ChartActionRequest",
        "ChartActionResponse",
        "ErrorResponse",
    ):
        assert name in schemas
    responses = paths["/api/chatkit/chart-action"]["post"]["responses"]
    assert {"200", "400", "401", "413", "415", "503", "504"} <= set(responses)
    json.dumps(document)  # serialisable
