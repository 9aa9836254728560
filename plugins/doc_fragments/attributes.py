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
