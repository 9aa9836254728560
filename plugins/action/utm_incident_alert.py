# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs utm_incident_alert in the controller process when the task runs on the controller (plugin_utils/action.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.utmstack.soc.plugins.modules import utm_incident_alert
from ansible_collections.utmstack.soc.plugins.plugin_utils.action import UtmModuleAction


class ActionModule(UtmModuleAction):
    module = utm_incident_alert
