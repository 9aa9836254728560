"""utm_incident_note_info.run() against the emulator."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import incidents, notes
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident_note_info
from harness import module_params


def params(**options):
    return module_params(utm_incident_note_info, **options)


def run(client, **options):
    changed, result, diff = utm_incident_note_info.run(client, params(**options), False)
    assert changed is False and diff is None
    return result["notes"]


@pytest.fixture
def noted(client, emulator):
    """A demo incident with its seeded notes plus two more; the log is cleared after."""
    rows = client.list_all(notes.NOTES)
    incident = incidents.get_incident(client, rows[0]["incidentId"])
    notes.add_note(client, incident["id"], "Firewall rule added")
    notes.add_note(client, incident["id"], "Users informed")
    emulator.clear_requests()
    return incident


def test_by_name_and_id(client, emulator, noted):
    by_name = run(client, incident_name=noted["incidentName"])
    assert len(emulator.requests()) == 2
    emulator.clear_requests()
    by_id = run(client, incident_id=noted["id"])
    assert len(emulator.requests()) == 1
    assert by_name == by_id and len(by_id) >= 4
    assert [n["noteText"] for n in by_id][-2:] == ["Firewall rule added", "Users informed"]
    keys = [(n["noteSendDate"], n["id"]) for n in by_id]
    assert keys == sorted(keys)
    assert set(by_id[0]) == {"id", "incidentId", "noteText", "noteSendDate", "noteSendBy"}


def test_text_contains_and_limit(client, emulator, noted):
    assert [n["noteText"] for n in run(client, incident_id=noted["id"], text_contains="FIREWALL")] == \
        [n["noteText"] for n in run(client, incident_id=noted["id"]) if "firewall" in n["noteText"].lower()]
    everything = run(client, incident_id=noted["id"])
    assert run(client, incident_id=noted["id"], limit=2) == everything[:2]


def test_percent_and_underscore_in_text_contains_are_literal(client, emulator, noted):
    for text in ("Blocked 100% of hosts", "Blocked 100 of hosts", "run_book done", "runXbook done", "run_book two"):
        notes.add_note(client, noted["id"], text)
    assert [n["noteText"] for n in run(client, incident_id=noted["id"], text_contains="100%")] == ["Blocked 100% of hosts"]
    assert [n["noteText"] for n in run(client, incident_id=noted["id"], text_contains="RUN_BOOK", limit=1)] == ["run_book done"]
    assert [n["noteText"] for n in run(client, incident_id=noted["id"], text_contains="%")] == ["Blocked 100% of hosts"]


def test_unknown_incident_is_empty(client, emulator):
    assert run(client, incident_id=987654) == []
    assert run(client, incident_name="no such incident") == []
    assert len(emulator.requests()) == 2


@pytest.mark.parametrize("options, message", [
    (dict(), "exactly one"),
    (dict(incident_id=-1), "positive"),
    (dict(incident_id=1, limit=0), "limit"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, message):
    with pytest.raises(UtmInputError, match=message):
        utm_incident_note_info.run(client, params(**options), False)
    assert emulator.requests() == []
