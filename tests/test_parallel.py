"""Chunked work in forked processes gives what one process gives."""

from __future__ import annotations

from functools import partial

from newsfuse.parallel import map_chunks


def _squares(offset: int, xs: list[int]) -> list[int]:
    return [x * x + offset for x in xs]


def test_map_chunks_in_parallel_equals_inline() -> None:
    items = list(range(9000))
    parts = map_chunks(partial(_squares, 1), items, workers=2, min_items=10)
    assert len(parts) > 1  # it really was cut in chunks
    assert [y for p in parts for y in p] == _squares(1, items)


def test_small_lists_stay_inline() -> None:
    assert map_chunks(partial(_squares, 0), [1, 2, 3], workers=2) == [[1, 4, 9]]
