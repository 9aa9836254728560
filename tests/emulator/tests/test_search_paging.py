"""Paging, headers, index patterns, sorting and children of the alert search (§8)."""
import pytest

from emulator.search import SearchError, run_search
from emulator.tests.test_search import DOCS, NOW, UUID_A, search

BASE = "/api/elasticsearch/search"


def link(*parts):
    return ",".join("<%s?page=%d&size=%d>; rel=\"%s\"" % (BASE, p, s, rel)
                    for rel, p, s in parts)


def many(n):
    return [{"id": "doc-%05d" % i, "@timestamp": "2026-11-22T10:00:00Z", "n": i}
            for i in range(n)]


def ids(docs, **params):
    query = {"top": ["100000"], "indexPattern": ["v11-alert-*"]}
    query.update({k: [str(v)] for k, v in params.items()})
    items, headers = run_search(docs, query, None, now=NOW)
    return [i["n"] for i in items], headers


# --------------------------------------------------------------- paging

def test_page_zero_and_page_one_are_the_same_first_page():
    assert search(page=0, size=2)[0] == "AB"
    assert search(page=1, size=2)[0] == "AB"
    assert search(page=-3, size=2)[0] == "AB"


def test_page_two_is_the_second_page():
    assert search(page=2, size=2)[0] == "CD"
    assert search(page=3, size=2)[0] == "E"


def test_defaults_and_clamps_of_size():
    docs = many(2100)
    assert len(ids(docs)[0]) == 20
    assert len(ids(docs, size=0)[0]) == 20
    assert len(ids(docs, size="abc")[0]) == 20
    found, headers = ids(docs, size=5000)
    assert len(found) == 2000 and "size=2000" in headers["Link"]


def test_window_is_cut_at_top():
    found, headers = search(top=3, page=2, size=2)
    assert found == "C"
    assert headers["X-Total-Count"] == "3"


def test_page_starting_exactly_at_top_is_empty_but_has_headers():
    found, headers = search(top=2, page=2, size=2)
    assert found == "" and headers["X-Total-Count"] == "2"


def test_offset_beyond_top_fails():
    with pytest.raises(SearchError):
        search(top=2, page=3, size=2)


def test_result_window_of_ten_thousand():
    docs = many(30)
    assert ids(docs, page=5, size=2000)[0] == []  # from 8000 + size 2000 = 10000
    with pytest.raises(SearchError):
        ids(docs, page=6, size=2000)  # from 10000
    with pytest.raises(SearchError):
        ids(docs, page=11, size=1000)


def test_total_hits_are_capped_at_ten_thousand():
    found, headers = ids(many(10050), size=10)
    assert found == list(range(10)) and headers["X-Total-Count"] == "10000"


def test_total_count_is_min_of_total_and_top():
    assert search(top=3)[1]["X-Total-Count"] == "3"
    assert search(top=100)[1]["X-Total-Count"] == "5"


def test_top_zero_gives_no_items_and_a_zero_count():
    assert search(top=0) == ("", {"X-Total-Count": "0", "Link": link(("last", 0, 20),
                                                                     ("first", 0, 20))})


def test_link_header_uses_zero_based_arithmetic_on_the_page_sent():
    # page=2 is the server's 2nd of 3 pages, yet Link offers no next and says last=2
    assert search(page=2, size=2)[1]["Link"] == link(("prev", 1, 2), ("last", 2, 2),
                                                     ("first", 0, 2))
    assert search(page=1, size=2)[1]["Link"] == link(("next", 2, 2), ("prev", 0, 2),
                                                     ("last", 2, 2), ("first", 0, 2))
    assert search(page=0, size=2)[1]["Link"] == link(("next", 1, 2), ("last", 2, 2),
                                                     ("first", 0, 2))


def test_no_hits_gives_an_empty_list_and_no_headers():
    body = [{"field": "name", "operator": "IS", "value": "nothing like this"}]
    assert run_search(DOCS, {"top": ["10"], "indexPattern": ["v11-alert-*"]}, body) == ([], {})


# ---------------------------------------------------------- parameters

def test_top_is_required_and_must_be_an_integer():
    with pytest.raises(SearchError) as err:
        run_search(DOCS, {"indexPattern": ["v11-alert-*"]}, None)
    assert "'top'" in str(err.value)
    for bad in ("abc", "1.5", "", "99999999999"):
        with pytest.raises(SearchError):
            run_search(DOCS, {"top": [bad], "indexPattern": ["v11-alert-*"]}, None)


def test_index_pattern_is_required():
    with pytest.raises(SearchError):
        run_search(DOCS, {"top": ["10"]}, None)


def test_the_postman_request_without_top_fails():
    body = [{"field": "status", "operator": "IS", "value": 2}]
    with pytest.raises(SearchError):
        run_search(DOCS, {"page": ["1"], "size": ["50"], "indexPattern": ["alert-*"],
                          "sort": ["@timestamp,desc"]}, body)


def test_body_none_and_empty_list_match_everything():
    assert search(None)[0] == search([])[0] == "ABCDE"


# ---------------------------------------------------------- index patterns

def test_v10_pattern_on_v11_finds_nothing():
    assert search(pattern="alert-*") == ("", {})


def test_other_index_patterns_find_nothing():
    assert search(pattern="log-*") == ("", {})
    assert search(pattern="v11-log-*") == ("", {})


def test_matching_patterns():
    assert search(pattern="v11-alert-*")[0] == "ABCDE"
    assert search(pattern="*")[0] == "ABCDE"
    assert search(pattern="v11-*")[0] == "ABCDE"
    assert search(pattern="v11-alert-2026.11.2*")[0] == "ABCE"
    assert search(pattern="v11-alert-2026.11.20")[0] == "B"
    assert search(pattern="log-*,v11-alert-2026.11.23")[0] == "AC"


def test_a_concrete_index_that_does_not_exist_fails():
    with pytest.raises(SearchError):
        search(pattern="v11-alert-2026.11.21")
    with pytest.raises(SearchError):
        search(pattern="v11-alert")


def test_no_index_means_no_hits_even_for_a_bad_query():
    body = [{"field": "severity", "operator": "IS", "value": "not a number"}]
    assert search(body, pattern="log-*") == ("", {})


def test_v10_indices():
    query = {"top": ["10"], "indexPattern": ["alert-*"]}
    assert len(run_search(DOCS, query, None, alert_index_pattern="alert-*")[0]) == 5
    query["indexPattern"] = ["v11-alert-*"]
    assert run_search(DOCS, query, None, alert_index_pattern="alert-*") == ([], {})


# ----------------------------------------------------------------- sort

def test_default_order_is_insertion_order():
    assert search()[0] == "ABCDE"
    assert search(sort="_score,desc")[0] == "ABCDE"


def test_sort_by_timestamp():
    assert search(sort="@timestamp,desc")[0] == "CAEBD"
    assert search(sort="@timestamp,asc")[0] == "DBEAC"
    assert search(sort="@timestamp")[0] == "DBEAC"


def test_sort_by_several_fields():
    assert search(sort=["severity,desc", "@timestamp,asc"])[0] == "DBEAC"
    assert search(sort="severity,impactScore,desc")[0] == "DBEAC"


def test_keyword_suffix_sorts_the_same_field():
    assert search(sort="name.keyword,asc")[0] == search(sort="name,asc")[0] == "ACEDB"


def test_missing_values_sort_last_both_ways():
    assert search(sort="parentId,asc")[0][0] == "C"
    assert search(sort="parentId,desc")[0][0] == "C"
    assert search(sort="tags,asc")[0] == "DBACE"   # arrays sort by their min
    assert search(sort="tags,desc")[0] == "BDACE"  # ... or max


def test_sort_on_nested_fields():
    assert search(sort="adversary.ip,desc")[0] == "DACBE"


# ------------------------------------------------------------- children

def test_include_children_counts_echoes():
    items, unused_value = run_search(DOCS, {"top": ["10"], "indexPattern": ["v11-alert-*"],
                                            "includeChildren": ["true"]}, None)
    counts = {i["id"]: (i["hasChildren"], i["echoes"]) for i in items}
    assert counts[UUID_A] == (True, 1)
    assert sorted(counts.values()).count((False, 0)) == 4


def test_children_are_not_counted_unless_asked():
    items, unused_value = run_search(DOCS, {"top": ["10"], "indexPattern": ["v11-alert-*"]}, None)
    assert all("echoes" not in i and "hasChildren" not in i for i in items)


def test_big_id_list_on_keyword():
    docs = many(20000)
    wanted = ["doc-%05d" % i for i in range(0, 20000, 10)]
    body = [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS", "value": wanted}]
    items, headers = run_search(docs, {"top": ["2000"], "size": ["2000"],
                                       "indexPattern": ["v11-alert-*"]}, body)
    assert [i["id"] for i in items] == wanted and headers["X-Total-Count"] == "2000"


def test_v10_has_no_terms_or_operator_and_no_children():
    query = {"top": ["10"], "indexPattern": ["alert-*"], "includeChildren": ["true"]}
    items, unused_value = run_search(DOCS, query, None, alert_index_pattern="alert-*")
    assert all("echoes" not in i for i in items)
    body = [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS_OR", "value": [UUID_A]}]
    with pytest.raises(SearchError):
        run_search(DOCS, query, body, alert_index_pattern="alert-*")
