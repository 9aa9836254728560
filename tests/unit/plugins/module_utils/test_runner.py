"""runner.non_string_values: a list or a mapping where a text option belongs."""

from ansible_collections.utmstack.soc.plugins.module_utils import runner
from ansible_collections.utmstack.soc.plugins.modules import utm_incident, utm_incident_note


def test_lists_and_mappings_in_text_options_are_named():
    message = runner.non_string_values(utm_incident_note.ARGUMENT_SPEC, {"text": ["a", "b"], "incident_id": 1})
    assert message.startswith("text must be a string, not a list: ['a', 'b']")
    assert "join the items" in message
    wrong_url = runner.non_string_values(utm_incident_note.ARGUMENT_SPEC, {"text": "x", "url": {"a": 1}})
    assert "url must be a string, not a mapping" in wrong_url


def test_nested_lists_in_lists_of_text_are_named():
    message = runner.non_string_values(utm_incident.ARGUMENT_SPEC, {"name": "n", "alerts": [["a", "b"]]})
    assert message.startswith("alerts must list strings, not a list: ['a', 'b']")


def test_text_numbers_and_proper_lists_pass():
    assert runner.non_string_values(utm_incident.ARGUMENT_SPEC, {"name": "n", "assigned_to": 1, "alerts": ["a"],
                                                                 "description": None}) is None


def test_long_values_are_cut():
    message = runner.non_string_values(utm_incident_note.ARGUMENT_SPEC, {"text": ["x" * 100] * 100})
    assert len(message) < 500


def test_a_secret_in_the_wrong_shape_is_named_not_shown():
    message = runner.non_string_values(utm_incident_note.ARGUMENT_SPEC, {"text": "x", "api_key": ["s3cr3t-key"]})
    assert message.startswith("api_key must be a string, not a list (join")
    assert "s3cr3t" not in message
