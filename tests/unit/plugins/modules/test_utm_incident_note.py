"""utm_incident_note.run() against the emulator: add once, dedupe, duplicates on purpose."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alerts, incidents, notes
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident_note
from harness import module_params

NOTES = "/api/utm-incident-notes"


def params(**options):
    return module_params(utm_incident_note, **options)


def log(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests()]


@pytest.fixture
def incident(client, emulator):
    doc = client.search([{"field": "isIncident", "operator": "IS", "value": False},
                         {"field": "parentId", "operator": "DOES_NOT_EXIST"}], limit=1)[0]
    if incidents.links_of_alerts(client, [doc["id"]]):
        pytest.skip("demo alert already linked")
    made = incidents.create_incident(client, "INC note test", "for notes", None, [alerts.link_item(doc)])[0]
    emulator.clear_requests()
    return made


def test_add_then_rerun_is_two_reads(client, emulator, incident):
    changed, result, diff = utm_incident_note.run(client, params(incident_name="INC note test",
                                                                 text="Blocked at the firewall"), False)
    assert changed is True and result["created"] is True
    note = result["note"]
    assert note["noteText"] == "Blocked at the firewall" and note["incidentId"] == incident["id"]
    assert note["id"] and note["noteSendBy"] and note["noteSendDate"]
    assert diff == {"before": {"notes": []}, "after": {"notes": ["Blocked at the firewall"]}}
    assert log(emulator) == [("GET", "/api/utm-incidents"), ("GET", NOTES), ("POST", NOTES)]
    emulator.clear_requests()
    changed, again, diff = utm_incident_note.run(client, params(incident_id=incident["id"],
                                                                text="Blocked at the firewall"), False)
    assert changed is False and again["created"] is False and diff is None
    # The same note; the create answer's timestamp has ns, the stored one µs (as on the server).
    assert dict(again["note"], noteSendDate=None) == dict(note, noteSendDate=None)
    assert log(emulator) == [("GET", "/api/utm-incidents"), ("GET", NOTES)]


def test_text_compared_exactly_and_duplicates_on_purpose(client, emulator, incident):
    ref = dict(incident_id=incident["id"])
    utm_incident_note.run(client, params(text="Checked", **ref), False)
    assert utm_incident_note.run(client, params(text="checked", **ref), False)[0] is True
    changed, result, diff = utm_incident_note.run(client, params(text="Checked", allow_duplicate=True, **ref), False)
    assert changed and result["created"]
    assert diff["after"]["notes"] == ["Checked", "checked", "Checked"]
    assert [n["noteText"] for n in notes.list_notes(client, incident["id"])] == ["Checked", "checked", "Checked"]


def test_check_mode_sends_no_write(client, emulator, incident):
    changed, result, diff = utm_incident_note.run(client, params(incident_id=incident["id"], text="Planned"), True)
    assert changed is True and result["created"] is True
    assert result["note"] == {"id": None, "incidentId": incident["id"], "noteText": "Planned",
                              "noteSendDate": None, "noteSendBy": None}
    assert diff["after"]["notes"] == ["Planned"]
    assert emulator.requests(writes_only=True) == []
    assert notes.list_notes(client, incident["id"]) == []


@pytest.mark.parametrize("options, message", [
    (dict(incident_id=1, text=""), "must not be empty"),
    (dict(incident_id=1, text="   "), "must not be empty"),
    (dict(incident_id=1, text="x" * 1001), "1001 characters long; UTMStack allows at most 1000"),
    (dict(incident_id=0, text="x"), "positive"),
    (dict(text="x"), "exactly one"),
    (dict(incident_name='say "hi"', text="x"), "double quote"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, message):
    with pytest.raises(UtmInputError, match=message):
        utm_incident_note.run(client, params(**options), False)
    assert emulator.requests() == []


def test_unknown_incident_fails_after_one_read(client, emulator):
    with pytest.raises(UtmInputError, match="no incident with id 987654"):
        utm_incident_note.run(client, params(incident_id=987654, text="x"), False)
    with pytest.raises(UtmInputError, match="no incident named 'nope'"):
        utm_incident_note.run(client, params(incident_name="nope", text="x"), False)
    assert len(emulator.requests()) == 2


def test_server_fault_on_add_is_not_retried(client, emulator, incident):
    # 502 from a proxy may hide a note the server saved: never resent blindly.
    emulator.add_fault(method="POST", path=NOTES, status=502, count=1)
    with pytest.raises(UtmApiError, match="POST /api/utm-incident-notes failed with HTTP 502"):
        utm_incident_note.run(client, params(incident_id=incident["id"], text="Once"), False)
    assert [r["path"] for r in emulator.requests()].count(NOTES) == 2    # one list, one POST
    assert notes.list_notes(client, incident["id"]) == []


def test_503_on_add_is_retried(client, emulator, incident):
    # 503 means the server did not process the request: safe to send again.
    emulator.add_fault(method="POST", path=NOTES, status=503, count=1)
    changed, unused_result, unused_diff = utm_incident_note.run(client, params(incident_id=incident["id"], text="Once"),
                                                                False)
    assert changed
    assert [n["noteText"] for n in notes.list_notes(client, incident["id"])] == ["Once"]


def test_lost_answer_of_a_note_that_did_not_arrive_names_the_request(client, emulator, incident):
    # Found by the fault matrix: this failure said nothing of the request it was about.
    emulator.add_fault(method="POST", path=NOTES, status=None, drop=True)
    with pytest.raises(UtmApiError, match="^POST /api/utm-incident-notes failed - the note was sent") as failure:
        utm_incident_note.run(client, params(incident_id=incident["id"], text="Once"), False)
    assert failure.value.details()["path"] == NOTES
    assert notes.list_notes(client, incident["id"]) == []
