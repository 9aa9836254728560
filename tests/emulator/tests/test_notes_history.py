"""UtmIncidentNoteResource and UtmIncidentHistoryResource (§5, §6)."""
from emulator.tests.emu_helpers import assert_header_error

NOTES = "/api/utm-incident-notes"
HISTORY = "/api/utm-incident-histories"


def test_note_is_created_201_by_the_caller(analyst_api, emulator):
    response = analyst_api.post(NOTES, json={"incidentId": 1, "noteText": "Checked the logs"})
    assert response.status_code == 201
    note = response.json()
    assert list(note) == ["id", "incidentId", "noteText", "noteSendDate", "noteSendBy"]
    assert (note["id"], note["incidentId"], note["noteSendBy"]) == (2, 1, "analyst")
    assert response.headers["Location"] == "/api/utm-incident-notes/2"
    assert response.headers["X-UtmStack-alert"] == \
        "A new utmIncidentNote is created with identifier 2"
    assert response.headers["X-UtmStack-params"] == "2"
    history = emulator.state()["histories"][-1]
    assert (history["actionType"], history["action"], history["actionDetail"],
            history["actionCreatedBy"]) == ("INCIDENT_NOTE_ADD", "Note added",
                                            "New note added to incident", "analyst")


def test_note_date_has_more_precision_on_create_than_in_the_list(api, monkeypatch):
    """Instant.now() in the answer; Postgres keeps microseconds (rounded)."""
    monkeypatch.setattr("emulator.routing.now_ns", lambda: 1767225600123456789)
    created = api.post(NOTES, json={"incidentId": 1, "noteText": "x"}).json()
    assert created["noteSendDate"] == "2026-01-01T00:00:00.123456789Z"
    listed = api.get(NOTES, params={"id.equals": created["id"]}).json()[0]
    assert listed["noteSendDate"] == "2026-01-01T00:00:00.123457Z"


def test_note_errors(api):
    context = "UtmIncidentNoteResource.createUtmIncidentNote: "
    assert_header_error(api.post(NOTES, json={"incidentId": 1, "noteText": "n" * 1001}), 500,
                        context, "UtmIncidentNoteResource")
    assert api.post(NOTES, json={"incidentId": 1, "noteText": "n" * 1000}).status_code == 201
    assert_header_error(api.post(NOTES, json={"incidentId": 999, "noteText": "x"}), 500,
                        context)
    assert_header_error(api.post(NOTES, json={"incidentId": 1}), 500, "Validation failed", "")
    assert_header_error(api.post(NOTES, json={"incidentId": 1, "incidentNoteText": "x"}), 500,
                        "Validation failed")


def test_notes_cannot_be_updated_or_deleted(api):
    assert_header_error(api.put(NOTES, json={"id": 1, "incidentId": 1, "noteText": "y"}), 500,
                        "Request method 'PUT' not supported")
    assert api.delete(NOTES + "/1").status_code == 404


def test_note_list(api):
    response = api.get(NOTES, params={"incidentId.equals": 1})
    assert [n["noteText"] for n in response.json()] == ["seeded note"]
    assert response.headers["X-Total-Count"] == "1"


def test_history_list_count_and_get(api):
    response = api.get(HISTORY, params={"incidentId.equals": 1, "sort": "id,asc"})
    rows = response.json()
    assert [r["actionType"] for r in rows] == ["INCIDENT_CREATED", "INCIDENT_NOTE_ADD"]
    assert list(rows[0]) == ["id", "incidentId", "actionDate", "actionType", "actionCreatedBy",
                             "action", "actionDetail"]
    count = api.get(HISTORY + "/count", params={"incidentId.equals": 1})
    assert count.status_code == 200 and count.text == "2"
    assert api.get(HISTORY + "/count", params={"actionType.equals": "INCIDENT_CREATED"}).json() == 1
    assert api.get(HISTORY + "/%d" % rows[0]["id"]).json() == rows[0]


def test_history_get_unknown_is_500(api):
    assert_header_error(api.get(HISTORY + "/999"), 500,
                        "UtmIncidentHistoryResource.getUtmIncidentHistory: 404 NOT_FOUND",
                        "UtmIncidentHistoryResource")


def test_history_is_read_only(api):
    assert_header_error(api.post(HISTORY, json={}), 500, "Request method 'POST' not supported")
