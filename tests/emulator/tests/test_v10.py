"""api_version=10: the v10.8 differences the emulator reproduces (reference §1.4, §13)."""
import copy

import pytest
from emulator.tests.emu_helpers import SMALL_SEED, Api, assert_header_error, new_incident

from emulator import Emulator

INCIDENTS = "/api/utm-incidents"


@pytest.fixture(scope="module")
def v10():
    emu = Emulator(seed="empty", api_version=10).start()
    yield emu
    emu.stop()


@pytest.fixture
def client(v10):
    v10.reset(seed=copy.deepcopy(SMALL_SEED))
    anon = Api(v10.url, {})
    body = anon.post("/api/authenticate",
                     json={"username": "admin", "password": "utmstack-admin"})
    assert body.status_code == 200
    assert body.json()["authenticated"] is True
    assert body.headers["Authorization"] == "Bearer " + body.json()["id_token"]
    return Api(v10.url, {"Authorization": "Bearer " + body.json()["id_token"]})


def test_no_api_keys_in_v10(v10, client):
    assert Api(v10.url, {"Utm-Api-Key": "KEY"}).get(INCIDENTS).status_code == 401


def test_errors_are_caught_in_the_controller(client):
    assert_header_error(client.get(INCIDENTS + "/999"), 500, ".getUtmIncident: 404 NOT_FOUND",
                        "UtmIncidentResource")
    empty = client.post(INCIDENTS + "/add-alerts", json={"incidentId": 1, "alertList": []})
    assert_header_error(empty, 500, ".addAlertsToUtmIncident: Add utmIncident cannot already "
                        "have an empty related alerts")
    assert_header_error(client.post(INCIDENTS, json=new_incident(alerts=[])), 400,
                        ".createUtmIncident: A new incident has to have at least one alert")


def test_conflict_message_is_html_with_only_conflicting_ids(client):
    response = client.post(INCIDENTS, json=new_incident(alerts=[("a1", 1), ("l1", 1)]))
    assert_header_error(response, 409, "The following alert(s) are already associated with "
                        "another incident:<br><br><ul><li>l1</li></ul><br>Please review")


def test_validation_is_a_400_problem(client):
    response = client.post(INCIDENTS, json={"incidentDescription": "x", "alertList": []})
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["fieldErrors"] == [{"objectName": "newIncidentDTO", "field": "incidentName",
                                       "message": "must not be null"}]


def test_alert_status_matches_id_only_and_stores_null_observation(v10, client):
    response = client.post("/api/utm-alerts/status", json={"alertIds": ["a2"], "status": 3})
    assert response.status_code == 200
    docs = dict((d["id"], d) for d in v10.state()["alerts"])
    assert docs["a2"]["statusObservation"] == "null" and docs["a2e"]["status"] == 2


def test_search_uses_the_v10_index_pattern(client):
    response = client.post("/api/elasticsearch/search",
                           params={"top": 5, "indexPattern": "alert-*"}, json=[])
    assert response.status_code == 200 and response.headers["X-Total-Count"] == "5"
