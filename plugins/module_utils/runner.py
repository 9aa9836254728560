# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The skeleton every module shares: argspec + client + run() -> exit_json/fail_json."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.utmstack.soc.plugins.module_utils.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, UtmClient)
from ansible_collections.utmstack.soc.plugins.module_utils.connection import (
    client_kwargs, connection_argspec)
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmError


def run_module(argument_spec, run, **module_kwargs):
    """Build the module, run ``run(client, params, check_mode)`` and exit.

    ``module_kwargs`` go to AnsibleModule; each module passes ``supports_check_mode=True``
    itself, so its file says what it supports.

    ``run`` returns ``(changed, result, diff)``; ``diff`` may be None and ``result`` may
    carry a ``warnings`` list, shown as task warnings. Every UtmError
    becomes a failed task with a clear message; nothing else is caught, so a real bug
    still shows its traceback.
    """
    spec = connection_argspec()
    spec.update(argument_spec)
    module = AnsibleModule(argument_spec=spec, **module_kwargs)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    try:
        client = UtmClient(**client_kwargs(module.params))
        changed, result, diff = run(client, module.params, module.check_mode)
    except UtmError as exc:
        module.fail_json(msg=str(exc), **exc.details())
    # AnsibleModule deprecates `warnings` passed to exit_json; run() returns them in the
    # result (it has no module to call) and they are handed over here.
    for warning in result.pop("warnings", None) or []:
        module.warn(warning)
    if diff is not None:
        result["diff"] = diff
    module.exit_json(changed=changed, **result)
