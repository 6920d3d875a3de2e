"""A cache that fills for hundreds of tasks and then stops: tax rules keyed by region, 250
regions, 8 KB each; jobs visit regions in turn, so the cache grows for the first 250 jobs and
then only hits. Helper: serve_tasks."""
import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

REGIONS = 250
RULES = {}
RULE_BYTES = 8 * 1024


def handle(task):
    region = task["params"]["id"] % REGIONS
    if region not in RULES:
        RULES[region] = bytearray(b"\x07") * RULE_BYTES
    corpus_truth.record(len(RULES) * RULE_BYTES)


serve_tasks(handle)
