"""leakhunt --instrument: put first on PYTHONPATH by leakhunt, so every Python process of the
worker's tree runs this at start-up (site imports `sitecustomize`).

It first runs the sitecustomize this interpreter would have run without leakhunt (the next one on
sys.path, e.g. a distribution's own), then, only under leakhunt (LEAKHUNT_CHANNEL set), installs
import hooks that report Celery's and RQ's task boundaries when those frameworks are imported.
Nothing is imported eagerly: a worker that never imports them pays for two small modules.
"""
import os
import sys


def _run_next_sitecustomize():
    """Executes the sitecustomize that this one shadows, in this module's namespace."""
    import importlib.machinery
    import importlib.util

    here = os.path.dirname(os.path.abspath(__file__))
    rest = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != here]
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize", rest)
    if spec is None or spec.loader is None:
        return
    shadowed = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(shadowed)
    except Exception:  # site itself would have reported it and gone on
        import traceback

        sys.stderr.write("Error in sitecustomize (%s); set PYTHONVERBOSE for traceback:\n" % spec.origin)
        traceback.print_exc()
        return
    # Code that reads attributes of `sitecustomize` still finds the shadowed module's.
    globals().update({key: value for key, value in vars(shadowed).items() if not key.startswith("__")})


_run_next_sitecustomize()

if os.environ.get("LEAKHUNT_CHANNEL"):
    try:
        import leakhunt_instrument

        leakhunt_instrument.install()
    except Exception as error:  # never stop the worker
        sys.stderr.write("leakhunt: --instrument could not install its hooks (%s); the worker runs uninstrumented\n" % error)
