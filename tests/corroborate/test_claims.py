"""What a claim shows of the statements it aligns."""

from __future__ import annotations


def test_a_claim_shows_no_figure_its_sources_were_not_checked_on() -> None:
    """The rest of the pivot's sentence gives a number the clause does not: the claim shows the
    clause, so the number does not read as confirmed."""
    from newsfuse.analyse.model import Quantity
    from newsfuse.corroborate.claims import AlignedClaim
    from newsfuse.corroborate.units import Unit

    text = "The ferry left Port Avel for Kestrel Island early in the morning, with 214 passengers."
    clause = "The ferry left Port Avel for Kestrel Island early in the morning"
    n = Quantity(text.index("214"), text.index("214") + 3, "214", 214.0, counts="passengers")
    u = Unit(1, 0, len(text), text, 0, len(clause), clause, 0.0, sentence_numbers=(n,))
    assert AlignedClaim([u], 0, [1.0]).text == clause + "."
    u.sentence_numbers = ()
    assert AlignedClaim([u], 0, [1.0]).text == text  # most of its sentence, and nothing else: the sentence


def test_a_claim_never_shows_a_clause_that_stops_mid_phrase() -> None:
    """A clause cut where no phrase ends ("... will be making" of "... will be making our voices
    heard", or inside a bracket) would read as a fragment: the claim shows its sentence."""
    from newsfuse.analyse.model import Quantity
    from newsfuse.corroborate.claims import AlignedClaim, ends_cleanly
    from newsfuse.corroborate.units import Unit

    def unit(text: str, clause: str) -> Unit:
        n = Quantity(len(text) - 4, len(text) - 1, "214", 214.0, counts="people")  # the rest gives a figure
        return Unit(1, 0, len(text), text, 0, len(clause), clause, 0.0, sentence_numbers=(n,))

    cut = unit("We and thousands of our supporters will be making our voices heard, said 214.",
               "We and thousands of our supporters will be making")
    assert not ends_cleanly(cut) and AlignedClaim([cut], 0, [1.0]).text == cut.text
    bracket = unit('London Mayor Sadiq Khan has "refus[ed] to apologise" to 214.', 'London Mayor Sadiq Khan has "refus[ed')
    assert not ends_cleanly(bracket) and AlignedClaim([bracket], 0, [1.0]).text == bracket.text
    for rest in (", with 214.", " and then 214.", " despite 214.", " — 214."):
        clause = "The ferry left Port Avel for Kestrel Island early in the morning"
        u = unit(clause + rest, clause)
        assert ends_cleanly(u) and AlignedClaim([u], 0, [1.0]).text == clause + ".", rest
