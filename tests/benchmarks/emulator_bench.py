#!/usr/bin/env python
"""Benchmark of the UTMStack emulator at production-like volume (not a test).

Starts the emulator empty, loads bulk_seed() (100,000 alerts, 10,000 incidents
of two alerts each by default) and measures over HTTP with an API key:
  (a) POST /api/elasticsearch/search for 2,000 alert ids
      (id.keyword IS_ONE_OF_TERMS, top=2000, size=2000);
  (b) the full paged incident listing (GET /api/utm-incidents?page=N&size=2000
      until X-Total-Count incidents are read);
  (c) a UI-style alert page (last 7 days, status IS_NOT 1, not a false
      positive, newest first, 25 per page).
Prints the seed times and, for each, the median wall-clock and process CPU
time of --runs runs (client and server share this process); exits 0 when every
answer had the expected size, 1 otherwise.

    .venv/bin/python tests/benchmarks/emulator_bench.py [--alerts N] [--incidents N] [--runs N]
"""
import argparse
import os
import random
import statistics
import sys
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from emulator import Emulator  # noqa: E402
from emulator.demo import bulk_seed  # noqa: E402

KEY = "KEY"
PAGE = 2000


def timed(func):
    start = time.perf_counter()
    result = func()
    return time.perf_counter() - start, result


def timed_cpu(func):
    """(wall s, process CPU s, result); the emulator's threads run in this process,
    so the CPU figure covers client and server and resists load from other programs."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def search_ids(session, url, ids):
    body = [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": ids}]
    params = {"top": PAGE, "indexPattern": "v11-alert-*", "page": 1, "size": PAGE}
    resp = session.post(url + "/api/elasticsearch/search", params=params, json=body)
    resp.raise_for_status()
    found = set(doc["id"] for doc in resp.json())
    return found == set(ids) and resp.headers.get("X-Total-Count") == str(len(ids))


def list_incidents(session, url, expected):
    seen, page, total = [], 0, None
    while total is None or len(seen) < total:
        resp = session.get(url + "/api/utm-incidents", params={"page": page, "size": PAGE})
        resp.raise_for_status()
        total = int(resp.headers.get("X-Total-Count", "0"))
        batch = resp.json()
        if not batch:
            break
        seen.extend(item["id"] for item in batch)
        page += 1
    return len(seen) == len(set(seen)) == total == expected


def alert_page(session, url):
    body = [{"field": "status", "operator": "IS_NOT", "value": 1},
            {"field": "tags", "operator": "IS_NOT", "value": "False positive"},
            {"field": "@timestamp", "operator": "IS_BETWEEN", "value": ["now-7d", "now"]}]
    params = {"top": 10000, "indexPattern": "v11-alert-*", "page": 1, "size": 25,
              "sort": "@timestamp,desc"}
    resp = session.post(url + "/api/elasticsearch/search", params=params, json=body)
    resp.raise_for_status()
    return len(resp.json()) == 25


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--alerts", type=int, default=100000)
    parser.add_argument("--incidents", type=int, default=10000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    emulator = Emulator(api_keys={KEY: "admin"}, seed="empty").start()
    ok = True
    try:
        build_s, seed = timed(lambda: bulk_seed(args.alerts, args.incidents))
        load_s, unused_value = timed(lambda: emulator.load_seed(seed))
        print("seed: %d alerts, %d incidents" % (len(seed["alerts"]), len(seed["incidents"])))
        print("  bulk_seed() build      %7.2f s" % build_s)
        print("  Emulator.load_seed()   %7.2f s" % load_s)
        ids = [doc["id"] for doc in random.Random(1).sample(seed["alerts"],
                                                            min(PAGE, len(seed["alerts"])))]
        expected = len(seed["incidents"])
        del seed
        session = requests.Session()
        session.headers["Utm-Api-Key"] = KEY
        checks = [
            ("(a) search by %d ids (id.keyword IS_ONE_OF_TERMS)" % len(ids),
             lambda: search_ids(session, emulator.url, ids)),
            ("(b) list all %d incidents, pages of %d" % (expected, PAGE),
             lambda: list_incidents(session, emulator.url, expected)),
            ("(c) alert page: 7 days, open, newest 25",
             lambda: alert_page(session, emulator.url)),
        ]
        print("median of %d runs over HTTP:%s wall      cpu" % (args.runs, " " * 28))
        for label, check in checks:
            walls, cpus = [], []
            for unused_value in range(args.runs):
                wall, cpu, good = timed_cpu(check)
                walls.append(wall)
                cpus.append(cpu)
                ok = ok and good
                if not good:
                    print("  unexpected answer for %s" % label)
            print("  %-52s %6.3f s  %6.3f s  (wall min %.3f, max %.3f)"
                  % (label, statistics.median(walls), statistics.median(cpus),
                     min(walls), max(walls)))
    finally:
        emulator.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
