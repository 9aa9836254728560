"""`make demo`: the respond.yml runbook against the bundled UTMStack emulator.

Starts the emulator with the demo alerts on a free port, runs playbooks/respond.yml,
prints what it made (incidents, their alerts and notes, read back through the
collection's own client), runs the runbook again to show that nothing changes, and
stops the emulator. Exits non-zero when anything fails. With --keep (make demo KEEP=1)
the emulator stays up afterwards, until Ctrl-C, to look at what the runbook made.
"""

import os
import re
import signal
import threading
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLLECTIONS = os.path.join(ROOT, "build", "collections")
sys.path[:0] = [os.path.join(ROOT, "tests"), COLLECTIONS]

API_KEY = "demo-key"
PLAYBOOK = os.path.join(ROOT, "playbooks", "respond.yml")
PREFIX = "SOC: "  # respond.yml's default incident_prefix


def run_respond(url, capture):
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, UTMSTACK_URL=url, UTMSTACK_API_KEY=API_KEY,
               ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False",
               ANSIBLE_DISPLAY_SKIPPED_HOSTS="False", ANSIBLE_RETRY_FILES_ENABLED="False")
    for name in ("UTMSTACK_USERNAME", "UTMSTACK_PASSWORD", "UTMSTACK_TOKEN", "UTMSTACK_CA_PATH"):
        env.pop(name, None)
    cmd = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"), PLAYBOOK]
    started = time.time()
    result = subprocess.run(cmd, env=env, text=True, capture_output=capture, timeout=900, check=False)
    return result, time.time() - started


def recap(output):
    """The localhost line of the PLAY RECAP."""
    lines = output.splitlines()
    for index, line in enumerate(lines):
        if line.startswith("PLAY RECAP"):
            return " ".join(lines[index + 1].split())
    return ""


def summary(client):
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts, incidents, notes, vocabulary

    made = incidents.list_incidents(client, {"incidentName.contains": PREFIX}, sort="id,asc")
    print("\n%d incident(s) made by respond.yml:" % len(made))
    for incident in made:
        links = incidents.links_of_incident(client, incident["id"])
        docs = alerts.get_alerts(client, [link["alertId"] for link in links])
        statuses = {}
        for doc in docs.values():
            word = vocabulary.alert_status_word(doc.get("status"))
            statuses[word] = statuses.get(word, 0) + 1
        print("\n  #%s %s" % (incident["id"], incident["incidentName"]))
        print("     status %s, severity %s, %d alert(s): %s" % (
            vocabulary.incident_status_word(incident["incidentStatus"]),
            vocabulary.SEVERITY_WORD.get(incident["incidentSeverity"], incident["incidentSeverity"]),
            len(links), ", ".join("%d %s" % (n, word) for word, n in sorted(statuses.items()))))
        observations = sorted(set(doc.get("statusObservation") or "" for doc in docs.values()))
        print("     alert observation: %s" % "; ".join(observations))
        for note in notes.list_notes(client, incident["id"]):
            print("     note: %s" % note["noteText"])
    others = incidents.list_incidents(client, sort="id,asc")
    print("\n%d incident(s) on the server in all." % len(others))
    return made


def keep_running(url):
    """Serve until Ctrl-C or SIGTERM, saying how to look at the result."""
    # The handlers come first: a Ctrl-C right after the message stops the demo cleanly.
    stopping = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.set())
    print("\nThe emulator keeps running at %s until Ctrl-C:" % url)
    print("  open %s/ in a browser for its incidents, alerts, notes, history and requests," % url)
    print("  or: export UTMSTACK_URL=%s UTMSTACK_API_KEY=%s and run playbooks against it." % (url, API_KEY), flush=True)
    while not stopping.wait(0.5):
        pass


def main(argv=None):
    keep = "--keep" in (sys.argv[1:] if argv is None else argv)
    if not os.path.exists(os.path.join(COLLECTIONS, "ansible_collections", "utmstack", "soc")):
        print("build/collections is missing: run 'bash tools/setup.sh' first (make demo does)", file=sys.stderr)
        return 2
    from emulator import Emulator
    from ansible_collections.utmstack.soc.plugins.module_utils.client import UtmClient

    emulator = Emulator(api_keys={API_KEY: "admin"}, seed="demo").start()
    try:
        client = UtmClient(emulator.url, api_key=API_KEY)
        open_before = len(client.search([{"field": "status", "operator": "IS", "value": 2}]))
        print("UTMStack emulator with the demo data at %s (%d open alerts)\n" % (emulator.url, open_before))
        print("=== First run of playbooks/respond.yml\n", flush=True)
        first, took = run_respond(emulator.url, capture=False)
        if first.returncode != 0:
            print("respond.yml failed (rc %d)" % first.returncode, file=sys.stderr)
            return 1
        print("(first run took %.1f s)" % took)
        made = summary(client)
        if not made:
            print("respond.yml made no incident", file=sys.stderr)
            return 1

        print("\n=== Second run: the same alerts are handled, nothing should change\n", flush=True)
        emulator.clear_requests()
        second, took = run_respond(emulator.url, capture=True)
        line = recap(second.stdout)
        print("PLAY RECAP  %s   (%.1f s)" % (line, took))
        writes = emulator.requests(writes_only=True)
        if second.returncode != 0 or not re.search(r"\bchanged=0\b", line) or writes:
            print(second.stdout[-4000:], second.stderr[-2000:], file=sys.stderr)
            print("the second run changed something (or failed): %d write request(s)" % len(writes), file=sys.stderr)
            return 1
        print("Second run: changed=0 and no write request reached the server.")
        if keep:
            keep_running(emulator.url)
        else:
            print("(make demo KEEP=1 leaves the emulator running, to look at what the runbook made)")
        return 0
    finally:
        emulator.stop()


if __name__ == "__main__":
    sys.exit(main())
