"""Check mode across tasks: an incident an earlier task would create does not exist yet.

A real run creates it and the later tasks find it; a check run must predict the same changes
for those later tasks (with a warning) instead of failing, and still send no write.
"""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident, utm_incident_alert, utm_incident_note
from harness import free_alert_ids, module_params

NAME = "INC not created yet"


params = module_params


def free_alert(client):
    return free_alert_ids(client, 1)[0]


def test_note_on_an_incident_not_created_yet(client, emulator):
    changed, result, diff = utm_incident_note.run(client, params(utm_incident_note, incident_name=NAME, text="x"), True)
    assert changed is True and result["created"] is True
    assert NAME in result["warnings"][0] and diff["after"] == {"notes": ["x"]}
    assert emulator.requests(writes_only=True) == []
    assert len(emulator.requests()) == 1


def test_alerts_for_an_incident_not_created_yet(client, emulator):
    alert = free_alert(client)
    emulator.clear_requests()
    changed, result, diff = utm_incident_alert.run(client, params(utm_incident_alert, incident_name=NAME, alerts=[alert]), True)
    assert changed is True and result["alerts_added"] == [alert]
    assert "check mode assumes" in result["warnings"][0]
    assert emulator.requests(writes_only=True) == []


def test_status_of_an_incident_not_created_yet(client, emulator):
    changed, result, diff = utm_incident.run(client, params(utm_incident, name=NAME, status="in_review"), True)
    assert changed is True and result["incident"]["incidentStatus"] == "IN_REVIEW"
    assert result["warnings"] and emulator.requests(writes_only=True) == []


def test_outside_check_mode_a_missing_incident_still_fails(client, emulator):
    for module, options in ((utm_incident_note, dict(incident_name=NAME, text="x")),
                            (utm_incident, dict(name=NAME, status="in_review"))):
        with pytest.raises(UtmInputError, match=NAME):
            module.run(client, params(module, **options), False)
    assert emulator.requests(writes_only=True) == []


def test_an_unknown_id_fails_even_in_check_mode(client):
    with pytest.raises(UtmInputError, match="987654"):
        utm_incident_note.run(client, params(utm_incident_note, incident_id=987654, text="x"), True)


def test_status_only_moves_forward_unless_reopen(client, emulator):
    alert = free_alert(client)
    utm_incident.run(client, params(utm_incident, name="INC forward", alerts=[alert], status="completed",
                                    solution="done"), False)
    emulator.clear_requests()
    changed, result, diff = utm_incident.run(client, params(utm_incident, name="INC forward", status="in_review"), False)
    assert changed is False and result["incident"]["incidentStatus"] == "COMPLETED"
    assert "reopen" in result["warnings"][0]
    assert emulator.requests(writes_only=True) == []
    changed, result, diff = utm_incident.run(client, params(utm_incident, name="INC forward", status="open", reopen=True), False)
    assert changed is True and result["incident"]["incidentStatus"] == "OPEN"
    assert result["incident"]["incidentSolution"] == "done"
    assert diff["before"]["status"] == "completed" and diff["after"]["status"] == "open"


def test_status_of_an_incident_not_created_yet_shows_a_diff(client, emulator):
    changed, result, diff = utm_incident.run(client, params(utm_incident, name=NAME, status="in_review"), True)
    assert diff == {"before": {}, "after": {"name": NAME, "description": None, "status": "in_review",
                                            "assigned_to": None, "solution": None}}
