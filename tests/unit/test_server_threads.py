"""Server threads (THREADS) equal each WSGI function's instance concurrency, in Terraform and
locally, and the deadline pool is never what requests queue on (issue 17, row 5)."""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from devtools.terraform.code_facts import CodeFacts
from devtools.terraform.consistency import problems
from devtools.terraform.hcl import Tf, edited, load
from shared.infra.deadline import DeadlineExceeded, call_with_deadline
from shared.infra.settings import INSTANCE_CONCURRENCY, Settings, env_vars_for


@pytest.fixture(scope="module")
def code() -> CodeFacts:
    return CodeFacts.read()


def test_terraform_threads_are_the_concurrency(code):
    tf = Tf(load())
    for name, concurrency in INSTANCE_CONCURRENCY.items():
        spec = tf.locals["functions"][name]
        assert int(spec["concurrency"]) == concurrency
        assert tf.resolve(spec["env"])["THREADS"] == str(concurrency)
    assert "THREADS" not in tf.resolve(tf.locals["functions"]["chatkit"]["env"])  # ASGI
    assert not [p for p in problems(load(), code) if "THREADS" in p or "concurrency" in p]


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("env.tf", 'THREADS             = "80"', 'THREADS             = "8"', "update_context: THREADS 8 is not its concurrency 80"),  # noqa: E501
        ("env.tf", '    THREADS = "40"\n', "", "chart_action: THREADS None is not its concurrency 40"),  # noqa: E501
        ("functions.tf", "concurrency = 80", "concurrency = 100", "update_context: concurrency 100, the code says 80"),  # noqa: E501
    ],
)  # fmt: skip
def test_a_thread_count_that_drifts_fails(code, file, old, new, expected):
    found = problems(load(replace=edited(file, old, new)), code)
    assert any(expected in problem for problem in found), found


def test_the_code_changing_its_concurrency_alone_fails(code):
    changed = dataclasses.replace(code, concurrency={**code.concurrency, "chart_action": 20})
    found = problems(load(), changed)
    assert any("chart_action: THREADS 40 is not its concurrency 20" in p for p in found), found


def test_threads_is_a_wsgi_setting():
    assert "THREADS" in env_vars_for("update_context", secret=False)
    assert "THREADS" in env_vars_for("chart_action", secret=False)
    assert "THREADS" not in env_vars_for("chatkit", secret=False)
    assert Settings.from_env({"THREADS": "80"}).server_threads == 80
    with pytest.raises(ValueError, match="THREADS"):
        Settings.from_env({"THREADS": "0"})


def test_hung_calls_do_not_starve_the_deadline_pool():
    """Every server thread of the busiest function leaves a hung call behind (abandoned at its
    deadline, still holding its worker); the next call of every thread still runs at once."""
    threads = max(INSTANCE_CONCURRENCY.values())
    release = threading.Event()

    def hung() -> None:
        release.wait(5)

    def call(fn, seconds):
        try:
            return call_with_deadline(fn, seconds)
        except DeadlineExceeded:
            return "deadline"

    try:
        with ThreadPoolExecutor(threads) as server:
            assert set(server.map(lambda _: call(hung, 0.2), range(threads))) == {"deadline"}
            answers = list(server.map(lambda _: call(lambda: "ran", 1.0), range(threads)))
        assert answers == ["ran"] * threads
    finally:
        release.set()


def test_local_servers_get_the_production_thread_count(tmp_path):
    from devtools.processes import start_function  # noqa: PLC0415
    from devtools.stack import function_env  # noqa: PLC0415

    probe = tmp_path / "main.py"
    probe.write_text(
        "import os\nimport functions_framework\n\n\n@functions_framework.http\n"
        "def update_context(request):\n    return os.environ.get('THREADS', '')\n"
    )
    process = start_function(
        "update_context", function_env("127.0.0.1:1"), tmp_path, source_dir=tmp_path
    )
    try:
        import requests  # noqa: PLC0415

        assert requests.get(process.url, timeout=10).text == str(
            INSTANCE_CONCURRENCY["update_context"]
        )
    finally:
        process.stop()
