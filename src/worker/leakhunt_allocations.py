"""Allocation sites that keep memory across tasks, per task type (leakhunt --allocations).

Stdlib only, Python 3.8+. leakhunt_worker loads this module only when LEAKHUNT_ALLOCATIONS names
a directory (leakhunt creates it, private, and removes it after the run); otherwise nothing here
runs and tracemalloc stays off.

How: tracemalloc traces every allocation with LEAKHUNT_ALLOCATION_FRAMES frames (16 by default).
Around a traced task the traced heap is grouped by traceback, after a full collection, and the
difference is what that task kept, site by site. Per task type the first run and its repeats are
kept (up to MAX_TRACED_REPEATS, then every 2nd, 4th, ... run, spread over the whole run), and
leakhunt turns each site's per-run figures into bytes per run with a robust slope.

Why a file and not the channel: a table of sites and tracebacks is far larger than the channel's
4096-byte line cap. It is written whole (temp file, then rename) at most every WRITE_EVERY_S at
task ends and at exit, so leakhunt, which reads it when the worker has gone, never sees half a file.
"""
import ast
import atexit
import gc
import json
import os
import sys
import time
import tracemalloc
from itertools import groupby
from operator import itemgetter

FORMAT = "leakhunt/allocations@1"
DEFAULT_FRAMES = 16
# Repeats traced per type before tracing thins out (every 2nd run, then every 4th, ...): enough
# for a robust slope, and it bounds the memory and time the recording costs in a long run.
MAX_TRACED_REPEATS = 32
# Sites written per type, the ones that kept most over the traced repeats; leakhunt shows 3.
SITES_WRITTEN = 30
# Sites remembered per type; past this the ones that kept least are forgotten.
SITES_KEPT = 2000
WRITE_EVERY_S = 5.0

# Our own bookkeeping (the grouped heap we hold between tasks) must not read as the task's.
_SIZE = itemgetter(1)
_FRAMES = itemgetter(2)
# Frames carry code objects' file names as they were given (relative or not): both forms.
_OWN_FILES = {form for path in (__file__, tracemalloc.__file__) for form in (path, os.path.abspath(path))}


def _traced_heap():
    """Traced bytes per traceback (frames most recent first), our own allocations left out."""
    # tracemalloc._get_traces() is what take_snapshot() itself reads: raw (domain, size, frames,
    # ...) tuples. Grouping them with sorted() and groupby() runs in C and allocates next to
    # nothing; a Python loop doing the same allocates on every block, and each of those
    # allocations is traced too (15 times slower measured on 250,000 blocks).
    traces = sorted(tracemalloc._get_traces(), key=_FRAMES)
    own = _OWN_FILES
    return {frames: sum(map(_SIZE, group)) for frames, group in groupby(traces, _FRAMES)
            if not (frames and frames[0][0] in own)}


class _TypeRuns:
    """One task type: how often it ran, which runs were traced, and what each kept per site."""

    def __init__(self):
        self.runs = 0
        self.stride = 1
        self.traced = []  # run numbers, ascending; the first run is always traced
        self.sites = {}  # frames -> {run number: bytes kept}

    def wants(self, run):
        return (run - 1) % self.stride == 0

    def add(self, run, deltas):
        self.traced.append(run)
        for frames, delta in deltas.items():
            self.sites.setdefault(frames, {})[run] = delta
        if len(self.traced) > MAX_TRACED_REPEATS + 1:
            self._thin()
        if len(self.sites) > SITES_KEPT:
            ranked = sorted(self.sites, key=lambda f: -abs(sum(self.sites[f].values())))
            for frames in ranked[SITES_KEPT // 2:]:
                del self.sites[frames]

    def _thin(self):
        """Every other traced run goes: the kept ones stay evenly spread over the whole run."""
        self.stride *= 2
        self.traced = [run for run in self.traced if (run - 1) % self.stride == 0]
        kept = set(self.traced)
        for frames in list(self.sites):
            per_run = {run: d for run, d in self.sites[frames].items() if run in kept}
            if per_run:
                self.sites[frames] = per_run
            else:
                del self.sites[frames]

    def table(self, name, describe):
        first = self.traced[0] if self.traced else None
        # The sites that kept most over the repeats (the first run is warm-up, not evidence).
        ranked = sorted(self.sites.items(),
                        key=lambda item: -sum(d for run, d in item[1].items() if run != first))
        return {
            "name": name,
            "runs": self.runs,
            "traced": list(self.traced),
            "sites": [{"stack": describe(frames), "deltas": [per_run.get(run, 0) for run in self.traced]}
                      for frames, per_run in ranked[:SITES_WRITTEN]],
        }


class _FunctionNames:
    """(file, line) -> the name of the innermost function around it, from the source (tracemalloc
    records no function names). Parsed once per file; files without source give ""."""

    def __init__(self):
        self._spans = {}
        self._names = {}

    def __call__(self, filename, line):
        name = self._names.get((filename, line))
        if name is None:
            spans = self._spans.get(filename)
            if spans is None:
                spans = self._spans[filename] = self._parse(filename)
            name = ""
            for start, end, candidate in spans:
                if start <= line <= end:
                    name = candidate  # spans are outer before inner
            self._names[(filename, line)] = name
        return name

    @staticmethod
    def _parse(filename):
        # Read here rather than through linecache: its cache would stay behind in the traced heap
        # and read as memory kept by the next task.
        try:
            with open(filename, encoding="utf-8", errors="replace") as source:
                tree = ast.parse(source.read())
        except (OSError, SyntaxError, ValueError):
            return []
        spans = [(1, 1, "<module>")]

        def visit(node, prefix):
            for child in ast.iter_child_nodes(node):
                if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    name = prefix + child.name
                    start = min([child.lineno] + [d.lineno for d in child.decorator_list])
                    if not isinstance(child, ast.ClassDef):
                        spans.append((start, getattr(child, "end_lineno", child.lineno) or child.lineno, name))
                    visit(child, name + ".")
                else:
                    visit(child, prefix)

        visit(tree, "")
        return spans


class Recorder:
    """Traces allocations and keeps, per task type, what each traced run kept at each site."""

    def __init__(self, directory, frames):
        self.directory = directory
        self.frames = frames
        self.types = {}
        self.before = None  # traced heap at the start of the open task (or at the last end)
        self.open = 0  # tasks open at once; only a task that runs alone is traced
        self.tracing = None  # (type, run) of the traced task in flight
        self.last_write = 0.0
        self.names = _FunctionNames()
        tracemalloc.start(frames)
        self.write()
        atexit.register(self.write)

    def task_started(self, name, reuse_last=False):
        """reuse_last: nothing ran since the previous task's end (the helper's own loop), so the
        heap measured then is this task's starting point and need not be measured again."""
        self.open += 1
        runs = self.types.setdefault(name, _TypeRuns())
        runs.runs += 1
        if self.open > 1 or not runs.wants(runs.runs):
            self.tracing = None
            self.before = None
            return
        if not (reuse_last and self.before is not None):
            gc.collect()
            self.before = _traced_heap()
        self.tracing = (name, runs.runs)

    def task_ended(self, name, collected=False):
        """collected: the caller has just run gc.collect(), so cyclic garbage is already gone."""
        self.open = max(0, self.open - 1)
        tracing, self.tracing = self.tracing, None
        if tracing is None or tracing[0] != name or self.before is None:
            self.before = None
            return
        if not collected:
            gc.collect()
        after = _traced_heap()
        before = self.before
        deltas = {}
        for frames, size in after.items():
            delta = size - before.get(frames, 0)
            if delta:
                deltas[frames] = delta
        for frames, size in before.items():
            if frames not in after:
                deltas[frames] = -size
        self.types[name].add(tracing[1], deltas)
        self.before = after
        if time.monotonic() - self.last_write >= WRITE_EVERY_S:
            self.write()

    def _describe(self, frames):
        return [{"file": filename, "line": line, "function": self.names(filename, line)}
                for filename, line in frames]

    def write(self):
        """The whole table, atomically, in this process's own file (a forked child has its own)."""
        self.last_write = time.monotonic()
        pid = os.getpid()
        table = {
            "format": FORMAT,
            "language": "python",
            "runtime": "%s %d.%d.%d" % ((sys.implementation.name,) + tuple(sys.version_info[:3])),
            "pid": pid,
            "frames": self.frames,
            "types": [runs.table(name, self._describe) for name, runs in self.types.items()],
        }
        path = os.path.join(self.directory, "python-%d.json" % pid)
        temp = "%s.%d.tmp" % (path, pid)
        try:
            with open(temp, "w", encoding="utf-8") as out:
                out.write(json.dumps(table, separators=(",", ":")))  # dumps: the C encoder
            os.replace(temp, path)
        except OSError as error:  # leakhunt removed the directory: the run is over
            sys.stderr.write("leakhunt_worker: allocation sites not written (%s)\n" % error.strerror)


def start_from_environment():
    """A Recorder when LEAKHUNT_ALLOCATIONS names a directory, else None."""
    directory = os.environ.get("LEAKHUNT_ALLOCATIONS")
    if not directory or not os.path.isdir(directory):
        return None
    try:
        frames = max(1, int(os.environ.get("LEAKHUNT_ALLOCATION_FRAMES", DEFAULT_FRAMES)))
    except ValueError:
        frames = DEFAULT_FRAMES
    return Recorder(directory, frames)
