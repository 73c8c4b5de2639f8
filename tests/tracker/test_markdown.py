"""The one markdown escaper (captions, warnings, the explorer's errors)."""
import pytest

from tracker.markdown import escape

SPECIALS = "\\`*_{}[]()#+-.!|<>~$:="


@pytest.mark.parametrize("char", list(SPECIALS))
def test_every_special_character_is_escaped(char):
    assert escape(f"a{char}b") == f"a\\{char}b"


def test_text_stays_text_on_one_line():
    assert escape("[click](javascript:alert(1))") == "\\[click\\]\\(javascript\\:alert\\(1\\)\\)"
    assert escape(":material/warning: **x**") == "\\:material/warning\\: \\*\\*x\\*\\*"
    assert escape("line one\n# line two") == "line one \\# line two"
    assert escape("Plain words, 42 and é") == "Plain words, 42 and é"
    assert escape(None) == "" and escape(3.5) == "3\\.5"
