"""Helpers shared by the emulator's own tests: a seed, a small client, assertions."""
import requests

API_KEY = "test-api-key"
ANALYST_KEY = "analyst-key"


def alert_doc(alert_id, name, severity=2, status=2, parent=None, **extra):
    """A v11 alert document as the alerts plugin writes it (reference §8.3)."""
    doc = {
        "@timestamp": "2026-01-10T10:00:00.000Z", "id": alert_id, "status": status,
        "statusLabel": {1: "Automatic review", 2: "Open", 3: "In review", 5: "Completed"}[status],
        "statusObservation": "", "isIncident": False,
        "incidentDetail": {"createdBy": "", "observation": "", "creationDate": "", "source": ""},
        "name": name, "category": "Test", "description": "", "solution": "", "technique": "",
        "severity": severity, "severityLabel": {1: "Low", 2: "Medium", 3: "High"}[severity],
        "reference": [], "dataType": "wineventlog", "dataSource": "host-1", "tags": None,
        "notes": "",
    }
    if parent:
        doc["parentId"] = parent
    doc.update(extra)
    return doc


# a1..a6 free alerts (a2 has an echo a2e); l1, l2 belong to the seeded incident "Seeded one".
SMALL_SEED = {
    "alerts": [
        alert_doc("a1", "Brute force", 3),
        alert_doc("a2", "Port scan", 1),
        alert_doc("a2e", "Port scan", 1, parent="a2"),
        alert_doc("a3", "Malware found", 2),
        alert_doc("a4", "Config change", 1),
        alert_doc("a5", "Old alert", 2, status=5),
        alert_doc("a6", "Reviewed", 1, status=3),
        alert_doc("l1", "Linked one", 2),
        alert_doc("l2", "Linked two", 3),
    ],
    "incidents": [
        {"incidentName": "Seeded one", "incidentDescription": "first", "alerts": ["l1", "l2"],
         "incidentAssignedTo": "1", "incidentCreatedDate": "2026-01-05T08:00:00Z"},
    ],
    "notes": [{"incidentName": "Seeded one", "noteText": "seeded note"}],
}


class Api(object):
    """requests with the base URL and credentials filled in."""

    def __init__(self, url, headers):
        self.url = url
        self.session = requests.Session()
        self.session.headers.update(headers)

    def request(self, method, path, **kwargs):
        kwargs.setdefault("timeout", 10)
        return self.session.request(method, self.url + path, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def new_incident(name="Incident A", alerts=(("a1", 3),), description="desc", **extra):
    body = {"incidentName": name, "incidentDescription": description,
            "alertList": [{"alertId": a, "alertName": "Alert " + a, "alertStatus": 2,
                           "alertSeverity": s} for a, s in alerts]}
    body.update(extra)
    return body


def assert_header_error(response, status, contains="", params=None):
    """The server's error answer: status, empty body, X-UtmStack-error (one line)."""
    assert response.status_code == status, (response.status_code, response.headers)
    assert response.content == b""
    message = response.headers.get("X-UtmStack-error")
    assert message is not None and contains in message, message
    assert "\n" not in message and "Traceback" not in message
    if params is not None:
        assert response.headers.get("X-UtmStack-params") == params
    return message


def assert_boot_error(response, status, path):
    assert response.status_code == status
    body = response.json()
    assert list(body) == ["timestamp", "status", "error", "path"]
    assert body["status"] == status and body["path"] == path
    return body
