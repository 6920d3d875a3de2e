"""Allocator steps: each job allocates and frees one large buffer of a seeded size between 128 KB
and 8 MB (a decoded image), so glibc's mmap threshold moves and freed memory stays in the heap
at times: RSS steps while nothing is kept. Helper: serve_tasks."""
import random

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

sizes = random.Random(7)


def handle(task):
    image = bytearray(sizes.randint(128, 8192) * 1024)
    image[::4096] = b"\x06" * len(image[::4096])
    corpus_truth.record(0)


serve_tasks(handle)
