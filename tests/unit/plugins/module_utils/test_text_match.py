"""text_match: literal substring filters over the server's LIKE, and names alike."""

from ansible_collections.utmstack.soc.plugins.module_utils import text_match


def test_server_value_is_the_longest_piece_without_wildcards():
    assert text_match.server_value("ssh brute") == "ssh brute"
    assert text_match.server_value("100% of a_long_name") == " of a"
    assert text_match.server_value("%_%") is None
    assert text_match.server_value("INC  ssh   Brute", text_match.WORD_BREAKS) == "Brute"


def test_narrow_keeps_only_literal_matches():
    rows = [{"t": "100% done"}, {"t": "100 done"}, {"t": None}, {"t": "A_B"}, {"t": "axb"}]
    assert text_match.narrow(rows, "t", "100%") == [{"t": "100% done"}]
    assert text_match.narrow(rows, "t", "a_b") == [{"t": "A_B"}]
    assert text_match.narrow(rows, "t", "done") == rows  # the server matched it literally already


def test_same_words_ignores_case_and_spaces_only():
    assert text_match.same_words("INC ssh  brute", " inc SSH brute ")
    assert not text_match.same_words("INC ssh brute", "INC ssh-brute")
