"""End to end: ansible-rulebook runs the shipped escalate_alerts.yml with the utmstack.soc.alerts
source against an emulator of its own, while the test seeds alerts into it.

The seeds cover what a poller gets wrong: an alert from before ``since``, a burst larger than a
page, alerts sharing one timestamp across polls, a late alert, low-severity alerts the source
filters out, and alerts seeded while the search fails. Each high alert must reach the rulebook
exactly once (``--print-events``), and the escalate runbook must have put it into the incident of
its rule. ansible-rulebook runs as an installed collection would: no PYTHONPATH.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter

import pytest

from emulator import Emulator
from harness import API_KEY, COLLECTIONS, ROOT

from ansible_collections.utmstack.soc.plugins.module_utils.watermark import from_ms, to_ms

BIN = os.path.dirname(sys.executable)
RULEBOOK = os.path.join(ROOT, "extensions", "eda", "rulebooks", "escalate_alerts.yml")
INVENTORY = os.path.join(ROOT, "extensions", "eda", "inventory.yml")
DEADLINE = 145  # seconds of waiting in all (the run takes about 65 s); everything started is stopped in any case
EVENT_ID = re.compile(r"'id': '([0-9a-f-]{36})'")


def alert(name, stamp_ms, severity=3):
    return {"id": str(uuid.uuid4()), "@timestamp": from_ms(stamp_ms), "name": name, "severity": severity,
            "status": 2, "isIncident": False, "dataSource": "eda-e2e", "dataType": "test"}


def now_ms():
    return int(time.time() * 1000)


class Rulebook:
    """ansible-rulebook in its own process group, its output in a file; stopped however the test ends."""

    def __init__(self, emulator, workdir):
        self.log_path = str(workdir / "rulebook.log")
        variables = workdir / "vars.yml"
        variables.write_text("since: now-1h\npoll_interval: 1\nbatch_size: 2\nincident_prefix: E2E\n"
                             "state_file: %s\n" % (workdir / "alerts-state.json"))
        env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("UTMSTACK_", "PYTHONPATH")))
        env.update(PATH=BIN + os.pathsep + env["PATH"], ANSIBLE_COLLECTIONS_PATH=COLLECTIONS, ANSIBLE_NOCOLOR="1",
                   ANSIBLE_LOCALHOST_WARNING="False", UTMSTACK_URL=emulator.url, UTMSTACK_API_KEY=API_KEY)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [os.path.join(BIN, "ansible-rulebook"), "-r", RULEBOOK, "-i", INVENTORY, "--vars", str(variables), "--print-events"],
            cwd=str(workdir), env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        with open(self.log_path) as handle:
            return handle.read()

    def delivered(self):
        """Alert ids of the events the rulebook received, one entry per event."""
        blocks = self.output().split("[received event]")[1:]
        return [EVENT_ID.search(block).group(1) for block in blocks if EVENT_ID.search(block)]

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.log.close()


@pytest.fixture
def stack(tmp_path):
    # Not a skip: a machine without them would hide a missing install step.
    assert os.path.exists(os.path.join(BIN, "ansible-rulebook")), "ansible-rulebook is missing: run make setup"
    assert shutil.which("java"), "ansible-rulebook needs a JDK 17 (java on PATH): apt-get install openjdk-17-jre-headless"
    emulator = Emulator(api_keys={API_KEY: "admin"}, seed="empty").start()
    rulebook = None
    try:
        # Before since (now-1h): never delivered. Within it: delivered on the first poll.
        emulator.load_seed({"alerts": [alert("Old rule", now_ms() - 2 * 3600000), alert("Rule A", now_ms() - 600000)]})
        rulebook = Rulebook(emulator, tmp_path)
        yield emulator, rulebook
    finally:
        if rulebook is not None:
            rulebook.stop()
        emulator.stop()


def linked(emulator):
    """{alert id: incident name} for every link row."""
    state = emulator.state()
    names = dict((row["id"], row["incidentName"]) for row in state["incidents"])
    return dict((row["alertId"], names[row["incidentId"]]) for row in state["incident_alerts"])


def wait_until(condition, rulebook, started, what):
    while not condition():
        if rulebook.process.poll() is not None:
            pytest.fail("ansible-rulebook ended (rc %s) while waiting for %s:\n%s" % (rulebook.process.returncode, what, rulebook.output()[-6000:]))
        if time.monotonic() - started > DEADLINE:
            pytest.fail("timed out waiting for %s:\n%s" % (what, rulebook.output()[-6000:]))
        time.sleep(0.5)


def test_every_new_high_alert_is_escalated_exactly_once(stack):
    emulator, rulebook = stack
    started = time.monotonic()
    old, first = [d["id"] for d in emulator.state()["alerts"]]
    expected = {first: "E2E Rule A"}

    def escalated():
        return set(expected).issubset(linked(emulator))

    wait_until(escalated, rulebook, started, "the first alert's incident")

    # A burst of five (batch_size is 2) where three share one millisecond, plus low alerts.
    stamp = now_ms()
    burst = [alert("Rule A", stamp), alert("Rule B", stamp), alert("Rule B", stamp), alert("Rule B", stamp + 1), alert("Rule A", stamp + 2)]
    low = [alert("Rule A", stamp, severity=1), alert("Rule C", stamp + 1, severity=2)]
    emulator.load_seed({"alerts": burst + low})
    expected.update((d["id"], "E2E " + d["name"]) for d in burst)
    wait_until(escalated, rulebook, started, "the burst's incidents")

    # After the poller has seen that millisecond: one more alert with it, and one 20 s late.
    newest = max(to_ms(d["@timestamp"]) for d in burst)
    late = [alert("Rule C", stamp), alert("Rule C", newest - 20000)]
    emulator.load_seed({"alerts": late})
    expected.update((d["id"], "E2E Rule C") for d in late)
    wait_until(escalated, rulebook, started, "the late alerts' incident")

    # The search fails for two polls, then drops every try of a third; what arrives meanwhile still comes once.
    emulator.add_fault(method="POST", path=r"^/api/elasticsearch/search$", status=500, count=2)
    emulator.add_fault(method="POST", path=r"^/api/elasticsearch/search$", drop=True, count=4)
    during = [alert("Rule D", now_ms()), alert("Rule D", now_ms() + 1)]
    emulator.load_seed({"alerts": during})
    expected.update((d["id"], "E2E Rule D") for d in during)
    wait_until(escalated, rulebook, started, "the alerts seeded during the fault")
    wait_until(lambda: not emulator.faults.active, rulebook, started, "the faults to be used up")

    time.sleep(3)  # three more polls: nothing new may arrive
    rulebook.stop()
    output = rulebook.output()
    assert Counter(rulebook.delivered()) == Counter(list(expected)), output[-6000:]
    assert old not in rulebook.delivered()
    assert linked(emulator) == expected
    incidents = dict((row["incidentName"], row) for row in emulator.state()["incidents"])
    assert sorted(incidents) == ["E2E Rule A", "E2E Rule B", "E2E Rule C", "E2E Rule D"]
    # One runbook run per event, none failed; the source said that polling failed and came back.
    assert output.count("PLAY RECAP") == len(expected)
    assert "failed=0" in output and not re.search(r"failed=[1-9]", output)
    assert "poll failed (1 in a row)" in output and "polling works again after 3 failed polls" in output
    assert API_KEY not in output
