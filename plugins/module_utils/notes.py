# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Incident notes. The server only lists and appends them: there is no update or delete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.module_utils import text_match, validation
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmAnswerLost, UtmApiError

NOTES = "/api/utm-incident-notes"
NOTE_FIELDS = ("id", "incidentId", "noteText", "noteSendDate", "noteSendBy")


# Kept for callers of notes.check_incident_ref; the check lives in validation.
check_incident_ref = validation.check_incident_ref


def _order(note):
    # UTC ISO-8601 stamps sort as text once the fraction has a fixed width (the server
    # drops a zero fraction and prints 3 to 9 digits); the id breaks ties.
    stamp = (note.get("noteSendDate") or "").rstrip("Z")
    whole, _dot, fraction = stamp.partition(".")
    return (whole, fraction.ljust(9, "0"), note.get("id") or 0)


def list_notes(client, incident_id, text_contains=None, limit=None):
    """Notes of one incident, oldest first (an unknown incident simply has none)."""
    query = {"incidentId.equals": incident_id}
    literal = text_contains is None or text_match.sent_as_is(text_contains)
    if text_contains is not None and text_match.server_value(text_contains) is not None:
        query["noteText.contains"] = text_match.server_value(text_contains)
    rows = client.list_all(NOTES, query, limit=limit if literal else None, sort=["noteSendDate,asc", "id,asc"])
    if not literal:
        rows = text_match.narrow(rows, "noteText", text_contains)[:limit]
    return sorted((summary(row) for row in rows), key=_order)


def find_text(notes, text):
    """The first note whose text is exactly ``text``, or None."""
    for note in notes:
        if note.get("noteText") == text:
            return note
    return None


def add_note(client, incident_id, text, known=0):
    """Append a note; ``known`` is how many notes the incident had when read.

    A lost answer is settled by reading the notes again: a note with this text beyond the
    ``known`` ones is the one just sent. A note is never sent twice.
    """
    body = {"incidentId": incident_id, "noteText": text}
    try:
        saved = client.post(NOTES, body=body).object(required=False)
    except UtmAnswerLost as exc:
        saved = find_text(list_notes(client, incident_id)[known:], text)
        if saved is None:
            # Named like the lost request, so the task's message says which request it was.
            raise UtmApiError(exc.method, exc.path, requested=exc.requested, message=(
                "the note was sent to incident %s but the server's answer was lost, and it is not on the incident: "
                "rerun the task to add it" % incident_id))
    return summary(body if saved is None else saved)


def summary(note):
    return dict((field, note.get(field)) for field in NOTE_FIELDS)
