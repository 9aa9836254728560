"""One test per quirk of reference §14 (and the doc contradictions of §12).

Each docstring names what the public docs (shared/seeds, the v11 docs) claim; the
assertions fail if the emulator followed the docs instead of the server's code.
"""
from emulator.tests.emu_helpers import API_KEY, alert_doc, assert_boot_error, assert_header_error, new_incident

INCIDENTS = "/api/utm-incidents"
SEARCH = "/api/elasticsearch/search"


def doc(emulator, alert_id):
    return next(d for d in emulator.state()["alerts"] if d["id"] == alert_id)


def seeded(api):
    return api.get(INCIDENTS, params={"incidentName.equals": "Seeded one"}).json()[0]


def test_create_answers_200_not_201(api):
    """Javadoc and springdoc: 201 Created. Server: ResponseEntity.ok -> 200, no Location."""
    response = api.post(INCIDENTS, json=new_incident())
    assert response.status_code == 200 and "Location" not in response.headers


def test_add_alerts_201_odd_location_and_unchanged_severity(api):
    """Docs: 'Returns the updated incident object'. Server: the incident as it was (severity is
    not recomputed) and Location /api/utm-incidents/add-alerts<id> without a slash."""
    incident = api.post(INCIDENTS, json=new_incident(alerts=[("a2", 1)])).json()
    item = {"alertId": "a1", "alertName": "Brute force", "alertStatus": 2, "alertSeverity": 3}
    response = api.post(INCIDENTS + "/add-alerts",
                        json={"incidentId": incident["id"], "alertList": [item]})
    assert response.status_code == 201
    assert response.json()["incidentSeverity"] == 1
    assert response.headers["Location"] == "/api/utm-incidents/add-alerts%d" % incident["id"]


def test_change_status_is_a_full_replace(api):
    """Docs list incidentAssignedTo as optional ('include to preserve'); leaving it out wipes
    it, and name/severity can be changed through a 'status' call."""
    incident = seeded(api)
    body = dict(incident, incidentStatus="IN_REVIEW", incidentSeverity=1)
    del body["incidentAssignedTo"]
    assert api.put(INCIDENTS + "/change-status", json=body).status_code == 200
    saved = seeded(api)
    assert saved["incidentAssignedTo"] is None and saved["incidentSeverity"] == 1


def test_status_workflow_is_not_enforced(api):
    """Docs: 'Status Workflow: OPEN -> IN_REVIEW -> COMPLETED'. Server: any status from any."""
    incident = seeded(api)
    for status in ("COMPLETED", "OPEN"):
        assert api.put(INCIDENTS + "/change-status",
                       json=dict(incident, incidentStatus=status)).status_code == 200


def test_merged_fails_when_alerts_are_linked(api, emulator):
    """MERGED is a valid enum value, but its alert code 0 has no label: 500 and rollback."""
    before = emulator.state()
    response = api.put(INCIDENTS + "/change-status",
                       json=dict(seeded(api), incidentStatus="MERGED"))
    assert_header_error(response, 500)
    assert emulator.state() == before


def test_completing_sets_alerts_to_5_in_db_and_documents_including_echoes(api, emulator):
    """Docs: 'associated alert statuses are set to 5'. True, and in v11 echo alerts
    (parentId) follow too, with the solution as statusObservation."""
    incident = api.post(INCIDENTS, json=new_incident(alerts=[("a2", 1)])).json()
    body = dict(incident, incidentStatus="COMPLETED", incidentSolution="closed")
    assert api.put(INCIDENTS + "/change-status", json=body).status_code == 200
    assert (doc(emulator, "a2e")["status"], doc(emulator, "a2e")["statusObservation"]) == \
        (5, "closed")


def test_users_assigned_fails_on_a_username(api):
    """Docs: incidentAssignedTo is a 'Username' (example "admin"). users-assigned parses
    numeric user ids and answers 500 for anything else."""
    api.post(INCIDENTS, json=new_incident(incidentAssignedTo="admin"))
    assert_header_error(api.get(INCIDENTS + "/users-assigned"), 500)


def test_get_unknown_incident_is_500_not_404(api):
    """Docs imply 404 for a missing incident. Server: ResponseStatusException(404) caught by
    the catch-all advice -> 500 with '404 NOT_FOUND' in X-UtmStack-error."""
    assert_header_error(api.get(INCIDENTS + "/424242"), 500, "404 NOT_FOUND")


def test_description_is_required(api):
    """Docs: incidentDescription 'Required: No'. Entity and DB require it -> 500."""
    body = new_incident()
    del body["incidentDescription"]
    assert_header_error(api.post(INCIDENTS, json=body), 500)


def test_duplicate_name_is_500_not_409(api):
    """A unique index, not a checked rule: 500 mentioning ux_utm_incident_incident_name."""
    api.post(INCIDENTS, json=new_incident(name="Same"))
    response = api.post(INCIDENTS, json=new_incident(name="Same", alerts=[("a2", 1)]))
    assert_header_error(response, 500, "ux_utm_incident_incident_name")


def test_raw_link_post_conflict_is_500_while_create_is_409(api):
    """One alert per incident: create/add-alerts pre-check (409); the raw link POST does not."""
    item = {"alertId": "l1", "alertName": "x", "alertStatus": 2, "alertSeverity": 1}
    assert api.post(INCIDENTS, json=new_incident(alerts=[("l1", 1)])).status_code == 409
    assert api.post("/api/utm-incident-alerts", json=dict(item, incidentId=1)).status_code == 500


def test_severity_greater_than_is_ignored(api):
    """Docs: filter incidentSeverity.greaterThan=2. A plain filter: silently ignored."""
    api.post(INCIDENTS, json=new_incident(alerts=[("a4", 1)]))
    response = api.get(INCIDENTS, params={"incidentSeverity.greaterThan": 2})
    assert response.headers["X-Total-Count"] == "2"


def test_search_page_0_and_1_are_the_same_page(api):
    """Docs v11.2.2: 0-indexed, page=1 is the next page. Server: page<=1 is the first page."""
    params = {"top": 100, "indexPattern": "v11-alert-*", "size": 3, "sort": "id,asc"}
    pages = [api.post(SEARCH, params=dict(params, page=p), json=[]).json() for p in (0, 1, 2)]
    assert pages[0] == pages[1] != pages[2]


def test_search_without_hits_has_no_total_header(api):
    """An empty answer is [] without X-Total-Count or Link (treat missing as 0)."""
    response = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"},
                        json=[{"field": "id", "operator": "IS", "value": "none-such"}])
    assert response.json() == [] and "X-Total-Count" not in response.headers
    assert "Link" not in response.headers


def test_search_rejects_documented_operator_names(api):
    """Docs list CONTAINS, GREATER_THAN...; not in OperatorType: 500 with a header, empty body
    (docs: a JSON error body with status 400)."""
    response = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"},
                        json=[{"field": "severity", "operator": "GREATER_THAN", "value": 1}])
    assert_header_error(response, 500)


def test_alert_notes_are_stored_verbatim(api, emulator):
    """Docs: send a JSON-quoted string; answer {"message": ...}. Server: the raw body is the
    note (quotes included) and the answer is an empty 200."""
    response = api.post("/api/utm-alerts/notes", params={"alertId": "a1"}, json="checked")
    assert response.status_code == 200 and response.content == b""
    assert doc(emulator, "a1")["notes"] == '"checked"'


def test_tags_create_rule_is_ignored_and_tags_required(api, emulator):
    """Docs: createRule=true creates an auto-tag rule; tags optional. Server: createRule is
    ignored (nothing else changes) and a missing tags list is a 500."""
    before = emulator.state()
    body = {"alertIds": ["a1"], "tags": ["x"], "createRule": True}
    assert api.post("/api/utm-alerts/tags", json=body).status_code == 200
    after = emulator.state()
    assert after["incidents"] == before["incidents"] and doc(emulator, "a1")["tags"] == ["x"]
    assert_header_error(api.post("/api/utm-alerts/tags",
                                 json={"alertIds": ["a1"], "createRule": False}), 500)


def test_alert_status_4_and_6_are_rejected_1_is_accepted(api):
    """Docs: 1 = 'Ignored', enum [2,3,5]; the UI has 4 and 6. Server labels only 1,2,3,5."""
    for code, expected in ((4, 500), (6, 500), (1, 200)):
        body = {"alertIds": ["a1"], "status": code, "statusObservation": ""}
        assert api.post("/api/utm-alerts/status", json=body).status_code == expected


def test_status_observation_is_required(api):
    """Docs: statusObservation optional. v11's audit map rejects null -> 500."""
    body = {"alertIds": ["a1"], "status": 3}
    assert_header_error(api.post("/api/utm-alerts/status", json=body), 500)


def test_status_on_unknown_alert_is_200(api):
    """Docs: 404 'Alert not found'. Server: update-by-query ignores unknown ids -> 200."""
    body = {"alertIds": ["no-such-alert"], "status": 3, "statusObservation": ""}
    assert api.post("/api/utm-alerts/status", json=body).status_code == 200


def test_convert_to_incident_creates_nothing_and_checks_nothing(api, emulator):
    """Docs: incidentId 0 creates an incident, JSON success body, 400 for a duplicate id, 404
    for missing alerts. Server: only flags the documents; empty 200; ids never checked."""
    body = {"eventIds": ["a1", "missing"], "incidentName": "New", "incidentId": 0,
            "incidentSource": "x"}
    for unused_value in range(2):
        response = api.post("/api/utm-alerts/convert-to-incident", json=body)
        assert response.status_code == 200 and response.content == b""
    assert len(emulator.state()["incidents"]) == 1
    assert doc(emulator, "a1")["incidentDetail"]["incidentId"] == "0"


def test_only_convert_sets_is_incident_and_deleting_a_link_keeps_it(api, emulator):
    """Alert documents and link rows are separate: creating an incident does not flag the
    documents, deleting a link does not unflag them."""
    api.post(INCIDENTS, json=new_incident(alerts=[("a3", 2)]))
    assert doc(emulator, "a3")["isIncident"] is False
    assert api.delete("/api/utm-incident-alerts/1").status_code == 200
    assert doc(emulator, "l1")["isIncident"] is True


def test_invalid_api_key_is_500_not_401(anon):
    """Docs v11.2.2: an invalid key gives 401. The filter's exception escapes: Boot 500 JSON."""
    response = anon.get(INCIDENTS, headers={"Utm-Api-Key": "wrong"})
    assert_boot_error(response, 500, INCIDENTS)


def test_api_key_as_bearer_is_401(anon):
    """Docs v11: send the key as Authorization: Bearer <key>. Only Utm-Api-Key works."""
    response = anon.get(INCIDENTS, headers={"Authorization": "Bearer " + API_KEY})
    assert_boot_error(response, 401, INCIDENTS)


def test_v11_login_body_uses_token_not_id_token(anon):
    """Docs v11: login answers {authenticated, id_token}. v11 answers {success, ..., token}
    and without X-Bypass-TFA the token is only good for the TFA step (403 elsewhere)."""
    response = anon.post("/api/authenticate",
                         json={"username": "admin", "password": "utmstack-admin"})
    body = response.json()
    assert "id_token" not in body and "token" in body
    forbidden = anon.get(INCIDENTS, headers={"Authorization": "Bearer " + body["token"]})
    assert_boot_error(forbidden, 403, INCIDENTS)


def test_errors_are_headers_not_json_bodies(api):
    """Docs show JSON error bodies. Server: status + empty body + X-UtmStack-error."""
    response = api.post(INCIDENTS, json=new_incident(alerts=[]))
    assert_header_error(response, 400)


def test_v11_alerts_live_in_v11_alert_index(api, emulator):
    """Docs v11 getting-started searches indexPattern=alert-*. v11 alerts are v11-alert-*."""
    emulator.load_seed({"alerts": [alert_doc("z9", "Only in v11 index", 2)]})
    wrong = api.post(SEARCH, params={"top": 10, "indexPattern": "alert-*"},
                     json=[{"field": "id", "operator": "IS", "value": "z9"}])
    right = api.post(SEARCH, params={"top": 10, "indexPattern": "v11-alert-*"},
                     json=[{"field": "id", "operator": "IS", "value": "z9"}])
    assert [d["id"] for d in right.json()] == ["z9"]
    assert wrong.status_code != 200 or wrong.json() == []
