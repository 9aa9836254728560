"""Each runbook's --check predicts its real run exactly, and each ends with one summary (issue 9).

On fresh demo data, every case runs a runbook with --check, then for real, then again: the check
sends no write, reports the recap's changed count of the real run and the same summary (the
set_stats data, shown with ANSIBLE_SHOW_CUSTOM_STATS; a new incident has no id in check mode);
the rerun changes nothing. Also: bad input fails with one short line before any request, and
unknown alert ids warn, fail or pass as ``missing`` says.
"""

import json
import re

import pytest

from harness import clear_local_state, free_alert_ids, run_playbook
from test_runbooks import INCIDENT, RULE, alert_docs, extra, incident_named, playbook, succeeded, writes

UNKNOWN = "00000000-0000-4000-8000-000000000000"
STATS = {"ANSIBLE_SHOW_CUSTOM_STATS": "True"}


def summary(result):
    """The utmstack_summary a run handed to set_stats (the default callback's CUSTOM STATS line)."""
    match = re.search(r"^\s*RUN: (.*)$", result.stdout, re.M)
    assert match, result.stdout[-3000:]
    return json.loads(match.group(1))["utmstack_summary"]


def summary_lines(result):
    """The lines of the summary task's debug output."""
    block = result.stdout.split("utmstack.soc.summary : Say what the run did", 1)[1]
    return json.loads(block[block.index("{"):block.index("\n}") + 2])["msg"]


def predicted(real):
    """The summary a check run should show for ``real``: new incidents without an id."""
    expected = dict(real, check_mode=True, lines=None)
    expected["incidents_created"] = [dict(incident, id=None) for incident in real["incidents_created"]]
    return expected


def check_then_apply(emulator, name, *args):
    """--check, the real run and a rerun of one runbook; returns (check summary, real summary, lines)."""
    emulator.clear_requests()
    check = playbook(emulator, name, "--check", *args, **STATS)
    check_changed = succeeded(check)[1]
    assert writes(emulator) == [], "%s --check sent writes" % name
    real = playbook(emulator, name, *args, **STATS)
    real_changed = succeeded(real)[1]
    assert check_changed == real_changed, (name, check_changed, real_changed)
    forecast, done = summary(check), summary(real)
    assert dict(forecast, lines=None) == predicted(done)
    assert forecast["check_mode"] is True and done["check_mode"] is False
    assert summary_lines(check) == forecast["lines"] and summary_lines(real) == done["lines"]
    assert forecast["lines"][0].startswith("Check mode, nothing was written. Incidents: ")
    assert done["lines"][0].startswith("Incidents: ")
    rerun = playbook(emulator, name, *args, **STATS)
    assert succeeded(rerun)[1] == 0
    again = summary(rerun)
    assert again["incidents_created"] == again["incidents_updated"] == []
    assert again["alerts_changed"] == again["notes_added"] == 0
    return forecast, done, real


def test_respond_check_predicts_the_run(emulator, record_property):
    forecast, done, real = check_then_apply(emulator, "respond.yml")
    created = done["incidents_created"]
    assert len(created) == 7 and done["incidents_updated"] == done["incidents_unchanged"] == []
    assert all(incident["status"] == "in_review" and incident["alerts"] > 0 and incident["id"] for incident in created)
    # Each alert once, and the echoes that followed their incident into review.
    assert done["alerts_changed"] > sum(incident["alerts"] for incident in created)
    assert done["notes_added"] == 14  # the escalation's note and the triage's note on each incident
    port_scan = [i for i in created if i["name"] == INCIDENT][0]
    assert "created: %s (id %d, %d alert(s), in_review)" % (INCIDENT, port_scan["id"], port_scan["alerts"]) in done["lines"]
    assert "would be created: %s (new, %d alert(s), in_review)" % (INCIDENT, port_scan["alerts"]) in forecast["lines"]
    record_property("size", "%d incidents, %d alerts, %d output lines" % (
        len(created), done["alerts_changed"], len(real.stdout.splitlines())))


def test_respond_check_predicts_an_update(emulator, client):
    # An earlier incident of one rule holds some of its alerts; respond adds the others to it.
    docs = client.search([{"field": "name.keyword", "operator": "IS", "value": RULE},
                          {"field": "status", "operator": "IS", "value": 2},
                          {"field": "parentId", "operator": "DOES_NOT_EXIST"}])
    earlier = sorted(d["id"] for d in docs)[:2]
    succeeded(playbook(emulator, "escalate.yml", *extra(incident_name=INCIDENT, alert_ids=earlier)))
    forecast, done, unused_real = check_then_apply(emulator, "respond.yml")
    updated = done["incidents_updated"]
    assert [i["name"] for i in updated] == [INCIDENT] and updated[0]["status"] == "in_review"
    assert updated[0]["alerts"] > len(earlier)
    assert len(done["incidents_created"]) == 6


def test_escalate_check_predicts_the_run(emulator):
    args = extra(incident_name=INCIDENT, rule_name=RULE, since="now-8d", incident_status="in_review")
    unused_forecast, done, unused_real = check_then_apply(emulator, "escalate.yml", *args)
    [incident] = done["incidents_created"]
    assert incident["name"] == INCIDENT and incident["status"] == "in_review" and incident["alerts"] > 3
    assert done["notes_added"] == 1


@pytest.mark.parametrize("name, arguments", [
    ("triage.yml", dict(incident_name=INCIDENT, observation="Checking which services were reached")),
    ("false_positive.yml", dict(reason="Authorized scan by the red team", detach=True)),
    ("close.yml", dict(incident_name=INCIDENT, solution="Source blocked at the edge firewall.")),
])
def test_analyst_runbooks_check_predicts_the_run(emulator, client, name, arguments):
    succeeded(playbook(emulator, "escalate.yml", *extra(incident_name=INCIDENT, rule_name=RULE, since="now-8d")))
    incident = incident_named(client, INCIDENT)
    ids = sorted(d["id"] for d in alert_docs(client, incident))
    if name == "false_positive.yml":
        arguments = dict(arguments, alert_ids=ids[:2])
    unused_forecast, done, unused_real = check_then_apply(emulator, name, *extra(**arguments))
    [updated] = done["incidents_updated"]
    assert updated["name"] == INCIDENT and updated["id"] == incident["id"]
    assert done["notes_added"] == 1 and done["alerts_changed"] >= 2
    assert updated["status"] == {"triage.yml": "in_review", "false_positive.yml": "open", "close.yml": "completed"}[name]


@pytest.mark.parametrize("name, arguments, message", [
    ("escalate.yml", dict(incident_name="X", incident_status="closed"),
     'incident_status must be open, in_review, completed or empty, not "closed".'),
    ("escalate.yml", dict(incident_name="X", severity="critical,high"), 'severity must be low, medium or high, not "critical,high".'),
    ("escalate.yml", dict(incident_name="X", alert_ids=["a"], missing="maybe"), 'missing must be warn, fail or ignore, not "maybe".'),
    ("respond.yml", dict(max_alerts="many"), 'max_alerts a positive whole number (not "many").'),
    ("triage.yml", dict(incident_id="seven"), 'incident_id must be a number, not "seven".'),
    ("close.yml", dict(incident_name="X"), "set solution."),
    ("false_positive.yml", dict(alert_ids=["a"], reason="r", missing="no"), 'missing must be warn, fail or ignore, not "no".'),
])
def test_bad_runbook_input_fails_short_before_any_request(emulator, name, arguments, message):
    result = playbook(emulator, name, *extra(**arguments))
    assert result.returncode != 0
    assert message in result.stdout
    assert emulator.requests() == []
    assert len(result.stdout) + len(result.stderr) < 1500, result.stdout


def test_role_argument_spec_refuses_a_status_before_any_request(emulator, tmp_path):
    play = tmp_path / "role.yml"
    play.write_text("""- hosts: localhost
  gather_facts: false
  tasks:
    - ansible.builtin.include_role:
        name: utmstack.soc.escalate
      vars:
        escalate_incident_name: X
        escalate_status: closed
""")
    result = run_playbook(emulator, str(play))
    assert result.returncode != 0
    assert "value of escalate_status must be one of: , open, in_review, completed, got: closed" in result.stdout
    assert emulator.requests() == []


@pytest.mark.parametrize("name", ["escalate.yml", "false_positive.yml", "triage.yml"])
def test_unknown_alert_ids(emulator, client, name):
    known = free_alert_ids(client, 2)
    base = dict(alert_ids=known + [UNKNOWN])
    base.update({"escalate.yml": dict(incident_name="Listed alerts"), "false_positive.yml": dict(reason="Scanner"),
                 "triage.yml": dict()}[name])

    failed = playbook(emulator, name, *extra(missing="fail", **base))
    assert failed.returncode != 0 and UNKNOWN in failed.stdout and "1 of the listed alerts do not exist" in failed.stdout
    assert writes(emulator) == []

    warned = playbook(emulator, name, *extra(**base))
    assert succeeded(warned)[1] > 0
    # A module's warning goes to stderr, the escalate role's message (a debug task) to stdout.
    assert "1 of the listed alerts do not exist on the server: %s" % UNKNOWN in warned.stdout + warned.stderr

    emulator.reset(seed="demo")
    clear_local_state()
    quiet = playbook(emulator, name, *extra(missing="ignore", **base))
    assert succeeded(quiet)[1] > 0 and UNKNOWN not in quiet.stdout + quiet.stderr


SUMMARY_PLAY = """- hosts: localhost
  gather_facts: false
  vars:
    utmstack_report:
      incidents:
        - {name: Scan, id: null, alerts: 3, status: open, created: true, changed: true}
        - {name: Scan, id: null, alerts: null, status: in_review, created: false, changed: true}
        - {name: Logons, id: 4, alerts: 2, status: open, created: false, changed: false}
        - {name: null, id: 7, alerts: null, status: null, created: false, changed: true}
        - {name: Logons, id: 4, alerts: null, status: null, created: false, changed: false}
      alerts_changed: [a, b, a]
      notes_added: [Scan, 7]
  roles:
    - utmstack.soc.summary
"""


@pytest.mark.parametrize("check", [False, True])
def test_summary_merges_the_records_per_incident(emulator, tmp_path, check):
    play = tmp_path / "summary.yml"
    play.write_text(SUMMARY_PLAY)
    result = run_playbook(emulator, str(play), *(["--check"] if check else []), **STATS)
    succeeded(result)
    got = summary(result)
    assert got["incidents_created"] == [{"name": "Scan", "id": None, "alerts": 3, "status": "in_review"}]
    assert got["incidents_updated"] == [{"name": None, "id": 7, "alerts": None, "status": None}]
    assert got["incidents_unchanged"] == [{"name": "Logons", "id": 4, "alerts": 2, "status": "open"}]
    assert (got["alerts_changed"], got["notes_added"]) == (2, 2)
    if check:
        assert got["lines"] == [
            "Check mode, nothing was written. Incidents: 1 would be created, 1 would be updated, 1 unchanged; "
            "2 alert(s) would change; 2 note(s) would be added.",
            "would be created: Scan (new, 3 alert(s), in_review)", "would be updated: incident 7",
            "unchanged: Logons (id 4, 2 alert(s), open)"]
    else:
        assert got["lines"] == [
            "Incidents: 1 created, 1 updated, 1 unchanged; 2 alert(s) changed; 2 note(s) added.",
            "created: Scan (new, 3 alert(s), in_review)", "updated: incident 7", "unchanged: Logons (id 4, 2 alert(s), open)"]
    assert summary_lines(result) == got["lines"]
    assert emulator.requests() == []
