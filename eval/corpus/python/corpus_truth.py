"""The corpus truth: after each task a worker appends "<pid> <bytes>" to the file named by
CORPUS_TRUTH, the bytes its long-lived state holds, counted by the worker itself (the sizes of
what it keeps, or what tracemalloc saw an import keep), never read from RSS. "<pid> -" says the
process is gone and holds nothing. Outside the eval (no CORPUS_TRUTH) it does nothing.
"""
import os
import sys

_path = os.environ.get("CORPUS_TRUTH")
_fd = os.open(_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644) if _path else None

HELPER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "worker")


def use_helper():
    """Makes leakhunt's Python helper importable, as a project vendoring it would."""
    if HELPER_DIR not in sys.path:
        sys.path.insert(0, HELPER_DIR)


def record(retained_bytes, pid=None):
    """Records what a process holds across tasks, in bytes."""
    if _fd is not None:
        os.write(_fd, ("%d %d\n" % (pid or os.getpid(), int(retained_bytes))).encode())


def gone(pid):
    """Records that a process has exited: it holds nothing any more."""
    if _fd is not None:
        os.write(_fd, ("%d -\n" % pid).encode())


def task_count(default):
    """The task count for self-driven workers: argv[1], else the default."""
    try:
        value = int(sys.argv[1])
        return value if value > 0 else default
    except (IndexError, ValueError):
        return default
