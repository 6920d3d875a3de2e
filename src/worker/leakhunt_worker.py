"""leakhunt task protocol v1 for Python workers: stdlib only, Python 3.8+.

    from leakhunt_worker import serve_tasks, mark_task

    def handle(task):            # task = {"task": "7", "name": "send_email", "params": {...}}
        ...
    serve_tasks(handle)          # one JSON task per stdin line, until stdin closes

    with mark_task("send_email"):    # or @mark_task("send_email") on a function
        ...

Each task is reported to leakhunt as a start and an end boundary on the channel named by
LEAKHUNT_CHANNEL, the end carrying what only the worker knows: how many modules are loaded,
which top-level modules the task imported, and its peak RSS. The end follows a full
gc.collect(), so cyclic garbage does not read as growth (a few ms; more in a heap of millions of
objects). Outside leakhunt (no LEAKHUNT_CHANNEL) both are plain calls that cost nothing.

With LEAKHUNT_ALLOCATIONS (leakhunt --allocations), leakhunt_allocations.py beside this file
records which allocation sites each task type keeps memory at; without it, it is never imported.
Every route into and out of a task goes through _task_started and _task_ended, where it records.

LEAKHUNT_ISOLATE=fork makes serve_tasks os.fork() a child per task, as a prefork task worker
would: whatever the task imports or leaks dies with the child, and the parent stays small. The
cost is a fork and a wait per task (tens of ms), plus re-importing in every child whatever the
parent did not import before serving.
"""
import contextlib
import errno
import gc
import itertools
import json
import os
import signal
import sys
import threading
import time
import traceback

try:
    import resource
except ImportError:  # not on Windows
    resource = None

__all__ = ["serve_tasks", "mark_task", "task_started", "task_ended", "task_lost", "task_running"]

def _load_allocations():
    """leakhunt_allocations (beside this file), started, when LEAKHUNT_ALLOCATIONS asks for it."""
    if not os.environ.get("LEAKHUNT_ALLOCATIONS"):
        return None
    try:
        import leakhunt_allocations as module
    except ImportError:
        # This file was loaded by path or copied: load its sibling by path too.
        import importlib.util
        path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "leakhunt_allocations.py")
        spec = importlib.util.spec_from_file_location("leakhunt_allocations", path)
        if spec is None or not os.path.exists(path):
            sys.stderr.write("leakhunt_worker: leakhunt_allocations.py is missing; no allocation sites\n")
            return None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return module.start_from_environment()


# Started at import, so allocations made from here on are traced; None unless asked for.
_allocations = _load_allocations()

# The channel's line cap (PIPE_BUF): one write of at most this many bytes is never interleaved
# with another process's write, and leakhunt drops longer lines.
MAX_LINE_BYTES = 4096
# leakhunt cuts labels to this many characters anyway; cutting here keeps lines short.
MAX_LABEL_CHARS = 200
# newModules lists at most this many names: enough to point at the culprit imports.
MAX_NEW_MODULES = 10
# How long a write may wait for leakhunt to drain a full pipe before the boundary is dropped.
FULL_PIPE_PATIENCE_S = 1.0

try:
    _PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
except (AttributeError, ValueError, OSError):
    _PAGE_SIZE = 4096

_UNOPENED = object()
_channel_fd = _UNOPENED
_channel_lock = threading.Lock()
_auto_ids = itertools.count(1)


def _warn(message):
    sys.stderr.write("leakhunt_worker: %s\n" % message)
    sys.stderr.flush()


def _channel():
    """The channel's fd, opened once; None when there is no channel or it cannot be opened.
    Under a lock: threads that start their first tasks together must not see the channel as
    missing while one of them is still opening it (that task ran unreported)."""
    global _channel_fd
    if _channel_fd is _UNOPENED:
        with _channel_lock:
            if _channel_fd is _UNOPENED:
                _channel_fd = _open_channel()
    return _channel_fd


def _open_channel():
    path = os.environ.get("LEAKHUNT_CHANNEL")
    if not path:
        return None
    try:
        # O_NONBLOCK: if leakhunt is gone, open fails (ENXIO) instead of hanging.
        return os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError as error:
        _warn("cannot open LEAKHUNT_CHANNEL (%s); task boundaries will not be reported"
              % errno.errorcode.get(error.errno, error.errno))
        return None


def _serialise(record, metrics):
    """One line, with metrics dropped from the end until it fits the channel's cap."""
    items = list((metrics or {}).items())
    while True:
        if items:
            record["metrics"] = dict(items)
        else:
            record.pop("metrics", None)
        line = (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8")
        if not items or len(line) <= MAX_LINE_BYTES:
            return line
        items.pop()


def _write_boundary(event, task_id, name=None, ok=None, metrics=None, own=True):
    """own=False: the line speaks for a process that died, so it carries no pid (leakhunt then
    keeps the pid the task started in)."""
    global _channel_fd
    fd = _channel()
    if fd is None:
        return
    record = {"event": event, "task": str(task_id)[:MAX_LABEL_CHARS]}
    if name is not None:
        record["name"] = str(name)[:MAX_LABEL_CHARS]
    if own:
        record["pid"] = os.getpid()
    if ok is not None:
        record["ok"] = ok
    line = _serialise(record, metrics)
    deadline = time.monotonic() + FULL_PIPE_PATIENCE_S
    while True:
        try:
            os.write(fd, line)
            return
        except BlockingIOError:
            if time.monotonic() < deadline:
                time.sleep(0.001)
                continue
            _warn("a task boundary was not reported (pipe full)")
            return
        except OSError as error:  # EPIPE: leakhunt has gone; stop trying.
            _channel_fd = None
            _warn("a task boundary was not reported (%s)" % errno.errorcode.get(error.errno, error.errno))
            return


def _current_rss():
    """This process's RSS now, from /proc/self/statm (None where there is none)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


def _rss_metrics():
    """rssBytes read in the process at the boundary: leakhunt's own sample comes later, when
    it reads the line, and in a pool the task (or the next one) may have allocated by then."""
    rss = _current_rss()
    return {"rssBytes": rss} if rss is not None else None


def _metrics(modules_before):
    """Figures after a full collection, so cyclic garbage does not read as growth."""
    gc.collect()
    new = sys.modules.keys() - modules_before
    metrics = dict(_rss_metrics() or {})
    metrics.update({
        "modules": len(sys.modules),
        "newModuleCount": len(new),
        "newModules": _rank_top_level(new)[:MAX_NEW_MODULES],
    })
    if resource is not None:
        # ru_maxrss is in KiB on Linux and in bytes on macOS.
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        metrics["maxrssBytes"] = peak if sys.platform == "darwin" else peak * 1024
    return metrics


def _rank_top_level(module_names):
    """Top-level names, the ones that brought the most submodules first (`email` with its 20
    parts before `copy`), public before private (`decimal` before its C half `_decimal`)."""
    counts = {}
    for name in module_names:
        top = name.split(".")[0]
        counts[top] = counts.get(top, 0) + 1
    return sorted(counts, key=lambda top: (top.startswith("_"), -counts[top], top))


# Tasks started in this process and not yet ended: id -> the modules loaded at its start.
_running = {}


def task_started(task_id, name, loop_owned=False):
    """Reports the start of task `task_id` of type `name` in this process.

    For loops that are not serve_tasks' (mark_task, and the framework hooks leakhunt
    --instrument installs); pair it with task_ended(task_id, ...) in the same process.
    Every route into a task comes here, so --allocations records it too. loop_owned: the
    helper's own loop ran nothing since the previous task ended.
    """
    if _channel() is None:
        return
    _running[str(task_id)] = set(sys.modules)
    _write_boundary("start", task_id, name, metrics=_rss_metrics())
    if _allocations is not None:
        _allocations.task_started(str(name), reuse_last=loop_owned)


def task_ended(task_id, name, ok):
    """Reports the end of a task this process started, with the figures measured after it."""
    if _channel() is None:
        return
    modules_before = _running.pop(str(task_id), None)
    # Metrics are taken after a gc.collect(), so the allocation snapshot needs no second one.
    metrics = _metrics(modules_before) if modules_before is not None else None
    if _allocations is not None:
        _allocations.task_ended(str(name), collected=metrics is not None)
    _write_boundary("end", task_id, name, ok=ok, metrics=metrics)


def task_running(task_id):
    """True while a task this process started has not ended."""
    return str(task_id) in _running


def task_lost(task_id, name):
    """Reports, from another process, that the process running a task died before its end:
    the task ends failed, and leakhunt keeps the pid it started in."""
    _write_boundary("end", task_id, name, ok=False, own=False)


class mark_task(contextlib.ContextDecorator):
    """Reports the block (or each call of the decorated function) as one task of type `name`.

    Ids default to "<pid>-<n>", unique across every process of the tree. An exception gives
    ok=false and propagates.
    """

    def __init__(self, name, task_id=None):
        self.name = name
        self.task_id = task_id
        self._open = []  # the id per active use, so nested and recursive use work

    def __enter__(self):
        if _channel() is None:
            self._open.append(None)
            return self
        task_id = self.task_id if self.task_id is not None else "%d-%d" % (os.getpid(), next(_auto_ids))
        self._open.append(str(task_id))
        task_started(task_id, self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        task_id = self._open.pop()
        if task_id is not None:
            task_ended(task_id, self.name, exc_type is None)
        return False


def _run_task(task, handler):
    """Runs one task between its boundaries; True when the handler did not raise."""
    task_started(task["task"], task["name"], loop_owned=True)
    error = None
    try:
        handler(task)
    except Exception as caught:
        error = caught
    task_ended(task["task"], task["name"], error is None)
    if error is not None:
        # After the end boundary: formatting a traceback imports modules of its own, which
        # must not be counted as the task's.
        _warn("task %s (%s) failed:\n%s" % (task["task"], task["name"],
                                             "".join(traceback.format_exception(type(error), error, error.__traceback__))))
    return error is None


def _run_in_fork(task, handler):
    """os.fork() a child for one task; the child reports its boundaries and _exits."""
    sys.stdout.flush()
    sys.stderr.flush()
    # Without this the child's gc.collect() (in _metrics) would write to every object it
    # inherited, copying the parent's whole heap page by page: ~100 ms a task and a child that
    # looks as big as its parent. Frozen objects are never scanned (the prefork advice of the
    # gc docs); the parent itself makes next to no garbage while it only reads and forks.
    gc.freeze()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = 0 if _run_task(task, handler) else 1
        except BaseException:  # SystemExit, KeyboardInterrupt: still never return to the loop
            _write_boundary("end", task["task"], task["name"], ok=False)
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        # The child died before it could report its end; leakhunt waits for one.
        signal_name = _signal_name(os.WTERMSIG(status))
        _warn("task %s (%s) child %d was killed by %s" % (task["task"], task["name"], pid, signal_name))
        _write_boundary("end", task["task"], task["name"], ok=False, metrics={"signal": signal_name})


def _signal_name(signo):
    try:
        return signal.Signals(signo).name
    except ValueError:
        return "signal %d" % signo


def _parse_task(line, line_number):
    try:
        record = json.loads(line)
    except ValueError:
        _warn("stdin line %d is not a JSON task; skipped" % line_number)
        return None
    if not isinstance(record, dict):
        _warn("stdin line %d is not a JSON object; skipped" % line_number)
        return None
    task_id = record.get("task")
    name = record.get("name")
    task = dict(record)
    task["task"] = str(task_id) if isinstance(task_id, (str, int, float)) and not isinstance(task_id, bool) else str(line_number)
    task["name"] = name if isinstance(name, str) and name else "task"
    task.setdefault("params", None)
    return task


def serve_tasks(handler):
    """Runs handler(task) for each JSON task line on stdin, one at a time, until stdin closes.

    task is the line's object with "task" and "name" normalised to strings and "params"
    (None when absent). A handler that raises gets ok=false, the traceback goes to stderr,
    and the loop goes on.
    """
    forking = os.environ.get("LEAKHUNT_ISOLATE") == "fork" and hasattr(os, "fork")
    line_number = 0
    while True:
        # readline, not iteration: each task is handled as soon as its line arrives.
        line = sys.stdin.readline()
        if not line:
            return
        line_number += 1
        if not line.strip():
            continue
        task = _parse_task(line, line_number)
        if task is None:
            continue
        if forking:
            _run_in_fork(task, handler)
        else:
            _run_task(task, handler)
