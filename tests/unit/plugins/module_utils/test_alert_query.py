"""alert_query: utm_alert_info options -> search filters, checked before any request."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import alert_query
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError

A = "11111111-1111-4111-8111-111111111111"
B = "22222222-2222-4222-8222-222222222222"


def test_no_options_no_filters():
    assert alert_query.searches({}) == [[]]


def test_each_option_becomes_its_filter():
    got = alert_query.base_filters(dict(
        name="Brute force", name_contains="force", severity=["high", "1", "medium"],
        status=["open", "automatic_review"], since="now-24h", in_incident=False,
        tags=["vip"], false_positive=False, data_source=["web-01"], data_type=["wineventlog", "linux"],
        include_echoes=False))
    assert got == [
        {"field": "name.keyword", "operator": "IS", "value": "Brute force"},
        {"field": "name", "operator": "CONTAIN", "value": "force"},
        {"field": "severity", "operator": "IS_ONE_OF", "value": [1, 2, 3]},
        {"field": "status", "operator": "IS_ONE_OF", "value": [1, 2]},
        {"field": "@timestamp", "operator": "IS_BETWEEN", "value": ["now-24h", "now"]},
        {"field": "isIncident", "operator": "IS", "value": False},
        {"field": "tags", "operator": "IS_ONE_OF", "value": ["vip"]},
        {"field": "tags", "operator": "IS_NOT", "value": "False positive"},
        {"field": "dataSource", "operator": "IS", "value": "web-01"},
        {"field": "dataType", "operator": "IS_ONE_OF", "value": ["wineventlog", "linux"]},
        {"field": "parentId", "operator": "DOES_NOT_EXIST"},
    ]


@pytest.mark.parametrize("since, until, expected", [
    ("2026-01-01T00:00:00Z", "now-1h", {"operator": "IS_BETWEEN", "value": ["2026-01-01T00:00:00Z", "now-1h"]}),
    (None, "2026-01-31", {"operator": "IS_LESS_THAN_OR_EQUALS", "value": "2026-01-31"}),
    ("now-7d/d", None, {"operator": "IS_BETWEEN", "value": ["now-7d/d", "now"]}),
    ("2026-01-01T00:00:00.123+02:00||-1d", None,
     {"operator": "IS_BETWEEN", "value": ["2026-01-01T00:00:00.123+02:00||-1d", "now"]}),
])
def test_time_window(since, until, expected):
    got = alert_query.base_filters(dict(since=since, until=until))
    assert got == [dict(field="@timestamp", **expected)]


@pytest.mark.parametrize("bad", ["yesterday", "now-24", "2026-13", "now-1x", ""])
def test_bad_time_fails(bad):
    with pytest.raises(UtmInputError, match="since must be"):
        alert_query.base_filters(dict(since=bad))


def test_true_flags():
    got = alert_query.base_filters(dict(in_incident=True, false_positive=True, include_echoes=True))
    assert got == [{"field": "isIncident", "operator": "IS", "value": True},
                   {"field": "tags", "operator": "IS", "value": "False positive"}]


def test_bad_severity_and_status():
    with pytest.raises(UtmInputError, match="severity"):
        alert_query.base_filters(dict(severity=["critical"]))
    with pytest.raises(UtmInputError, match="status must be among"):
        alert_query.base_filters(dict(status=["closed"]))


def test_ids_chunked_and_checked():
    ids = ["%08d-0000-4000-8000-000000000000" % n for n in range(4500)]
    got = alert_query.searches(dict(ids=ids, severity=["high"]))
    assert [len(s[0]["value"]) for s in got] == [2000, 2000, 500]
    assert all(s[0]["field"] == "id.keyword" and s[0]["operator"] == "IS_ONE_OF_TERMS" for s in got)
    assert all(s[1] == {"field": "severity", "operator": "IS_ONE_OF", "value": [3]} for s in got)
    assert alert_query.searches(dict(ids=[])) == []
    with pytest.raises(UtmInputError, match="UUID"):
        alert_query.searches(dict(ids=["not-a-uuid"]))


def test_host_is_one_search_per_side():
    got = alert_query.searches(dict(ids=[A], host=["web-01"]))
    assert got == [
        [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": [A]},
         {"field": "adversary.host", "operator": "IS_ONE_OF", "value": ["web-01"]}],
        [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": [A]},
         {"field": "target.host", "operator": "IS_ONE_OF", "value": ["web-01"]}],
    ]


def test_raw_filters_checked():
    ok = alert_query.check_filters([
        {"field": "adversary.ip", "operator": "IS", "value": "203.0.113.7"},
        {"field": "parentId", "operator": "EXIST"},
        {"field": "@timestamp", "operator": "IS_BETWEEN", "value": ["now-1d", "now"]},
    ])
    assert ok[1] == {"field": "parentId", "operator": "EXIST"}
    assert alert_query.base_filters(dict(filters=ok, name="x"))[-3:] == ok


@pytest.mark.parametrize("item, message", [
    ({"field": "name", "operator": "CONTAINS", "value": "x"}, "operator 'CONTAINS' is not one UTMStack knows"),
    ({"field": "severity", "operator": "GREATER_THAN", "value": 1}, "valid operators: IS, IS_NOT, CONTAIN"),
    ({"field": "name", "operator": "IS_ONE_OF", "value": "x"}, "needs a list"),
    ({"field": "@timestamp", "operator": "IS_BETWEEN", "value": ["now"]}, "two items"),
    ({"field": "name", "operator": "IS"}, "needs a value"),
    ({"operator": "IS", "value": "x"}, "needs a field"),
    ({"field": "name", "operator": "IS", "value": "x", "op": 1}, "unknown keys op"),
    ("name IS x", "must be a dict"),
])
def test_bad_raw_filters(item, message):
    with pytest.raises(UtmInputError, match=message):
        alert_query.check_filters([item])


def test_sort_and_limit():
    assert alert_query.check_sort("@timestamp, desc") == "@timestamp,desc"
    assert alert_query.check_sort("severity") == "severity"
    for bad in ("", ",desc", "a,b,c", "name,down"):
        with pytest.raises(UtmInputError, match="sort"):
            alert_query.check_sort(bad)
    assert alert_query.check_limit(None) is None
    with pytest.raises(UtmInputError, match="limit"):
        alert_query.check_limit(0)


def test_merge_dedupes_sorts_and_limits():
    first = [{"id": A, "@timestamp": "2026-01-02"}, {"id": "c", "@timestamp": "2026-01-01"}]
    second = [{"id": A, "@timestamp": "2026-01-02"}, {"id": B, "@timestamp": "2026-01-03"}, {"id": "d"}]
    got = alert_query.merge([first, second], "@timestamp,desc")
    assert [d["id"] for d in got] == [B, A, "c", "d"]
    got = alert_query.merge([first, second], "@timestamp,asc", limit=2)
    assert [d["id"] for d in got] == ["c", A]
    nested = [[{"id": "x", "target": {"host": "b"}}], [{"id": "y", "target": {"host": "a"}}]]
    assert [d["id"] for d in alert_query.merge(nested, "target.host,asc")] == ["y", "x"]
    # One answer keeps the server's order untouched.
    assert alert_query.merge([second], "@timestamp,asc", limit=1) == second[:1]


def test_window_reached():
    assert not alert_query.window_reached([[{}] * 9999])
    assert alert_query.window_reached([[], [{}] * 10000])
