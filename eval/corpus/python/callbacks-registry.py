"""Callbacks never unregistered: each job registers an on-shutdown hook in a module-level list;
the hook closes over the job's 32 KB scratch buffer. Self-driven job loop, each job wrapped in
the helper's mark_task."""
import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import mark_task  # noqa: E402

SHUTDOWN_HOOKS = []
SCRATCH = 32 * 1024


def run_job(number):
    scratch = bytearray(b"\x02") * SCRATCH
    SHUTDOWN_HOOKS.append(lambda: len(scratch) + number)


for number in range(1, corpus_truth.task_count(400) + 1):
    with mark_task("sync", str(number)):
        run_job(number)
    corpus_truth.record(len(SHUTDOWN_HOOKS) * SCRATCH)
