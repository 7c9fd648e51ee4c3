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
