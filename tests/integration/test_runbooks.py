"""The runbooks in playbooks/ against a fresh demo emulator, and the molecule scenarios.

respond.yml: a real run makes one incident per rule, a second run reports changed=0 and
sends no write, --check on a fresh server sends no write. The other runbooks run in the
order an analyst would use them after respond.yml.
"""

import json
import os
import re
import signal
import subprocess

import pytest

from harness import ROOT, run_playbook

PLAYBOOKS = os.path.join(ROOT, "playbooks")
RULE = "Port scan detected"  # a medium-severity rule of the demo data
INCIDENT = "SOC: " + RULE


def playbook(emulator, name, *args, **env):
    return run_playbook(emulator, os.path.join(PLAYBOOKS, name), *args, **env)


def extra(**variables):
    """One -e argument as JSON: key=value pairs would split values at spaces."""
    return ["-e", json.dumps(variables)]


def recap(result):
    """(ok, changed, failed) of localhost from the PLAY RECAP."""
    match = re.search(r"^localhost\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", result.stdout, re.M)
    assert match, result.stdout[-3000:] + result.stderr[-2000:]
    return tuple(int(n) for n in match.groups())


def succeeded(result):
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return recap(result)


def writes(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests(writes_only=True)]


def incident_named(client, name):
    from ansible_collections.utmstack.soc.plugins.module_utils import incidents

    return incidents.find_by_name(client, name)


def alert_docs(client, incident):
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts, incidents

    links = incidents.links_of_incident(client, incident["id"])
    return list(alerts.get_alerts(client, [link["alertId"] for link in links]).values())


def note_texts(client, incident):
    from ansible_collections.utmstack.soc.plugins.module_utils import notes

    return [note["noteText"] for note in notes.list_notes(client, incident["id"])]


def test_respond_check_mode_sends_no_write(emulator):
    result = playbook(emulator, "respond.yml", "--check", "--diff")
    ok, changed, failed = succeeded(result)
    assert changed > 0 and failed == 0
    assert writes(emulator) == []


def test_respond_twice(emulator, client):
    # One rule already had an incident, now completed: respond must not reopen it.
    earlier = sorted(d["id"] for d in client.search([
        {"field": "name.keyword", "operator": "IS", "value": RULE},
        {"field": "status", "operator": "IS", "value": 2},
        {"field": "parentId", "operator": "DOES_NOT_EXIST"}]))[:2]
    succeeded(playbook(emulator, "escalate.yml", *extra(incident_name=INCIDENT, alert_ids=earlier)))
    succeeded(playbook(emulator, "close.yml", *extra(incident_name=INCIDENT, solution="Handled last week.")))

    first = playbook(emulator, "respond.yml")
    assert succeeded(first)[1] > 0
    closed = incident_named(client, INCIDENT)
    assert closed["incidentStatus"] == "COMPLETED"
    assert sorted(d["id"] for d in alert_docs(client, closed)) == earlier
    incident = incident_named(client, INCIDENT + " #2")
    assert incident["incidentStatus"] == "IN_REVIEW"
    assert incident["incidentDescription"].startswith("One source contacted many ports")
    docs = alert_docs(client, incident)
    assert docs and all(d["status"] == 3 and d["isIncident"] and d["name"] == RULE for d in docs)
    assert set(d["statusObservation"] for d in docs) == {"Under review by the SOC (respond runbook)."}
    texts = note_texts(client, incident)
    assert len(texts) == 2 and texts[0].startswith("Escalated by Ansible: %d alert(s)" % len(docs))
    assert texts[1].startswith("Triaged by Ansible: %d alert(s) in review" % len(docs))
    # Low severity and echo alerts are left alone.
    assert incident_named(client, "SOC: Windows logon failure") is None

    emulator.clear_requests()
    second = playbook(emulator, "respond.yml")
    assert succeeded(second)[1] == 0
    assert writes(emulator) == []
    assert len(emulator.requests()) <= 4


def test_respond_bad_input_fails_before_any_request(emulator):
    result = playbook(emulator, "respond.yml", *extra(min_severity="critical"))
    assert result.returncode != 0
    assert "min_severity must be low, medium or high" in result.stdout
    assert emulator.requests() == []


def test_runbooks_in_sequence(emulator, client):
    escalate = extra(incident_name=INCIDENT, rule_name=RULE, since="now-8d", incident_status="in_review")
    assert succeeded(playbook(emulator, "escalate.yml", *escalate))[1] > 0
    incident = incident_named(client, INCIDENT)
    ids = sorted(d["id"] for d in alert_docs(client, incident))
    assert len(ids) > 3
    false_positives = ids[:2]

    # False positives, taken out of the incident so that closing it does not touch them.
    args = extra(alert_ids="\n".join(false_positives), reason="Authorized scan by the red team", detach=True)
    assert succeeded(playbook(emulator, "false_positive.yml", *args))[1] > 0
    emulator.clear_requests()
    assert succeeded(playbook(emulator, "false_positive.yml", *args))[1] == 0
    assert writes(emulator) == []
    from ansible_collections.utmstack.soc.plugins.module_utils import alerts, vocabulary

    fp_docs = list(alerts.get_alerts(client, false_positives).values())
    assert all(d["status"] == 5 and "False positive" in (d["tags"] or []) for d in fp_docs)
    assert sorted(d["id"] for d in alert_docs(client, incident)) == ids[2:]
    assert any("Authorized scan by the red team" in text for text in note_texts(client, incident))

    # Triage with a new observation, then close; each rerun changes nothing.
    triage = extra(incident_name=INCIDENT, observation="Checking which services were reached")
    assert succeeded(playbook(emulator, "triage.yml", *triage))[1] > 0
    assert succeeded(playbook(emulator, "triage.yml", *triage))[1] == 0
    docs = alert_docs(client, incident)
    assert set((d["status"], d["statusObservation"]) for d in docs) == {(3, "Checking which services were reached")}
    close = extra(incident_id=incident["id"], solution="Source blocked at the edge firewall.")
    emulator.clear_requests()
    assert succeeded(playbook(emulator, "close.yml", "--check", *close))[1] > 0
    assert writes(emulator) == []
    assert succeeded(playbook(emulator, "close.yml", *close))[1] > 0
    assert succeeded(playbook(emulator, "close.yml", *close))[1] == 0
    closed = incident_named(client, INCIDENT)
    assert closed["incidentStatus"] == "COMPLETED"
    assert all(d["status"] == 5 for d in alert_docs(client, closed))
    assert note_texts(client, closed)[-1] == "Closed by Ansible. Solution: Source blocked at the edge firewall."
    # The false positives kept their own observation.
    assert all(d["statusObservation"] == "Authorized scan by the red team"
               for d in alerts.get_alerts(client, false_positives).values())

    # Rerunning triage after close undoes nothing.
    emulator.clear_requests()
    assert succeeded(playbook(emulator, "triage.yml", *triage))[1] == 0
    assert writes(emulator) == []
    assert all(d["status"] == 5 for d in alert_docs(client, closed))

    # Someone reopens an alert afterwards: closing again names it.
    reopened = ids[2]
    alerts.set_status(client, [reopened], vocabulary.ALERT_STATUS["in_review"], "Reopened")
    result = playbook(emulator, "close.yml", *close)
    assert result.returncode != 0
    assert "of its alerts are not: %s" % reopened in result.stdout


def test_escalate_by_rule_and_empty_selection(emulator, client):
    args = extra(incident_name="Logon failures", rule_name="Windows logon failure", since="now-8d", assigned_to="1",
                 description="Repeated failed Windows logons.")
    assert succeeded(playbook(emulator, "escalate.yml", *args))[1] > 0
    incident = incident_named(client, "Logon failures")
    docs = alert_docs(client, incident)
    assert docs and all(d["name"] == "Windows logon failure" and "parentId" not in d for d in docs)
    assert incident["incidentAssignedTo"] == "1" and incident["incidentStatus"] == "OPEN"
    emulator.clear_requests()
    rerun = playbook(emulator, "escalate.yml", *args)
    assert succeeded(rerun)[1] == 0 and writes(emulator) == []
    assert "No alert matched the selection" in rerun.stdout

    strict = playbook(emulator, "escalate.yml", *extra(incident_name="Nothing", rule_name="No such rule",
                                                       fail_when_empty=True))
    assert strict.returncode != 0 and "No alert matched the selection" in strict.stdout


@pytest.mark.parametrize("scenario", sorted(
    name for name in os.listdir(os.path.join(ROOT, "extensions", "molecule"))
    if os.path.exists(os.path.join(ROOT, "extensions", "molecule", name, "molecule.yml"))))
def test_molecule_scenario(scenario):
    # Own process group: on a timeout the scenario's emulator is stopped with the script.
    proc = subprocess.Popen(["bash", os.path.join(ROOT, "tools", "molecule.sh"), scenario], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output = proc.communicate(timeout=900)[0]
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        output = proc.communicate()[0]
    assert proc.returncode == 0, output[-10000:]
