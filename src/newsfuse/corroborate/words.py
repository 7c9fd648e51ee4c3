"""Words as the corroboration compares them: content words, crudely stemmed.

The shared pipeline runs without a lemmatizer (it costs a third of the parse), so inflections
are joined by a crude stem: the word, lower case, without a common ending, cut to five letters
("injured", "injuring", "injury": injur). English irregular verbs are taken to their base
first ("led", "lead"; "fled", "flee"), which no ending rule can do. Collisions are rare among
the content words of one story, and rarity weights (IDF) keep a collision of common words cheap.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from collections.abc import Set as AbstractSet
from functools import lru_cache

from ..text import STOP_WORDS

_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+(?:[.,]\d+)*")
_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly|'s|’s)$")
# English irregular verbs: base, then its past and past participle forms (the grammar's, not a story's)
_IRREGULAR_FORMS = """
arise arose arisen|be was were been|bear bore borne born|beat beaten|become became|begin began begun|
bend bent|bind bound|bite bit bitten|bleed bled|blow blew blown|break broke broken|bring brought|
build built|burn burnt|burst|buy bought|catch caught|choose chose chosen|come came|cost|creep crept|
cut|deal dealt|dig dug|do did done|draw drew drawn|drink drank drunk|drive drove driven|eat ate eaten|
fall fell fallen|feed fed|feel felt|fight fought|find found|flee fled|fly flew flown|forbid forbade forbidden|
forget forgot forgotten|forgive forgave forgiven|freeze froze frozen|get got gotten|give gave given|
go went gone|grow grew grown|hang hung|have had has|hear heard|hide hid hidden|hit|hold held|hurt|
keep kept|know knew known|lay laid|lead led|leave left|lend lent|let|lie lain|light lit|lose lost|
make made|mean meant|meet met|pay paid|put|quit|read|ride rode ridden|ring rang rung|rise rose risen|
run ran|say said|see saw seen|seek sought|sell sold|send sent|set|shake shook shaken|shoot shot|
show shown|shut|sing sang sung|sink sank sunk|sit sat|sleep slept|slide slid|speak spoke spoken|
spend spent|spread|stand stood|steal stole stolen|stick stuck|sting stung|strike struck stricken|
swear swore sworn|sweep swept|swim swam swum|swing swung|take took taken|teach taught|tear tore torn|
tell told|think thought|throw threw thrown|understand understood|wake woke woken|wear wore worn|
win won|withdraw withdrew withdrawn|write wrote written
"""
_IRREGULAR = {form: forms.split()[0] for forms in _IRREGULAR_FORMS.replace("\n", "").split("|")
              for form in forms.split()[1:]}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem that joins the inflections of a word ("injured", "injuring", "injury")."""
    w = word.lower()
    w = _IRREGULAR.get(w, w)
    if w[0].isdigit():
        return re.sub(r"[.,]", "", w)
    if len(w) > 4:
        w = _SUFFIX.sub("", w)
    return w[:5]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text) if w.lower() not in STOP_WORDS and (len(w) > 2 or w[0].isdigit())]


def word_set(text: str) -> frozenset[str]:
    """The distinct words of a text, lower case (for how nearly two wordings are one)."""
    return frozenset(re.findall(r"\w+", text.lower()))


def jaccard(x: AbstractSet[Hashable], y: AbstractSet[Hashable]) -> float:
    """The share of two sets' members they have in common (0 when either is empty)."""
    return len(x & y) / len(x | y) if x and y else 0.0
