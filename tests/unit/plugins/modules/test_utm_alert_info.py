"""utm_alert_info.run() against the emulator: filters, paging, merging, bad input."""

import pytest

from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmApiError, UtmInputError
from ansible_collections.utmstack.soc.plugins.modules import utm_alert_info
from harness import module_params

SEARCH = "/api/elasticsearch/search"
MISSING = "00000000-0000-4000-8000-00000000dead"


def params(**options):
    return module_params(utm_alert_info, **options)


def run(client, **options):
    changed, result, diff = utm_alert_info.run(client, params(**options), False)
    assert changed is False and diff is None
    assert result["total"] == len(result["alerts"])
    return result


def searches(emulator):
    return [r for r in emulator.requests() if r["path"] == SEARCH]


def test_everything_newest_first(client, emulator):
    result = run(client)
    docs = result["alerts"]
    assert len(docs) >= 50 and result["truncated"] is False
    stamps = [d["@timestamp"] for d in docs]
    assert stamps == sorted(stamps, reverse=True)
    assert len(emulator.requests()) == 1


def test_each_document_carries_its_status_and_severity_in_words(client, emulator):
    docs = run(client)["alerts"]
    status_words = {1: "automatic_review", 2: "open", 3: "in_review", 5: "completed"}
    assert all(doc["status_word"] == status_words[doc["status"]] for doc in docs)
    assert all(doc["severity_word"] == {1: "low", 2: "medium", 3: "high"}[doc["severity"]] for doc in docs)
    assert set(doc["status_word"] for doc in docs) >= {"open", "completed"}


def test_ids_exact_and_unknown(client, emulator):
    some = run(client, limit=3)["alerts"]
    ids = [d["id"] for d in some]
    emulator.clear_requests()
    got = run(client, ids=ids + [MISSING])["alerts"]
    assert sorted(d["id"] for d in got) == sorted(ids)
    assert searches(emulator)[0]["body"][0] == {"field": "id.keyword", "operator": "IS_ONE_OF_TERMS",
                                                "value": ids + [MISSING]}
    assert run(client, ids=[MISSING])["alerts"] == []
    emulator.clear_requests()
    assert run(client, ids=[])["alerts"] == [] and emulator.requests() == []


def test_filters_match_the_documents(client, emulator):
    everything = run(client)["alerts"]
    name = everything[0]["name"]
    got = run(client, name=name)["alerts"]
    assert got and all(d["name"] == name for d in got)
    assert len(got) == sum(1 for d in everything if d["name"] == name)
    word = name.split()[0]
    assert all(word.lower() in d["name"].lower() for d in run(client, name_contains=word)["alerts"])
    high = run(client, severity=["high", "3"])["alerts"]
    assert len(high) == sum(1 for d in everything if d["severity"] == 3)
    done = run(client, status=["completed", "in_review"])["alerts"]
    assert len(done) == sum(1 for d in everything if d["status"] in (3, 5))
    fp = run(client, false_positive=True)["alerts"]
    assert fp and all("False positive" in d["tags"] for d in fp)
    assert len(run(client, false_positive=False)["alerts"]) == len(everything) - len(fp)
    top = run(client, include_echoes=False)["alerts"]
    assert len(top) == sum(1 for d in everything if not d.get("parentId"))
    tagged = run(client, tags=["Brute force"])["alerts"]
    assert tagged and all("Brute force" in d["tags"] for d in tagged)
    source = everything[0]["dataSource"]
    assert all(d["dataSource"] == source for d in run(client, data_source=[source])["alerts"])
    assert len(run(client, in_incident=False)["alerts"]) == sum(1 for d in everything if not d["isIncident"])


def test_time_window(client, emulator):
    everything = run(client)["alerts"]
    recent = run(client, since="now-24h")["alerts"]
    older = run(client, until="now-24h")["alerts"]
    assert len(recent) + len(older) >= len(everything) and 0 < len(recent) < len(everything)
    middle = sorted(d["@timestamp"] for d in everything)[len(everything) // 2]
    assert all(d["@timestamp"] >= middle for d in run(client, since=middle)["alerts"])
    assert all(d["@timestamp"] <= middle for d in run(client, since="now-30d", until=middle)["alerts"])


def test_host_merges_both_sides(client, emulator):
    everything = run(client)["alerts"]
    host = next(d["target"]["host"] for d in everything if d.get("target", {}).get("host"))
    emulator.clear_requests()
    got = run(client, host=[host], sort="@timestamp,asc")["alerts"]
    expected = [d["id"] for d in everything
                if host in (d.get("adversary", {}).get("host"), d.get("target", {}).get("host"))]
    assert sorted(d["id"] for d in got) == sorted(expected)
    assert [d["@timestamp"] for d in got] == sorted(d["@timestamp"] for d in got)
    assert len(searches(emulator)) == 2


def test_limit_and_raw_filters(client, emulator):
    got = run(client, limit=5, sort="severity,desc")["alerts"]
    assert len(got) == 5 and [d["severity"] for d in got] == sorted((d["severity"] for d in got), reverse=True)
    raw = run(client, filters=[{"field": "parentId", "operator": "EXIST"}])["alerts"]
    assert raw and all(d.get("parentId") for d in raw)


@pytest.mark.parametrize("options, message", [
    (dict(filters=[{"field": "name", "operator": "CONTAINS", "value": "x"}]), "valid operators: IS, IS_NOT"),
    (dict(filters=[{"field": "severity", "operator": "GREATER_THAN", "value": 2}]), "GREATER_THAN"),
    (dict(ids=["nope"]), "UUID"),
    (dict(since="yesterday"), "since must be"),
    (dict(severity=["critical"]), "severity"),
    (dict(sort="severity,up"), "sort"),
    (dict(limit=0), "limit"),
    (dict(index_pattern=" "), "index_pattern must not be empty"),
])
def test_bad_input_fails_before_any_request(client, emulator, options, message):
    with pytest.raises(UtmInputError, match=message):
        utm_alert_info.run(client, params(**options), False)
    assert emulator.requests() == []


def test_server_fault_is_a_clear_error(client, emulator):
    emulator.add_fault(method="POST", path=SEARCH, status=500, count=1)
    with pytest.raises(UtmApiError, match="POST /api/elasticsearch/search failed with HTTP 500"):
        utm_alert_info.run(client, params(), False)
