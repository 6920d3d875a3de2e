"""The same Django job with DEBUG=False: no query log, rows deleted by each job. Truth: the log's
bytes (none) and the rows left in the table. Helper: serve_tasks."""
import sys

import dj_setup

dj_setup.setup(debug=False)
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402
from orders_job import run_orders_job  # noqa: E402


def handle(task):
    run_orders_job(task["params"]["id"])
    logged = sum(sys.getsizeof(q) for q in connection.queries_log)
    dj_setup.corpus_truth.record(logged + Group.objects.count() * 256)


serve_tasks(handle)
