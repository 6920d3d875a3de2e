"""Small-object churn: each job builds 12,000 small tuples and dicts (a parsed CSV), aggregates
them and drops them all; pymalloc keeps or returns its arenas as it likes. Helper: serve_tasks."""
import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402


def handle(task):
    seed = task["params"]["id"]
    rows = [{"id": i, "key": (i, seed), "value": str(i * seed)} for i in range(4000)]
    total = sum(len(row["value"]) for row in rows)
    corpus_truth.record(0)
    return total


serve_tasks(handle)
