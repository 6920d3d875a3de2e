"""Warm-up that plateaus: the first 60 tasks each compile and cache one of 60 routing regexes and
a 20 KB route table; later tasks only match against them. Helper: serve_tasks."""
import re

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

ROUTES = {}
TABLE_BYTES = 20 * 1024


def handle(task):
    route = task["params"]["id"] % 60
    if route not in ROUTES:
        ROUTES[route] = (re.compile(r"^/api/v%d/(\w+)/(\d+)$" % route), bytearray(b"\x05") * TABLE_BYTES)
    pattern, _ = ROUTES[route]
    pattern.match("/api/v%d/orders/%d" % (route, task["params"]["id"]))
    corpus_truth.record(len(ROUTES) * TABLE_BYTES)


serve_tasks(handle)
