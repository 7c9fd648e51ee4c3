"""Where sources give one person different titles.

A title is reduced to its office: the head noun with the words that change
the office ("deputy", "foreign", "transport"), without those that only say
whose office it is ("US", "Russian", "the company's"). Two titles agree when
their heads are the same office (spokeswoman = press secretary; aide =
assistant = adviser) and the words of one are a subset of the other's
("President" and "US President"). Descriptions that are not titles
("counterpart", "head of American diplomacy") are not compared. Titles one
source gives together are taken as compatible descriptions, not a conflict.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..analyse.model import Entity
from .sources import Sources

# Office heads, with the synonyms that name the same office.
_HEADS = {
    "minister": "minister", "secretary": "secretary", "undersecretary": "undersecretary",
    "under-secretary": "undersecretary", "president": "president", "vice-president": "vice president",
    "premier": "prime minister", "chancellor": "chancellor", "governor": "governor", "mayor": "mayor",
    "senator": "senator", "ambassador": "ambassador", "envoy": "envoy", "general": "general",
    "commander": "commander", "commandant": "commander", "chief": "chief", "director": "director",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "aide": "aide", "assistant": "aide", "adviser": "aide", "advisor": "aide", "counsellor": "aide",
    "executive": "executive", "ceo": "executive", "chairman": "chair", "chairwoman": "chair", "chair": "chair",
    "judge": "judge", "prosecutor": "prosecutor", "king": "king", "queen": "queen", "prince": "prince",
}
# Heads whose modifiers vary freely between sources without changing the office.
_LOOSE = {"spokesperson", "aide", "commander", "executive", "chair", "director"}
_COMPOUND = {"press secretary": "spokesperson", "prime minister": "prime minister",
             "chief executive": "executive", "secretary general": "secretary general",
             "secretary-general": "secretary general"}
# Words that say whose office it is, not which office.
_OWNER = re.compile(r"^(?:the|a|an|his|her|its|their|us|u\.s\.|american|russian|ukrainian|british|french|german|"
                    r"chinese|european|eu|un|nato|white|house|kremlin|company|presidential|state|federal|national|"
                    r"former|then|current|acting|senior|top|new)$|['’]s?$|^\w+(?:ian|ese|ish|an)$", re.I)
_KEEP = {"deputy", "vice", "under", "foreign", "defense", "defence", "interior", "finance", "transport", "health",
         "justice", "trade", "economy", "energy", "education", "affairs", "maritime", "prime", "first", "general",
         "state", "attorney", "assistant", "lieutenant", "executive", "managing"}


@dataclass(slots=True)
class RoleDifference:
    person: str
    variants: list[tuple[str, list[int]]]  # (title as a source gives it, source numbers)


def office(role: str) -> tuple[str, frozenset[str]] | None:
    """(head, modifiers) of a title, or None when ``role`` is a description, not a title.

    >>> head, words = office("Deputy Secretary of State")
    >>> head, sorted(words)
    ('secretary', ['deputy', 'state'])
    >>> office("the company's chief executive")
    ('executive', frozenset())
    >>> office("head of American diplomacy") is None
    True
    """
    text = " ".join(role.lower().replace("-", " ").replace(",", " ").split())
    if _PAST_OR_FUTURE.search(text):  # "then-Senator", "former minister": another time, no conflict
        return None
    for compound, head in _COMPOUND.items():
        if compound in text:
            return head, _modifiers(text.replace(compound, " ").split(), head)
    tokens = text.split()
    stop = next((i for i, w in enumerate(tokens) if w in _PREPOSITIONS), len(tokens))
    heads = [i for i in range(stop) if tokens[i] in _HEADS]
    if not heads:
        return None
    i = heads[-1]
    head = _HEADS[tokens[i]]
    mods = tokens[:i]
    if stop == i + 1 < len(tokens) and tokens[stop] == "of":  # "secretary of state": the office is in the of-phrase
        mods += tokens[stop + 1:]
    return head, _modifiers(mods, head)


_PAST_OR_FUTURE = re.compile(r"\b(?:former|then|ex|late|outgoing|incoming|future|designate|elect|candidate|"
                             r"previous|onetime|one time|erstwhile)\b")
_PREPOSITIONS = {"of", "with", "at", "for", "in", "to"}


def _modifiers(words: list[str], head: str) -> frozenset[str]:
    if head in _LOOSE:
        return frozenset()
    keep = {w for w in words if w != "-" and (w in _KEEP or not _OWNER.search(w))}
    return frozenset(w for w in keep if w in _KEEP)


def _styled_as_title(role: str, head: str) -> bool:
    """Whether a role is written as a title, its head capitalised ("Academy President", "Deputy
    Secretary of State"), not a description in lower case ("a Hollywood marketing executive"):
    a description says what someone does, and two descriptions are no conflict of titles. Text
    in one case throughout (all capitals, all lower) does not tell, and counts as a title."""
    words = re.findall(r"[^\W\d_][\w'’-]*", role)
    if not words or all(w.islower() for w in words) or all(w.isupper() for w in words):
        return True
    first = head.split()[0]
    return any(w[:1].isupper() for w in words if w.lower().replace("-", " ").startswith(first))


def compatible(a: tuple[str, frozenset[str]], b: tuple[str, frozenset[str]]) -> bool:
    return a[0] == b[0] and (a[1] <= b[1] or b[1] <= a[1])


def role_differences(entities: list[Entity], sources: Sources) -> list[RoleDifference]:
    """People whose titles, as independent sources give them, cannot all be one office."""
    out = []
    for e in entities:
        if e.label != "PERSON" or len(e.roles) < 2:
            continue
        classes = _classes(e, sources)
        if len(classes) > 1 and len({o for _, ns in classes for o in (sources.origin[n] for n in ns)}) > 1:
            out.append(RoleDifference(e.name, classes))
    return out


def _classes(e: Entity, sources: Sources) -> list[tuple[str, list[int]]]:
    """Titles grouped into compatible offices: (the most given wording, its sources)."""
    stated: list[tuple[int, str, tuple[str, frozenset[str]]]] = []
    for aid, roles in e.roles.items():
        if aid not in sources.number:
            continue
        for role in roles:
            o = office(role)
            if o is not None and _styled_as_title(role, o[0]):
                stated.append((sources.number[aid], role, o))
    groups: list[list[tuple[int, str, tuple[str, frozenset[str]]]]] = []
    for s in stated:
        joined = [g for g in groups if any(compatible(s[2], t[2]) or s[0] == t[0] for t in g)]
        merged = [s] + [t for g in joined for t in g]
        groups = [g for g in groups if g not in joined] + [merged]
    out = []
    for g in groups:
        wordings: dict[str, set[int]] = {}
        for n, role, _ in g:
            wordings.setdefault(role, set()).add(n)
        wording = max(wordings, key=lambda w: (len(wordings[w]), len(w)))
        out.append((wording, sorted({n for n, _, _ in g})))
    return sorted(out, key=lambda c: (-len(c[1]), c[1]))
