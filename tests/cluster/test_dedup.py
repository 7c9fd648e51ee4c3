"""Copies: found when boilerplate or the headline differ, originals chosen deterministically."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from newsfuse import Article
from newsfuse.dedup import CopyDetector, _Facts, choose_original, find_copies, shingles

BODY = (
    "The regional council voted on Tuesday to close the old tram depot on Mill Street after engineers "
    "found cracks in its roof beams. Councillor Ada Brenner said the depot had served the city for "
    "ninety years and that its workers would move to the new yard by June. Repairs would have cost "
    "4.2 million, the engineers' report said, more than a new building. Residents asked that the "
    "facade be kept; the council promised a public consultation in the spring."
)
OTHER = (
    "A new bakery opened on the harbour front on Saturday, selling rye bread baked in a wood oven that "
    "its owners rebuilt from bricks of a demolished chapel. Queues stretched along the quay by nine, "
    "and the first batch sold out within the hour, the owners said, promising a second oven by autumn."
)


def art(aid: str, text: str, title: str = "Depot to close", published: datetime | None = None,
        via: str | None = None) -> Article:
    return Article(id=aid, text=text, paragraphs=text.split("\n"), title=title, published=published, published_via=via)


def test_syndicated_copy_of_the_examples_is_found(examples) -> None:
    name = {a.id: Path(a.origin.split(":")[0]).name for a in examples}
    copies = {name[c]: name[o] for c, o in find_copies(examples).items()}
    assert copies == {"daily-meridian.txt": "nws-wire.txt"}


def test_copy_with_other_headline_and_boilerplate() -> None:
    original = art("a", BODY)
    copy = art("b", "Share this story\n" + BODY + "\nFollow us for more local news.", title="Tram depot shuts")
    # undated: the longer one (here the copy with its extra lines) is taken for the original
    assert find_copies([original, copy]) == {"a": "b"}


def test_lightly_edited_and_trimmed_copies() -> None:
    edited = BODY.replace("Tuesday", "Tuesday evening").replace("ninety", "90")
    trimmed = BODY.rsplit(" Residents", 1)[0]
    found = find_copies([art("a", BODY), art("b", edited), art("c", trimmed)])
    assert set(found) | set(found.values()) == {"a", "b", "c"}
    assert len(set(found.values())) == 1  # one original for the group


def test_same_event_different_report_is_not_a_copy() -> None:
    retold = (
        "Mill Street's tram depot will shut, the regional council decided on Tuesday, because its roof "
        "beams are cracked. Ada Brenner, a councillor, noted that staff move to the new yard by June."
    )
    assert find_copies([art("a", BODY), art("b", retold), art("c", OTHER)]) == {}


def test_original_is_the_earliest_when_all_are_dated() -> None:
    t = datetime(2025, 3, 6, 8, tzinfo=timezone.utc)
    early = art("z", BODY.rsplit(" Residents", 1)[0], published=t, via="field")
    late = art("a", BODY, published=t + timedelta(hours=3), via="field")
    assert find_copies([late, early]) == {"a": "z"}


def test_original_is_the_longest_when_a_date_is_missing_or_untrusted() -> None:
    t = datetime(2025, 3, 6, 8, tzinfo=timezone.utc)
    short = art("a", BODY.rsplit(" Residents", 1)[0], published=t, via="field")
    longer = art("b", BODY)  # undated
    assert find_copies([short, longer]) == {"a": "b"}
    # a date line at the top of a scraped text is not trusted for this choice
    longer = art("b", BODY, published=t + timedelta(days=30), via="text")
    assert find_copies([short, longer]) == {"a": "b"}


def test_choose_original_ties_break_on_id() -> None:
    members = [_Facts("b", math.inf, 10), _Facts("a", math.inf, 10)]
    assert choose_original(members) == "a"


@given(st.randoms(use_true_random=False))
def test_copies_do_not_depend_on_order(rnd: random.Random) -> None:
    base = [art("a", BODY), art("b", BODY + " Comments are closed."), art("c", OTHER),
            art("d", OTHER.replace("Saturday", "Sunday")), art("e", BODY.replace("June", "July"))]
    expected = find_copies(base)
    rnd.shuffle(base)
    assert find_copies(base) == expected


def test_stream_and_batch_agree() -> None:
    items = [art("a", BODY), art("b", "Advertisement\n" + BODY.rsplit(" Residents", 1)[0]), art("c", OTHER)]
    detector = CopyDetector()
    for a in items:
        detector.learn_one(a)
    assert {a.id: detector.copy_of(a.id) for a in items} == {"a": None, "b": "a", "c": None}
    assert find_copies(items) == {"b": "a"}


def test_short_texts_are_never_copies() -> None:
    assert find_copies([art("a", "Storm warning."), art("b", "Storm warning.")]) == {}


@given(st.text(max_size=300), st.integers(1, 8))
def test_shingles_are_sorted_unique_uint32(text: str, n: int) -> None:
    sh = shingles(text, n)
    assert sh.dtype.name == "uint32"
    assert list(sh) == sorted(set(sh.tolist()))


def test_learn_many_equals_learn_one() -> None:
    items = [art("a", BODY), art("b", "Advertisement\n" + BODY), art("c", OTHER), art("d", OTHER + " Share this.")]
    one = CopyDetector()
    assert [one.learn_one(a) for a in items] == CopyDetector().learn_many(items)
