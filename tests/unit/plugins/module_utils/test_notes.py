"""notes: list (oldest first, filtered, limited), find by exact text, add."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alerts, incidents, notes
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError


def make_incident(client, name="INC notes test"):
    doc = client.search([{"field": "isIncident", "operator": "IS", "value": False}], limit=1)[0]
    return incidents.create_incident(client, name, "made by a test", None, [alerts.link_item(doc)])[0]


def test_check_incident_ref():
    notes.check_incident_ref(3, None)
    notes.check_incident_ref(None, "INC 1")
    for args, message in [((None, None), "exactly one"), ((1, "x"), "exactly one"),
                          ((0, None), "positive"), ((None, 'a "b"'), "double quote")]:
        with pytest.raises(UtmInputError, match=message):
            notes.check_incident_ref(*args)


def test_find_text_is_exact():
    rows = [{"noteText": "Blocked IP"}, {"noteText": "blocked ip"}]
    assert notes.find_text(rows, "blocked ip") is rows[1]
    assert notes.find_text(rows, "Blocked IP ") is None


def test_order_copes_with_fraction_widths():
    rows = [{"id": 3, "noteSendDate": "2026-01-01T10:00:00Z"},
            {"id": 1, "noteSendDate": "2026-01-01T10:00:00.5Z"},
            {"id": 2, "noteSendDate": "2026-01-01T09:59:59.999999Z"}]
    assert [r["id"] for r in sorted(rows, key=notes._order)] == [2, 3, 1]


def test_add_then_list_in_order(emulator, client):
    incident = make_incident(client)
    first = notes.add_note(client, incident["id"], "Triage started")
    second = notes.add_note(client, incident["id"], "Blocked 203.0.113.7 at the firewall")
    assert set(first) == set(notes.NOTE_FIELDS)
    assert first["incidentId"] == incident["id"] and first["noteSendBy"]
    emulator.clear_requests()
    listed = notes.list_notes(client, incident["id"])
    assert [n["id"] for n in listed] == [first["id"], second["id"]]
    [read] = emulator.requests()
    assert read["method"] == "GET" and read["query"]["incidentId.equals"] in (str(incident["id"]), [str(incident["id"])])
    assert [n["noteText"] for n in notes.list_notes(client, incident["id"], text_contains="FIREWALL")] == \
        ["Blocked 203.0.113.7 at the firewall"]
    assert len(notes.list_notes(client, incident["id"], limit=1)) == 1


def test_unknown_incident_has_no_notes(emulator, client):
    assert notes.list_notes(client, 987654) == []
