"""GC sawtooth: each job builds ~1 MB of objects in reference cycles (parent <-> child nodes) and
drops them; only the cyclic collector frees them, when its thresholds say so. No helper (which
would collect at every end): its own loop, raw channel lines."""
import json
import os
import sys

import corpus_truth

channel = os.open(os.environ["LEAKHUNT_CHANNEL"], os.O_WRONLY)


class Node:
    def __init__(self, parent):
        self.parent = parent
        self.children = []
        self.payload = "x" * 64


def send(**record):
    record["pid"] = os.getpid()
    os.write(channel, (json.dumps(record) + "\n").encode())


for line in sys.stdin:
    task = json.loads(line)
    send(event="start", task=task["task"], name=task["name"])
    root = Node(None)
    for _ in range(4000):
        child = Node(root)
        root.children.append(child)
    del root, child
    send(event="end", task=task["task"], name=task["name"], ok=True)
    corpus_truth.record(0)
