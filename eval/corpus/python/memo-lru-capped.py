"""A capped memo: functools.lru_cache(maxsize=128) on the same 16 KB rate lookup with unique
order ids. It fills in the first 128 tasks, then evicts one entry per task: bounded.
Helper: serve_tasks."""
import functools

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

RESULT_BYTES = 16 * 1024


@functools.lru_cache(maxsize=128)
def rates_for(order_id):
    return bytes([order_id % 251]) * RESULT_BYTES


def handle(task):
    rates_for(task["params"]["id"])
    corpus_truth.record(rates_for.cache_info().currsize * RESULT_BYTES)


serve_tasks(handle)
