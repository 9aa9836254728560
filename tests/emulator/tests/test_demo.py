"""Shape of the demo and bulk seeds (emulator.demo)."""
import datetime
import json
import uuid

from emulator.demo import DEMO_RULES, bulk_seed, demo_seed
from emulator.search import run_search

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)
SEED = demo_seed(NOW)
ALERTS = SEED["alerts"]
BY_ID = {a["id"]: a for a in ALERTS}
STATUS = {1: "Automatic review", 2: "Open", 3: "In review", 5: "Completed"}
SEVERITY = {1: "Low", 2: "Medium", 3: "High"}
FIELDS = ("@timestamp", "id", "status", "statusLabel", "statusObservation", "isIncident",
          "incidentDetail", "name", "category", "description", "solution", "technique",
          "reference", "severity", "severityLabel", "dataType", "dataSource", "impact",
          "impactScore", "adversary", "target", "events", "lastEvent", "tags", "notes",
          "tagRulesApplied", "deduplicatedBy", "logs")


def stamp(alert):
    return datetime.datetime.strptime(alert["@timestamp"], "%Y-%m-%dT%H:%M:%S.%fZ")


def test_seed_format():
    assert set(SEED) == {"alerts", "incidents", "notes"}
    json.dumps(SEED)  # plain JSON data


def test_enough_alerts_over_several_rules():
    assert len(ALERTS) >= 50
    assert set(a["name"] for a in ALERTS) == set(DEMO_RULES)
    assert len(DEMO_RULES) >= 7


def test_every_alert_has_the_v11_fields():
    for alert in ALERTS:
        assert all(field in alert for field in FIELDS), alert["id"]
        assert alert["isIncident"] is False
        assert alert["incidentDetail"] == {"createdBy": "", "observation": "",
                                           "creationDate": "", "source": ""}
        assert alert["notes"] == ""
        assert alert["tags"] is None or isinstance(alert["tags"], list)
        assert alert["lastEvent"] in alert["events"] and 1 <= len(alert["events"]) <= 3
        assert alert["logs"] == [e["id"] for e in alert["events"]]


def test_ids_are_unique_uuid4():
    assert len(BY_ID) == len(ALERTS)
    for alert_id in BY_ID:
        assert uuid.UUID(alert_id).version == 4 and str(uuid.UUID(alert_id)) == alert_id


def test_severities_and_statuses_carry_their_labels():
    assert set(a["severity"] for a in ALERTS) == {1, 2, 3}
    for alert in ALERTS:
        assert alert["severityLabel"] == SEVERITY[alert["severity"]]
        assert alert["statusLabel"] == STATUS[alert["status"]]


def test_most_are_open_after_the_tag_rules_engine():
    open_alerts = [a for a in ALERTS if a["status"] == 2]
    assert len(open_alerts) > len(ALERTS) * 0.75
    assert all(a["statusObservation"] == "This alert has been evaluated by the tag rules engine"
               for a in open_alerts)


def test_a_few_still_in_automatic_review_and_they_are_the_newest():
    review = [a for a in ALERTS if a["status"] == 1]
    assert len(review) >= 3
    newest = sorted(ALERTS, key=stamp)[-len(review):]
    assert set(a["id"] for a in review) == set(a["id"] for a in newest)


def test_several_hosts_data_sources_and_types():
    assert len(set(a["target"].get("host") for a in ALERTS)) >= 5
    assert len(set(a["dataSource"] for a in ALERTS)) >= 4
    assert len(set(a["dataType"] for a in ALERTS)) >= 3
    assert any("geolocation" in a["adversary"] for a in ALERTS)


def test_timestamps_are_within_the_last_seven_days():
    now = NOW.replace(tzinfo=None)
    for alert in ALERTS:
        assert now - datetime.timedelta(days=7) <= stamp(alert) < now


def test_alerts_are_in_arrival_order():
    assert ALERTS == sorted(ALERTS, key=stamp)


def test_echoes_point_at_an_earlier_alert_of_the_same_rule():
    echoes = [a for a in ALERTS if "parentId" in a]
    assert len(echoes) >= 3
    for echo in echoes:
        parent = BY_ID[echo["parentId"]]
        assert "parentId" not in parent
        assert parent["name"] == echo["name"] and stamp(parent) < stamp(echo)
        assert parent["adversary"] == echo["adversary"] and parent["target"] == echo["target"]


def test_incidents_link_existing_free_alerts():
    incidents = SEED["incidents"]
    assert 1 <= len(incidents) <= 2
    assert len(set(i["incidentName"] for i in incidents)) == len(incidents)
    linked = [alert_id for i in incidents for alert_id in i["alerts"]]
    assert len(linked) == len(set(linked)) and all(a in BY_ID for a in linked)
    assert len(linked) <= len(ALERTS) // 10  # most alerts stay free
    for incident in incidents:
        assert len(incident["alerts"]) == 2 and incident["incidentDescription"]
        assert incident["incidentStatus"] in ("OPEN", "IN_REVIEW", "COMPLETED")
        assert '"' not in incident["incidentName"] and len(incident["incidentName"]) <= 250
        assert incident.get("incidentAssignedTo", "1").isdigit()
        created = datetime.datetime.strptime(incident["incidentCreatedDate"],
                                             "%Y-%m-%dT%H:%M:%S.%fZ")
        assert all(stamp(BY_ID[a]) < created for a in incident["alerts"])


def test_in_review_incident_alerts_carry_the_solution():
    for incident in SEED["incidents"]:
        if incident["incidentStatus"] == "IN_REVIEW":
            for alert_id in incident["alerts"]:
                alert = BY_ID[alert_id]
                assert alert["status"] == 3
                assert alert["statusObservation"] == incident["incidentSolution"]


def test_notes_belong_to_seeded_incidents():
    names = set(i["incidentName"] for i in SEED["incidents"])
    assert SEED["notes"]
    for note in SEED["notes"]:
        assert note["incidentName"] in names and note["noteText"] and note["noteSendBy"]


def test_the_demo_is_deterministic():
    again = demo_seed(NOW)
    assert again == SEED
    assert [a["id"] for a in demo_seed()["alerts"]] == [a["id"] for a in ALERTS]


def test_the_demo_set_is_searchable():
    query = {"top": ["100"], "indexPattern": ["v11-alert-*"], "size": ["100"]}
    body = [{"field": "name", "operator": "IS", "value": "Windows logon failure"}]
    phrase, unused_value = run_search(ALERTS, query, body, now=NOW)
    body[0]["field"] = "name.keyword"
    exact, unused_value = run_search(ALERTS, query, body, now=NOW)
    assert len(exact) == sum(a["name"] == "Windows logon failure" for a in ALERTS)
    assert len(phrase) > len(exact)  # "... from external address" matches the phrase too
    body = [{"field": "@timestamp", "operator": "IS_BETWEEN", "value": ["now-7d", "now"]},
            {"field": "parentId", "operator": "DOES_NOT_EXIST"}]
    top_level, headers = run_search(ALERTS, query, body, now=NOW)
    assert int(headers["X-Total-Count"]) == len(ALERTS) - 6 == len(top_level)


def test_bulk_seed_shape():
    seed = bulk_seed(2000, 300, now=NOW)
    alerts, incidents = seed["alerts"], seed["incidents"]
    assert len(alerts) == 2000 and len(incidents) == 300 and seed["notes"] == []
    ids = set(a["id"] for a in alerts)
    assert len(ids) == 2000
    assert len(set(i["incidentName"] for i in incidents)) == 300
    linked = [a for i in incidents for a in i["alerts"]]
    assert len(linked) == 600 == len(set(linked)) and set(linked) <= ids
    assert all(len(i["alerts"]) == 2 for i in incidents)
    now = NOW.replace(tzinfo=None)
    assert all(now - datetime.timedelta(days=7) <= stamp(a) < now for a in alerts)
    assert alerts == sorted(alerts, key=stamp)


def test_bulk_seed_with_fewer_alerts_than_incidents_need():
    seed = bulk_seed(10, 20, now=NOW)
    assert len(seed["alerts"]) == 10
    linked = [a for i in seed["incidents"] for a in i["alerts"]]
    assert len(linked) == len(set(linked)) and all(i["alerts"] for i in seed["incidents"])
