# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Every module belongs to the action group.
    DOCUMENTATION = r"""
attributes:
  action_group:
    description: Use C(group/utmstack.soc.utmstack) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - utmstack.soc.utmstack
"""

    # The write modules that take a list of alerts.
    MISSING_ALERTS = r"""
options:
  missing:
    description:
      - What to do when listed alerts do not exist on the server (a mistyped id, an alert gone from the index).
      - V(warn) goes on with the alerts that exist and warns, naming a sample of the missing ones.
      - V(fail) fails before writing anything. V(ignore) goes on with the alerts that exist, silently.
      - Either way the missing ids are in RV(missing_alerts).
    type: str
    choices: [fail, warn, ignore]
    default: warn
"""

    # The _info modules only read.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: The module only reads, so it runs the same in check mode.
    support: full
  diff_mode:
    description: The module changes nothing, so it has no diff.
    support: none
"""
