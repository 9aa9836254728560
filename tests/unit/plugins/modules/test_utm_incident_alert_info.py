"""utm_incident_alert_info.run() against the emulator: by incident, by alerts, both, none."""

import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident, utm_incident_alert_info
from harness import free_alert_ids, module_params


params = module_params


def links(client, **options):
    changed, result, diff = utm_incident_alert_info.run(client, params(utm_incident_alert_info, **options), False)
    assert changed is False and diff is None
    return result["incident_alerts"]


@pytest.fixture
def made(client, emulator):
    """An open incident with two free demo alerts and a completed one with a third; log cleared."""
    ids = free_alert_ids(client, 3)
    made = []
    for status, alert_ids in (("open", ids[:2]), ("completed", ids[2:3])):
        unused_value, result, unused_value = utm_incident.run(client, params(utm_incident, name="INC-links %s" % uuid.uuid4().hex[:8],
                                                                             alerts=alert_ids, status=status), False)
        made.append(result["incident"])
    emulator.clear_requests()
    return made, ids


def test_alert_info_by_incident_alerts_and_both(client, emulator, made):
    incidents, ids = made
    rows = links(client, incident_id=incidents[0]["id"])
    assert sorted(r["alertId"] for r in rows) == sorted(ids[:2])
    assert all(r["incidentId"] == incidents[0]["id"] and r["status"] == "open" for r in rows)
    assert set(rows[0]) >= {"id", "incidentId", "alertId", "alertName", "alertStatus", "alertSeverity", "status"}
    assert len(emulator.requests()) == 1
    rows = links(client, incident_name=incidents[1]["incidentName"])
    assert [(r["alertId"], r["status"]) for r in rows] == [(ids[2], "completed")]
    rows = links(client, alerts=[ids[0], ids[2], str(uuid.uuid4())])
    assert sorted((r["alertId"], r["incidentId"]) for r in rows) == \
        sorted([(ids[0], incidents[0]["id"]), (ids[2], incidents[1]["id"])])
    assert links(client, incident_id=incidents[0]["id"], alerts=[ids[2]]) == []
    assert len(links(client, incident_id=incidents[0]["id"], limit=1)) == 1
    assert len(links(client)) >= 4


def test_alert_info_unknown_incident_is_empty(client, emulator):
    assert links(client, incident_id=99999999) == []
    assert links(client, incident_name="no such incident") == []
    assert [r["method"] for r in emulator.requests()] == ["GET", "GET"]


@pytest.mark.parametrize("options, words", [
    (dict(incident_id=0), "incident_id must be a positive"),
    (dict(alerts=[]), "at least one alert"),
    (dict(alerts=["abc"]), "alert UUIDs"),
    (dict(incident_name='a "b"'), "double quote"),
    (dict(incident_name=""), "non-empty"),
])
def test_alert_info_bad_input_fails_before_any_request(client, emulator, options, words):
    with pytest.raises(UtmInputError, match=words):
        links(client, **options)
    assert emulator.requests() == []
