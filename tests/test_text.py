"""Text helpers shared by the stages."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsfuse.text import paired_quotes

MARKS = "“”„«»\""


def test_a_mark_without_its_partner_goes() -> None:
    assert paired_quotes("Nobody should draw conclusions “, so Reyland") == "Nobody should draw conclusions, so Reyland"
    assert paired_quotes('The fog came in faster than any forecast said," she said.') == \
        "The fog came in faster than any forecast said, she said."


def test_pairs_stay_whatever_the_language() -> None:
    for text in ("He called it “a mistake”.", "Er nannte es „einen Fehler“.", "Il a parlé d'« erreur »."):
        assert paired_quotes(text) == text


@given(st.text(alphabet=st.sampled_from(list(MARKS) + list("ab ,."))))
def test_never_an_odd_number_of_marks(text: str) -> None:
    out = paired_quotes(text)
    assert sum(out.count(m) for m in MARKS) % 2 == 0
    if sum(text.count(m) for m in MARKS) % 2 == 0:
        assert out == text
