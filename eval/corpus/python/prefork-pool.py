"""A prefork pool of two serving a shared stream of jobs at the same time: the parent forks two
children and hands each a job per round. `thumbnail` keeps its 128 KB result in a module-level
list of its child ("recent thumbnails", never pruned); `ping` keeps nothing. Each child reports
its jobs with its own pid (mark_task). Self-driven: argv[1] rounds of two jobs."""
import os
import time

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import mark_task  # noqa: E402

THUMBNAILS = []
THUMB_BYTES = 128 * 1024


def serve(tasks, acks):
    for line in tasks:
        task_id, name = line.split()
        with mark_task(name, task_id):
            time.sleep(0.002)
            if name == "thumbnail":
                THUMBNAILS.append(bytearray(b"\x08") * THUMB_BYTES)
            time.sleep(0.002)
        corpus_truth.record(len(THUMBNAILS) * THUMB_BYTES)
        os.write(acks, b".")
    os._exit(0)


def fork_child(siblings):
    task_read, task_write = os.pipe()
    ack_read, ack_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(task_write)
        os.close(ack_read)
        for _, tasks, acks in siblings:
            tasks.close()
            os.close(acks)
        serve(os.fdopen(task_read), ack_write)
    os.close(task_read)
    os.close(ack_write)
    return pid, os.fdopen(task_write, "w", buffering=1), ack_read


children = []
for _ in range(2):
    children.append(fork_child(children))
job = 0
for round_number in range(corpus_truth.task_count(200)):
    names = ["thumbnail", "ping"] if round_number % 2 == 0 else ["ping", "thumbnail"]
    for (_, tasks, _), name in zip(children, names):
        job += 1
        tasks.write("%d %s\n" % (job, name))
    for _, _, acks in children:
        os.read(acks, 1)
time.sleep(0.3)
for pid, tasks, _ in children:
    tasks.close()
    os.waitpid(pid, 0)
