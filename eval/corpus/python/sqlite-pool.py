"""A connection pool: a queue.Queue of 4 sqlite3 in-memory connections, each with its table,
created on first need; every job borrows one, inserts and deletes a row batch, and returns it.
Truth: rows held across jobs (none) plus the 4 connections' page caches, counted as their
page_count * page_size. Helper: serve_tasks."""
import queue
import sqlite3

import corpus_truth

corpus_truth.use_helper()
from leakhunt_worker import serve_tasks  # noqa: E402

POOL = queue.Queue()
CONNECTIONS = []
for _ in range(4):
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, body TEXT)")
    CONNECTIONS.append(conn)
    POOL.put(conn)


def held():
    total = 0
    for conn in CONNECTIONS:
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        total += pages * size
    return total


def handle(task):
    conn = POOL.get()
    try:
        rows = [(None, "event %d %s" % (task["params"]["id"], "b" * 200)) for _ in range(100)]
        conn.executemany("INSERT INTO events VALUES (?, ?)", rows)
        conn.execute("SELECT count(*), max(length(body)) FROM events").fetchone()
        conn.execute("DELETE FROM events")
        conn.commit()
    finally:
        POOL.put(conn)
    corpus_truth.record(held())


serve_tasks(handle)
