"""The request guards that need no server: Transfer-Encoding and declared size (issue 17 row
13), MCP's Accept rule as the official SDK's server checks it (row 10), the validation details
that name a field without echoing an unknown key (row 8), and the one dependency log line
(row 15). Their behaviour through real HTTP is in tests/http/test_adversarial.py."""

from __future__ import annotations

import json
import logging
from typing import Annotated

import pytest
from flask import Request
from mcp.server.streamable_http import check_accept_headers
from pydantic import AfterValidator, ValidationError, create_model
from starlette.requests import Request as StarletteRequest
from werkzeug.test import EnvironBuilder

from shared.api.errors import RequestError
from shared.api.mcp_http import accepts_json
from shared.api.request_body import MAX_BODY_BYTES, check_framing
from shared.infra.dependency_log import log_dependency_failure
from shared.infra.logs import CloudJsonFormatter
from shared.models.context import UpdateContextRequest
from shared.models.errors import HIDDEN_NAME, ChartControlError, ErrorDetail


def request_with(**headers: str) -> Request:
    return Request(EnvironBuilder(path="/", method="POST", headers=headers).get_environ())


@pytest.mark.parametrize("coding", ["chunked", "identity", "Chunked", "identity, chunked"])
def test_chunked_and_identity_are_the_only_codings(coding: str):
    check_framing(request_with(**{"Transfer-Encoding": coding}))


@pytest.mark.parametrize("coding", ["gzip, chunked", "deflate, chunked", "compress", "br", ""])
def test_other_transfer_codings_are_refused(coding: str):
    with pytest.raises(RequestError) as refused:
        check_framing(request_with(**{"Transfer-Encoding": coding}))
    assert refused.value.code == "invalid_request"
    assert refused.value.headers == {"Connection": "close"}


def test_a_declared_length_over_the_limit_is_refused_before_reading():
    with pytest.raises(RequestError) as refused:
        environ = EnvironBuilder(path="/", method="POST", data=b"x" * (MAX_BODY_BYTES + 1))
        check_framing(Request(environ.get_environ()))
    assert refused.value.code == "payload_too_large"


@pytest.mark.parametrize(
    "accept",
    [
        "application/json, text/event-stream",
        "application/json",
        "text/event-stream, application/json;q=0.9",
        "application/*",
        "*/*",
        "text/html",
        "text/event-stream",
        "",
        "APPLICATION/JSON",
    ],
)
def test_accept_is_judged_as_the_sdks_json_response_mode_does(accept: str):
    scope = {"type": "http", "headers": [(b"accept", accept.encode())]}
    sdk_has_json, _ = check_accept_headers(StarletteRequest(scope))
    assert accepts_json(accept) is sdk_has_json


def test_no_accept_header_at_all_is_served():
    assert accepts_json(None) is True  # RFC 9110 12.5.1; the SDK refuses it (docs/hardening.md)


def test_unknown_keys_are_named_only_when_plain():
    body = {"session_id": "a" * 16, "symbol": "TSLA", "timeframe": "1D", "<b>x": 1, "seq_x": 2}
    with pytest.raises(ValidationError) as invalid:
        UpdateContextRequest.model_validate(body)
    fields = {d.field for d in ErrorDetail.from_validation_error(invalid.value)}
    assert fields == {HIDDEN_NAME, "seq_x"}


def test_a_message_that_quotes_the_value_is_reduced_to_the_rule():
    def quoting(value: str) -> str:
        raise ValueError(f"unknown value {value!r}")  # as the timeframe validator once did

    model = create_model("Quoting", field=(Annotated[str, AfterValidator(quoting)], ...))
    with pytest.raises(ValidationError) as invalid:
        model.model_validate({"field": "<script>x</script>"})
    (detail,) = ErrorDetail.from_validation_error(invalid.value)
    assert (detail.field, detail.message) == ("field", "invalid value (value_error)")


def test_the_dependency_line_names_types_never_messages(caplog):
    secret_path = "projects/p/databases/(default)/documents/chart_sessions/raw_session_id_1234"
    try:
        try:
            raise ConnectionError(secret_path)
        except ConnectionError as cause:
            raise ChartControlError(
                "the session store is unavailable", code="store_unavailable"
            ) from cause
    except ChartControlError as exc:
        with caplog.at_level(logging.WARNING, "chart_control.dependency"):
            log_dependency_failure(exc, "update_context update")
    (record,) = caplog.records
    line = json.loads(CloudJsonFormatter().format(record))
    assert line["severity"] == "WARNING"
    assert line["message"] == (
        "dependency failed: store_unavailable "
        "(shared.models.errors.ChartControlError <- builtins.ConnectionError)"
    )
    assert line["dependency"]["route"] == "update_context update"
    assert line["dependency"]["stack"][-1].endswith(
        "in test_the_dependency_line_names_types_never_messages"
    )
    assert "raw_session_id" not in json.dumps(line)
