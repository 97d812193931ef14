"""`make openapi`: the OpenAPI 3.1 document of both functions, generated from the models.

Nothing here restates a field: request/response/error schemas come from pydantic, so the
document cannot drift from validation. A test regenerates it and fails when docs/openapi.json is
stale.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from shared import __version__
from shared.models.action import ChartActionRequest, ChartActionResponse
from shared.models.bars import BarsQuery, BarsResponse
from shared.models.context import (
    ChartDocumentRequest,
    ChartDocumentResponse,
    UpdateContextRequest,
    UpdateContextResponse,
)
from shared.models.errors import ErrorResponse

REF = "#/components/schemas/{model}"
ERRORS = {
    "update": {"400", "405", "413", "415", "503", "504"},
    "action": {"400", "401", "404", "405", "413", "415", "503", "504"},
    "bars": {"400", "404", "503", "504"},
}
ERROR_TEXT = {
    "400": "invalid_json or invalid_request (details name the field)",
    "401": "missing or wrong bearer token",
    "404": "unknown symbol or route",
    "405": "method not allowed",
    "413": "body over 16 KiB",
    "415": "body is not application/json",
    "503": "a dependency failed (store_unavailable / market_data_unavailable)",
    "504": "a dependency did not answer in time",
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": REF.format(model=model.__name__)}


def _json(model: type[BaseModel]) -> dict[str, Any]:
    return {"application/json": {"schema": _ref(model)}}


def _post(summary: str, request: type[BaseModel], response: type[BaseModel], errors: set[str]):
    answers: dict[str, Any] = {"200": {"description": "OK", "content": _json(response)}}
    for status in sorted(errors):
        answers[status] = {"description": ERROR_TEXT[status], "content": _json(ErrorResponse)}
    return {
        "summary": summary,
        "requestBody": {"required": True, "content": _json(request)},
        "responses": answers,
    }


def _get_bars() -> dict[str, Any]:
    """The bars route: its query parameters come from `BarsQuery`'s schema."""
    query = BarsQuery.model_json_schema(ref_template=REF)
    parameters = [
        {"name": name, "in": "query", "required": name in query.get("required", []),
         "schema": schema}
        for name, schema in query["properties"].items()
    ]  # fmt: skip
    answers: dict[str, Any] = {
        "200": {"description": "OK (Cache-Control, ETag)", "content": _json(BarsResponse)},
        "304": {"description": "not modified (If-None-Match)"},
    }
    for status in sorted(ERRORS["bars"]):
        answers[status] = {"description": ERROR_TEXT[status], "content": _json(ErrorResponse)}
    summary = "The bars the analysis reads"
    return {"summary": summary, "parameters": parameters, "responses": answers}


def build_document() -> dict[str, Any]:
    """The OpenAPI 3.1 document as a dict."""
    models = [
        UpdateContextRequest,
        UpdateContextResponse,
        ChartDocumentRequest,
        ChartDocumentResponse,
        ChartActionRequest,
        ChartActionResponse,
        BarsResponse,
    ]
    _, schemas = models_json_schema(
        [(m, "validation" if m.__name__.endswith("Request") else "serialization") for m in models]
        + [(ErrorResponse, "serialization")],
        ref_template=REF,
    )
    action = _post(
        "Plan chart commands for a query",
        ChartActionRequest,
        ChartActionResponse,
        ERRORS["action"],
    )
    action["security"] = [{"bearer": []}, {}]
    return {
        "openapi": "3.1.0",
        "info": {"title": "chart-control", "version": __version__},
        "paths": {
            "/api/chatkit/update-context": {
                "post": _post(
                    "Store what the chart shows",
                    UpdateContextRequest,
                    UpdateContextResponse,
                    ERRORS["update"],
                )
            },
            "/api/chatkit/chart-document": {
                "post": _post(
                    "Read the session's chart document",
                    ChartDocumentRequest,
                    ChartDocumentResponse,
                    ERRORS["update"],
                )
            },
            "/api/chatkit/chart-action": {"post": action},
            "/api/chatkit/bars": {"get": _get_bars()},
        },
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


def render() -> str:
    """The document as committed: stable key order, trailing newline."""
    return json.dumps(build_document(), indent=2, sort_keys=True) + "\n"


def main(argv: list[str]) -> int:
    """Write the document to the given path (default docs/openapi.json)."""
    path = Path(argv[0] if argv else "docs/openapi.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render())
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
