# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The action adapter: a utm_* task that would run on the controller runs in the controller process.

A module task costs a new Python, the collection's imports and requests for every task. When the
task would run on the controller anyway (the ``local`` connection: ``hosts: localhost``,
``delegate_to: localhost``), the action plugin validates the options with ansible's
ArgumentSpecValidator and calls the module's own ``run()`` through ``runner.execute()``, the step
the module runs too. Everything else runs the module exactly as the ``normal`` action does:
another connection, ``async``, ``become``, requests missing on the controller, or
``UTMSTACK_EXECUTION=module`` in the controller's environment.

Imports sit at the top on purpose: the controller loads the action class before it forks the
task's worker, so requests and the collection's code are imported once per playbook run. For the
same reason ansible's Jinja filters and tests are loaded here (``load_jinja_plugins``).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import os

from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.plugins.action.normal import ActionModule as NormalAction
from ansible.plugins.loader import filter_loader, test_loader

from ansible_collections.utmstack.soc.plugins.module_utils import runner
from ansible_collections.utmstack.soc.plugins.module_utils.client import HAS_REQUESTS

# UTMSTACK_EXECUTION=module (controller environment) forces the module path, for tests and for
# anyone who wants the module's exact process model back.
EXECUTION_VARIABLE = "UTMSTACK_EXECUTION"


def load_jinja_plugins():
    """Load ansible's own Jinja filters and tests into the controller's plugin loaders.

    Each task runs in a fork of the controller. A worker whose templates use a filter or a test
    (``default(omit, true)`` is in almost every task of the roles) loads ansible's filter and test
    files itself unless the controller already has them, some 10 ms of CPU a task. Called when the
    controller loads this module, before it forks the first utm_* task's worker, so every later
    worker inherits them. The loaders drop them again when their search path changes (a role with
    its own filter_plugins/), so a worker never sees a stale set.
    """
    filter_loader.get("ansible.builtin.default")
    test_loader.get("ansible.builtin.match")


load_jinja_plugins()


class UtmModuleAction(NormalAction):
    """Base of the eight action plugins; a subclass names its module in ``module``."""

    module = None  # the module object: ARGUMENT_SPEC, ARGUMENT_CONSTRAINTS, run()

    def run(self, tmp=None, task_vars=None):
        if not self.runs_on_controller():
            return super().run(tmp, task_vars)
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            return self.run_on_controller()

    def runs_on_controller(self):
        return (HAS_REQUESTS and self._connection.transport == "local" and not self._task.async_val
                and not self._play_context.become and os.environ.get(EXECUTION_VARIABLE) != "module")

    def run_on_controller(self):
        constraints = getattr(self.module, "ARGUMENT_CONSTRAINTS", {})
        validated = runner.validator(self.module.ARGUMENT_SPEC, constraints).validate(dict(self._task.args))
        params = validated.validated_parameters
        # The values AnsibleModule would hide: no_log options, wherever they show up.
        secrets = validated._no_log_values  # pylint: disable=protected-access
        wrong_types = runner.non_string_values(self.module.ARGUMENT_SPEC, self._task.args)
        if validated.error_messages:
            result = dict(failed=True, msg=self.validation_message(validated.errors))
        elif wrong_types:
            result = dict(failed=True, msg=wrong_types)
        else:
            result, warnings = runner.execute(self.module.run, params, self._task.check_mode)
            if warnings:
                result["warnings"] = warnings
        return remove_values(result, secrets)

    def validation_message(self, errors):
        """AnsibleModule's words for invalid options."""
        if isinstance(errors[0], UnsupportedError):
            return "Unsupported parameters for (%s) module: %s" % (self._task.action, errors.msg)
        return errors.msg


@contextlib.contextmanager
def task_environment(environment):
    """The task's ``environment:`` in os.environ while the task runs, as a module's process has it.

    Not only the UTMSTACK_* fallbacks read it: requests takes proxies and CA bundles from it, and
    local_state its directory. The worker is a forked process, but the old values come back anyway.
    """
    saved = dict((name, os.environ.get(name)) for name in environment)
    os.environ.update((name, str(value)) for name, value in environment.items())
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
