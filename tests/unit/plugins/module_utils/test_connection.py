"""The connection table, the argspec it makes and the doc fragment stay one thing."""

import yaml

from ansible.module_utils.basic import env_fallback
from ansible_collections.utmstack.soc.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.utmstack.soc.plugins.module_utils.connection import (
    CONNECTION_OPTIONS, client_kwargs, connection_argspec)


def test_doc_fragment_documents_exactly_the_connection_options():
    doc = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)["options"]
    assert set(doc) == set(CONNECTION_OPTIONS)
    spec = connection_argspec()
    for name, (type_, env, no_log, default) in CONNECTION_OPTIONS.items():
        assert doc[name]["type"] == type_ == spec[name]["type"]
        assert doc[name].get("default") == default == spec[name].get("default")
        assert "E(%s)" % env in " ".join(doc[name]["description"])
        assert spec[name]["fallback"] == (env_fallback, [env])
        assert spec[name].get("no_log", False) is no_log


def test_secrets_are_no_log_and_url_is_left_to_the_client():
    spec = connection_argspec()
    assert {n for n, s in spec.items() if s.get("no_log")} == {"api_key", "password", "token"}
    # UtmClient checks url, so that its message can name UTMSTACK_URL.
    assert not any(s.get("required") for s in spec.values())
    assert spec["validate_certs"]["default"] is True


def test_each_variable_is_utmstack_and_the_option_name():
    # UtmClient's input errors name a variable by this rule.
    assert all(env == "UTMSTACK_" + name.upper() for name, (unused, env, unused2, unused3) in CONNECTION_OPTIONS.items())


def test_client_kwargs_picks_only_connection_options():
    params = dict(url="https://u", api_key="k", name="x", status="open")
    kwargs = client_kwargs(params)
    assert set(kwargs) == set(CONNECTION_OPTIONS)
    assert kwargs["url"] == "https://u" and kwargs["api_key"] == "k" and kwargs["password"] is None
