"""concurrency="interleaved": requests race between a handler's check and its write (issue 7).

The races are made certain, not likely: LockstepEmulator's yield points wait until every
racing request has reached one (so all of them passed their check or read before any
writes). One test keeps the random pause and asserts only what holds in every order.
"""
import copy
import threading

import pytest
from emulator.__main__ import parse_args
from emulator.tests.emu_helpers import API_KEY, SMALL_SEED, Api, assert_header_error, new_incident

from emulator import Emulator

INCIDENTS = "/api/utm-incidents"
SEEDED_ID = 1  # "Seeded one", alerts l1 and l2, assigned to "1"


class LockstepEmulator(Emulator):
    """Counts its yield-point pauses; with ``barrier`` set, a pause waits for the other racers."""

    barrier = None
    pauses = 0

    def pause(self):
        self.pauses += 1
        if self.barrier is not None:
            self.barrier.wait(timeout=10)


@pytest.fixture(scope="module")
def servers():
    emulators = dict((mode, LockstepEmulator(api_keys={API_KEY: "admin"}, seed="empty",
                                             concurrency=mode).start())
                     for mode in ("serial", "interleaved"))
    yield emulators
    for emu in emulators.values():
        emu.stop()


def fresh(emu):
    emu.reset(seed=copy.deepcopy(SMALL_SEED))
    emu.barrier, emu.pauses = None, 0
    return emu


@pytest.fixture
def interleaved(servers):
    return fresh(servers["interleaved"])


@pytest.fixture
def serial(servers):
    return fresh(servers["serial"])


def race(emu, method, path, bodies, lockstep=True):
    """Send one request per body from its own thread, all at once; the answers in body order."""
    if lockstep:
        emu.barrier = threading.Barrier(len(bodies))
    start = threading.Barrier(len(bodies))
    answers = [None] * len(bodies)

    def send(index):
        client = Api(emu.url, {"Utm-Api-Key": API_KEY})  # a Session per thread: not thread-safe
        start.wait(timeout=10)
        answers[index] = client.request(method, path, json=bodies[index])

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(bodies))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    emu.barrier = None
    return answers


def rows(emu, table, **match):
    return [row for row in emu.state()[table] if all(row[key] == value for key, value in match.items())]


def history_details(emu, action_type, **match):
    return [row["actionDetail"] for row in rows(emu, "histories", actionType=action_type, **match)]


def winner_and_loser(answers, ok_status):
    statuses = sorted(answer.status_code for answer in answers)
    assert ok_status in statuses and len(statuses) == 2, statuses
    winner = next(answer for answer in answers if answer.status_code == ok_status)
    return winner, next(answer for answer in answers if answer is not winner)


# ---------------------------------------------------------------- creates

def test_racing_creates_of_one_name_give_one_incident_and_a_500(interleaved):
    body = new_incident("Race", alerts=(("a1", 3), ("a3", 2)))
    winner, loser = winner_and_loser(race(interleaved, "POST", INCIDENTS, [body, body]), 200)
    assert_header_error(loser, 500, "ux_utm_incident_incident_name", params="")
    incidents = rows(interleaved, "incidents", incidentName="Race")
    assert [i["id"] for i in incidents] == [winner.json()["id"]]
    links = rows(interleaved, "incident_alerts", incidentId=winner.json()["id"])
    assert sorted(link["alertId"] for link in links) == ["a1", "a3"]
    assert len(rows(interleaved, "incident_alerts", alertId="a1")) == 1
    assert len(history_details(interleaved, "INCIDENT_CREATED")) == 2  # the seeded one's and the winner's
    assert history_details(interleaved, "INCIDENT_CREATED", incidentId=winner.json()["id"]) == ["Incident created with 2 alerts"]
    assert interleaved.pauses == 2


def test_racing_creates_of_one_alert_roll_back_the_losers_incident(interleaved):
    """The loser's incident row was inserted before its link failed: the rollback removes it."""
    bodies = [new_incident("Race one", alerts=(("a1", 3),)), new_incident("Race two", alerts=(("a1", 3),))]
    winner, loser = winner_and_loser(race(interleaved, "POST", INCIDENTS, bodies), 200)
    assert_header_error(loser, 500, "ux_utm_incident_alert_alert_id", params="")
    names = [i["incidentName"] for i in interleaved.state()["incidents"]]
    assert sorted(names) == sorted(["Seeded one", winner.json()["incidentName"]])
    assert [link["incidentId"] for link in rows(interleaved, "incident_alerts", alertId="a1")] == [winner.json()["id"]]
    assert len(history_details(interleaved, "INCIDENT_CREATED")) == 2  # the seeded one's and the winner's


def test_serial_creates_of_one_name_give_one_incident_and_a_409(serial):
    body = new_incident("Race", alerts=(("a1", 3), ("a3", 2)))
    winner, loser = winner_and_loser(race(serial, "POST", INCIDENTS, [body, body], lockstep=False), 200)
    assert_header_error(loser, 409, "already linked", params="")
    assert len(rows(serial, "incidents", incidentName="Race")) == 1
    assert serial.pauses == 0


def test_random_pauses_keep_one_incident_whatever_the_order():
    """Eight creates with the real random pause: every order ends in one incident, linked once."""
    with Emulator(api_keys={API_KEY: "admin"}, seed=copy.deepcopy(SMALL_SEED),
                  concurrency="interleaved", jitter=0.05) as emu:
        body = new_incident("Race", alerts=(("a1", 3), ("a3", 2)))
        answers = race(emu, "POST", INCIDENTS, [body] * 8, lockstep=False)
        statuses = [answer.status_code for answer in answers]
        assert statuses.count(200) == 1 and set(statuses) <= {200, 409, 500}, statuses
        for answer in answers:
            if answer.status_code != 200:
                assert_header_error(answer, answer.status_code, "", params="")
        winner_id = next(answer.json()["id"] for answer in answers if answer.status_code == 200)
        assert [i["id"] for i in rows(emu, "incidents", incidentName="Race")] == [winner_id]
        assert sorted(link["alertId"] for link in rows(emu, "incident_alerts", incidentId=winner_id)) == ["a1", "a3"]
        assert len(emu.state()["incident_alerts"]) == 4  # the seeded l1, l2 and these two
        assert len(history_details(emu, "INCIDENT_CREATED")) == 2  # the seeded one's and the winner's


# ---------------------------------------------------------------- add-alerts

def test_racing_add_alerts_of_one_alert_give_one_link(interleaved):
    body = {"incidentId": SEEDED_ID,
            "alertList": [{"alertId": "a1", "alertName": "Brute force", "alertStatus": 2, "alertSeverity": 3}]}
    unused_winner, loser = winner_and_loser(race(interleaved, "POST", INCIDENTS + "/add-alerts", [body, body]), 201)
    assert_header_error(loser, 500, "ux_utm_incident_alert_alert_id", params="")
    assert [link["incidentId"] for link in rows(interleaved, "incident_alerts", alertId="a1")] == [SEEDED_ID]
    assert history_details(interleaved, "INCIDENT_ALERT_ADD") == ["New 1 alerts added to incident"]


def test_serial_add_alerts_of_one_alert_give_a_409(serial):
    body = {"incidentId": SEEDED_ID,
            "alertList": [{"alertId": "a1", "alertName": "Brute force", "alertStatus": 2, "alertSeverity": 3}]}
    unused_winner, loser = winner_and_loser(race(serial, "POST", INCIDENTS + "/add-alerts", [body, body],
                                                 lockstep=False), 201)
    assert_header_error(loser, 409, "already linked", params="")
    assert len(rows(serial, "incident_alerts", alertId="a1")) == 1


# ---------------------------------------------------------------- change-status

def two_edits(emu):
    """Two full bodies from one read: A reviews and assigns, B completes and describes."""
    current = Api(emu.url, {"Utm-Api-Key": API_KEY}).get(INCIDENTS + "/%d" % SEEDED_ID).json()
    assign = dict(current, incidentStatus="IN_REVIEW", incidentAssignedTo="3")
    describe = dict(current, incidentStatus="COMPLETED", incidentDescription="new text", incidentSolution="done")
    return current, assign, describe


def status_changes(emu):
    return history_details(emu, "INCIDENT_STATUS_CHANGE")


def test_racing_change_status_last_write_wins(interleaved):
    current, assign, describe = two_edits(interleaved)
    answers = race(interleaved, "PUT", INCIDENTS + "/change-status", [assign, describe])
    assert [answer.status_code for answer in answers] == [200, 200]
    # Both loaded the OPEN row before either saved; the later history row is the later save.
    changes = status_changes(interleaved)
    assert sorted(changes) == ["Incident status changed from Open to Completed  with solution: done",
                               "Incident status changed from Open to In review "]
    last = describe if "Completed" in changes[-1] else assign
    final = rows(interleaved, "incidents", id=SEEDED_ID)[0]
    assert final == last  # the whole row of the later PUT: the other edit is lost
    one_edit_each = [("3", current["incidentDescription"]), (current["incidentAssignedTo"], "new text")]
    assert (final["incidentAssignedTo"], final["incidentDescription"]) in one_edit_each


def test_serial_change_status_reads_the_previous_save(serial):
    unused_current, assign, describe = two_edits(serial)
    answers = race(serial, "PUT", INCIDENTS + "/change-status", [assign, describe], lockstep=False)
    assert [answer.status_code for answer in answers] == [200, 200]
    first, second = status_changes(serial)
    assert first.startswith("Incident status changed from Open to ")
    assert second.startswith("Incident status changed from %s to " % ("Completed" if "Completed" in first else "In review"))


# ---------------------------------------------------------------- convert-to-incident

def converts(emu, names, lockstep=True):
    bodies = [{"eventIds": ["a1"], "incidentName": name, "incidentId": index + 10, "incidentSource": "INCIDENT"}
              for index, name in enumerate(names)]
    answers = race(emu, "POST", "/api/utm-alerts/convert-to-incident", bodies, lockstep=lockstep)
    assert [answer.status_code for answer in answers] == [200] * len(names)
    order = [request["body"]["incidentName"] for request in emu.requests(writes_only=True)]
    flagged = next(doc for doc in emu.state()["alerts"] if doc["id"] == "a1")
    return order, flagged["incidentDetail"]["incidentName"]


def test_racing_converts_flag_with_the_last_write(interleaved):
    order, flagged_as = converts(interleaved, ["First", "Second"])
    assert flagged_as == order[-1]


def test_serial_converts_keep_the_first_flag(serial):
    order, flagged_as = converts(serial, ["First", "Second"], lockstep=False)
    assert flagged_as == order[0]


# ---------------------------------------------------------------- notes, settings

def test_racing_notes_are_both_added(interleaved):
    body = {"incidentId": SEEDED_ID, "noteText": "same text"}
    answers = race(interleaved, "POST", "/api/utm-incident-notes", [body, body])
    assert [answer.status_code for answer in answers] == [201, 201]
    assert len(rows(interleaved, "notes", noteText="same text")) == 2
    assert interleaved.pauses == 2


def test_a_yield_point_inside_a_transaction_is_refused(interleaved):
    with interleaved.lock, interleaved.store.transaction():
        with pytest.raises(RuntimeError):
            interleaved.yield_point()


def test_concurrency_is_checked_and_reaches_the_cli():
    with pytest.raises(ValueError):
        Emulator(concurrency="parallel")
    args = parse_args(["--concurrency", "interleaved", "--jitter", "0.1"])
    assert (args.concurrency, args.jitter) == ("interleaved", 0.1)
    assert parse_args([]).concurrency == "serial"
