"""A story's sources numbered for citation, and which of them are independent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..model import Article


@dataclass(slots=True)
class Sources:
    """Source numbers (1, 2, ...) in the story's order: originals, earliest
    first, then copies. ``origin`` maps a number to its original's number, so
    an article and its copies count once."""

    articles: list[Article]
    number: dict[str, int]
    origin: dict[int, int]

    @classmethod
    def of(cls, articles: Sequence[Article], copy_of: dict[str, str]) -> Sources:
        number = {a.id: i for i, a in enumerate(articles, 1)}
        origin = {n: number.get(_root(aid, copy_of), n) for aid, n in number.items()}
        return cls(list(articles), number, origin)

    def support(self, numbers: Iterable[int]) -> int:
        """Independent sources among ``numbers``: originals, each with its copies, counted once."""
        return len({self.origin[n] for n in numbers})

    def is_copy(self, n: int) -> bool:
        return self.origin[n] != n


def _root(aid: str, copy_of: dict[str, str]) -> str:
    seen = {aid}
    while aid in copy_of and copy_of[aid] not in seen:
        aid = copy_of[aid]
        seen.add(aid)
    return aid
