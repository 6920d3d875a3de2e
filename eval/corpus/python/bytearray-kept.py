"""Native buffers kept: each upload's 64 KB bytearray goes into a retry list that is never
drained. Boundaries by output markers only: "job <id> start" / "job <id> done" on stdout."""
import json
import sys

import corpus_truth

RETRIES = []
for line in sys.stdin:
    task = json.loads(line)
    print("job %s start" % task["task"], flush=True)
    RETRIES.append(bytearray(b"\x03") * (64 * 1024))
    print("job %s done" % task["task"], flush=True)
    corpus_truth.record(sum(len(chunk) for chunk in RETRIES))
