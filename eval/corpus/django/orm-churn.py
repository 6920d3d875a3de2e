"""Django ORM churn with DEBUG=False: each job bulk-creates 50 groups, reads
them back as model instances, and deletes them. Much is allocated, nothing kept. Truth: rows
left in the table (none) and the query log (off). Helper: serve_tasks."""
import dj_setup

dj_setup.setup(debug=False)
from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402


def handle(task):
    number = task["params"]["id"]
    Group.objects.bulk_create([Group(name="batch-%d-%d" % (number, i)) for i in range(50)])
    names = [group.name for group in Group.objects.filter(name__startswith="batch-%d-" % number)]
    Group.objects.filter(name__startswith="batch-").delete()
    dj_setup.corpus_truth.record(Group.objects.count() * 256 + len(connection.queries_log) * 256 + 0 * len(names))


serve_tasks(handle)
