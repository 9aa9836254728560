"""utm_incident_info.run() against the emulator: filters, order, limit, bad input."""

import uuid

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_incident, utm_incident_info
from harness import free_alert_ids, module_params


params = module_params


def info(client, **options):
    changed, result, diff = utm_incident_info.run(client, params(utm_incident_info, **options), False)
    assert changed is False and diff is None
    return result["incidents"]


@pytest.fixture
def made(client, emulator):
    """Three new incidents (open, in_review, completed; assigned to 1, 2, 3) over free demo alerts."""
    ids = free_alert_ids(client, 4)
    tag = uuid.uuid4().hex[:8]
    made = []
    for n, (status, alert_ids) in enumerate((("open", ids[:2]), ("in_review", ids[2:3]), ("completed", ids[3:4]))):
        unused_value, result, unused_value = utm_incident.run(client, params(utm_incident, name="INC-info-%s-%d" % (tag, n), alerts=alert_ids,
                                                                             status=status, assigned_to=str(n + 1), solution="s"), False)
        made.append(result["incident"])
    emulator.clear_requests()
    return tag, made, ids


def test_lists_everything_in_one_read(client, emulator, made):
    rows = info(client)
    assert set(i["id"] for i in made[1]) <= set(r["id"] for r in rows)
    assert [r["id"] for r in rows] == sorted(r["id"] for r in rows)
    assert len(emulator.requests()) == 1


def test_filters(client, emulator, made):
    tag, incidents, unused_value = made
    assert [r["id"] for r in info(client, name_contains="info-%s" % tag.upper())] == [i["id"] for i in incidents]
    assert [r["id"] for r in info(client, name=incidents[1]["incidentName"])] == [incidents[1]["id"]]
    assert [r["id"] for r in info(client, name_contains=tag, status=["completed", "in_review"])] == \
        [incidents[1]["id"], incidents[2]["id"]]
    assert [r["id"] for r in info(client, name_contains=tag, assigned_to="3")] == [incidents[2]["id"]]
    severity = incidents[0]["incidentSeverity"]
    assert all(r["incidentSeverity"] == severity for r in info(client, severity=[str(severity)]))
    assert [r["id"] for r in info(client, id=incidents[0]["id"])] == [incidents[0]["id"]]
    assert info(client, id=99999999) == []
    assert info(client, name_contains=tag, created_after="2999-01-01") == []
    assert len(info(client, name_contains=tag, created_before="2999-01-01T00:00:00Z")) == 3
    assert [r["id"] for r in info(client, name_contains=tag, sort="id,desc", limit=2)] == \
        [incidents[2]["id"], incidents[1]["id"]]
    query = emulator.requests()[-1]["query"]
    assert "sort=id%2Cdesc" in str(query) or "id,desc" in str(query)


@pytest.mark.parametrize("options, words", [
    (dict(id=0), "id must be a positive integer"),
    (dict(limit=0), "limit must be a positive integer"),
    (dict(sort="name"), "sort must be"),
    (dict(severity=["critical"]), "severity must be"),
    (dict(created_after="last week"), "created_after must be an ISO-8601"),
])
def test_info_bad_input_fails_before_any_request(client, emulator, options, words):
    with pytest.raises(UtmInputError, match=words):
        info(client, **options)
    assert emulator.requests() == []


def test_percent_and_underscore_in_name_contains_are_literal(client, emulator):
    ids = free_alert_ids(client, 3)
    tag = uuid.uuid4().hex[:8]
    for n, name in enumerate(("INC-%s 100%% blocked" % tag, "INC-%s 1000 blocked" % tag, "INC-%s a_b" % tag)):
        utm_incident.run(client, params(utm_incident, name=name, alerts=ids[n:n + 1]), False)
    assert [r["incidentName"] for r in info(client, name_contains="%s 100%%" % tag)] == ["INC-%s 100%% blocked" % tag]
    assert [r["incidentName"] for r in info(client, name_contains="%s A_B" % tag.upper())] == ["INC-%s a_b" % tag]
    assert len(info(client, name_contains="%s 1" % tag, limit=1)) == 1


def test_status_and_severity_words_sit_beside_the_codes(client, emulator, made):
    words = dict((row["id"], (row["status"], row["severity"])) for row in info(client))
    for incident, status in zip(made[1], ("open", "in_review", "completed")):
        assert words[incident["id"]][0] == status
        assert words[incident["id"]][1] == {1: "low", 2: "medium", 3: "high"}[incident["incidentSeverity"]]
