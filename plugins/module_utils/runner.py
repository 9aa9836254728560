# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one execution step every module shares, and its AnsibleModule adapter.

``execute()`` is the step both adapters run: build the client from validated params, call
``run(client, params, check_mode)``, turn a UtmError into a failed result, attach the diff and
hand the warnings back. ``run_module()`` (a module's ``main()``, on any host) and the action
plugins (plugins/plugin_utils/action.py, in the controller process) are thin adapters over it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, _load_params, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.utmstack.soc.plugins.module_utils.client import (
    HAS_REQUESTS, REQUESTS_IMPORT_ERROR, UtmClient)
from ansible_collections.utmstack.soc.plugins.module_utils.connection import (
    client_kwargs, connection_argspec)
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmError, bounded


def full_argument_spec(argument_spec):
    """A module's own options plus the connection options."""
    spec = connection_argspec()
    spec.update(argument_spec)
    return spec


def validator(argument_spec, constraints):
    """Ansible's validator for a module's options and its constraints (``required_one_of``, ...)."""
    return ArgumentSpecValidator(full_argument_spec(argument_spec), **constraints)


def non_string_values(argument_spec, raw_params):
    """Why the raw options are wrong where a text option got a list or a mapping, or None.

    Ansible's validator quietly turns those into their Python repr (``text: [a, b]`` becomes the
    note ``"['a', 'b']"``), so both adapters look at the options as the task gave them.
    """
    problems = []
    for name, spec in full_argument_spec(argument_spec).items():
        value = raw_params.get(name)
        if spec.get("type", "str") == "str" and isinstance(value, (list, dict)):
            problems.append("%s must be a string, not a %s%s" % (name, _kind(value), _shown(value, spec)))
        elif spec.get("type") == "list" and spec.get("elements") == "str" and isinstance(value, list):
            nested = [item for item in value if isinstance(item, (list, dict))]
            if nested:
                problems.append("%s must list strings, not a %s%s" % (name, _kind(nested[0]), _shown(nested[0], spec)))
    if not problems:
        return None
    return "; ".join(problems) + " (join the items into one text, for example with | join(', '), or quote the value)"


def _kind(value):
    return "list" if isinstance(value, list) else "mapping"


def _shown(value, spec):
    # A secret given in the wrong shape is still a secret: name the option, not its value.
    return "" if spec.get("no_log") else ": %s" % bounded(repr(value), 200)


def execute(run, params, check_mode):
    """Run ``run(client, params, check_mode)`` on validated params; returns ``(result, warnings)``.

    ``run`` returns ``(changed, result, diff)``; ``diff`` may be None and ``result`` may carry a
    ``warnings`` list, handed back apart for the adapter to show as task warnings. Every
    UtmError becomes a failed result (``failed``, ``msg`` and the error's details); nothing else
    is caught, so a real bug still shows its traceback.
    """
    try:
        client = UtmClient(**client_kwargs(params))
        changed, result, diff = run(client, params, check_mode)
    except UtmError as exc:
        return dict(exc.details(), failed=True, msg=str(exc)), []
    warnings = result.pop("warnings", None) or []
    if diff is not None:
        result["diff"] = diff
    result["changed"] = changed
    return result, warnings


def run_module(argument_spec, run, **module_kwargs):
    """The AnsibleModule adapter: build the module, ``execute()`` and exit.

    ``module_kwargs`` go to AnsibleModule: each module passes ``supports_check_mode=True`` and
    its ``ARGUMENT_CONSTRAINTS`` itself, so its file says what it supports.
    """
    module = AnsibleModule(argument_spec=full_argument_spec(argument_spec), **module_kwargs)
    wrong_types = non_string_values(argument_spec, _load_params())
    if wrong_types:
        module.fail_json(msg=wrong_types)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    result, warnings = execute(run, module.params, module.check_mode)
    # AnsibleModule deprecates `warnings` passed to exit_json: they go through module.warn().
    for warning in warnings:
        module.warn(warning)
    if result.pop("failed", False):
        module.fail_json(**result)
    module.exit_json(**result)
