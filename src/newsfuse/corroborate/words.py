"""Words as the corroboration compares them: content words, crudely stemmed.

The shared pipeline runs without a lemmatizer (it costs a third of the parse), so inflections
are joined by a crude stem: the word, lower case, without a common ending, cut to five letters
("injured", "injuring", "injury": injur). Collisions are rare among the content words of one
story, and rarity weights (IDF) keep a collision of common words cheap.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..text import STOP_WORDS

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)*")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly|'s|’s)$")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem that joins the inflections of a word ("injured", "injuring", "injury")."""
    w = word.lower()
    if w[0].isdigit():
        return re.sub(r"[.,]", "", w)
    if len(w) > 4:
        w = _SUFFIX.sub("", w)
    return w[:5]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and (len(w) > 2 or w[0].isdigit())]
