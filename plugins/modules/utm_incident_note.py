#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: utm_incident_note
short_description: Ensure a note is on a UTMStack incident
version_added: 0.1.0
description:
  - Adds a note to an incident unless a note with exactly the same text is already there, so a rerun
    does not add it twice.
  - Notes are append-only in UTMStack. The server can neither change nor delete a note, so this module
    only adds.
  - The note is never sent twice. When its answer is lost, the notes are read again. If the note arrived, the
    task succeeds, and if not, it fails asking for a rerun. Note tasks against one server take turns on the host that
    runs them (a file lock), so forks of one play add a note once.
author: utmstack.soc contributors (@utmstack)
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
attributes:
  check_mode:
    support: full
    description: Reads the incident's notes and reports whether the note would be added, without adding it.
  diff_mode:
    support: full
    description: Shows the incident's note texts before and after.
options:
  incident_id:
    description:
      - The id of the incident. Either this or O(incident_name) is required.
    type: int
  incident_name:
    description:
      - The exact name of the incident. Either this or O(incident_id) is required.
    type: str
  text:
    description:
      - The text of the note, at most 1000 characters.
      - Compared exactly, spaces and line breaks included, with the notes already on the incident.
    type: str
    required: true
  allow_duplicate:
    description:
      - Add the note even when a note with the same text is already on the incident, for example a
        recurring status line that should be recorded each time.
      - With V(true) the task always adds a note and always reports a change.
    type: bool
    default: false
notes:
  - In check mode, an incident named (not numbered) in this task that does not exist yet is taken to be created by an earlier task
    of the same run; the task reports the change it would make, with a warning, instead of failing.
"""

EXAMPLES = r"""
- name: Find the incident about the SSH brute force
  utmstack.soc.utm_incident_info:
    name_contains: SSH brute force
  register: found

- name: Record the containment step on it (added once, however often the play runs)
  utmstack.soc.utm_incident_note:
    incident_id: "{{ found.incidents[0].id }}"
    text: Blocked 203.0.113.7 on the perimeter firewall.

- name: Log every run of a recurring check, even with the same text
  utmstack.soc.utm_incident_note:
    incident_name: "{{ found.incidents[0].incidentName }}"
    text: Nightly re-scan found no further indicators.
    allow_duplicate: true
"""

RETURN = r"""
note:
  description:
    - The note with this text on the incident, the one just added or the one already there.
    - In check mode, when the note would be added, C(id), C(noteSendDate) and C(noteSendBy) are null.
  returned: always
  type: dict
  contains:
    id:
      description: The note's id.
      type: int
      sample: 31
    incidentId:
      description: The id of the incident.
      type: int
      sample: 12
    noteText:
      description: The text of the note.
      type: str
      sample: Blocked 203.0.113.7 on the perimeter firewall.
    noteSendDate:
      description: When the note was added (UTC, ISO-8601).
      type: str
      sample: "2026-01-31T08:30:12.441Z"
    noteSendBy:
      description: The login of the user who added it.
      type: str
      sample: admin
  sample:
    id: 31
    incidentId: 12
    noteText: Blocked 203.0.113.7 on the perimeter firewall.
    noteSendDate: "2026-01-31T08:30:12.441Z"
    noteSendBy: admin
created:
  description: Whether the note was added by this task (or would be, in check mode).
  returned: always
  type: bool
  sample: true
diff:
  description: The texts of the incident's notes, oldest first, before and after.
  returned: when changed and diff mode is on
  type: dict
  sample:
    before: {notes: ["Triage started."]}
    after: {notes: ["Triage started.", "Blocked 203.0.113.7 on the perimeter firewall."]}
"""

from ansible_collections.utmstack.soc.plugins.module_utils import incidents, local_state, notes, validation
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module

ARGUMENT_SPEC = dict(
    incident_id=dict(type="int"),
    incident_name=dict(type="str"),
    text=dict(type="str", required=True),
    allow_duplicate=dict(type="bool", default=False),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(required_one_of=[("incident_id", "incident_name")], mutually_exclusive=[("incident_id", "incident_name")])


def run(client, params, check_mode):
    notes.check_incident_ref(params["incident_id"], params["incident_name"])
    text = params["text"]
    if not text or not text.strip():
        raise UtmInputError("text must not be empty")
    validation.check_length("text", text, validation.MAX_NOTE)
    with local_state.write_lock(client, check_mode):
        return ensure_note(client, params, text, check_mode)


def ensure_note(client, params, text, check_mode):
    incident = incidents.resolve(client, params["incident_id"], params["incident_name"], check_mode)
    if incident["id"] is None:
        note = notes.summary({"noteText": text})
        return True, dict(note=note, created=True, warnings=[incidents.NOT_CREATED_YET % incident["incidentName"]]), \
            dict(before=dict(notes=[]), after=dict(notes=[text]))
    existing = notes.list_notes(client, incident["id"])
    texts = [n["noteText"] for n in existing]
    found = notes.find_text(existing, text)
    if found is not None and params["allow_duplicate"] is not True:
        return False, dict(note=found, created=False), None

    if check_mode:
        note = notes.summary({"incidentId": incident["id"], "noteText": text})
    else:
        note = notes.add_note(client, incident["id"], text, len(existing))
    diff = dict(before=dict(notes=texts), after=dict(notes=texts + [text]))
    return True, dict(note=note, created=True), diff


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
