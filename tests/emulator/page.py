"""A read-only HTML view of the emulator at ``GET /``: what a rehearsal made, in a browser.

Incidents (newest first) with their alerts, notes and history, then the request log. Not part of
UTMStack's API (the real server serves its Angular console there); it needs no key and changes
nothing. ``?limit=N`` caps the incidents shown (default 200), ``?refresh=S`` reloads every S s.
"""
from __future__ import annotations

from html import escape

from .wire import Response

ALERT_STATUS_WORDS = {1: "automatic review", 2: "open", 3: "in review", 5: "completed"}
SEVERITY_WORDS = {1: "low", 2: "medium", 3: "high"}
DEFAULT_LIMIT = 200
LOG_LINES = 200

STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5em; color: #222; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.5em; }
table { border-collapse: collapse; margin: 0.3em 0 0.8em; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: left; vertical-align: top; font-size: 0.9em; }
th { background: #f0f0f0; }
section.incident { border-left: 4px solid #369; padding-left: 0.8em; margin-bottom: 1.2em; }
.status-OPEN { color: #b00; } .status-IN_REVIEW { color: #a60; } .status-COMPLETED { color: #070; }
.muted { color: #777; }
"""


def _cell(value):
    return "<td>%s</td>" % ("" if value is None else escape(str(value)))


def _table(headers, rows, empty):
    if not rows:
        return '<p class="muted">%s</p>' % escape(empty)
    head = "".join("<th>%s</th>" % escape(h) for h in headers)
    body = "".join("<tr>%s</tr>" % "".join(_cell(v) for v in row) for row in rows)
    return "<table><tr>%s</tr>%s</table>" % (head, body)


def _alert_rows(incident_id, links, docs):
    rows = []
    for link in links:
        doc = docs.get(link["alertId"], {})
        tags = ", ".join(doc.get("tags") or [])
        flagged = (doc.get("incidentDetail") or {}).get("incidentId") == str(incident_id)
        rows.append((link["alertId"], link["alertName"], ALERT_STATUS_WORDS.get(doc.get("status"), doc.get("status")),
                     doc.get("statusObservation"), tags, "yes" if flagged else "no"))
    return rows


def _incident(incident, links, docs, notes, history):
    status = incident["incidentStatus"]
    title = '<h2 id="incident-%d">#%d %s <span class="status-%s">%s</span></h2>' % (
        incident["id"], incident["id"], escape(incident["incidentName"]), escape(status), escape(status.lower()))
    facts = _table(("severity", "assigned to", "created", "description", "solution"),
                   [(SEVERITY_WORDS.get(incident["incidentSeverity"], incident["incidentSeverity"]),
                     incident["incidentAssignedTo"], incident["incidentCreatedDate"],
                     incident["incidentDescription"], incident["incidentSolution"])], "")
    alerts = _table(("alert", "name", "status", "observation", "tags", "flagged"),
                    _alert_rows(incident["id"], links, docs), "no alerts")
    note_rows = [(n["noteSendDate"], n["noteSendBy"], n["noteText"]) for n in notes]
    history_rows = [(h["actionDate"], h["actionCreatedBy"], h["action"], h["actionDetail"]) for h in history]
    return '<section class="incident">%s%s<h3>Alerts</h3>%s<h3>Notes</h3>%s<h3>History</h3>%s</section>' % (
        title, facts, alerts, _table(("sent", "by", "note"), note_rows, "no notes"),
        _table(("when", "by", "action", "detail"), history_rows, "no history"))


def _positive(text, default):
    try:
        value = int(text)
    except (TypeError, ValueError):
        return default
    return value if value > 0 else default


def _group(rows):
    grouped = {}
    for row in rows:
        grouped.setdefault(row["incidentId"], []).append(row)
    return grouped


def render(state, requests, url, limit=DEFAULT_LIMIT, refresh=None):
    """The page's HTML from ``Emulator.state()`` and ``Emulator.requests()``."""
    incidents = sorted(state["incidents"], key=lambda i: i["id"], reverse=True)
    links, notes, history = (_group(state[k]) for k in ("incident_alerts", "notes", "histories"))
    docs = dict((doc["id"], doc) for doc in state["alerts"])
    sections = "".join(_incident(i, links.get(i["id"], []), docs, notes.get(i["id"], []), history.get(i["id"], []))
                       for i in incidents[:limit])
    shown = "" if len(incidents) <= limit else " (the newest %d shown; ?limit=N for more)" % limit
    log_rows = [(r["method"], r["path"], r["status"]) for r in requests[-LOG_LINES:]]
    meta = '<meta http-equiv="refresh" content="%d">' % refresh if refresh else ""
    return ("<!DOCTYPE html><html><head><meta charset=\"utf-8\">%s<title>UTMStack emulator</title>"
            "<style>%s</style></head><body><h1>UTMStack emulator at %s</h1>"
            "<p>%d incidents%s, %d alerts, %d requests logged. Read-only; reload to see changes.</p>"
            "<h2>Incidents</h2>%s<h2 id=\"requests\">Requests (the last %d)</h2>%s</body></html>") % (
        meta, STYLE, escape(url or ""), len(incidents), escape(shown), len(docs), len(requests), sections or
        '<p class="muted">no incidents</p>', LOG_LINES,
        _table(("method", "path", "status"), log_rows, "no requests yet"))


def answer(app, req):
    """The HTML response for ``GET /``."""
    html = render(app.state(), app.requests(), app.url, limit=_positive(req.param("limit"), DEFAULT_LIMIT),
                  refresh=_positive(req.param("refresh"), None))
    return Response(200, html.encode("utf-8"), [("Cache-Control", "no-store")], "text/html; charset=utf-8")
