"""leakhunt --instrument for Python: hooks that report a framework's task boundaries through
leakhunt_worker (the helper: same channel, same in-process figures), installed when the framework
is imported.

- Celery: the task_prerun / task_postrun / task_failure signals. They are global to every app and
  fire in the process that runs the task (a prefork pool child, or the worker itself with -P solo
  or threads). A pool child killed mid-task never sends task_postrun: the worker's main process
  then sends task_failure with WorkerLostError, and the task is reported lost from there.
- RQ: Worker.perform_job, which runs the job in the process that performs it: the forked work
  horse under Worker, the worker itself under SimpleWorker. A horse killed mid-job is reported
  lost by the worker, from handle_work_horse_killed.

A framework whose hook points are not what these hooks expect is left alone, with one warning.
What was hooked (or not) is noted in the file named by LEAKHUNT_INSTRUMENT, for leakhunt's summary.
"""
import functools
import importlib.util
import json
import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
# src/worker/instrument/python -> src/worker/leakhunt_worker.py
_HELPER_PATH = os.path.join(os.path.dirname(os.path.dirname(_HERE)), "leakhunt_worker.py")
# Set once a warning has been printed, so the processes a worker forks or spawns stay quiet.
_WARNED = "LEAKHUNT_INSTRUMENT_WARNED"


def _helper():
    """leakhunt_worker, loaded from the package on first use (the worker may import it too)."""
    module = sys.modules.get("leakhunt_worker")
    if module is None:
        spec = importlib.util.spec_from_file_location("leakhunt_worker", _HELPER_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules["leakhunt_worker"] = module
        spec.loader.exec_module(module)
    return module


def _note(framework, version, status, detail=None):
    """One line for leakhunt's summary: which framework this process hooked, or why not."""
    path = os.environ.get("LEAKHUNT_INSTRUMENT")
    if not path:
        return
    record = {"framework": framework, "version": str(version), "status": status, "pid": os.getpid()}
    if detail:
        record["detail"] = str(detail)[:300]
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (json.dumps(record) + "\n").encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:
        pass


def _unfit(framework, version, why):
    _note(framework, version, "unfit", why)
    if os.environ.get(_WARNED):
        return
    os.environ[_WARNED] = "1"
    sys.stderr.write("leakhunt: --instrument does not fit %s %s (%s); its tasks are not instrumented\n"
                     % (framework, version, why))
    sys.stderr.flush()


# ---- Celery ---------------------------------------------------------------------------------

_CELERY_SIGNALS = ("task_prerun", "task_postrun", "task_failure")
# Failures reported by the main process for a pool child that can no longer report its own end.
_CHILD_GONE = ("WorkerLostError", "TimeLimitExceeded")


def _hook_celery(signals):
    version = getattr(sys.modules.get("celery"), "__version__", "?")
    missing = [name for name in _CELERY_SIGNALS if not callable(getattr(getattr(signals, name, None), "connect", None))]
    if missing:
        _unfit("celery", version, "celery.signals has no %s" % ", ".join(missing))
        return
    helper = _helper()
    failed = set()

    def name_of(task):
        return getattr(task, "name", None) or "task"

    def on_prerun(sender=None, task_id=None, task=None, **_):
        helper.task_started(task_id, name_of(task or sender))

    def on_failure(sender=None, task_id=None, exception=None, **_):
        if helper.task_running(task_id):
            failed.add(str(task_id))
        elif type(exception).__name__ in _CHILD_GONE:
            helper.task_lost(task_id, name_of(sender))

    def on_postrun(sender=None, task_id=None, task=None, state=None, **_):
        ok = str(task_id) not in failed and state != "FAILURE"
        failed.discard(str(task_id))
        helper.task_ended(task_id, name_of(task or sender), ok)

    # weak=False: these closures have no other reference. dispatch_uid: installed once.
    signals.task_prerun.connect(on_prerun, weak=False, dispatch_uid="leakhunt.prerun")
    signals.task_failure.connect(on_failure, weak=False, dispatch_uid="leakhunt.failure")
    signals.task_postrun.connect(on_postrun, weak=False, dispatch_uid="leakhunt.postrun")
    _note("celery", version, "hooked")


# ---- RQ -------------------------------------------------------------------------------------

def _job_name(job):
    try:
        return job.func_name or "job"
    except Exception:  # a job that cannot be deserialized still gets its boundaries
        return "job"


def _hook_rq(worker_module):
    version = getattr(sys.modules.get("rq"), "__version__", None) or getattr(sys.modules.get("rq.version"), "VERSION", "?")
    worker_class = getattr(worker_module, "Worker", None)
    perform_job = getattr(worker_class, "perform_job", None)
    if not callable(perform_job) or not _takes(perform_job, ("self", "job", "queue")):
        _unfit("rq", version, "rq.worker.Worker.perform_job(self, job, queue) is missing")
        return
    helper = _helper()

    @functools.wraps(perform_job)
    def perform_job_reported(self, job, queue, *args, **kwargs):
        task_id, name = job.id, _job_name(job)
        helper.task_started(task_id, name)
        ok = False
        try:
            # perform_job returns False when the job raised (it handles the exception itself).
            result = perform_job(self, job, queue, *args, **kwargs)
            ok = result is not False
            return result
        finally:
            helper.task_ended(task_id, name, ok)

    worker_class.perform_job = perform_job_reported

    horse_killed = getattr(worker_class, "handle_work_horse_killed", None)
    if callable(horse_killed):
        @functools.wraps(horse_killed)
        def horse_killed_reported(self, job, *args, **kwargs):
            helper.task_lost(job.id, _job_name(job))
            return horse_killed(self, job, *args, **kwargs)

        worker_class.handle_work_horse_killed = horse_killed_reported
    _note("rq", version, "hooked")


def _takes(function, names):
    import inspect

    try:
        parameters = list(inspect.signature(function).parameters)
    except (TypeError, ValueError):
        return False
    return parameters[: len(names)] == list(names)


# ---- post-import hooks ----------------------------------------------------------------------

_HOOKS = {"celery.signals": _hook_celery, "rq.worker": _hook_rq}


def _run_hook(name, module):
    hook = _HOOKS.pop(name, None)
    if hook is None:
        return
    try:
        hook(module)
    except Exception as error:  # a hook must never break the worker's import
        _unfit(name.split(".")[0], "?", "hook failed: %r" % (error,))


class _LoaderProxy:
    """The framework module's own loader, running the hook once the module has executed."""

    def __init__(self, loader, name):
        self._loader = loader
        self._name = name

    def __getattr__(self, attribute):
        return getattr(self._loader, attribute)

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        self._loader.exec_module(module)
        _run_hook(self._name, module)


class _PostImportFinder:
    """First on sys.meta_path: finds hooked modules through the other finders, wraps the loader."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in _HOOKS:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = _LoaderProxy(spec.loader, fullname)
        return spec


def install():
    """Hooks the frameworks already imported now, and the others when they are imported."""
    for name in list(_HOOKS):
        if name in sys.modules:
            _run_hook(name, sys.modules[name])
    if _HOOKS:
        sys.meta_path.insert(0, _PostImportFinder())
