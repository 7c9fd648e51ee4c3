"""Each kind of conflict, in small written stories: a conflict is never a confirmation.

The stories are written for these tests (no article text from elsewhere); each source is one
short report told in its own words, and the whole brief is made, as a user gets it.
"""

from __future__ import annotations

from .helpers import brief_of, sources_of

BUS = [
    "A bus carrying 40 tourists overturned on the coast road outside Lerida on Monday morning, injuring five "
    "people, police said. The driver lost control on a sharp bend.",
    "Two people were hurt when a tourist coach rolled over near Lerida on Monday, according to the regional "
    "emergency service. The coach had left Valencia at dawn.",
    "Five passengers were injured on Monday when their bus turned over on a bend of the coastal road close to "
    "Lerida, a fire brigade spokesman said.",
]


def _differences(b, kind: str):  # type: ignore[no-untyped-def]
    return [d for d in b.disagreements if d.kind == kind]


def _two_sources_differ_and_never_confirm(first: str, second: str, kind: str, word: str) -> None:
    """One difference of ``kind`` between the two reports, and no claim about ``word`` that both confirm."""
    b = brief_of(first, second)
    [d] = _differences(b, kind)
    assert sorted(n for v in d.variants for n in v.sources) == [1, 2]
    assert not any({1, 2} <= set(c.sources) and word in c.text for c in b.claims)


def test_a_different_number_is_a_difference_not_support() -> None:
    b = brief_of(*BUS)
    [d] = _differences(b, "number")
    assert [(v.value, v.sources) for v in d.variants][-1] == ("Two people", [2])
    assert any(1 in v.sources for v in d.variants[:-1])
    hurt = [c for c in b.claims if any(w in c.text.lower() for w in ("injur", "hurt"))]
    assert all(not ({1, 2} <= set(c.sources) or {2, 3} <= set(c.sources)) for c in hurt)


def test_a_negation_is_a_difference_not_support() -> None:
    _two_sources_differ_and_never_confirm(
        "Tenants filed the lawsuit in Albany on Tuesday, and it includes the former governor among the "
        "defendants. The tenants want a jury trial.",
        "The tenants' suit, filed on Tuesday in Albany, does not include the former governor among the "
        "defendants, their lawyer confirmed. A hearing is set for March.",
        "fact", "defendant",
    )


def test_another_clock_time_is_a_difference_not_support() -> None:
    _two_sources_differ_and_never_confirm(
        "The cargo ship Alder Crest struck the pier at Kestrel Harbour at 7:40 a.m. on Tuesday, the port "
        "authority said. Nobody was hurt.",
        "At 8:40 a.m. on Tuesday the freighter Alder Crest hit a pier in Kestrel Harbour, according to the "
        "harbour master, who said repairs to the quay will take several weeks.",
        "time", "pier",
    )


def test_what_may_happen_is_not_denied_by_what_will_not() -> None:
    b = brief_of(
        "The mayor warned on Tuesday that the minister could face protests if he visited the harbour. "
        "The visit is planned for May.",
        "The minister would not face protests if he visited the harbour, the mayor said on Tuesday. "
        "Officials expect calm.",
    )
    assert not _differences(b, "fact")


def test_vague_and_precise_values_that_can_both_be_true_agree() -> None:
    b = brief_of(
        "The two presidents spoke by telephone for about 50 minutes on Thursday evening, officials in Kyiv said.",
        "Their telephone conversation on Thursday evening lasted nearly an hour, the presidential office said.",
        "According to aides, the leaders talked on the phone for 50 minutes on Thursday evening.",
    )
    assert b.disagreements == []
    assert any(c.independent_support >= 2 and ("minutes" in c.text or "hour" in c.text) for c in b.claims)


def test_a_figure_that_rises_between_reports_is_an_evolution_latest_first() -> None:
    b = brief_of(
        "Floods in the Varna region have killed 12 people, rescue services said on Wednesday morning. "
        "Rivers burst their banks after three days of rain.",
        "The death toll from floods in the Varna region has risen to 24, rescue services said on Wednesday "
        "evening, as the search for missing villagers continued.",
        published=["2025-05-07T09:00:00", "2025-05-07T19:00:00"],
    )
    [d] = _differences(b, "number")
    assert d.evolution and d.variants[0].value.startswith("24") and d.variants[0].sources == [2]
    assert d.variants[0].published > d.variants[1].published  # latest first, each with its report's time


def test_two_events_told_alike_are_not_a_difference() -> None:
    b = brief_of(
        "A magnitude 5.6 earthquake struck the island of Kefal on Sunday, damaging houses in two villages. "
        "The same island was hit by a magnitude 6.1 earthquake in September.",
        "Houses in two villages were damaged on Sunday when an earthquake measuring 5.6 shook Kefal island.",
    )
    assert _differences(b, "number") == []


def test_a_source_that_gives_both_figures_does_not_contradict_itself() -> None:
    b = brief_of(
        "The navy seized six rifles and 12 magazines in Thursday's operation off the coast. "
        "Over five operations since September, sailors have seized 14 rifles and 31 magazines.",
        "Naval commandos confiscated 14 rifles and 31 magazines from the pirate boats on Thursday, an officer said.",
        "During the raid on Thursday, six rifles and 12 magazines were found on board, the navy said.",
    )
    for d in _differences(b, "number"):
        assert not any(1 in v.sources for v in d.variants if v.value.split()[0] in ("14", "31"))


def test_the_same_deadline_written_two_ways_is_no_difference() -> None:
    b = brief_of(
        "The new tariffs take effect at 12:01 a.m. on Friday, the trade office said in a statement.",
        "Customs officers will start collecting the tariffs at midnight on Friday, officials said.",
    )
    assert _differences(b, "time") == []


def test_a_copy_confirms_nothing() -> None:
    wire = ("Firefighters brought a blaze at the Harlow paper mill under control on Saturday after eight hours. "
            "No one was hurt, the fire service said. The cause of the fire is not yet known.")
    b = brief_of(wire, wire, "Firefighters needed eight hours on Saturday to bring the fire at the Harlow paper "
                             "mill under control.")
    copy = next(s for s in b.sources if s.copy_of is not None)
    assert copy.counted_with == copy.copy_of and b.independent_sources == 2
    for c in b.claims:
        assert c.independent_support == len({s if s != copy.id else copy.copy_of for s in c.sources})
    assert sources_of(b, "under control")  # the fact is confirmed by the two independent sources
