# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A connection that is not ``local`` but reaches this machine: the tests' stand-in for a remote host.

No sshd can be started on these machines, so the tests reach "a host over another connection" with
this plugin. The module travels and runs exactly as over ssh (AnsiballZ written to a temporary
directory, executed by the host's Python); only the transport is the local one.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = """
name: loopback
short_description: Run tasks on this machine through the module path (tests only)
description:
  - The local connection under another name, so that utm_* action plugins treat the host as remote.
author: utmstack.soc contributors (@utmstack)
options:
  become_success_timeout:
    type: int
    default: 10
    description: Seconds to wait for become (as the local connection).
    vars:
      - name: ansible_loopback_become_success_timeout
  become_strip_preamble:
    type: bool
    default: true
    description: Strip become output before the command's own (as the local connection).
    vars:
      - name: ansible_loopback_become_strip_preamble
extends_documentation_fragment:
  - connection_pipelining
"""

from ansible.plugins.connection.local import Connection as LocalConnection


class Connection(LocalConnection):
    transport = "loopback"
