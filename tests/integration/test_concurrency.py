"""The same utm_* task from 10 forks at once, against an interleaved emulator (issue 7).

Ten inventory hosts, all ``ansible_connection=local``, run with ``-f 10``: ten worker processes
run the task at the same time. The emulator runs with ``concurrency="interleaved"`` (its
README, "Concurrency"): requests interleave between a handler's check and its write as on
the real server, so two creates can both pass the 409 pre-check and the loser gets a 500.

Two ways of running the forks:
- ``one-controller``: the forks share the controller's state directory, as forks of one
  ``ansible-playbook`` do, so the modules' per-controller lock applies. Exactly one host
  does the work and reports ``changed``; the others find it done.
- ``ten-controllers``: each host has a state directory of its own, as ten controllers (ten
  AWX jobs on different machines) would, so no lock is shared and only what the modules do
  with the server's conflict answers makes them converge. A host that re-reads before the
  winner has flagged the alerts may flag them itself, a real write, so at least one host
  reports ``changed``.
The note test runs with one controller only: notes cannot be deleted through the API, so
nothing but a shared lock can keep two controllers from adding the same note. The two-field
edit too: the incident PUT carries no version, so only a shared lock orders two edits.
"""

import json
import re

import pytest

from harness import API_KEY, clear_local_state, free_alert_ids, run_playbook

HOSTS = 10
FORKS = 10
ROUNDS = 3  # of the two-field edit
# The longest pause between a handler's check and its write. Ten forks start their requests tens
# of milliseconds apart; 0.1 s makes their checks overlap in most runs (0.02 s in about half).
JITTER = 0.1
CONTROLLERS = ["one-controller", "ten-controllers"]
RECAP = re.compile(r"^(\S+)\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


@pytest.fixture(scope="module")
def interleaved_server():
    from emulator import Emulator

    emu = Emulator(api_keys={API_KEY: "admin"}, seed="empty", concurrency="interleaved",
                   jitter=JITTER).start()
    yield emu
    emu.stop()


@pytest.fixture
def emulator(interleaved_server):
    """Overrides the session emulator (and so the ``client`` fixture's) for this module."""
    interleaved_server.reset(seed="demo")
    clear_local_state()
    return interleaved_server


class Race(object):
    """Runs one task on ``hosts`` hosts at once and reads the play recap."""

    def __init__(self, emulator, tmp_path, controllers, record_property):
        self.emulator = emulator
        self.record_property = record_property
        self.tmp_path = tmp_path
        self.controllers = controllers
        self.runs = 0

    def run(self, task, hosts=HOSTS, hostvars=None):
        self.runs += 1
        if self.runs == 1:
            self.record_property("size", "%d hosts, %d forks, %s, jitter %.2f s" % (hosts, FORKS, self.controllers, JITTER))
        names = ["race%02d" % number for number in range(1, hosts + 1)]
        group_vars = {"ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}
        inventory = {"racers": {"hosts": {}, "vars": group_vars}}
        for name in names:
            variables = dict((hostvars or {}).get(name, {}))
            if self.controllers == "ten-controllers":
                variables["state_dir"] = str(self.tmp_path / ("state-%s" % name))
            inventory["racers"]["hosts"][name] = variables
        play = {"name": "race", "hosts": "racers", "gather_facts": False, "tasks": [dict(task, name="the raced task")]}
        if self.controllers == "ten-controllers":
            play["environment"] = {"UTMSTACK_STATE_DIR": "{{ state_dir }}"}
        inventory_file = self.write("inventory-%d.yml" % self.runs, inventory)
        playbook = self.write("race-%d.yml" % self.runs, [play])
        result = run_playbook(self.emulator, playbook, "-i", inventory_file, "-f", str(FORKS))
        recap = dict((host, dict(ok=int(ok), changed=int(changed), unreachable=int(unreachable), failed=int(failed)))
                     for host, ok, changed, unreachable, failed in RECAP.findall(result.stdout))
        output = result.stdout[-6000:] + result.stderr[-2000:]
        assert sorted(recap) == names, output
        failed = sorted(host for host, counts in recap.items() if counts["failed"] or counts["unreachable"])
        assert failed == [], "failed hosts %s\n%s" % (failed, output)
        assert result.returncode == 0, output
        return sorted(host for host, counts in recap.items() if counts["changed"])

    def write(self, name, data):
        path = self.tmp_path / name
        path.write_text(json.dumps(data, indent=1))  # JSON is YAML
        return str(path)

    def assert_changed(self, changed):
        if self.controllers == "one-controller":
            assert len(changed) == 1, changed
        else:
            assert len(changed) >= 1, changed


@pytest.fixture(params=CONTROLLERS)
def race(request, emulator, tmp_path, record_property):
    return Race(emulator, tmp_path, request.param, record_property)


def links_by_alert(state, alert_ids):
    return dict((alert_id, [row["incidentId"] for row in state["incident_alerts"] if row["alertId"] == alert_id])
                for alert_id in alert_ids)


def documents(state, alert_ids):
    return dict((doc["id"], doc) for doc in state["alerts"] if doc["id"] in alert_ids)


def assert_linked_and_flagged(state, alert_ids, incident_id):
    assert links_by_alert(state, alert_ids) == dict((alert_id, [incident_id]) for alert_id in alert_ids)
    for doc in documents(state, alert_ids).values():
        assert doc["isIncident"] is True and doc["incidentDetail"]["incidentId"] == str(incident_id), doc


def test_same_new_incident_from_every_host(race, emulator, client):
    alert_ids = free_alert_ids(client, 3)
    name = "INC-race one incident from ten hosts"
    changed = race.run({"utmstack.soc.utm_incident": {"name": name, "description": "raced", "alerts": alert_ids}})
    state = emulator.state()
    incidents = [incident for incident in state["incidents"] if incident["incidentName"] == name]
    assert len(incidents) == 1, incidents
    assert_linked_and_flagged(state, alert_ids, incidents[0]["id"])
    race.assert_changed(changed)


def test_same_note_from_every_host(emulator, tmp_path, record_property):
    race = Race(emulator, tmp_path, "one-controller", record_property)
    incident_id = emulator.state()["incidents"][0]["id"]
    changed = race.run({"utmstack.soc.utm_incident_note": {"incident_id": incident_id, "text": "raced note"}})
    notes = [note for note in emulator.state()["notes"] if note["noteText"] == "raced note"]
    assert [note["incidentId"] for note in notes] == [incident_id]
    race.assert_changed(changed)


def test_same_alerts_added_from_every_host(race, emulator, client):
    alert_ids = free_alert_ids(client, 3)
    incident_id = emulator.state()["incidents"][0]["id"]
    changed = race.run({"utmstack.soc.utm_incident_alert": {"incident_id": incident_id, "alerts": alert_ids}})
    assert_linked_and_flagged(emulator.state(), alert_ids, incident_id)
    race.assert_changed(changed)


@pytest.mark.parametrize("race", ["one-controller"], indirect=True)
def test_two_hosts_change_different_fields_of_one_incident(race, emulator, record_property):
    """Each round host 1 sets the assignee and host 2 the description: the PUT replaces the whole row.

    One controller only: the API has no version check on the PUT, so a write from another
    controller that lands between this one's PUT and its re-read cannot be seen (docs/concurrency.md).
    """
    record_property("size", "%d rounds" % ROUNDS)
    incident_id = emulator.state()["incidents"][0]["id"]
    task = {"utmstack.soc.utm_incident": {"id": incident_id, "assigned_to": "{{ assignee | default(omit) }}",
                                          "description": "{{ new_description | default(omit) }}"}}
    for round_number in range(ROUNDS):
        assignee, description = str(100 + round_number), "raced description, round %d" % round_number
        changed = race.run(task, hosts=2, hostvars={"race01": {"assignee": assignee},
                                                    "race02": {"new_description": description}})
        incident = next(i for i in emulator.state()["incidents"] if i["id"] == incident_id)
        assert (incident["incidentAssignedTo"], incident["incidentDescription"]) == (assignee, description), round_number
        assert changed == ["race01", "race02"], round_number


def test_same_alert_status_from_every_host(race, emulator):
    state = emulator.state()
    incident_id = state["incidents"][0]["id"]
    alert_ids = [row["alertId"] for row in state["incident_alerts"] if row["incidentId"] == incident_id]
    changed = race.run({"utmstack.soc.utm_alert_status": {"alerts": alert_ids, "status": "in_review",
                                                          "observation": "raced review"}})
    state = emulator.state()
    for doc in documents(state, alert_ids).values():
        assert (doc["status"], doc["statusObservation"]) == (3, "raced review"), doc
    link_statuses = dict((row["alertId"], row["alertStatus"]) for row in state["incident_alerts"] if row["alertId"] in alert_ids)
    assert link_statuses == dict((alert_id, 3) for alert_id in alert_ids)
    race.assert_changed(changed)
