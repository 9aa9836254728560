"""UtmIncidentResource: create, add-alerts, change-status, get, users-assigned (§3)."""
from emulator.tests.emu_helpers import assert_header_error, new_incident

INCIDENTS = "/api/utm-incidents"
FIELDS = ["id", "incidentName", "incidentDescription", "incidentStatus", "incidentAssignedTo",
          "incidentSeverity", "incidentCreatedDate", "incidentSolution"]


def create(api, **kwargs):
    response = api.post(INCIDENTS, json=new_incident(**kwargs))
    assert response.status_code == 200, response.headers
    return response.json()


def histories(emulator, incident_id):
    return [h for h in emulator.state()["histories"] if h["incidentId"] == incident_id]


def links(emulator, incident_id):
    return [r for r in emulator.state()["incident_alerts"] if r["incidentId"] == incident_id]


def doc(emulator, alert_id):
    return next(d for d in emulator.state()["alerts"] if d["id"] == alert_id)


# ---------------------------------------------------------------- create

def test_create_answers_200_with_the_incident(api, emulator, monkeypatch):
    monkeypatch.setattr("emulator.routing.now_ns", lambda: 1767225600123456789)
    response = api.post(INCIDENTS, json=new_incident(alerts=[("a1", 3), ("a2", 1)],
                                                     incidentAssignedTo="1"))
    assert response.status_code == 200
    assert "Location" not in response.headers and "X-UtmStack-alert" not in response.headers
    body = response.json()
    assert list(body) == FIELDS
    assert body["incidentStatus"] == "OPEN" and body["incidentSeverity"] == 3
    assert body["incidentSolution"] is None and body["incidentAssignedTo"] == "1"
    assert body["incidentCreatedDate"] == "2026-01-01T00:00:00.123Z"  # milliseconds
    assert api.get("%s/%d" % (INCIDENTS, body["id"])).json() == body


def test_create_writes_links_and_history_but_not_documents(api, emulator):
    body = create(api, alerts=[("a1", 3), ("a3", 2)])
    assert [(r["alertId"], r["alertName"], r["alertStatus"], r["alertSeverity"])
            for r in links(emulator, body["id"])] == [("a1", "Alert a1", 2, 3),
                                                      ("a3", "Alert a3", 2, 2)]
    (history,) = histories(emulator, body["id"])
    expected = ("INCIDENT_CREATED", "Incident Created", "Incident created with 2 alerts", "admin")
    assert (history["actionType"], history["action"], history["actionDetail"], history["actionCreatedBy"]) == expected
    assert doc(emulator, "a1")["isIncident"] is False


def test_create_severity_is_the_max_sent_by_the_client(api):
    assert create(api, alerts=[("a1", 1), ("made-up", 2)])["incidentSeverity"] == 2


def test_create_with_empty_alert_list_is_400(api):
    response = api.post(INCIDENTS, json=new_incident(alerts=[]))
    assert_header_error(response, 400, ".createUtmIncident: .createUtmIncident: A new incident "
                                       "has to have at least one alert related", "")


def test_create_with_linked_alert_is_409_listing_all_requested_ids(api, emulator):
    response = api.post(INCIDENTS, json=new_incident(alerts=[("a1", 1), ("l1", 2)]))
    assert_header_error(response, 409, "UtmIncidentService.createIncident: Some alerts are "
                        "already linked to another incident. Alert IDs: a1, l1. Check the "
                        "related incidents for more details.", "")
    assert len(emulator.state()["incidents"]) == 1


def test_create_duplicate_name_is_500_with_constraint(api):
    create(api, name="Twice")
    response = api.post(INCIDENTS, json=new_incident(name="Twice", alerts=[("a2", 1)]))
    assert_header_error(response, 500, "ux_utm_incident_incident_name", "")


def test_create_failures_are_rolled_back(api, emulator):
    before = emulator.state()
    duplicate = new_incident(alerts=[("a1", 1), ("a1", 1)])
    assert_header_error(api.post(INCIDENTS, json=duplicate), 500, "ux_utm_incident_alert_alert_id")
    after = emulator.state()
    assert after["incidents"] == before["incidents"]
    assert after["incident_alerts"] == before["incident_alerts"]
    assert after["histories"] == before["histories"]


def test_failed_insert_uses_up_a_sequence_value(api):
    first = create(api, name="One")
    api.post(INCIDENTS, json=new_incident(name="One", alerts=[("a2", 1)]))
    assert create(api, name="Two", alerts=[("a3", 1)])["id"] == first["id"] + 2


def test_create_requires_description(api):
    body = new_incident()
    del body["incidentDescription"]
    assert_header_error(api.post(INCIDENTS, json=body), 500, "incidentDescription")
    assert create(api, description="")["incidentDescription"] == ""


def test_create_length_limits(api):
    assert_header_error(api.post(INCIDENTS, json=new_incident(name="n" * 251)), 500)
    assert_header_error(api.post(INCIDENTS, json=new_incident(description="d" * 2001)), 500)
    assert create(api, name="n" * 250, description="d" * 2000)["id"]


def test_create_name_may_not_contain_double_quote(api):
    response = api.post(INCIDENTS, json=new_incident(name='Say "hi"'))
    assert_header_error(response, 500, "Validation failed for argument")


def test_create_validation_failures_are_500(api):
    for body in ({"incidentDescription": "x", "alertList": []},
                 {"incidentName": "x", "incidentDescription": "x"}):
        assert_header_error(api.post(INCIDENTS, json=body), 500, "Validation failed", "")


def test_create_null_alert_severity_is_500(api, emulator):
    body = new_incident()
    body["alertList"][0]["alertSeverity"] = None
    assert_header_error(api.post(INCIDENTS, json=body), 500)
    assert len(emulator.state()["incidents"]) == 1


# ---------------------------------------------------------------- add-alerts

def test_add_alerts_answers_201_with_odd_location_and_unchanged_severity(api, emulator):
    incident = create(api, alerts=[("a2", 1)])
    response = api.post(INCIDENTS + "/add-alerts", json={
        "incidentId": incident["id"],
        "alertList": [{"alertId": "a1", "alertName": "x", "alertStatus": 2, "alertSeverity": 3}]})
    assert response.status_code == 201
    assert response.headers["Location"] == "/api/utm-incidents/add-alerts%d" % incident["id"]
    assert response.headers["X-UtmStack-alert"] == \
        "A new utmIncident is created with identifier %d" % incident["id"]
    assert response.headers["X-UtmStack-params"] == str(incident["id"])
    assert response.json() == incident  # severity stays 1
    assert [r["alertId"] for r in links(emulator, incident["id"])] == ["a2", "a1"]
    added = histories(emulator, incident["id"])[-1]
    assert (added["actionType"], added["action"], added["actionDetail"]) == (
        "INCIDENT_ALERT_ADD", "New alerts added to incident", "New 1 alerts added to incident")
    assert doc(emulator, "a1")["isIncident"] is False


def test_add_alerts_errors(api):
    incident = create(api)
    item = {"alertId": "a4", "alertName": "x", "alertStatus": 2, "alertSeverity": 1}
    empty = api.post(INCIDENTS + "/add-alerts",
                     json={"incidentId": incident["id"], "alertList": []})
    assert_header_error(empty, 400, "Add utmIncident cannot already have an empty related alerts")
    linked = dict(item, alertId="l1")
    conflict = api.post(INCIDENTS + "/add-alerts", json={"incidentId": incident["id"],
                                                         "alertList": [item, linked]})
    assert_header_error(conflict, 409, "UtmIncidentService.addAlertsIncident: Some alerts are "
                        "already linked to another incident. Alert IDs: a4, l1.")
    unknown = api.post(INCIDENTS + "/add-alerts", json={"incidentId": 999, "alertList": [item]})
    assert_header_error(unknown, 500, "UtmIncidentService.addAlertsIncident: "
                        "UtmIncidentService.addAlertsIncident: Incident not found")
    missing = api.post(INCIDENTS + "/add-alerts", json={"alertList": [item]})
    assert_header_error(missing, 500, "Validation failed")


# ---------------------------------------------------------------- change-status

def seeded(api):
    return api.get(INCIDENTS, params={"incidentName.equals": "Seeded one"}).json()[0]


def test_change_status_is_a_full_replace(api):
    incident = seeded(api)
    assert incident["incidentAssignedTo"] == "1"
    body = dict(incident, incidentStatus="IN_REVIEW", incidentName="Renamed", incidentSeverity=1)
    del body["incidentAssignedTo"]
    response = api.put(INCIDENTS + "/change-status", json=body)
    assert response.status_code == 200
    assert response.headers["X-UtmStack-alert"] == \
        "A utmIncident is updated with identifier %d" % incident["id"]
    saved = api.get("%s/%d" % (INCIDENTS, incident["id"])).json()
    assert saved["incidentAssignedTo"] is None
    assert (saved["incidentName"], saved["incidentSeverity"]) == ("Renamed", 1)


def test_change_status_pushes_status_and_observation_to_linked_alerts(api, emulator):
    incident = seeded(api)
    body = dict(incident, incidentStatus="COMPLETED", incidentSolution="fixed it")
    assert api.put(INCIDENTS + "/change-status", json=body).status_code == 200
    assert [r["alertStatus"] for r in links(emulator, incident["id"])] == [5, 5]
    for alert_id in ("l1", "l2"):
        document = doc(emulator, alert_id)
        assert (document["status"], document["statusLabel"], document["statusObservation"]) == \
            (5, "Completed", "fixed it")
    rows = histories(emulator, incident["id"])[-2:]
    assert [(h["actionType"], h["action"], h["actionDetail"]) for h in rows] == [
        ("INCIDENT_ALERT_STATUS_CHANGED", "Alert status changed", "Alerts changed to Completed"),
        ("INCIDENT_STATUS_CHANGE", "Alert change status",
         "Incident status changed from Open to Completed  with solution: fixed it")]


def test_change_status_matches_echo_alerts_by_parent_id(api, emulator):
    incident = create(api, alerts=[("a2", 1)])
    body = dict(incident, incidentStatus="IN_REVIEW")
    assert api.put(INCIDENTS + "/change-status", json=body).status_code == 200
    echo = doc(emulator, "a2e")
    assert (echo["status"], echo["statusObservation"]) == (3, "null")  # no solution sent
    detail = histories(emulator, incident["id"])[-1]["actionDetail"]
    assert detail == "Incident status changed from Open to In review "


def test_change_status_without_alerts_writes_one_history_row(api, emulator):
    incident = create(api, alerts=[("a4", 1)])
    (link,) = links(emulator, incident["id"])
    assert api.delete("/api/utm-incident-alerts/%d" % link["id"]).status_code == 200
    body = dict(incident, incidentStatus="MERGED")
    assert api.put(INCIDENTS + "/change-status", json=body).status_code == 200
    assert histories(emulator, incident["id"])[-1]["actionDetail"] == \
        "Incident status changed from Open to none "


def test_merged_with_alerts_fails_and_rolls_back(api, emulator):
    incident = seeded(api)
    before = emulator.state()
    response = api.put(INCIDENTS + "/change-status", json=dict(incident, incidentStatus="MERGED"))
    assert_header_error(response, 500)
    assert emulator.state() == before


def test_change_status_can_reopen(api):
    incident = seeded(api)
    for status in ("COMPLETED", "OPEN"):
        assert api.put(INCIDENTS + "/change-status",
                       json=dict(incident, incidentStatus=status)).status_code == 200
    assert seeded(api)["incidentStatus"] == "OPEN"


def test_change_status_errors(api, emulator):
    incident = seeded(api)
    assert_header_error(api.put(INCIDENTS + "/change-status", json=dict(incident, id=None)),
                        500, "Invalid id", "")
    assert_header_error(api.put(INCIDENTS + "/change-status", json=dict(incident, id=999)),
                        500, ".changeStatus: Incident not found")
    for missing in ("incidentName", "incidentDescription", "incidentStatus", "incidentSeverity",
                    "incidentCreatedDate"):
        body = dict(incident)
        del body[missing]
        assert_header_error(api.put(INCIDENTS + "/change-status", json=body), 500,
                            "Validation failed")
    bad_enum = api.put(INCIDENTS + "/change-status", json=dict(incident, incidentStatus="REVIEW"))
    assert_header_error(bad_enum, 500, "JSON parse error")


def test_change_status_long_solution_fails_in_history_and_rolls_back(api, emulator):
    incident = seeded(api)
    before = emulator.state()
    body = dict(incident, incidentStatus="COMPLETED", incidentSolution="s" * 990)
    assert_header_error(api.put(INCIDENTS + "/change-status", json=body), 500)
    assert emulator.state() == before


def test_change_status_echoes_request_precision_but_stores_microseconds(api):
    incident = seeded(api)
    body = dict(incident, incidentCreatedDate="2026-01-05T08:00:00.123456789Z")
    response = api.put(INCIDENTS + "/change-status", json=body)
    assert response.json()["incidentCreatedDate"] == "2026-01-05T08:00:00.123456789Z"
    stored = api.get("%s/%d" % (INCIDENTS, incident["id"])).json()
    assert stored["incidentCreatedDate"] == "2026-01-05T08:00:00.123457Z"


# ---------------------------------------------------------------- get / users-assigned

def test_get_by_id(api):
    incident = seeded(api)
    assert api.get("%s/%d" % (INCIDENTS, incident["id"])).json() == incident
    assert_header_error(api.get(INCIDENTS + "/999"), 500, "404 NOT_FOUND", "")
    assert_header_error(api.get(INCIDENTS + "/abc"), 500, "NumberFormatException")


def test_users_assigned_reads_numeric_ids(api):
    create(api, name="Two", alerts=[("a1", 1)], incidentAssignedTo="1,3")
    response = api.get(INCIDENTS + "/users-assigned")
    assert response.status_code == 200 and "X-Total-Count" not in response.headers
    assert response.json() == [{"id": 1, "login": "admin"}, {"id": 3, "login": "analyst"}]


def test_users_assigned_fails_on_a_login(api):
    create(api, name="Two", alerts=[("a1", 1)], incidentAssignedTo="admin")
    assert_header_error(api.get(INCIDENTS + "/users-assigned"), 500, 'For input string: "admin"')
