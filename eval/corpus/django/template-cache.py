"""Django's cached template loader warming up: 20 templates, each compiled on its first render
and served from the cache after; all 20 are rendered within the first 20 jobs. Truth: what
tracemalloc sees each first compile keep. Helper: serve_tasks."""
import tracemalloc

import dj_setup

dj_setup.setup(debug=False)
from django.template import Context, Engine  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402

SOURCES = {
    "page%d.html" % n: "{% for row in rows %}<tr><td>{{ row.name|upper }}</td><td>{{ row.total|floatformat:2 }}</td></tr>{% endfor %}" * (n + 5)
    for n in range(20)
}
engine = Engine(loaders=[("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", SOURCES)])])
compiled = set()
held = 0


def handle(task):
    global held
    name = "page%d.html" % (task["params"]["id"] % 20)
    if name not in compiled:
        tracemalloc.start()
        template = engine.get_template(name)
        held += tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        compiled.add(name)
    else:
        template = engine.get_template(name)
    template.render(Context({"rows": [{"name": "r%d" % i, "total": i * 1.5} for i in range(20)]}))
    dj_setup.corpus_truth.record(held)


serve_tasks(handle)
