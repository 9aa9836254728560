"""Criteria filters, paging, sorting and the Link header of the JPA lists (§1.5)."""
import pytest
from emulator.tests.emu_helpers import assert_header_error, new_incident

INCIDENTS = "/api/utm-incidents"


@pytest.fixture
def many(api):
    """Seeded one (id 1, sev 3) plus 'Incident 00'..'Incident 24', severities cycling 1-3."""
    for n in range(25):
        body = new_incident(name="Incident %02d" % n, alerts=[("m%d" % n, n % 3 + 1)],
                            description="Case number %d" % n)
        assert api.post(INCIDENTS, json=body).status_code == 200
    return api


def names(response):
    assert response.status_code == 200, response.headers
    return [i["incidentName"] for i in response.json()]


def test_default_page_is_0_size_20_with_total_and_links(many):
    response = many.get(INCIDENTS)
    assert len(response.json()) == 20
    assert response.headers["X-Total-Count"] == "26"
    assert response.headers["Link"] == (
        '</api/utm-incidents?page=1&size=20>; rel="next",'
        '</api/utm-incidents?page=1&size=20>; rel="last",'
        '</api/utm-incidents?page=0&size=20>; rel="first"')


def test_link_header_middle_page_and_no_filters_carried(many):
    response = many.get(INCIDENTS, params={"page": 1, "size": 5, "incidentName.contains": "E",
                                           "sort": "id,desc"})
    assert response.headers["X-Total-Count"] == "26"
    assert response.headers["Link"] == (
        '</api/utm-incidents?page=2&size=5>; rel="next",'
        '</api/utm-incidents?page=0&size=5>; rel="prev",'
        '</api/utm-incidents?page=5&size=5>; rel="last",'
        '</api/utm-incidents?page=0&size=5>; rel="first"')


def test_empty_result_links_to_page_zero(api):
    response = api.get(INCIDENTS, params={"incidentName.equals": "nothing"})
    assert response.json() == [] and response.headers["X-Total-Count"] == "0"
    assert response.headers["Link"] == ('</api/utm-incidents?page=0&size=20>; rel="last",'
                                        '</api/utm-incidents?page=0&size=20>; rel="first"')


def test_paging_is_zero_based(many):
    first = names(many.get(INCIDENTS, params={"page": 0, "size": 10, "sort": "id"}))
    second = names(many.get(INCIDENTS, params={"page": 1, "size": 10, "sort": "id"}))
    assert first[0] == "Seeded one" and second[0] == "Incident 09"


def test_size_is_clamped_and_defaults(many):
    assert len(many.get(INCIDENTS, params={"size": 5000}).json()) == 26
    assert "size=2000" in many.get(INCIDENTS, params={"size": 5000}).headers["Link"]
    assert len(many.get(INCIDENTS, params={"size": 0}).json()) == 20
    assert len(many.get(INCIDENTS, params={"size": "abc"}).json()) == 20
    assert names(many.get(INCIDENTS, params={"page": -3, "sort": "id"}))[0] == "Seeded one"
    assert names(many.get(INCIDENTS, params={"page": "x", "sort": "id"}))[0] == "Seeded one"


def test_sort_and_unknown_sort_property(many):
    top = names(many.get(INCIDENTS, params={"sort": "incidentName,desc", "size": 2}))
    assert top == ["Seeded one", "Incident 24"]
    multi = many.get(INCIDENTS, params={"sort": ["incidentSeverity,desc", "id,asc"], "size": 3})
    assert [i["id"] for i in multi.json()] == [1, 4, 7]
    assert_header_error(many.get(INCIDENTS, params={"sort": "nope,asc"}), 500,
                        "No property nope found for type UtmIncident!", "")


def test_string_filters(many):
    assert names(many.get(INCIDENTS, params={"incidentName.equals": "Incident 03"})) == \
        ["Incident 03"]
    assert names(many.get(INCIDENTS, params={"incidentName.equals": "incident 03"})) == []
    assert len(many.get(INCIDENTS, params={"incidentName.contains": "INCIDENT 1",
                                           "size": 100}).json()) == 10
    assert len(many.get(INCIDENTS, params={"incidentName.doesNotContain": "incident",
                                           "size": 100}).json()) == 1
    assert names(many.get(INCIDENTS, params={"incidentName.in": "Incident 01,Incident 02",
                                             "sort": "id"})) == ["Incident 01", "Incident 02"]
    repeated = many.get(INCIDENTS, params=[("incidentName.in", "Incident 01"),
                                           ("incidentName.in", "Incident 02")])
    assert len(repeated.json()) == 2


def test_string_filter_applies_only_the_first_operator(many):
    """equals wins; contains is then ignored even when it would exclude the row."""
    response = many.get(INCIDENTS, params={"incidentName.equals": "Incident 03",
                                           "incidentName.contains": "zzz"})
    assert names(response) == ["Incident 03"]


def test_incident_severity_comparisons_are_ignored(many):
    response = many.get(INCIDENTS, params={"incidentSeverity.greaterThan": 2})
    assert response.headers["X-Total-Count"] == "26"
    assert many.get(INCIDENTS, params={"incidentSeverity.in": "3"}).headers["X-Total-Count"] == "9"
    assert many.get(INCIDENTS, params={"incidentSeverity.equals": 1}).headers[
        "X-Total-Count"] == "9"


def test_range_filters_on_id_and_dates(many):
    response = many.get(INCIDENTS, params={"id.greaterThan": 20, "id.lessThanOrEqual": 24})
    assert response.headers["X-Total-Count"] == "4"
    response = many.get(INCIDENTS, params={
        "incidentCreatedDate.greaterThanOrEqual": "2026-01-01T00:00:00Z",
        "incidentCreatedDate.lessThanOrEqual": "2026-01-31T23:59:59Z"})
    assert names(response) == ["Seeded one"]
    response = many.get(INCIDENTS, params={"id.equals": 2, "id.greaterThan": 100})
    assert response.headers["X-Total-Count"] == "1"  # equals short-circuits the range


def test_enum_and_specified_filters(many):
    assert many.get(INCIDENTS, params={"incidentStatus.in": "IN_REVIEW,OPEN"}).headers[
        "X-Total-Count"] == "26"
    assert many.get(INCIDENTS, params={"incidentStatus.notEquals": "OPEN"}).json() == []
    assert names(many.get(INCIDENTS, params={"incidentAssignedTo.specified": "true"})) == \
        ["Seeded one"]


def test_unknown_parameters_are_ignored(many):
    assert many.get(INCIDENTS, params={"bogus.equals": 1, "id.between": 3}).headers[
        "X-Total-Count"] == "26"


def test_unconvertible_criteria_are_500(api):
    for params in ({"id.equals": "abc"}, {"incidentStatus.equals": "FOO"},
                   {"incidentCreatedDate.greaterThan": "2026-01-01"},
                   {"incidentAssignedTo.specified": "maybe"}):
        assert_header_error(api.get(INCIDENTS, params=params), 500, "", "")


def test_other_lists_use_their_own_criteria(api, emulator):
    links = api.get("/api/utm-incident-alerts", params={"alertId.in": "l1,l2,zz"})
    assert links.headers["X-Total-Count"] == "2"
    assert "</api/utm-incident-alerts?page=0&size=20>" in links.headers["Link"]
    notes = api.get("/api/utm-incident-notes", params={"noteText.contains": "SEEDED"})
    assert [n["noteText"] for n in notes.json()] == ["seeded note"]
    history = api.get("/api/utm-incident-histories", params={"actionType.equals":
                                                             "INCIDENT_NOTE_ADD"})
    assert history.headers["X-Total-Count"] == "1"
    # criteria errors on the try/catch controllers happen before the method: no ctx prefix
    assert_header_error(api.get("/api/utm-incident-alerts", params={"incidentId.equals": "x"}),
                        500, "BeanPropertyBindingResult", "")
