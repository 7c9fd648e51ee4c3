"""Which reports count as one source: copies, versions of one report, one outlet."""

from __future__ import annotations

from newsfuse.analyse import sentences
from newsfuse.analyse.model import ArticleAnalysis, Quote
from newsfuse.corroborate.sources import Sources, link_provenance, outlet_of, shares_narration, _narration
from newsfuse.model import Article


def _art(aid: str, *, source: str | None = None, url: str | None = None) -> Article:
    return Article(id=aid, text="", paragraphs=[], source=source, url=url)


def _analysis(aid: str, text: str, quotes: list[tuple[int, int]] = ()) -> ArticleAnalysis:  # type: ignore[assignment]
    return ArticleAnalysis(aid, "", text, sentences(text),
                           quotes=[Quote(a, b, text[a:b], "x", "said", True) for a, b in quotes])


def _sources(n: int, copies: dict[int, int] | None = None) -> Sources:
    return Sources.of([_art(f"a{i}") for i in range(1, n + 1)], {f"a{c}": f"a{o}" for c, o in (copies or {}).items()})


def test_copies_count_once() -> None:
    s = _sources(4, {4: 2})
    assert s.support([1, 2, 4]) == 2 and s.support([2, 4]) == 1
    assert s.is_copy(4) and not s.is_copy(2) and s.origin[4] == 2
    assert s.lineage == {4: (2, "copy")}


WIRE = ("Heavy rain flooded the lower town of Brenna overnight, forcing hundreds of residents from their homes. "
        "Firefighters used boats to reach families trapped on upper floors near the river. "
        "The regional council opened two school gyms as shelters for the night. "
        "Forecasters expect the river to crest again on Saturday afternoon.")
REWRITE = ("Heavy rain flooded the lower town of Brenna overnight and forced hundreds of residents from their homes. "
           "Firefighters used boats to reach families trapped on upper floors near the river. "
           "The mayor said the damage would take months to repair.")
OTHER = ("A spokesman for the council said the shelters would stay open all week. "
         "Residents of Brenna described water rising faster than in any flood they remembered.")


def test_a_rewrite_of_one_report_is_a_version_and_counts_once() -> None:
    arts = [_art("a1"), _art("a2"), _art("a3")]
    s = Sources.of(arts, {})
    link_provenance(s, [_analysis("a1", WIRE), _analysis("a2", REWRITE), _analysis("a3", OTHER)])
    assert s.support([1, 2, 3]) == 2 and s.lineage == {2: (1, "version")}


def test_a_shared_quote_is_no_shared_provenance() -> None:
    quote = "“We will rebuild every house that the water took from us, and we will do it this year,”"
    a = quote + " the mayor said on Friday. Crews worked through the night to clear the roads into town."
    b = quote + " the mayor told reporters. Schools in the valley stay closed until Tuesday at least."
    qa, qb = [(0, len(quote))], [(0, len(quote))]
    assert not shares_narration(_narration(_analysis("a1", a, qa)), _narration(_analysis("a2", b, qb)))


def test_one_outlet_counts_once() -> None:
    arts = [_art("a1", url="https://www.bbc.co.uk/news/a"), _art("a2", url="https://news.bbc.co.uk/b"),
            _art("a3", source="The Herald"), _art("a4", source="the  herald"), _art("a5", url="https://other.org/x")]
    s = Sources.of(arts, {})
    texts = ["Rain fell all night.", "The river rose by two metres.", "Schools closed early on Friday.",
             "Boats reached the trapped families.", "The council opened two shelters."]
    link_provenance(s, [_analysis(a.id, t) for a, t in zip(arts, texts)])
    assert outlet_of(arts[0]) == outlet_of(arts[1]) == "bbc.co.uk"
    assert s.independent() == 3 and s.lineage[2] == (1, "outlet") and s.lineage[4] == (3, "outlet")


def test_reports_that_share_a_little_with_a_third_are_not_chained() -> None:
    half = WIRE.split(". ")
    a = ". ".join(half[:2]) + ". The bridge to the north bank is closed. Power is out in three streets."
    b = ". ".join(half[2:]) + " Volunteers sorted donated clothes in the town hall. A bakery gave bread away."
    both = WIRE
    arts = [_art("a1"), _art("a2"), _art("a3")]
    s = Sources.of(arts, {})
    link_provenance(s, [_analysis("a1", a), _analysis("a2", b), _analysis("a3", both)])
    assert s.support([1, 2]) == 2  # a1 and a2 share nothing: both may go with a3, not with each other
