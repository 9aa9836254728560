"""UtmAlertResource writes on the documents (§7) and the search route (§8)."""
import pytest
from emulator.tests.emu_helpers import assert_header_error

STATUS = "/api/utm-alerts/status"
SEARCH = "/api/elasticsearch/search"


def docs(emulator):
    return dict((d["id"], d) for d in emulator.state()["alerts"])


def status_body(ids, status, observation="", **extra):
    body = {"alertIds": ids, "status": status, "statusObservation": observation}
    body.update(extra)
    return body


@pytest.mark.parametrize("code,label", [(1, "Automatic review"), (2, "Open"), (3, "In review"),
                                        (5, "Completed")])
def test_status_sets_code_label_and_observation(api, emulator, code, label):
    response = api.post(STATUS, json=status_body(["a1"], code, "looked at it"))
    assert response.status_code == 200 and response.content == b""
    assert "X-UtmStack-alert" not in response.headers
    doc = docs(emulator)["a1"]
    assert (doc["status"], doc["statusLabel"], doc["statusObservation"]) == \
        (code, label, "looked at it")


@pytest.mark.parametrize("code", [0, 4, 6, 7])
def test_status_codes_without_label_are_500(api, emulator, code):
    before = emulator.state()
    assert_header_error(api.post(STATUS, json=status_body(["a1"], code)), 500, "", "")
    assert emulator.state() == before


def test_status_follows_parent_id_and_ignores_unknown_ids(api, emulator):
    assert api.post(STATUS, json=status_body(["a2", "ghost"], 3)).status_code == 200
    state = docs(emulator)
    assert state["a2"]["status"] == 3 and state["a2e"]["status"] == 3
    assert state["a3"]["status"] == 2


def test_status_does_not_touch_the_link_table(api, emulator):
    assert api.post(STATUS, json=status_body(["l1"], 5)).status_code == 200
    assert emulator.state()["incident_alerts"][0]["alertStatus"] == 2


def test_false_positive_tag_is_added_once_and_only_with_status_5(api, emulator):
    api.post(STATUS, json=status_body(["a3"], 3, addFalsePositiveTag=True))
    assert docs(emulator)["a3"]["tags"] is None
    for unused_value in range(2):
        api.post(STATUS, json=status_body(["a3"], 5, addFalsePositiveTag=True))
    assert docs(emulator)["a3"]["tags"] == ["False positive"]


def test_status_needs_observation_and_ids(api):
    """v11 builds an audit map with Map.of(): a null value fails the request."""
    assert_header_error(api.post(STATUS, json={"alertIds": ["a1"], "status": 3}), 500)
    assert_header_error(api.post(STATUS, json={"status": 3, "statusObservation": ""}), 500)
    assert_header_error(api.post(STATUS, json={"alertIds": ["a1"], "statusObservation": ""}),
                        500)  # status missing -> 0 -> no label


def test_notes_store_the_raw_body_verbatim(api, emulator):
    text = api.post("/api/utm-alerts/notes", params={"alertId": "a1"}, data="plain note",
                    headers={"Content-Type": "text/plain"})
    assert text.status_code == 200 and text.content == b""
    assert docs(emulator)["a1"]["notes"] == "plain note"
    api.post("/api/utm-alerts/notes", params={"alertId": "a1"}, json="quoted")
    assert docs(emulator)["a1"]["notes"] == '"quoted"'
    api.post("/api/utm-alerts/notes", params={"alertId": "a2"})
    assert docs(emulator)["a2"]["notes"] == "null"
    assert docs(emulator)["a2e"]["notes"] == ""  # no children


def test_notes_need_the_alert_id_parameter(api):
    response = api.post("/api/utm-alerts/notes", data="x", headers={"Content-Type": "text/plain"})
    assert_header_error(response, 500, "Required request parameter 'alertId'", "")


def test_tags_replace_on_exact_ids(api, emulator):
    body = {"alertIds": ["a2"], "tags": ["one", "two"], "createRule": True}
    response = api.post("/api/utm-alerts/tags", json=body)
    assert response.status_code == 200 and response.content == b""
    state = docs(emulator)
    assert state["a2"]["tags"] == ["one", "two"] and state["a2e"]["tags"] is None
    api.post("/api/utm-alerts/tags", json=dict(body, tags=["three"]))
    assert docs(emulator)["a2"]["tags"] == ["three"]
    api.post("/api/utm-alerts/tags", json=dict(body, tags=[]))
    assert docs(emulator)["a2"]["tags"] is None


def test_tags_errors(api, emulator):
    before = emulator.state()
    base = {"alertIds": ["a2"], "tags": ["x"], "createRule": False}
    for body in (dict(base, tags=None), dict(base, tags=["it's"]),
                 {"alertIds": ["a2"], "tags": ["x"]}, {"tags": ["x"], "createRule": False}):
        assert_header_error(api.post("/api/utm-alerts/tags", json=body), 500)
    assert emulator.state() == before


def test_convert_to_incident_flags_only_unflagged_documents(api, emulator):
    body = {"eventIds": ["a1", "l1", "ghost"], "incidentName": "Named", "incidentId": 77,
            "incidentSource": "INCIDENT"}
    response = api.post("/api/utm-alerts/convert-to-incident", json=body)
    assert response.status_code == 200 and response.content == b""
    state = emulator.state()
    detail = docs(emulator)["a1"]["incidentDetail"]
    assert docs(emulator)["a1"]["isIncident"] is True
    assert (detail["incidentName"], detail["incidentId"], detail["createdBy"], detail["source"]) \
        == ("Named", "77", "admin", "INCIDENT")
    assert detail["creationDate"].endswith("Z") and detail["observation"] == ""
    assert docs(emulator)["l1"]["incidentDetail"]["incidentName"] == "Seeded one"
    assert len(state["incidents"]) == 1 and len(state["incident_alerts"]) == 2


def test_convert_to_incident_errors(api):
    base = {"eventIds": ["a1"], "incidentName": "n", "incidentId": 1, "incidentSource": "x"}
    for body in (dict(base, eventIds=[]), dict(base, incidentSource="it's"),
                 dict(base, incidentName='a "b"'), dict(base, incidentId=None)):
        assert_header_error(api.post("/api/utm-alerts/convert-to-incident", json=body), 500)


def test_count_open_alerts(api):
    # open: a1 a2 a3 a4 l1 l2 (a2e is an echo, a5 completed, a6 in review)
    response = api.get("/api/utm-alerts/count-open-alerts")
    assert response.status_code == 200 and response.json() == 6
    api.post(STATUS, json=status_body(["a4"], 5, addFalsePositiveTag=True))
    api.post(STATUS, json=status_body(["a4"], 2))
    assert api.get("/api/utm-alerts/count-open-alerts").json() == 5  # tagged false positive


def test_search_route_returns_documents_and_headers(api):
    response = api.post(SEARCH, params={"top": 100, "indexPattern": "v11-alert-*", "size": 2},
                        json=[{"field": "severity", "operator": "IS", "value": 1}])
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "4"
    assert len(response.json()) == 2 and "Link" in response.headers


def test_search_route_empty_answer_has_no_headers(api):
    response = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"},
                        json=[{"field": "name", "operator": "IS", "value": "nothing like it"}])
    assert response.json() == [] and "X-Total-Count" not in response.headers


def test_search_route_errors_are_500_with_header(api):
    response = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"},
                        json=[{"field": "name", "operator": "CONTAINS", "value": "x"}])
    assert_header_error(response, 500, "CONTAINS")
    missing = api.post(SEARCH, params={"indexPattern": "v11-alert-*"}, json=[])
    assert_header_error(missing, 500, "top")
    broken = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"}, data="[{",
                      headers={"Content-Type": "application/json"})
    assert_header_error(broken, 500, "JSON parse error", "")
