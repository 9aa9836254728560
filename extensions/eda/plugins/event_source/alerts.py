# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""utmstack.soc.alerts: one event per new UTMStack alert.

Polls the alert search every ``interval`` seconds for alerts newer than a watermark and puts
``{"alert": <document>, "status": "open", "severity": "high"}`` on the queue, each alert once.
Alerts that share a timestamp, arrive up to ``lag`` seconds late, or fill more than one page are
all delivered. See docs/eda.md.

Arguments (connection options fall back to the UTMSTACK_* variables, as in the modules):
    url, api_key, username, password, token, validate_certs, ca_path, timeout, api_version
    interval      seconds between polls (10)
    since         first poll: alerts from this time on; ISO-8601 or date math such as now-15m (now)
    lag           seconds an alert may be indexed after a newer one and still be delivered (60)
    batch_size    alerts per search (500)
    state_file    JSON file that keeps the watermark across restarts
    rule_name, name_contains, severity, status, data_source, data_type, tags, in_incident,
    include_echoes (true), filters: as in utm_alert_info

Example:
    sources:
      - utmstack.soc.alerts:
          severity: [high]
          in_incident: false
          state_file: /var/lib/eda/utmstack-alerts.json
"""

import os
import sys

# ansible-rulebook runs this file by path: make the collection it lies in importable.
sys.path.insert(0, os.sep.join(os.path.abspath(__file__).split(os.sep)[:-8]))

from ansible_collections.utmstack.soc.plugins.plugin_utils.eda_source import AlertPoller, run  # noqa: E402  pylint: disable=wrong-import-position


async def main(queue, args):
    await run(queue, args, AlertPoller)
