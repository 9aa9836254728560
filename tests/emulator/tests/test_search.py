"""Operators of POST /api/elasticsearch/search (reference §8.1), via run_search()."""
import copy
import datetime

import pytest

from emulator.search import SearchError, run_search

NOW = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.timezone.utc)
UUID_A = "c1c4e32c-dd9f-4a15-98c4-0dac2af40740"
UUID_B = "d2f5e12a-b5a4-4bcd-91d0-2a8f5b6d9e1f"
UUID_C = "7a12c4f3-894c-4e2a-9f1b-c7c7a0b84522"
UUID_D = "9b34f5e7-123a-456b-789c-def012345678"
UUID_E = "0f0e0d0c-0b0a-4998-8877-665544332211"


def _detail(**extra):
    detail = {"createdBy": "", "observation": "", "creationDate": "", "source": ""}
    detail.update(extra)
    return detail


DOCS = [
    {"@timestamp": "2026-11-23T10:00:00.123456Z", "id": UUID_A, "status": 2,
     "statusLabel": "Open", "name": "Failed Windows logon attempt", "severity": 1,
     "severityLabel": "Low", "tags": None, "isIncident": False, "impactScore": 3,
     "incidentDetail": _detail(), "dataSource": "WIN-DC01",
     "reference": ["https://attack.mitre.org/techniques/T1110/"],
     "adversary": {"host": "WIN-DC01.corp.local", "ip": "10.0.0.5", "user": "jsmith"}},
    {"@timestamp": "2026-11-20T08:00:00Z", "id": UUID_B, "status": 5,
     "statusLabel": "Completed", "name": "Windows logon failure", "severity": 2,
     "severityLabel": "Medium", "tags": ["False positive", "Reviewed"], "isIncident": True,
     "impactScore": 5, "dataSource": "WIN-FS02",
     "incidentDetail": _detail(incidentId="7", incidentName="INC-1 Logons",
                               creationDate="2026-11-21T09:00:00Z")},
    {"@timestamp": "2026-11-23T11:30:00Z", "id": UUID_C, "parentId": UUID_A, "status": 2,
     "statusLabel": "Open", "name": "Failed Windows logon attempt", "severity": 1,
     "severityLabel": "Low", "tags": None, "isIncident": False, "impactScore": 3,
     "incidentDetail": _detail(), "dataSource": "WIN-DC01",
     "adversary": {"host": "WIN-DC01.corp.local", "ip": "10.0.0.5", "user": "jsmith"}},
    {"@timestamp": "2026-11-10T09:00:00Z", "id": UUID_D, "status": 1,
     "statusLabel": "Automatic review", "name": "SSH brute force attempt", "severity": 3,
     "severityLabel": "High", "tags": ["Brute force"], "isIncident": False, "impactScore": 7,
     "incidentDetail": _detail(), "dataSource": "bastion-01",
     "adversary": {"ip": "203.0.113.45"}},
    {"@timestamp": "2026-11-22T23:30:00Z", "id": UUID_E, "status": 3,
     "statusLabel": "In review", "name": "Port scan detected", "severity": 2,
     "severityLabel": "Medium", "tags": [], "isIncident": False, "impactScore": 2,
     "incidentDetail": _detail(), "dataSource": "fw-edge-01", "description": "x" * 300},
]
NAMES = {UUID_A: "A", UUID_B: "B", UUID_C: "C", UUID_D: "D", UUID_E: "E"}


def search(body=None, docs=None, pattern="v11-alert-*", **params):
    """(letters of the hits in order, headers); every param value is a str or a list."""
    query = {"top": ["100"], "indexPattern": [pattern]}
    for key, val in params.items():
        query[key] = val if isinstance(val, list) else [str(val)]
    items, headers = run_search(DOCS if docs is None else docs, query, body, now=NOW)
    return "".join(NAMES.get(i.get("id"), "?") for i in items), headers


def hits(field, operator, value=None, **params):
    flt = {"field": field, "operator": operator}
    if value is not None:
        flt["value"] = value
    return search([flt], **params)[0]


def fails(field, operator, value=None):
    with pytest.raises(SearchError):
        hits(field, operator, value)


# --------------------------------------------------------------- IS / IS_NOT

def test_is_is_a_phrase_match_on_text():
    assert hits("name", "IS", "Windows logon") == "ABC"
    assert hits("name", "IS", "WINDOWS LOGON FAILURE") == "B"  # analyzed: case-insensitive


def test_is_phrase_needs_the_tokens_in_order():
    assert search([{"field": "name", "operator": "IS", "value": "logon Windows"}]) == ("", {})


def test_is_on_keyword_is_exact_and_case_sensitive():
    assert hits("name.keyword", "IS", "Windows logon") == ""
    assert hits("name.keyword", "IS", "Windows logon failure") == "B"
    assert hits("name.keyword", "IS", "windows logon failure") == ""


def test_is_on_numbers_accepts_number_or_string():
    assert hits("severity", "IS", 2) == "BE"
    assert hits("severity", "IS", "2") == "BE"


def test_is_on_a_number_field_with_text_fails():
    fails("severity", "IS", "high")


def test_is_on_booleans():
    assert hits("isIncident", "IS", False) == "ACDE"
    assert hits("isIncident", "IS", "true") == "B"


def test_is_on_a_date_matches_the_rounded_range():
    assert hits("@timestamp", "IS", "2026-11-20") == "B"
    assert hits("@timestamp", "IS", "2026-11-23T11:30:00Z") == "C"


def test_is_by_full_uuid_on_analyzed_id_works_as_a_phrase():
    assert hits("id", "IS", UUID_A) == "A"


def test_is_not_keeps_documents_without_the_field():
    assert hits("tags", "IS_NOT", "False positive") == "ACDE"
    assert hits("status", "IS_NOT", 1) == "ABCE"
    assert hits("noSuchField", "IS_NOT", "x") == "ABCDE"


def test_is_needs_a_value():
    fails("name", "IS", None)


# ------------------------------------------------------------ CONTAIN family

def test_contain_is_case_insensitive_on_text():
    assert hits("name", "CONTAIN", "BRUTE") == "D"
    assert hits("name", "CONTAIN", "rute") == "D"


def test_contain_with_spaces_and_clauses():
    # query_string "*dows log*" -> "*dows" AND "log*", each on the tokens
    assert hits("name", "CONTAIN", "dows log") == "ABC"


def test_contain_on_keyword_is_case_sensitive():
    assert hits("name.keyword", "CONTAIN", "brute") == "D"
    assert hits("name.keyword", "CONTAIN", "Brute") == ""


def test_contain_on_analyzed_uuid_does_not_cross_token_boundaries():
    assert hits("id", "CONTAIN", "dd9f-4a15") == ""
    assert hits("id.keyword", "CONTAIN", "dd9f-4a15") == "A"


def test_contain_is_lenient_on_numbers():
    assert hits("severity", "CONTAIN", 1) == ""


def test_does_not_contain():
    assert hits("name", "DOES_NOT_CONTAIN", "windows") == "DE"


def test_contain_one_of_is_an_or_of_phrases():
    assert hits("name", "CONTAIN_ONE_OF", ["port scan", "brute force"]) == "DE"
    assert hits("name", "DOES_NOT_CONTAIN_ONE_OF", ["port scan", "brute force"]) == "ABC"


# ------------------------------------------------------------- IS_ONE_OF

def test_is_one_of_and_is_not_one_of():
    assert hits("status", "IS_ONE_OF", [2, 3]) == "ACE"
    assert hits("status", "IS_NOT_ONE_OF", [1, 5]) == "ACE"
    assert hits("name", "IS_ONE_OF", ["Port scan", "SSH brute"]) == "DE"


def test_is_one_of_with_an_empty_list():
    assert hits("status", "IS_ONE_OF", []) == "ABCDE"  # a bool without clauses
    assert hits("status", "IS_NOT_ONE_OF", []) == ""


def test_list_operators_reject_a_scalar():
    for operator in ("IS_ONE_OF", "IS_NOT_ONE_OF", "CONTAIN_ONE_OF",
                     "DOES_NOT_CONTAIN_ONE_OF", "IS_ONE_OF_TERMS", "IS_ONE_OF_TERMS_OR"):
        fails("status", operator, "2")


# ------------------------------------------------------------- terms

def test_is_one_of_terms_on_keyword_id():
    assert hits("id.keyword", "IS_ONE_OF_TERMS", [UUID_D, UUID_A]) == "AD"


def test_is_one_of_terms_on_analyzed_id_misses_full_uuids():
    assert hits("id", "IS_ONE_OF_TERMS", [UUID_A]) == ""
    assert hits("id", "IS_ONE_OF_TERMS", ["dd9f"]) == "A"  # one indexed token


def test_terms_are_not_analyzed():
    assert hits("name", "IS_ONE_OF_TERMS", ["SSH"]) == ""
    assert hits("name", "IS_ONE_OF_TERMS", ["ssh"]) == "D"


def test_terms_must_be_strings():
    fails("status", "IS_ONE_OF_TERMS", [2])
    assert hits("status", "IS_ONE_OF_TERMS", ["2"]) == "AC"


def test_is_one_of_terms_or_filters_are_or_ed_together():
    body = [{"field": "id.keyword", "operator": "IS_ONE_OF_TERMS_OR", "value": [UUID_A]},
            {"field": "id.keyword", "operator": "IS_ONE_OF_TERMS_OR", "value": [UUID_D]}]
    assert search(body)[0] == "AD"
    body.append({"field": "status", "operator": "IS", "value": 1})
    assert search(body)[0] == "D"


# -------------------------------------------------------------- existence

def test_exist_and_does_not_exist():
    assert hits("parentId", "EXIST") == "C"
    assert hits("parentId", "DOES_NOT_EXIST") == "ABDE"


def test_null_and_empty_arrays_do_not_exist():
    assert hits("tags", "EXIST") == "BD"


def test_exist_on_an_object_and_on_unmapped_fields():
    assert hits("adversary", "EXIST") == "ACD"
    assert hits("noSuchField", "EXIST") == ""
    assert hits("noSuchField", "DOES_NOT_EXIST") == "ABCDE"


def test_keyword_ignores_strings_longer_than_256():
    assert hits("description", "EXIST") == "E"
    assert hits("description.keyword", "EXIST") == ""


# ------------------------------------------------------------------ ranges

def test_is_between_with_date_math():
    assert hits("@timestamp", "IS_BETWEEN", ["now-24h", "now"]) == "ACE"
    assert hits("@timestamp", "IS_BETWEEN", ["now-7d", "now"]) == "ABCE"


def test_date_math_rounding():
    assert hits("@timestamp", "IS_BETWEEN", ["now/d", "now/d"]) == "AC"
    assert hits("@timestamp", "IS_BETWEEN", ["now-1d/d", "now-1d/d"]) == "E"


def test_is_between_iso_dates_and_epoch_millis():
    assert hits("@timestamp", "IS_BETWEEN", ["2026-11-20", "2026-11-20"]) == "B"
    assert hits("@timestamp", "IS_BETWEEN", ["2026-11-20T00:00:00Z",
                                             "2026-11-23T10:00:00.123Z"]) == "ABE"
    assert hits("@timestamp", "IS_BETWEEN", [1795132800000, "now"]) == "ABCE"


def test_is_between_and_is_not_between_on_numbers():
    assert hits("severity", "IS_BETWEEN", [2, 3]) == "BDE"
    assert hits("severity", "IS_NOT_BETWEEN", ["2", "3"]) == "AC"


def test_is_between_needs_two_values():
    fails("severity", "IS_BETWEEN", [2])
    fails("severity", "IS_BETWEEN", [1, 2, 3])
    fails("severity", "IS_BETWEEN", 2)


def test_date_math_on_a_number_field_fails():
    fails("severity", "IS_BETWEEN", ["now-1d", "now"])


def test_is_greater_than():
    assert hits("severity", "IS_GREATER_THAN", 2) == "D"
    assert hits("@timestamp", "IS_GREATER_THAN", "now-1h") == "C"
    assert hits("@timestamp", "IS_GREATER_THAN", "2026-11-22") == "AC"  # gt rounds up


def test_is_less_than_or_equals():
    assert hits("impactScore", "IS_LESS_THAN_OR_EQUALS", 3) == "ACE"
    assert hits("@timestamp", "IS_LESS_THAN_OR_EQUALS", "2026-11-20") == "BD"


def test_greater_than_uses_a_date_format_without_epoch_millis():
    fails("@timestamp", "IS_GREATER_THAN", 1795132800000)


# ------------------------------------------------------- wildcard & fields

def test_start_with_on_text_and_keyword():
    assert hits("name", "START_WITH", "SSH") == "D"  # pattern lowercased, per token
    assert hits("name", "START_WITH", "SSH brute") == ""  # no token holds a space
    assert hits("name.keyword", "START_WITH", "SSH brute") == "D"
    assert hits("name.keyword", "NOT_START_WITH", "SSH") == "ABCE"


def test_ends_with():
    assert hits("name.keyword", "ENDS_WITH", "attempt") == "ACD"
    assert hits("name.keyword", "NOT_ENDS_WITH", "attempt") == "BE"
    assert hits("dataSource", "ENDS_WITH", "01") == "ACDE"  # tokens dc01, 01, 01


def test_wildcards_on_numbers_fail():
    fails("severity", "START_WITH", "1")


def test_is_in_fields_searches_every_text_field():
    assert hits("ignored", "IS_IN_FIELDS", "jsmith") == "AC"
    assert hits("ignored", "IS_NOT_IN_FIELDS", "jsmith") == "BDE"


# ------------------------------------------------- nested fields and arrays

def test_nested_fields_by_dotted_path():
    assert hits("adversary.ip", "IS", "10.0.0.5") == "AC"
    assert hits("adversary.ip", "IS", "10.0.0") == ""  # an address is one token
    assert hits("incidentDetail.incidentId", "IS", 7) == "B"
    assert hits("adversary.host.keyword", "IS", "WIN-DC01.corp.local") == "AC"


def test_array_fields_match_any_element():
    assert hits("tags", "IS", "Reviewed") == "B"
    assert hits("reference", "CONTAIN", "T1110") == "A"


def test_incident_creation_date_stays_text():
    # the first value the plugin writes is "", so dynamic mapping made it text
    assert hits("incidentDetail.creationDate", "IS", "2026-11-21T09:00:00Z") == "B"


# -------------------------------------------------------- operator names

@pytest.mark.parametrize("operator", ["CONTAINS", "STARTS_WITH", "GREATER_THAN", "LESS_THAN",
                                      "GREATER_EQUAL", "LESS_EQUAL", "IS_IN", "IS_NOT_IN",
                                      "NOT_CONTAINS", "is", ""])
def test_operator_names_outside_the_enum_are_rejected(operator):
    with pytest.raises(SearchError) as err:
        hits("severity", operator, 3)
    assert "OperatorType" in str(err.value)


def test_the_postman_high_severity_request_fails():
    body = [{"field": "severity", "operator": "GREATER_EQUAL", "value": 3},
            {"field": "status", "operator": "IS_IN", "value": [2, 3]}]
    with pytest.raises(SearchError):
        search(body, page="1", size="25", sort="severity,desc")


def test_malformed_filters_fail():
    with pytest.raises(SearchError):
        search({"field": "status", "operator": "IS", "value": 2})
    with pytest.raises(SearchError):
        search([{"operator": "IS", "value": 2}])
    with pytest.raises(SearchError):
        search([{"field": "status", "value": 2}])


def test_docs_are_not_mutated_and_items_are_copies():
    before = copy.deepcopy(DOCS)
    items, unused_value = run_search(DOCS, {"top": ["10"], "indexPattern": ["v11-alert-*"],
                                            "includeChildren": ["true"]}, None, now=NOW)
    items[0]["status"] = 99
    items[0]["adversary"]["ip"] = "x"
    assert DOCS == before
