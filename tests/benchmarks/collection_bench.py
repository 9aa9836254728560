#!/usr/bin/env python
"""Benchmark of the collection's request economy against the emulator (not a test).

For each job it runs the module's own run() (what a task does) and a naive client of the same
API (one request per object, the server's default page size of 20), and prints requests, wall
time and the ratio naive/collection. Exits 1 if a job's results differ between the two.

    PYTHONPATH=tests:build/collections .venv/bin/python tests/benchmarks/collection_bench.py [--alerts N] [--incidents N]
"""
import argparse
import os
import sys
import time

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(HERE)), "build", "collections"))

from emulator import Emulator  # noqa: E402
from emulator.demo import bulk_seed  # noqa: E402
from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient  # noqa: E402
from ansible_collections.utmstack.soc.plugins.modules import (  # noqa: E402
    utm_alert_status, utm_incident, utm_incident_info)

KEY = "bench-key"
DEFAULT_PAGE = 20  # Spring's default page size, what a client gets without `size`


def params(module, **options):
    result = ArgumentSpecValidator(module.ARGUMENT_SPEC).validate(options)
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def measure(emu, job):
    emu.clear_requests()
    started = time.perf_counter()
    outcome = job()
    return len(emu.requests()), time.perf_counter() - started, outcome


def naive_list_incidents(client):
    rows, page = [], 0
    while True:
        answer = client.get("/api/utm-incidents", {"page": page, "size": DEFAULT_PAGE, "sort": "id,asc"})
        rows.extend(answer.json)
        if len(rows) >= answer.total():
            return sorted(r["id"] for r in rows)
        page += 1


def naive_alert_status(client, ids):
    changed = []
    for alert_id in ids:
        doc = client.search([{"field": "id.keyword", "operator": "IS", "value": alert_id}], limit=1)[0]
        if doc["status"] != 3:
            client.post("/api/utm-alerts/status", body={"alertIds": [alert_id], "status": 3,
                                                        "statusObservation": doc.get("statusObservation") or ""})
            changed.append(alert_id)
    return sorted(changed)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=20000)
    parser.add_argument("--incidents", type=int, default=4000)
    parser.add_argument("--status-alerts", type=int, default=1000)
    args = parser.parse_args()

    with Emulator(api_keys={KEY: "admin"}, seed="empty") as emu:
        emu.start()
        seed = bulk_seed(args.alerts, args.incidents)
        emu.load_seed(seed)
        client = UtmClient(emu.url, api_key=KEY)
        linked = set(a for i in seed["incidents"] for a in i["alerts"])
        free = [a["id"] for a in seed["alerts"] if a["id"] not in linked and not a.get("parentId")]
        rows, failed = [], False

        def compare(name, ours, naive, same):
            nonlocal failed
            failed |= not same
            rows.append((name, ours[0], ours[1], naive[0], naive[1], "" if same else "  RESULTS DIFFER"))

        ours = measure(emu, lambda: sorted(i["id"] for i in utm_incident_info.run(
            client, params(utm_incident_info), False)[1]["incidents"]))
        naive = measure(emu, lambda: naive_list_incidents(client))
        compare("list %d incidents" % args.incidents, ours, naive, ours[2] == naive[2])

        # Half of the alerts already have the status: both must skip them.
        ids = free[:args.status_alerts]
        client.post("/api/utm-alerts/status", body={"alertIds": ids[::2], "status": 3, "statusObservation": ""})
        snapshot = {a["id"]: dict(a) for a in emu.state()["alerts"] if a["id"] in set(ids)}
        ours = measure(emu, lambda: sorted(utm_alert_status.run(
            client, params(utm_alert_status, alerts=ids, status="in_review", sync_incident=False), False)[1]["changed_alerts"]))
        emu.load_seed({"alerts": list(snapshot.values())})  # put the documents back for the naive run
        naive = measure(emu, lambda: naive_alert_status(client, ids))
        compare("in_review on %d alerts (half already)" % len(ids), ours, naive, ours[2] == naive[2])

        name = "Bench incident"
        incident_alerts = free[args.status_alerts:args.status_alerts + 100]
        utm_incident.run(client, params(utm_incident, name=name, alerts=incident_alerts, status="in_review"), False)
        ours = measure(emu, lambda: utm_incident.run(client, params(utm_incident, name=name, alerts=incident_alerts,
                                                                    status="in_review"), False)[0])
        rows.append(("rerun: incident with 100 alerts, unchanged", ours[0], ours[1], None, None,
                     "" if ours[2] is False else "  CHANGED ON RERUN"))
        failed |= ours[2] is not False

    print("%-44s %9s %8s %9s %8s %9s" % ("job", "requests", "time s", "naive req", "naive s", "req ratio"))
    for name, req, secs, nreq, nsecs, note in rows:
        ratio = "%.0fx" % (float(nreq) / req) if nreq else "-"
        print("%-44s %9d %8.2f %9s %8s %9s%s" % (name, req, secs, nreq if nreq else "-",
                                                 "%.2f" % nsecs if nsecs else "-", ratio, note))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
