"""A leaky handler made harmless by a fork per task (max_tasks_per_child=1): the parent reads
jobs from stdin and forks a child for each; the child runs the handler (which keeps 256 KB in a
module-level list, as the in-process worker would leak) between mark_task boundaries and exits.
What the child kept dies with it. Truth, recorded by the parent once it has reaped the child:
the child holds nothing any more, and the parent holds its own list (which it never fills)."""
import json
import os
import sys

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import mark_task  # noqa: E402

RESULTS = []


def handle(task):
    RESULTS.append(bytearray(b"\x09") * (256 * 1024))


for line in sys.stdin:
    task = json.loads(line)
    pid = os.fork()
    if pid == 0:
        with mark_task(task["name"], task["task"]):
            handle(task)
        os._exit(0)
    os.waitpid(pid, 0)
    corpus_truth.gone(pid)
    corpus_truth.record(len(RESULTS) * 256 * 1024)
