# -*- coding: utf-8 -*-
# Copyright: utmstack.soc contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connection options, defined once: argspec, env fallbacks and client construction.

The doc fragment ``utmstack.soc.connection`` documents the same table; a unit test keeps
the two in step.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

# name -> (type, environment variable, no_log, default)
CONNECTION_OPTIONS = {
    "url": ("str", "UTMSTACK_URL", False, None),
    "api_key": ("str", "UTMSTACK_API_KEY", True, None),
    "username": ("str", "UTMSTACK_USERNAME", False, None),
    "password": ("str", "UTMSTACK_PASSWORD", True, None),
    "token": ("str", "UTMSTACK_TOKEN", True, None),
    "validate_certs": ("bool", "UTMSTACK_VALIDATE_CERTS", False, True),
    "ca_path": ("path", "UTMSTACK_CA_PATH", False, None),
    "timeout": ("int", "UTMSTACK_TIMEOUT", False, 30),
    "api_version": ("int", "UTMSTACK_API_VERSION", False, 11),
}

# Options whose values are limited to a fixed set.
CONNECTION_CHOICES = {"api_version": [10, 11]}


def connection_argspec():
    """Argument spec entries for every connection option, with env fallbacks."""
    spec = {}
    for name, (type_, env, no_log, default) in CONNECTION_OPTIONS.items():
        entry = dict(type=type_, fallback=(env_fallback, [env]))
        if no_log:
            entry["no_log"] = True
        if default is not None:
            entry["default"] = default
        if name in CONNECTION_CHOICES:
            entry["choices"] = CONNECTION_CHOICES[name]
        spec[name] = entry
    # url is required, but not here: AnsibleModule's "missing required arguments: url" cannot
    # name UTMSTACK_URL. UtmClient checks every value before the first request.
    return spec


def client_kwargs(params):
    """The UtmClient keyword arguments found in module params."""
    return dict((name, params.get(name)) for name in CONNECTION_OPTIONS)
