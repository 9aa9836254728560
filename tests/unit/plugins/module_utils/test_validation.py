import pytest

from ansible_collections.utmstack.soc.plugins.module_utils import validation, vocabulary
from ansible_collections.utmstack.soc.plugins.module_utils.errors import UtmInputError

ALERT = "1b4e28ba-2fa1-11d2-883f-0016d3cca427"


def test_alert_ids_are_uuids_deduplicated_in_order():
    other = "6fa459ea-ee8a-3ca4-894e-db77e160355e"
    assert validation.check_alert_ids([ALERT, other, ALERT]) == [ALERT, other]
    assert validation.check_alert_ids(None) == []


@pytest.mark.parametrize("bad", ["not-a-uuid", "", 42, ALERT + "0", None])
def test_bad_alert_ids_are_named(bad):
    with pytest.raises(UtmInputError) as err:
        validation.check_alert_ids([ALERT, bad])
    assert repr(bad) in str(err.value)


def test_incident_name_rules():
    assert validation.check_incident_name("INC ssh brute force") == "INC ssh brute force"
    for bad, words in (('say "hi"', "double quote"), ("", "non-empty"), ("  ", "non-empty"), ("x" * 251, "at most 250")):
        with pytest.raises(UtmInputError) as err:
            validation.check_incident_name(bad)
        assert words in str(err.value)
    assert validation.check_incident_name("x" * 250)


def test_lengths_follow_the_database():
    validation.check_length("text", "x" * 1000, validation.MAX_NOTE)
    with pytest.raises(UtmInputError, match="1001 characters long; UTMStack allows at most 1000"):
        validation.check_length("text", "x" * 1001, validation.MAX_NOTE)


def test_lengths_are_counted_in_utf16_units_as_the_server_counts():
    validation.check_length("text", "\U0001f525" * 500, validation.MAX_NOTE)
    with pytest.raises(UtmInputError, match="1200 characters long as UTMStack counts them"):
        validation.check_length("text", "\U0001f525" * 600, validation.MAX_NOTE)
    with pytest.raises(UtmInputError, match="history"):
        validation.check_solution("\U0001f525" * 470, completing=True)


def test_solution_must_fit_the_history_row_when_completing():
    fits = 1000 - len(validation.COMPLETED_DETAIL)
    validation.check_solution("x" * fits, completing=True)
    validation.check_solution("x" * 1000, completing=False)
    with pytest.raises(UtmInputError, match="history"):
        validation.check_solution("x" * (fits + 1), completing=True)


def test_positive_ids():
    assert validation.check_positive_id("id", 3) == 3
    for bad in (0, -1, True, "3"):
        with pytest.raises(UtmInputError):
            validation.check_positive_id("id", bad)


def test_vocabulary_maps_both_ways():
    assert vocabulary.ALERT_STATUS == {"open": 2, "in_review": 3, "completed": 5}
    assert vocabulary.alert_status_word(1) == "automatic_review"
    assert vocabulary.incident_status_word("IN_REVIEW") == "in_review"
    assert vocabulary.incident_status_word("MERGED") == "merged"
    assert vocabulary.severity_code("High") == 3 and vocabulary.severity_code(2) == 2 and vocabulary.severity_code("1") == 1
    for bad in ("critical", 4, 0, None):
        with pytest.raises(ValueError):
            vocabulary.severity_code(bad)
