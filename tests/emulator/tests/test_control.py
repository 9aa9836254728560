"""The test namespace: request log, faults, state, reset and seeding (Python and HTTP)."""
import json
import time

import pytest
import requests
from emulator.tests.emu_helpers import API_KEY, alert_doc, new_incident

INCIDENTS = "/api/utm-incidents"


def test_request_log_records_method_path_query_body_status(api, emulator):
    api.get(INCIDENTS, params={"incidentName.contains": "x", "page": "0"})
    api.post(INCIDENTS, json=new_incident())
    api.post("/api/utm-alerts/notes", params={"alertId": "a1"}, data="raw text",
             headers={"Content-Type": "text/plain"})
    log = emulator.requests()
    assert log[0] == {"method": "GET", "path": INCIDENTS,
                      "query": {"incidentName.contains": ["x"], "page": ["0"]},
                      "body": None, "status": 200, "write": False}
    assert log[1]["body"] == new_incident() and log[1]["write"] is True
    assert log[2]["body"] == "raw text" and log[2]["status"] == 200
    assert [e["path"] for e in emulator.requests(writes_only=True)] == \
        [INCIDENTS, "/api/utm-alerts/notes"]


def test_read_only_posts_and_failures(api, anon, emulator):
    anon.post("/api/authenticate", json={"username": "admin", "password": "utmstack-admin"})
    api.post("/api/elasticsearch/search", params={"top": 5, "indexPattern": "v11-alert-*"})
    api.post(INCIDENTS, json=new_incident(alerts=[]))
    log = emulator.requests()
    assert [(e["path"], e["write"], e["status"]) for e in log] == [
        ("/api/authenticate", False, 200), ("/api/elasticsearch/search", False, 200),
        (INCIDENTS, True, 400)]


def test_control_calls_are_not_logged_and_log_can_be_cleared(api, emulator):
    api.get(INCIDENTS)
    assert requests.get(emulator.url + "/_emulator/state").status_code == 200
    assert len(emulator.requests()) == 1
    emulator.clear_requests()
    assert emulator.requests() == []


def test_fault_status_with_retry_after_for_n_requests(api, emulator):
    emulator.add_fault(method="GET", path=r"^/api/utm-incidents$", status=503, retry_after=2,
                       count=2)
    for unused_value in range(2):
        response = api.get(INCIDENTS)
        assert response.status_code == 503 and response.headers["Retry-After"] == "2"
        assert response.content == b""
    assert api.get(INCIDENTS).status_code == 200
    assert [e["status"] for e in emulator.requests()] == [503, 503, 200]


def test_fault_skip_lets_the_first_matches_through(api, emulator):
    """skip=N: the first N matching requests are answered normally, the next `count` get the fault."""
    emulator.add_fault(method="GET", path=r"^/api/utm-incidents$", status=500, skip=2, count=2)
    assert api.get(INCIDENTS + "/1").status_code == 200  # another path: not counted
    statuses = [api.get(INCIDENTS).status_code for unused_value in range(5)]
    assert statuses == [200, 200, 500, 500, 200]
    assert emulator.faults.active == []


def test_fault_skip_over_http(emulator):
    base = emulator.url + "/_emulator/faults"
    fault = {"method": "GET", "path": "^/api/utm-incidents$", "status": 503, "skip": 1}
    assert requests.post(base, json=fault).json()["skip"] == 1
    assert requests.get(base).json()[0]["skip"] == 1
    assert requests.post(base, json=dict(fault, skip=-1)).status_code == 400


def test_fault_does_not_run_the_handler(api, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-incidents$", status=502)
    assert api.post(INCIDENTS, json=new_incident()).status_code == 502
    assert len(emulator.state()["incidents"]) == 1


def test_fault_matches_method_and_path(api, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-incidents$", status=500)
    assert api.get(INCIDENTS).status_code == 200
    assert api.post(INCIDENTS + "/add-alerts", json={}).status_code == 500  # validation, real
    emulator.clear_faults()
    assert api.post(INCIDENTS, json=new_incident()).status_code == 200


def test_fault_delay_then_normal_answer(api, emulator):
    emulator.add_fault(method="GET", path="utm-incidents", status=None, delay=0.3)
    started = time.time()
    assert api.get(INCIDENTS).status_code == 200
    assert time.time() - started >= 0.3
    emulator.add_fault(method="GET", path="utm-incidents", status=None, delay=0.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.get(INCIDENTS, timeout=0.2)
    time.sleep(0.5)  # let the delayed request finish before the next test resets the state


def test_fault_drop_closes_the_connection(api, emulator):
    emulator.add_fault(method="*", path="utm-incidents", drop=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.get(INCIDENTS)
    assert api.get(INCIDENTS).status_code == 200
    assert emulator.requests()[0]["status"] is None


def test_fault_malformed_body_after_real_handling(api, emulator):
    emulator.add_fault(method="POST", path="^/api/utm-incidents$", malformed=True)
    response = api.post(INCIDENTS, json=new_incident())
    assert response.status_code == 200
    with pytest.raises(ValueError):
        response.json()
    assert len(emulator.state()["incidents"]) == 2  # the write happened


def test_state_dump(emulator):
    state = emulator.state()
    assert sorted(state) == ["alerts", "histories", "incident_alerts", "incidents", "notes"]
    assert [i["incidentName"] for i in state["incidents"]] == ["Seeded one"]
    assert state["incidents"][0]["incidentSeverity"] == 3
    assert state["incident_alerts"][0]["alertName"] == "Linked one"
    assert state["notes"][0]["noteSendBy"] == "admin"
    assert [h["actionType"] for h in state["histories"]] == ["INCIDENT_CREATED",
                                                             "INCIDENT_NOTE_ADD"]
    assert len(state["alerts"]) == 9


def test_reset_wipes_everything_and_restarts_ids(api, emulator):
    api.post(INCIDENTS, json=new_incident())
    emulator.add_fault(method="GET", path="nothing-matches-this")
    emulator.reset(seed="empty")
    assert emulator.state() == {"incidents": [], "incident_alerts": [], "notes": [],
                                "histories": [], "alerts": []}
    assert emulator.requests() == [] and emulator.faults.active == []
    assert api.post(INCIDENTS, json=new_incident()).json()["id"] == 1


def test_load_seed_adds_to_the_state(emulator):
    emulator.load_seed({"alerts": [alert_doc("n1", "New", 3)], "incidents": [
        {"incidentName": "More", "incidentStatus": "COMPLETED", "incidentSolution": "ok",
         "alerts": ["n1"]}]})
    state = emulator.state()
    assert [i["incidentName"] for i in state["incidents"]] == ["Seeded one", "More"]
    more = state["incidents"][1]
    assert (more["incidentStatus"], more["incidentSeverity"], more["incidentDescription"]) == \
        ("COMPLETED", 3, "")
    n1 = next(d for d in state["alerts"] if d["id"] == "n1")
    assert n1["isIncident"] is True and n1["incidentDetail"]["incidentId"] == str(more["id"])


def test_bad_seed_is_refused(emulator):
    with pytest.raises(ValueError):
        emulator.load_seed({"incidents": [{"incidentName": "x", "alerts": ["missing"]}]})
    with pytest.raises(ValueError):
        emulator.load_seed({"incidents": [{"incidentName": "Seeded one", "alerts": []}]})
    assert len(emulator.state()["incidents"]) == 1


def test_http_control_namespace(emulator):
    base = emulator.url + "/_emulator"
    headers = {"Utm-Api-Key": API_KEY}
    assert requests.post(base + "/reset", json={"seed": "empty"}).status_code == 200
    seed = {"alerts": [alert_doc("h1", "Http", 2)],
            "incidents": [{"incidentName": "Via HTTP", "alerts": ["h1"]}]}
    assert requests.post(base + "/seed", json=seed).status_code == 200
    fault = {"method": "GET", "path": "^/api/utm-incidents$", "status": 429, "retry_after": 1}
    assert requests.post(base + "/faults", json=fault).status_code == 201
    assert requests.get(base + "/faults").json()[0]["status"] == 429
    assert requests.get(emulator.url + "/api/utm-incidents", headers=headers).status_code == 429
    assert requests.delete(base + "/faults").status_code == 204
    requests.post(emulator.url + "/api/utm-incident-notes", headers=headers,
                  json={"incidentId": 1, "noteText": "hi"})
    log = requests.get(base + "/requests", params={"writes": "true"}).json()
    assert [(e["method"], e["path"], e["status"]) for e in log] == \
        [("POST", "/api/utm-incident-notes", 201)]
    assert requests.delete(base + "/requests").status_code == 204
    assert requests.get(base + "/requests").json() == []
    state = requests.get(base + "/state").json()
    assert [i["incidentName"] for i in state["incidents"]] == ["Via HTTP"]
    assert requests.post(base + "/faults", json={"bogus": 1}).status_code == 400
    assert requests.get(base + "/nothing").status_code == 404


def test_big_seed_loads_in_seconds(emulator):
    """100,000 alerts and 10,000 incidents of two alerts each."""
    alerts = [{"id": "bulk-%d" % n, "name": "Rule %d" % (n % 50), "severity": n % 3 + 1,
               "status": 2, "isIncident": False, "@timestamp": "2026-01-01T00:00:00Z"}
              for n in range(100000)]
    incidents = [{"incidentName": "Bulk %d" % n, "incidentDescription": "",
                  "alerts": ["bulk-%d" % (2 * n), "bulk-%d" % (2 * n + 1)]}
                 for n in range(10000)]
    started = time.time()
    emulator.load_seed({"alerts": alerts, "incidents": incidents})
    assert time.time() - started < 15
    assert emulator.store.one("SELECT COUNT(*) FROM utm_incident_alert")[0] == 20002


def test_seed_from_a_json_file(emulator, tmp_path):
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"alerts": [alert_doc("f1", "From file", 1)],
                                "incidents": [{"incidentName": "File", "alerts": ["f1"]}]}))
    emulator.reset(seed=str(path))
    assert [i["incidentName"] for i in emulator.state()["incidents"]] == ["File"]


def test_demo_seed_is_consistent(emulator, api):
    """The built-in demo set: links match flagged documents and the link table."""
    emulator.reset(seed="demo")
    state = emulator.state()
    assert state["incidents"] and len(state["alerts"]) > 20
    flagged = set(d["id"] for d in state["alerts"] if d.get("isIncident"))
    assert flagged == set(r["alertId"] for r in state["incident_alerts"])
    listed = api.get(INCIDENTS, params={"size": 2000}).json()
    assert listed == state["incidents"]


def test_after_fault_applies_the_write_and_drops_the_answer(api, emulator):
    """An ``after`` fault loses the answer of a write the server did process."""
    emulator.add_fault(method="POST", path=r"^/api/utm-incidents$", status=None, drop=True, after=True)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post(INCIDENTS, json=new_incident(name="lost answer"))
    rows = api.get(INCIDENTS, params={"incidentName.equals": "lost answer"}).json()
    assert len(rows) == 1
    assert emulator.requests()[0]["status"] is None


def test_after_fault_with_a_delay_answers_late(api, emulator):
    emulator.add_fault(method="POST", path=r"^/api/utm-incidents$", status=None, delay=0.3, after=True)
    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.post(INCIDENTS, json=new_incident(name="late answer"), timeout=0.1)
    assert api.get(INCIDENTS, params={"incidentName.equals": "late answer"}).json()
    assert time.monotonic() - started < 5
