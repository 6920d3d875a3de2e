"""ctypes buffers kept: each job hands a 32 KB ctypes.create_string_buffer to a "driver" that
keeps a reference in a module-level list and never releases it. Helper: serve_tasks."""
import ctypes

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

DRIVER_BUFFERS = []


def handle(task):
    buffer = ctypes.create_string_buffer(b"\x04" * (32 * 1024 - 1))
    DRIVER_BUFFERS.append(buffer)
    corpus_truth.record(sum(ctypes.sizeof(b) for b in DRIVER_BUFFERS))


serve_tasks(handle)
