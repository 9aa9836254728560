"""The fault-injection matrix (issue 7): one fault at each request of each write promise, then a rerun.

Each scenario prepares a state on the demo seed and returns the (module, params) of one write task
whose promise takes several requests. Its uninterrupted run gives the request log and the final
state. Then, for every request i of that log and every fault kind, the emulator is reset, the same
task runs with the fault on request i (its method and exact path, ``skip`` = the earlier requests
with the same method and path), and must either succeed or fail with a UtmError naming the
request; a rerun without the fault must succeed and end in the uninterrupted run's state, and a
third run must find nothing to do. A rerun that repairs something reports a change.

The modules run in-process (``run(client, params, False)``) against the session emulator, so the
matrix takes minutes, not the hours ansible-playbook processes would. The uninterrupted runs are
made at collection time, on emulators of their own, to name one test per case. The same scenarios
run on a UTMStack 10 emulator too, with the faults that take other paths there (V10_FAULTS).
"""

import collections
import json
import re
import time

import pytest

from emulator.tests.emu_helpers import alert_doc
from harness import API_KEY, clear_local_state, free_alert_ids, module_params, v10_token

from ansible_collections.utmstack.soc.plugins.module_utils.client import MAX_PAGE_SIZE, UtmClient
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmError
from ansible_collections.utmstack.soc.plugins.modules import (
    utm_alert_status, utm_incident, utm_incident_alert, utm_incident_note)

# The client's timeout in every run of the matrix, and a delay past it: a read timeout.
TIMEOUT = 1
LATE = TIMEOUT + 0.3

# What each fault does to the request it hits (the emulator README, "The request log and faults").
# The handler does not run for a status, a drop or a delay before it; an ``after`` fault lets it
# run and loses the answer. A malformed body always comes after the handler ran.
FAULTS = {
    "500": dict(status=500),
    "429": dict(status=429),
    "503-retry-after": dict(status=503, retry_after=1),
    "drop": dict(status=None, drop=True),
    "drop-after": dict(status=None, drop=True, after=True),
    "timeout": dict(status=503, delay=LATE),
    "timeout-after": dict(status=None, delay=LATE, after=True),
    "malformed": dict(status=None, malformed=True),
}
# A read has no effect, so a fault before or after its handler is the same case.
WRITE_ONLY = ("drop-after", "timeout-after")


# -- scenarios: each prepares the demo state and returns the task under test -----------------

def _task(module, **options):
    return module, module_params(module, **options)


def _run(emulator, module, **options):
    return run_task(emulator, _task(module, **options))


def _free_parent_and_echo(client):
    """A free top-level alert that has an echo (an alert whose parentId is it), and the echo."""
    free = free_alert_ids(client, 30)
    for doc in client.search([{"field": "parentId.keyword", "operator": "IS_ONE_OF_TERMS", "value": free}]):
        return doc["parentId"], doc["id"]
    raise AssertionError("the demo data has no free alert with an echo")


def _free_other(client, *taken):
    return [alert_id for alert_id in free_alert_ids(client, 30) if alert_id not in taken][0]


def _linked(client, incident_id):
    rows = client.get("/api/utm-incident-alerts", {"incidentId.equals": incident_id, "sort": "id,asc"}).rows()
    return [row["alertId"] for row in rows]


def create_completed(emulator, client):
    """utm_incident creates from alerts with status completed and a solution: create, flag, status write,
    row sync."""
    parent, unused_echo = _free_parent_and_echo(client)
    return _task(utm_incident, name="Matrix created completed", description="Made by the fault matrix.",
                 alerts=[parent, _free_other(client, parent)], status="completed", solution="Contained by the matrix.")


def edit_assignee_keeps_triage(emulator, client):
    """utm_incident changes only the assignee of an incident whose alerts carry analyst triage: the
    server pushes the status onto every alert and its echoes, the module gives the triage back."""
    parent, echo = _free_parent_and_echo(client)
    _run(emulator, utm_incident_alert, incident_id=1, alerts=[parent])
    _run(emulator, utm_alert_status, alerts=[_linked(client, 1)[0]], status="completed",
         observation="Analyst: benign, the admin's own test.")
    _run(emulator, utm_alert_status, alerts=[echo], status="in_review", observation="Echo under review.")
    return _task(utm_incident, id=1, assigned_to="3")


def status_keeps_false_positive(emulator, client):
    """utm_incident moves an incident to in_review; its false-positive alert keeps its triage
    (keep_false_positives), the others follow."""
    _run(emulator, utm_alert_status, alerts=[_linked(client, 2)[0]], status="completed", false_positive=True,
         observation="Benign test file.")
    return _task(utm_incident, id=2, status="in_review")


def alerts_present(emulator, client):
    """utm_incident_alert adds alerts to an incident and flags them."""
    parent, unused_echo = _free_parent_and_echo(client)
    return _task(utm_incident_alert, incident_id=2, alerts=[parent, _free_other(client, parent)])


def alerts_absent(emulator, client):
    """utm_incident_alert takes both alerts out of an incident (one DELETE each)."""
    return _task(utm_incident_alert, incident_id=1, alerts=_linked(client, 1), state="absent")


def alert_status_linked(emulator, client):
    """utm_alert_status completes alerts of two incidents, one a parent whose linked echo follows:
    the document write, then the link rows of both incidents (the echo's included)."""
    parent, echo = _free_parent_and_echo(client)
    _run(emulator, utm_incident_alert, incident_id=2, alerts=[parent, echo])
    return _task(utm_alert_status, alerts=[_linked(client, 1)[0], parent], status="completed",
                 observation="Closed by the fault matrix.")


def alert_status_two_chunks(emulator, client):
    """utm_alert_status on one more alert than a write chunk holds, all in one incident: two status
    writes, then two link-row writes (a fault between the chunks left link rows stale, issue 7)."""
    ids = ["00000000-0000-4000-8000-%012d" % number for number in range(MAX_PAGE_SIZE + 1)]
    emulator.load_seed({"alerts": [alert_doc(alert_id, "Matrix bulk alert") for alert_id in ids],
                        "incidents": [{"incidentName": "Matrix bulk", "incidentDescription": "", "alerts": ids}]})
    return _task(utm_alert_status, alerts=ids, status="in_review", observation="Bulk review.")


def note_add(emulator, client):
    """utm_incident_note adds a note once."""
    return _task(utm_incident_note, incident_id=1, text="Matrix: containment confirmed.")


SCENARIOS = dict((prepare.__name__, prepare) for prepare in (
    create_completed, edit_assignee_keeps_triage, status_keeps_false_positive, alerts_present, alerts_absent,
    alert_status_linked, alert_status_two_chunks, note_add))
# Its reads are those of alert_status_linked, 2,000 ids at a time (and 21 link lists): only its
# writes are faulted, which keeps the matrix within minutes.
WRITES_ONLY = ("alert_status_two_chunks",)


# -- state ------------------------------------------------------------------------------------

# The demo seed names its incidents after the seed time, to the minute.
SEED_TIME_PREFIX = re.compile(r"^INC-\d{12} ")
# What writes change on an alert document; the rest (timestamps relative to the seed time) is not compared.
ALERT_FIELDS = ("status", "statusLabel", "statusObservation", "tags", "isIncident", "notes")


def normal_state(state):
    """The emulator state without volatile values: ids become incident names, dates are dropped.

    Lists keep their duplicates, so a repeated incident, link or note shows as a difference.
    """
    names = dict((row["id"], SEED_TIME_PREFIX.sub("", row["incidentName"])) for row in state["incidents"])

    def incident_name(incident_id):
        return names.get(int(incident_id)) if incident_id not in (None, "") else None

    def alert(doc):
        view = dict((field, doc.get(field)) for field in ALERT_FIELDS)
        detail = doc.get("incidentDetail") or {}
        if doc.get("isIncident"):
            view["incident"] = (incident_name(detail.get("incidentId")),
                                SEED_TIME_PREFIX.sub("", detail.get("incidentName") or ""), detail.get("source"))
        return doc["id"], view

    return {
        "incidents": sorted((names[row["id"]], dict((k, v) for k, v in row.items() if k not in (
            "id", "incidentName", "incidentCreatedDate"))) for row in state["incidents"]),
        "links": sorted((names[row["incidentId"]], row["alertId"], row["alertName"], row["alertStatus"],
                         row["alertSeverity"]) for row in state["incident_alerts"]),
        "notes": sorted((names[row["incidentId"]], row["noteText"], row["noteSendBy"]) for row in state["notes"]),
        "alerts": dict(alert(doc) for doc in state["alerts"]),
    }


def history(state):
    """How often each (incident, action, text) entry is in the incident history."""
    names = dict((row["id"], SEED_TIME_PREFIX.sub("", row["incidentName"])) for row in state["incidents"])
    return collections.Counter((names[row["incidentId"]], row["actionType"], row["action"], row["actionDetail"])
                               for row in state["histories"])


def duplicates(normal):
    """Incidents of one name, alerts linked twice and notes of one text on one incident."""
    found = []
    for key, rows in (("incidents", [name for name, unused_row in normal["incidents"]]),
                      ("links", [link[1] for link in normal["links"]]),
                      ("notes", [note[:2] for note in normal["notes"]])):
        found.extend((key, item) for item, count in collections.Counter(rows).items() if count > 1)
    return found


# -- running ------------------------------------------------------------------------------------

def reset(emulator):
    emulator.reset(seed="demo")
    clear_local_state()


def client_of(emulator):
    """A new client, as each Ansible task makes one, with the matrix's timeout (UTMStack 10 has no API keys)."""
    if emulator.api_version == 10:
        return UtmClient(emulator.url, token=v10_token(emulator), api_version=10, timeout=TIMEOUT)
    return UtmClient(emulator.url, api_key=API_KEY, timeout=TIMEOUT)


def prepared(emulator, scenario):
    task = SCENARIOS[scenario](emulator, client_of(emulator))
    emulator.clear_requests()
    return task


def run_task(emulator, task):
    module, params = task
    return module.run(client_of(emulator), params, False)


Baseline = collections.namedtuple("Baseline", "requests state history")


def uninterrupted(emulator, scenario):
    reset(emulator)
    task = prepared(emulator, scenario)
    changed, unused_result, unused_diff = run_task(emulator, task)
    assert changed, "%s changes nothing: it tests no promise" % scenario
    state = emulator.state()
    requests = [(entry["method"], entry["path"], entry["write"]) for entry in emulator.requests()]
    return Baseline(requests, normal_state(state), history(state))


# {(api version, scenario): Baseline}
BASELINES = {}
# UTMStack 10 runs the same scenarios with fewer kinds, at the writes only: a read timeout takes the
# same path in the modules as a drop, 429 and 503 are retried by the same client, and the reads do not
# differ from 11's.
V10_FAULTS = ("500", "drop", "drop-after", "malformed")


def faulted(version, scenario, write):
    """The fault kinds of one request."""
    if version == 10:
        return V10_FAULTS if write else ()
    if write:
        return tuple(FAULTS)
    return () if scenario in WRITES_ONLY else tuple(kind for kind in FAULTS if kind not in WRITE_ONLY)


def cases():
    """(api version, scenario, request index, method, path, fault kind) for the whole matrix."""
    found = []
    for (version, scenario), baseline in sorted(BASELINES.items()):
        for index, (method, path, write) in enumerate(baseline.requests):
            found.extend((version, scenario, index, method, path, kind) for kind in faulted(version, scenario, write))
    return sorted(found, key=lambda case: -case[0])


def case_id(case):
    version, scenario, index, method, path, kind = case
    prefix = "" if version == 11 else "v%d-" % version
    return "%s%s-request_%d-%s-%s-%s" % (prefix, scenario, index, method, path.strip("/").replace("/", "_"), kind)


def pytest_generate_tests(metafunc):
    if "case" not in metafunc.fixturenames:
        return
    if not BASELINES:
        from emulator import Emulator

        for version in (11, 10):
            with Emulator(api_keys={API_KEY: "admin"}, seed="empty", api_version=version) as emulator:
                for scenario in SCENARIOS:
                    BASELINES[version, scenario] = uninterrupted(emulator, scenario)
    metafunc.parametrize("case", cases(), ids=case_id)


@pytest.fixture(scope="module")
def v10_server():
    from emulator import Emulator

    emulator = Emulator(seed="empty", api_version=10).start()
    yield emulator
    emulator.stop()


def wait_for_late_answer(emulator, method, path):
    """A fault delayed before its handler logs the request only once the delay is over: wait for it,
    so that the late entry does not land in a later run's request log."""
    deadline = time.monotonic() + LATE + 2
    while time.monotonic() < deadline:
        if any(e["method"] == method and e["path"] == path and e["status"] == 503 for e in emulator.requests()):
            return
        time.sleep(0.05)
    raise AssertionError("the delayed %s %s never reached the emulator's log" % (method, path))


def test_matrix_size(record_property):
    """The size of the matrix, for the terminal summary."""
    sizes = []
    for version in (11, 10):
        requests = sum(len(BASELINES[version, scenario].requests) for scenario in SCENARIOS)
        count = len([case for case in cases() if case[0] == version])
        sizes.append("v%d: %d scenarios, %d requests, %d cases" % (version, len(SCENARIOS), requests, count))
    record_property("size", "; ".join(sizes))
    assert len(cases()) >= len(SCENARIOS) * len(FAULTS)


def test_fault(request, case):
    version, scenario, index, method, path, kind = case
    emulator = request.getfixturevalue("emulator_server" if version == 11 else "v10_server")
    baseline = BASELINES[version, scenario]
    reset(emulator)
    task = prepared(emulator, scenario)
    skip = sum(1 for other in baseline.requests[:index] if other[:2] == (method, path))
    emulator.add_fault(method=method, path="^%s$" % re.escape(path), skip=skip, **FAULTS[kind])
    try:
        run_task(emulator, task)
    except UtmError as exc:
        assert method in str(exc) and path in str(exc), "the error does not name %s %s: %s" % (method, path, exc)
    assert emulator.faults.active == [], "the run never sent request %d (%s %s)" % (index, method, path)
    if kind == "timeout":
        wait_for_late_answer(emulator, method, path)
    emulator.clear_faults()
    left_undone = normal_state(emulator.state()) != baseline.state

    changed, unused_result, unused_diff = run_task(emulator, task)
    assert changed or not left_undone, "the rerun repaired what the faulted run left undone but reports no change"
    state = emulator.state()
    normal = normal_state(state)
    assert duplicates(normal) == []
    assert normal == baseline.state
    repeated = history(state) - baseline.history
    assert not repeated, "history entries beyond the uninterrupted run's: %s" % json.dumps(sorted(repeated.items()))
    assert set(history(state)) == set(baseline.history)

    emulator.clear_requests()
    changed, unused_result, unused_diff = run_task(emulator, task)
    writes = [(e["method"], e["path"]) for e in emulator.requests(writes_only=True)]
    assert (changed, writes) == (False, [])
