"""Django with DEBUG=True: every query of every job is appended to connection.queries_log (up to
9,000 entries), a classic "memory grows in production" report. Truth: the bytes of the logged
query dicts and their strings. Helper: serve_tasks."""
import sys

import dj_setup

dj_setup.setup(debug=True)
from django.db import connection  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402
from orders_job import run_orders_job  # noqa: E402


def logged_bytes():
    return sum(sys.getsizeof(q) + sys.getsizeof(q["sql"]) + sys.getsizeof(q["time"]) for q in connection.queries_log)


def handle(task):
    run_orders_job(task["params"]["id"])
    dj_setup.corpus_truth.record(logged_bytes())


serve_tasks(handle)
