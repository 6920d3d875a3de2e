"""Django signal receivers never disconnected: each job connects a receiver (weak=False, so the
signal holds it) to a project signal, closing over the job's 16 KB report. Truth: receivers
held times the report size. Helper: serve_tasks."""
import dj_setup

dj_setup.setup(debug=False)
from django.dispatch import Signal  # noqa: E402
from leakhunt_worker import serve_tasks  # noqa: E402

report_ready = Signal()
REPORT_BYTES = 16 * 1024


def handle(task):
    report = bytearray(b"\x0a") * REPORT_BYTES

    def on_ready(sender, **kwargs):
        return len(report)

    report_ready.connect(on_ready, weak=False, dispatch_uid="job-%s" % task["task"])
    report_ready.send(sender=None)
    dj_setup.corpus_truth.record(len(report_ready.receivers) * REPORT_BYTES)


serve_tasks(handle)
