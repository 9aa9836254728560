#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: utm_incident_note_info
short_description: List the notes of a UTMStack incident
version_added: 0.1.0
description:
  - Returns the notes of one incident, oldest first, optionally only those containing some text.
  - An incident that does not exist has no notes; the module returns an empty list rather than failing.
  - Never changes anything.
author: utmstack.soc contributors (@utmstack)
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.info_module
options:
  incident_id:
    description:
      - The id of the incident. Either this or O(incident_name) is required.
    type: int
  incident_name:
    description:
      - The exact name of the incident. Either this or O(incident_id) is required.
    type: str
  text_contains:
    description:
      - Only the notes whose text contains this text, ignoring case. The text is literal, V(%) and V(_) included
        (UTMStack would read them as wildcards; the module filters those exactly).
    type: str
  limit:
    description:
      - The most notes to return, the oldest first. By default all of them.
    type: int
"""

EXAMPLES = r"""
- name: Find the incident about the SSH brute force
  utmstack.soc.utm_incident_info:
    name_contains: SSH brute force
  register: found

- name: Read its notes
  utmstack.soc.utm_incident_note_info:
    incident_name: "{{ found.incidents[0].incidentName }}"
  register: incident_notes

- name: Show the texts
  ansible.builtin.debug:
    msg: "{{ incident_notes.notes | map(attribute='noteText') | list }}"

- name: Was the firewall block recorded?
  utmstack.soc.utm_incident_note_info:
    incident_id: "{{ found.incidents[0].id }}"
    text_contains: firewall
  register: firewall_notes
"""

RETURN = r"""
notes:
  description: The notes, sorted by the time they were added, then by id.
  returned: always
  type: list
  elements: dict
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
    - id: 31
      incidentId: 12
      noteText: Blocked 203.0.113.7 on the perimeter firewall.
      noteSendDate: "2026-01-31T08:30:12.441Z"
      noteSendBy: admin
"""

from ansible_collections.utmstack.soc.plugins.module_utils import incidents, notes
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module

ARGUMENT_SPEC = dict(
    incident_id=dict(type="int"),
    incident_name=dict(type="str"),
    text_contains=dict(type="str"),
    limit=dict(type="int"),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict(required_one_of=[("incident_id", "incident_name")], mutually_exclusive=[("incident_id", "incident_name")])


def run(client, params, check_mode):
    notes.check_incident_ref(params["incident_id"], params["incident_name"])
    limit = params["limit"]
    if limit is not None and limit < 1:
        raise UtmInputError("limit must be a positive number, got %r" % (limit,))
    incident_id = params["incident_id"]
    if incident_id is None:
        incident = incidents.find_by_name(client, params["incident_name"])
        if incident is None:
            return False, dict(notes=[]), None
        incident_id = incident["id"]
    found = notes.list_notes(client, incident_id, params["text_contains"], limit)
    return False, dict(notes=found), None


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
