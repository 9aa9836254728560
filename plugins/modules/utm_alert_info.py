#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: utm_alert_info
short_description: Search UTMStack alerts
version_added: 0.1.0
description:
  - Finds alerts by id, rule name, severity, status, time window, incident membership, tags, data source,
    host or raw search filters. All the options given must match (they are combined with AND).
  - Pages through every match, 2000 alerts per request, unless O(limit) is set. UTMStack returns at most
    10,000 alerts for one search; when a search reaches that window the module warns and sets
    RV(truncated), and you should narrow the search (a shorter time window, for example).
  - Never changes anything.
author: utmstack.soc contributors (@utmstack)
extends_documentation_fragment:
  - utmstack.soc.connection
  - utmstack.soc.attributes
  - utmstack.soc.attributes.info_module
options:
  ids:
    description:
      - Only the alerts with these UUIDs. Ids that do not exist are simply not returned.
      - An empty list returns no alert without asking the server.
      - Searched exactly, 2000 ids per request.
    type: list
    elements: str
  name:
    description:
      - Only the alerts whose rule name is exactly this text (case-sensitive).
    type: str
  name_contains:
    description:
      - Only the alerts whose rule name contains this text.
    type: str
  severity:
    description:
      - Only the alerts with one of these severities, as C(low), C(medium), C(high) or the numbers 1 to 3.
    type: list
    elements: str
  status:
    description:
      - Only the alerts with one of these statuses.
      - C(automatic_review) is the status UTMStack gives a new alert until its tag rules have run.
    type: list
    elements: str
    choices: [open, in_review, completed, automatic_review]
  since:
    description:
      - Only the alerts raised at or after this time.
      - An ISO-8601 time such as C(2026-01-31T08:00:00Z) or OpenSearch date math such as C(now-24h)
        or C(now-7d/d).
    type: str
  until:
    description:
      - Only the alerts raised at or before this time, written like O(since).
      - When only O(since) is given, the window ends now.
    type: str
  in_incident:
    description:
      - V(true) finds only the alerts already marked as part of an incident, V(false) only the others.
      - This reads the alert's own incident flag, which the UTMStack console sets when it adds an alert to an
        incident.
    type: bool
  tags:
    description:
      - Only the alerts carrying at least one of these tags.
    type: list
    elements: str
  false_positive:
    description:
      - V(true) finds only the alerts tagged C(False positive), V(false) only the others.
    type: bool
  data_source:
    description:
      - Only the alerts from one of these data sources (the C(dataSource) field, usually a host or
        integration name).
    type: list
    elements: str
  data_type:
    description:
      - Only the alerts of one of these data types (the C(dataType) field, for example C(wineventlog)).
    type: list
    elements: str
  host:
    description:
      - Only the alerts whose adversary host or target host is one of these names.
      - UTMStack combines search filters with AND only, so the module runs one search for the adversary
        side and one for the target side and merges the answers (each alert once, in O(sort) order).
      - The match is a phrase match on the host field, as UTMStack's C(IS) operator does.
    type: list
    elements: str
  include_echoes:
    description:
      - Whether to include echoes, the repeated alerts UTMStack links to an earlier one with C(parentId).
      - V(false) returns only first occurrences, as the UTMStack console lists them.
    type: bool
    default: true
  filters:
    description:
      - Raw UTMStack search filters, combined with AND with each other and with the options above.
      - Each is a dict with C(field), C(operator) and, except for C(EXIST) and C(DOES_NOT_EXIST), C(value).
      - The operator must be one the server knows, checked before any request. C(IS), C(IS_NOT), C(CONTAIN),
        C(CONTAIN_ONE_OF), C(DOES_NOT_CONTAIN_ONE_OF), C(DOES_NOT_CONTAIN), C(IS_ONE_OF), C(IS_NOT_ONE_OF),
        C(IS_ONE_OF_TERMS), C(IS_ONE_OF_TERMS_OR), C(EXIST), C(DOES_NOT_EXIST), C(IS_BETWEEN), C(IS_NOT_BETWEEN),
        C(IS_IN_FIELDS), C(IS_NOT_IN_FIELDS), C(ENDS_WITH), C(NOT_ENDS_WITH), C(START_WITH), C(NOT_START_WITH),
        C(IS_GREATER_THAN) and C(IS_LESS_THAN_OR_EQUALS).
      - Names found in some public UTMStack documents, such as C(CONTAINS) or C(GREATER_THAN), do not exist on
        the server and are refused.
    type: list
    elements: dict
  sort:
    description:
      - The order of the alerts, as a field name and C(asc) or C(desc).
    type: str
    default: "@timestamp,desc"
  limit:
    description:
      - The most alerts to return. By default every match, up to the server's window of 10,000.
    type: int
  index_pattern:
    description:
      - The OpenSearch index pattern of the alerts.
      - By default the alert index of the server's O(api_version) (C(v11-alert-*) on 11, C(alert-*) on 10).
    type: str
"""

EXAMPLES = r"""
- name: Open high-severity alerts of the last 24 hours that are not in an incident yet
  utmstack.soc.utm_alert_info:
    severity: [high]
    status: [open]
    since: now-24h
    in_incident: false
    include_echoes: false
  register: triage

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ triage.alerts | map(attribute='name') | list }}"

- name: Alerts that involve one host, newest first, at most 50
  utmstack.soc.utm_alert_info:
    host: [web-01]
    limit: 50

- name: A raw filter on any document field
  utmstack.soc.utm_alert_info:
    filters:
      - field: adversary.ip
        operator: IS
        value: 203.0.113.7
"""

RETURN = r"""
alerts:
  description:
    - The matching alert documents as UTMStack returns them, in O(sort) order, plus C(status_word) and
      C(severity_word).
    - C(status) is the API's code (1 automatic review, 2 open, 3 in review, 5 completed) and C(severity) the
      number 1 (low) to 3 (high); C(status_word) (V(open), V(in_review), V(completed), V(automatic_review)) and
      C(severity_word) (V(low), V(medium), V(high)) say the same in the collection's words.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 5f0b4c8e-1d2a-4c3b-9e8f-0a1b2c3d4e5f
      "@timestamp": "2026-01-31T08:12:44.120Z"
      name: Multiple failed logins
      severity: 3
      severityLabel: High
      status: 2
      statusLabel: Open
      statusObservation: ""
      status_word: open
      severity_word: high
      isIncident: false
      dataSource: web-01
      dataType: wineventlog
      tags: null
total:
  description: How many alerts were returned.
  returned: always
  type: int
  sample: 1
truncated:
  description: Whether a search reached the server's window of 10,000 alerts, so more alerts may match.
  returned: always
  type: bool
  sample: false
"""

from ansible_collections.utmstack.soc.plugins.module_utils import alert_query
from ansible_collections.utmstack.soc.plugins.module_utils.client import SEARCH_WINDOW
from ansible_collections.utmstack.soc.plugins.module_utils.runner import run_module
from ansible_collections.utmstack.soc.plugins.module_utils.vocabulary import alert_words

ARGUMENT_SPEC = dict(
    ids=dict(type="list", elements="str"),
    name=dict(type="str"),
    name_contains=dict(type="str"),
    severity=dict(type="list", elements="str"),
    status=dict(type="list", elements="str", choices=["open", "in_review", "completed", "automatic_review"]),
    since=dict(type="str"),
    until=dict(type="str"),
    in_incident=dict(type="bool"),
    tags=dict(type="list", elements="str"),
    false_positive=dict(type="bool"),
    data_source=dict(type="list", elements="str"),
    data_type=dict(type="list", elements="str"),
    host=dict(type="list", elements="str"),
    include_echoes=dict(type="bool", default=True),
    filters=dict(type="list", elements="dict"),
    sort=dict(type="str", default="@timestamp,desc"),
    limit=dict(type="int"),
    index_pattern=dict(type="str"),
)
# Checked with the options by both adapters (AnsibleModule and the action plugin).
ARGUMENT_CONSTRAINTS = dict()


def run(client, params, check_mode):
    # Everything is checked before the first search.
    queries = alert_query.searches(params)
    sort = alert_query.check_sort(params["sort"])
    limit = alert_query.check_limit(params["limit"])
    index_pattern = alert_query.check_index_pattern(params["index_pattern"])
    warnings = []
    if limit is not None and limit > SEARCH_WINDOW:
        warnings.append("limit %d is above the %d alerts UTMStack returns for one search" % (limit, SEARCH_WINDOW))
    answers = [client.search(filters, limit=limit, sort=sort, index_pattern=index_pattern)
               for filters in queries]
    docs = alert_query.merge(answers, sort, limit) if answers else []
    # With a limit below the window, a full answer is what was asked for.
    truncated = alert_query.window_reached(answers) and (limit is None or limit > SEARCH_WINDOW)
    if truncated:
        warnings.append("the search reached UTMStack's window of %d alerts; more alerts may match, "
                        "narrow the search (for example with since and until)" % SEARCH_WINDOW)
    result = dict(alerts=[alert_words(doc) for doc in docs], total=len(docs), truncated=truncated)
    if warnings:
        result["warnings"] = warnings
    return False, result, None


def main():
    run_module(ARGUMENT_SPEC, run, supports_check_mode=True, **ARGUMENT_CONSTRAINTS)


if __name__ == "__main__":
    main()
