"""utm_incident_alert.run() against the emulator: membership as a set."""

import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.incidents import links_of_alerts
from ansible_collections.utmstack.soc.plugins.modules import utm_incident, utm_incident_alert
from harness import free_alert_ids, module_params

LINKS = "/api/utm-incident-alerts"


def params(module=utm_incident_alert, **options):
    return module_params(module, **options)


def writes(emulator):
    return [(r["method"], r["path"]) for r in emulator.requests(writes_only=True)]


@pytest.fixture
def alerts(client, emulator):
    """Six top-level demo alerts in no incident."""
    ids = free_alert_ids(client, 6)
    assert len(ids) == 6
    return ids


@pytest.fixture
def incident(client, emulator, alerts):
    """An incident holding alerts[0]; the request log is empty afterwards."""
    unused_value, result, unused_value = utm_incident.run(client, params(utm_incident, name="INC-links %s" % uuid.uuid4().hex[:8],
                                                                         alerts=alerts[:1]), False)
    emulator.clear_requests()
    return result["incident"]


def test_present_adds_only_the_free_alerts(client, emulator, alerts, incident):
    changed, result, diff = utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=alerts[:3]), False)
    assert changed is True
    assert result["alerts_added"] == alerts[1:3] and result["alerts_already_present"] == alerts[:1]
    assert result["alerts_removed"] == [] and result["alerts_not_present"] == [] and result["incident"]["id"] == incident["id"]
    assert diff == {"before": {"alerts": alerts[:1]}, "after": {"alerts": sorted(alerts[:3])}}
    assert [r["method"] for r in emulator.requests()][:3] == ["GET", "GET", "POST"]
    assert writes(emulator) == [("POST", "/api/utm-incidents/add-alerts"), ("POST", "/api/utm-alerts/convert-to-incident")]
    emulator.clear_requests()
    changed, result, unused_value = utm_incident_alert.run(client, params(incident_name=incident["incidentName"],
                                                                          alerts=alerts[:3]), False)
    assert changed is False and result["alerts_added"] == [] and sorted(result["alerts_already_present"]) == sorted(alerts[:3])
    # The incident, the links and the documents (a rerun flags what an interrupted run did not).
    assert [r["method"] for r in emulator.requests()] == ["GET", "GET", "POST"]


@pytest.mark.parametrize("state", ["present", "absent"])
def test_an_empty_list_changes_nothing(client, emulator, incident, state):
    changed, result, unused_value = utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=[],
                                                                          state=state), False)
    assert changed is False and result["alerts_added"] == [] and result["alerts_removed"] == []
    assert writes(emulator) == []


def test_check_mode_predicts_and_writes_nothing(client, emulator, alerts, incident):
    for state, ids in (("present", alerts[:2]), ("absent", alerts[:1])):
        options = params(incident_id=incident["id"], alerts=ids, state=state)
        predicted = utm_incident_alert.run(client, options, True)
        assert predicted[0] is True and writes(emulator) == []
        assert utm_incident_alert.run(client, options, False) == predicted
        emulator.clear_requests()


def test_absent_deletes_links_one_by_one_and_reports_the_rest(client, emulator, alerts, incident):
    utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=alerts[:3]), False)
    emulator.clear_requests()
    ids = alerts[:2] + [alerts[4]]
    changed, result, diff = utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=ids,
                                                                  state="absent"), False)
    assert changed is True and result["alerts_removed"] == alerts[:2] and result["alerts_not_present"] == [alerts[4]]
    assert diff == {"before": {"alerts": sorted(alerts[:2])}, "after": {"alerts": []}}
    assert [m for m, p in writes(emulator)] == ["DELETE", "DELETE"]
    assert all(p.startswith(LINKS + "/") for m, p in writes(emulator))
    assert sorted(links_of_alerts(client, alerts[:3])) == [alerts[2]]
    # Server quirk kept on purpose: the alert document still says it is in an incident.
    doc = client.search([{"field": "id.keyword", "operator": "IS", "value": alerts[0]}])[0]
    assert doc["isIncident"] is True
    emulator.clear_requests()
    changed, unused_value, unused_value = utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=ids, state="absent"), False)
    assert changed is False and [r["method"] for r in emulator.requests()] == ["GET", "GET"]


def test_alert_of_another_incident_fails_naming_it(client, emulator, alerts, incident):
    unused_value, other, unused_value = utm_incident.run(client, params(utm_incident, name="INC-other %s" % uuid.uuid4().hex[:8],
                                                                        alerts=alerts[3:4]), False)
    emulator.clear_requests()
    with pytest.raises(UtmInputError) as error:
        utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=[alerts[3], alerts[5]]), False)
    assert "%s in incident %s (%r)" % (alerts[3], other["incident"]["id"], other["incident"]["incidentName"]) \
        in str(error.value)
    assert writes(emulator) == []
    # absent leaves it alone and says so.
    changed, result, unused_value = utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=[alerts[3]],
                                                                          state="absent"), False)
    assert changed is False and result["alerts_not_present"] == [alerts[3]] and writes(emulator) == []


def test_missing_alerts_warn_or_fail_as_asked(client, emulator, incident, alerts):
    ghost = str(uuid.uuid4())
    with pytest.raises(UtmInputError, match="1 of the listed alerts do not exist on the server: %s" % ghost):
        utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=[ghost, alerts[1]], missing="fail"), False)
    assert writes(emulator) == []
    changed, result, unused_value = utm_incident_alert.run(client, params(incident_id=incident["id"],
                                                                          alerts=[ghost, alerts[1]]), False)
    assert changed is True and result["alerts_added"] == [alerts[1]] and result["missing_alerts"] == [ghost]
    assert result["warnings"][0].startswith("1 of the listed alerts do not exist on the server: %s" % ghost)


def test_unknown_incident_fails(client, emulator, alerts):
    with pytest.raises(UtmInputError, match="there is no incident named 'nope'"):
        utm_incident_alert.run(client, params(incident_name="nope", alerts=alerts[:1]), False)


@pytest.mark.parametrize("options, words", [
    (dict(incident_id=-1, alerts=["0b7e6c9e-3f4a-4a8e-9c61-2d5f0f7d1a10"]), "incident_id must be a positive"),
    (dict(incident_id=1, alerts=["x"]), "alert UUIDs"),
    (dict(alerts=["0b7e6c9e-3f4a-4a8e-9c61-2d5f0f7d1a10"]), "one of incident_id or incident_name"),
    (dict(incident_name='say "hi"', alerts=["0b7e6c9e-3f4a-4a8e-9c61-2d5f0f7d1a10"]), "double quote"),
    (dict(incident_name="x" * 251, alerts=["0b7e6c9e-3f4a-4a8e-9c61-2d5f0f7d1a10"]), "251 characters"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, words):
    with pytest.raises(UtmInputError, match=words):
        utm_incident_alert.run(client, params(**options), False)
    assert emulator.requests() == []


def test_server_fault_on_delete_is_a_clear_error(client, emulator, alerts, incident):
    emulator.add_fault(method="DELETE", path=LINKS + "/.*", status=500, count=1)
    with pytest.raises(UtmApiError, match="DELETE %s/[0-9]+ failed with HTTP 500" % LINKS):
        utm_incident_alert.run(client, params(incident_id=incident["id"], alerts=alerts[:1], state="absent"), False)
