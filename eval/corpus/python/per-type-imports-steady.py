"""Per-type imports that keep arriving: every third task is of a type never seen before, and each
new type imports its own handler module (generated here as a plugin would be installed), which
builds a 40 KB lookup table at import and stays in sys.modules. Truth: what tracemalloc sees each
import keep. Helper: serve_tasks."""
import importlib.util
import sys
import tracemalloc

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

SOURCE = "TABLE = [('NAME', i, str(i) * 3) for i in range(400)]\ndef run(n):\n    return TABLE[n % 400]\n"
held = 0


def handler_module(name):
    global held
    module_name = "plugins_" + name
    module = sys.modules.get(module_name)
    if module is None:
        tracemalloc.start()
        spec = importlib.util.spec_from_loader(module_name, loader=None)
        module = importlib.util.module_from_spec(spec)
        exec(compile(SOURCE.replace("NAME", name), module_name, "exec"), module.__dict__)
        sys.modules[module_name] = module
        held += tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    return module


def handle(task):
    handler_module(task["name"]).run(task["params"]["id"])
    corpus_truth.record(held)


serve_tasks(handle)
