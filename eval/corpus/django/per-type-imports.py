"""The seed's story in Django: each new task type imports its own part of Django (a module of
django.* in a seeded order, as task modules pull in forms, templates, mail, serializers ...), and
every import stays in sys.modules. New types keep arriving through the run (one in three tasks).
Truth: what tracemalloc sees each first import keep. Helper: serve_tasks."""
import importlib
import os
import random
import tracemalloc

import dj_setup

dj_setup.setup(debug=False)
import django  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402

# Parts of Django that need what this worker does not have (GIS libraries, other databases,
# the admin app, a test runner) are left out.
SKIP = ("gis", "postgres", "mysql", "oracle", "django.test", "commands", "migrations", "locale",
        "django.contrib.admin", "templatetags", "jinja2", "sessions.backends.cache")


def django_modules():
    base = os.path.dirname(django.__file__)
    names = []
    for directory, _, files in os.walk(base):
        for file in files:
            if file.endswith(".py") and file != "__init__.py":
                path = os.path.relpath(os.path.join(directory, file[:-3]), os.path.dirname(base))
                names.append(path.replace(os.sep, "."))
    names = sorted(n for n in names if not any(s in n for s in SKIP))
    random.Random(22).shuffle(names)
    return names


MODULES = django_modules()
imported = {}
held = 0


def handle(task):
    global held
    name = task["name"]
    if name not in imported:
        index = int(name.rsplit("_", 1)[1])
        tracemalloc.start()
        try:
            imported[name] = importlib.import_module(MODULES[index % len(MODULES)])
        except Exception:
            imported[name] = None
        held += tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    dj_setup.corpus_truth.record(held)


serve_tasks(handle)
