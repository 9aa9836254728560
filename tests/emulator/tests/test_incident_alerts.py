"""UtmIncidentAlertResource: the link table endpoints (§4)."""
from emulator.tests.emu_helpers import assert_header_error

LINKS = "/api/utm-incident-alerts"
RESOURCE = "UtmIncidentAlertResource"


def link(incident_id=1, alert_id="a3", **extra):
    body = {"incidentId": incident_id, "alertId": alert_id, "alertName": "Malware found",
            "alertStatus": 2, "alertSeverity": 2}
    body.update(extra)
    return body


def state_links(emulator):
    return emulator.state()["incident_alerts"]


def test_list_by_incident(api):
    response = api.get(LINKS, params={"incidentId.equals": 1})
    assert [(r["id"], r["alertId"]) for r in response.json()] == [(1, "l1"), (2, "l2")]
    assert list(response.json()[0]) == ["id", "incidentId", "alertId", "alertName",
                                        "alertStatus", "alertSeverity"]
    assert response.headers["X-Total-Count"] == "2"


def test_raw_post_creates_a_row_201_without_history(api, emulator):
    histories = len(emulator.state()["histories"])
    response = api.post(LINKS, json=link())
    assert response.status_code == 201
    body = response.json()
    assert body == dict(link(), id=3)
    assert response.headers["Location"] == "/api/utm-incident-alerts/3"
    assert response.headers["X-UtmStack-alert"] == \
        "A new utmIncidentAlert is created with identifier 3"
    assert response.headers["X-UtmStack-params"] == "3"
    assert len(emulator.state()["histories"]) == histories
    assert next(d for d in emulator.state()["alerts"] if d["id"] == "a3")["isIncident"] is False


def test_raw_post_conflicts_are_500_not_409(api):
    response = api.post(LINKS, json=link(alert_id="l1"))
    assert_header_error(response, 500, RESOURCE + ".createUtmIncidentAlert: ", RESOURCE)
    assert "ux_utm_incident_alert_alert_id" in response.headers["X-UtmStack-error"]


def test_raw_post_errors(api):
    assert_header_error(api.post(LINKS, json=link(id=7)), 500,
                        "A new utmIncidentAlert cannot already have an ID", RESOURCE)
    assert_header_error(api.post(LINKS, json=link(incident_id=999)), 500,
                        "constraint", RESOURCE)
    body = link()
    del body["alertName"]
    assert_header_error(api.post(LINKS, json=body), 500, "Validation failed", "")


def test_put_replaces_the_row(api, emulator):
    response = api.put(LINKS, json=link(alert_id="l1", id=1, alertStatus=5, alertName="New"))
    assert response.status_code == 200
    assert response.headers["X-UtmStack-alert"] == \
        "A utmIncidentAlert is updated with identifier 1"
    assert state_links(emulator)[0] == link(alert_id="l1", id=1, alertStatus=5, alertName="New")


def test_put_errors_and_unknown_id_inserts(api, emulator):
    assert_header_error(api.put(LINKS, json=link()), 500,
                        RESOURCE + ".updateUtmIncidentAlert: Invalid id", RESOURCE)
    assert_header_error(api.put(LINKS, json=link(alert_id="l2", id=1)), 500, "constraint")
    response = api.put(LINKS, json=link(id=50))  # JPA merge of an unknown id persists a new row
    assert response.status_code == 200 and response.json()["id"] == 3
    assert [r["id"] for r in state_links(emulator)] == [1, 2, 3]


def test_update_status_is_not_scoped_by_incident(api, emulator):
    other = api.post("/api/utm-incidents", json={
        "incidentName": "Other", "incidentDescription": "", "alertList": [
            {"alertId": "a1", "alertName": "x", "alertStatus": 2, "alertSeverity": 1}]}).json()
    response = api.post(LINKS + "/update-status",
                        json={"incidentId": other["id"], "alertIds": ["l1", "a1"], "status": 3})
    assert response.status_code == 200 and response.content == b""
    assert "X-UtmStack-alert" not in response.headers
    statuses = dict((r["alertId"], r["alertStatus"]) for r in state_links(emulator))
    assert statuses == {"l1": 3, "l2": 2, "a1": 3}
    last = emulator.state()["histories"][-1]
    assert (last["incidentId"], last["actionType"], last["actionDetail"]) == (
        other["id"], "INCIDENT_ALERT_STATUS_CHANGED", "Alerts changed to In review")
    # the documents are not touched
    assert next(d for d in emulator.state()["alerts"] if d["id"] == "l1")["status"] == 2


def test_update_status_accepts_any_integer(api, emulator):
    body = {"incidentId": 1, "alertIds": ["l1"], "status": 42}
    assert api.post(LINKS + "/update-status", json=body).status_code == 200
    assert state_links(emulator)[0]["alertStatus"] == 42
    assert emulator.state()["histories"][-1]["actionDetail"] == "Alerts changed to none"


def test_update_status_errors_roll_back(api, emulator):
    before = emulator.state()
    empty = api.post(LINKS + "/update-status", json={"incidentId": 1, "alertIds": [], "status": 3})
    assert_header_error(empty, 500, RESOURCE + ".updateStatus: ", RESOURCE)
    unknown = api.post(LINKS + "/update-status",
                       json={"incidentId": 999, "alertIds": ["l1"], "status": 3})
    assert_header_error(unknown, 500, "constraint", RESOURCE)
    missing = api.post(LINKS + "/update-status", json={"incidentId": 1, "alertIds": ["l1"]})
    assert_header_error(missing, 500, "Validation failed", "")
    assert emulator.state() == before


def test_delete_by_link_id(api, emulator):
    response = api.delete(LINKS + "/2")
    assert response.status_code == 200 and response.content == b""
    assert response.headers["X-UtmStack-alert"] == \
        "A utmIncidentAlert is deleted with identifier 2"
    assert [r["alertId"] for r in state_links(emulator)] == ["l1"]
    state = emulator.state()
    assert [h["actionType"] for h in state["histories"] if h["incidentId"] == 1] == \
        ["INCIDENT_CREATED", "INCIDENT_NOTE_ADD"]  # no INCIDENT_ALERT_DELETED
    assert state["incidents"][0]["incidentSeverity"] == 3  # not recomputed
    assert next(d for d in state["alerts"] if d["id"] == "l2")["isIncident"] is True


def test_delete_quirks(api):
    assert_header_error(api.delete(LINKS + "/99"), 500, RESOURCE + ".deleteUtmIncidentAlert: No "
                        "class com.park.utmstack.domain.incident.UtmIncidentAlert entity with id "
                        "99 exists!", RESOURCE)
    by_uuid = api.delete(LINKS + "/l1")  # the alert UUID is not the link id
    assert_header_error(by_uuid, 500, "NumberFormatException", "")


def test_there_is_no_get_by_id(api):
    assert_header_error(api.get(LINKS + "/1"), 500, "Request method 'GET' not supported", "")
