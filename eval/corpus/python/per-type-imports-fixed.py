"""Per-type imports that settle: 5 task types, each importing its own stdlib modules on its first
run (json, decimal, email, xml.dom.minidom, sqlite3); all appear in the first 5 tasks and repeats
import nothing. Truth: what tracemalloc sees each first import keep. Helper: serve_tasks."""
import importlib
import tracemalloc

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

MODULES = {
    "export_json": "json",
    "price": "decimal",
    "send_email": "email.mime.multipart",
    "parse_xml": "xml.dom.minidom",
    "archive": "sqlite3",
}
loaded = {}
held = 0


def handle(task):
    global held
    name = task["name"]
    if name not in loaded:
        tracemalloc.start()
        loaded[name] = importlib.import_module(MODULES[name])
        held += tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    str(loaded[name])
    corpus_truth.record(held)


serve_tasks(handle)
