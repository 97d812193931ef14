"""Log lines link to their trace and execution, and a client's request id is taken only when
it is short and plain."""

from __future__ import annotations

import json
import logging

from chatkit.errors import CustomStreamError
from flask import Request
from werkzeug.test import EnvironBuilder

from shared.api.transport import request_ids
from shared.infra.logs import CloudJsonFormatter, RequestIds, adopt_library_logger, current_request
from shared.store.firestore import StoreTimeout

TRACE = "105445aa7843bc8bf206b12000100000"


def request_with(**headers: str) -> Request:
    return Request(EnvironBuilder(path="/", headers=headers).get_environ())


def test_trace_span_and_execution_id_come_from_the_headers():
    ids = request_ids(
        request_with(
            **{"X-Cloud-Trace-Context": f"{TRACE}/1;o=1", "Function-Execution-Id": "abc123XYZ"}
        )
    )
    assert (ids.trace_id, ids.span_id, ids.execution_id) == (TRACE, "1", "abc123XYZ")


def test_a_plain_request_id_is_kept_and_anything_else_replaced():
    assert request_ids(request_with(**{"X-Request-Id": "req-42.a_b"})).request_id == "req-42.a_b"
    for sent in ("x" * 65, "two words", 'inject"{}', ""):
        generated = request_ids(request_with(**{"X-Request-Id": sent})).request_id
        assert generated != sent and len(generated) == 32 and generated.isalnum()


def test_the_trace_field_is_in_cloud_loggings_form():
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "hello", None, None)
    token = current_request.set(RequestIds("rid", TRACE, "7", "exec1"))
    try:
        line = json.loads(CloudJsonFormatter("demo-project").format(record))
    finally:
        current_request.reset(token)
    assert line["logging.googleapis.com/trace"] == f"projects/demo-project/traces/{TRACE}"
    assert line["logging.googleapis.com/spanId"] == "7"
    assert line["logging.googleapis.com/labels"] == {"execution_id": "exec1"}
    assert line["request_id"] == "rid"


def test_every_string_of_a_line_is_cut_short():
    """Issue 25: a 200 KB request path cannot make a 400 KB line."""
    path = "/" + "P" * 200_000
    record = logging.LogRecord("t", logging.INFO, __file__, 1, "POST %s -> 404", (path,), None)
    record.fields = {"httpRequest": {"requestUrl": path, "status": 404}, "list": [path]}
    line = CloudJsonFormatter().format(record)
    assert len(line) < 4 * 1024
    entry = json.loads(line)
    assert (
        entry["httpRequest"]["status"] == 404 and "chars cut" in entry["httpRequest"]["requestUrl"]
    )


def test_an_adopted_library_logger_loses_its_handler_and_reported_failures():
    library = logging.getLogger("test_library_with_own_handler")
    library.addHandler(logging.StreamHandler())
    library.propagate = False
    adopt_library_logger(library.name)
    assert library.handlers == [] and library.propagate is True
    reported = []
    for error in (StoreTimeout("slow"), CustomStreamError("readable"), ValueError("a bug")):
        try:
            raise RuntimeError("wrapped") from error
        except RuntimeError as exc:
            record = logging.LogRecord(library.name, logging.ERROR, __file__, 1, "x", None,
                                       (type(exc), exc, exc.__traceback__))  # fmt: skip
            reported.append(library.filter(record))
    assert reported == [False, False, True]  # only the bug is logged (once, as JSON)
