# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""utmstack.soc.incidents: an event when a UTMStack incident is created or changes status or assignee.

Lists the incidents (by id, 2000 a request) every ``interval`` seconds, compares them with the
last list, and puts ``{"type": "created" | "changed", "incident": <incident>, "status": "open",
"assigned_to": "1", "previous": {"status", "assigned_to"}}`` on the queue (``previous`` only for
changes). See docs/eda.md.

Arguments (connection options fall back to the UTMSTACK_* variables, as in the modules):
    url, api_key, username, password, token, validate_certs, ca_path, timeout, api_version
    interval      seconds between polls (10)
    since         the first poll reports incidents created from this time on as created;
                  without it the incidents already there are only recorded
    state_file    JSON file that keeps the last list across restarts

Example:
    sources:
      - utmstack.soc.incidents:
          interval: 30
          state_file: /var/lib/eda/utmstack-incidents.json
"""

import os
import sys

# ansible-rulebook runs this file by path: make the collection it lies in importable.
sys.path.insert(0, os.sep.join(os.path.abspath(__file__).split(os.sep)[:-8]))

from ansible_collections.utmstack.soc.plugins.plugin_utils.eda_source import IncidentPoller, run  # noqa: E402  pylint: disable=wrong-import-position


async def main(queue, args):
    await run(queue, args, IncidentPoller)
