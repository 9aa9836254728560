"""The collection's promise, end to end, as a new user's playbook (issue: collection core).

search alerts -> incident from three -> add a fourth -> same note twice -> in review -> assign ->
complete with a solution -> read back. A rerun changes nothing and sends only reads; --check on
a fresh server sends no write.
"""

import os
import re

from harness import run_playbook

PLAYBOOK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "scenarios", "new_user.yml")
MODULE_TASKS = 12  # tasks of the playbook that run a utmstack.soc module


def recap(stdout):
    match = re.search(r"localhost\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", stdout)
    assert match, stdout[-3000:]
    return dict(zip(("ok", "changed", "unreachable", "failed"), map(int, match.groups())))


def test_first_run_then_rerun_changes_nothing_and_only_reads(emulator):
    first = run_playbook(emulator, PLAYBOOK)
    assert first.returncode == 0, first.stdout[-6000:] + first.stderr[-2000:]
    assert recap(first.stdout)["changed"] == 6
    state = emulator.state()
    incident = [i for i in state["incidents"] if i["incidentName"] == "INC Port scan against the DMZ"][0]
    flagged = [a for a in state["alerts"] if (a.get("incidentDetail") or {}).get("incidentId") == str(incident["id"])]
    assert len(flagged) == 4 and all(a["isIncident"] for a in flagged)

    emulator.clear_requests()
    second = run_playbook(emulator, PLAYBOOK)
    assert second.returncode == 0, second.stdout[-6000:]
    assert recap(second.stdout)["changed"] == 0
    requests = emulator.requests()
    assert [r for r in requests if r["write"]] == []
    assert len(requests) <= 2 * MODULE_TASKS


def test_check_mode_on_a_fresh_server_sends_no_write(emulator):
    result = run_playbook(emulator, PLAYBOOK, "--check")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    # Each task predicts its own change; the second note too, since the first was not written.
    assert recap(result.stdout)["changed"] == 7
    assert emulator.requests(writes_only=True) == []
