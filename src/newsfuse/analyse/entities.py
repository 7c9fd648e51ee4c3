"""People, organisations and places mentioned in an article, with their roles.

:func:`extract_mentions` turns spaCy's named entities into clean
:class:`~newsfuse.analyse.model.Mention` spans and moves titles stated next
to a person into ``role``: "Russian President Vladimir Putin" gives the
mention "Vladimir Putin" with role "Russian President"; "Yuri Ushakov, a
Kremlin aide," gives role "Kremlin aide"; "Mr. Biden" gives "Biden" (an
honorific is not a role). Cheap rules repair common mistakes of the small
English model: a person's name split into two entities, a known surname or a
titled name tagged as an organisation or place, a country or capital tagged
as a person, a title word ("Secretary of *State*") tagged as an organisation.

:func:`resolve_entities` (from :mod:`.aliases`) then merges the mentions of
a story's articles into one :class:`~newsfuse.analyse.model.Entity` each.

All rules are general English rules (a lexicon of titles and roles, word
shapes, parts of speech); nothing is specific to a story.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .aliases import HONORIFICS, entity_id, fold, is_place, resolve_entities
from .model import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = ["extract_mentions", "resolve_entities", "KEPT_LABELS"]

#: spaCy labels kept as mentions. PRODUCT only appears for names this module
#: relabels (a vehicle such as a ship: "the Marisol Star").
KEPT_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT"})

# Head words of a title or role: the noun a person is said to be. Singular
# only: "officials" or "leaders" before a name describe a group, not the person.
TITLE_HEADS = frozenset(
    """
    president president-elect vice-president premier minister secretary undersecretary under-secretary
    secretary-general chancellor spokesman spokeswoman spokesperson aide assistant adviser advisor counsellor
    counselor ambassador envoy emissary diplomat negotiator senator congressman congresswoman lawmaker
    legislator mp mep deputy governor mayor king queen prince princess emperor empress pope patriarch cardinal
    archbishop bishop rabbi imam cleric ayatollah sheikh emir sultan general admiral colonel commander
    commandant captain lieutenant sergeant marshal officer official chief head director chairman chairwoman
    chairperson chair ceo cfo coo cto executive founder co-founder owner manager coach leader counterpart
    correspondent reporter journalist editor columnist analyst expert researcher scholar professor economist
    strategist historian scientist lawyer attorney prosecutor judge justice magistrate sheriff inspector
    commissioner ombudsman regulator speaker whip candidate nominee challenger incumbent activist dissident
    campaigner representative delegate rapporteur consul attache tsar czar dictator rector dean superintendent
    administrator coordinator businessman businesswoman billionaire tycoon oligarch entrepreneur investor
    banker author writer novelist actor actress singer player striker goalkeeper skipper pilot doctor surgeon
    physician nurse engineer spokesperson premier taoiseach monarch ruler boss negotiator mediator adjutant
    constable detective trooper agent firefighter corporal ranger warden patrolman policeman policewoman
    """.split()
)

# Words that modify a title ("Deputy Foreign Minister", "senior adviser").
TITLE_MODIFIERS = frozenset(
    """
    deputy vice prime first second senior junior chief acting interim former ex then incoming outgoing
    foreign defense defence finance interior home justice press general executive managing presidential
    national security state federal regional local top lead principal special permanent assistant associate
    political military economic policy communications commanding supreme royal crown grand high
    """.split()
)

# Government portfolios: a single such word tagged as an organisation right
# next to a title ("Secretary of State", "Defense Secretary") belongs to the
# title, not to the list of organisations.
PORTFOLIOS = frozenset(
    """
    state defense defence foreign affairs interior treasury justice finance health education energy transport
    home labour labor agriculture commerce trade economy environment culture homeland security war navy army
    interior communications information
    """.split()
)

# Time zones that the small model tags as organisations.
TIME_ZONES = frozenset("GMT UTC CET CEST EET EEST WET BST EST EDT CST CDT MST MDT PST PDT MSK IST JST".split())

# Words of organisation names: a span with one of them is not a person's name
# even when a title precedes it ("chief executive" + "Voltra Mobility Group").
ORG_WORDS = frozenset(
    """
    lines airlines airways board bank group company co corp corporation inc ltd llc plc agency council
    committee ministry department office institute university college school hospital guard party union
    association foundation fund court army navy force forces police service services news times post press
    television radio network house center centre club league federation organization organisation commission
    parliament congress senate assembly government administration authority bureau church society trust
    partners holdings industries motors systems technologies media mobility island bay port street
    """.split()
)

# Last words of street and building names the model sometimes tags as people
# ("Sheikh Zayed Road").
PLACE_WORDS = frozenset(
    "road street avenue boulevard highway motorway lane drive square bridge airport station stadium arena tower".split()
)

_NUMERIC_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_STOP_POS = frozenset({"VERB", "AUX", "ADV", "DET", "PRON", "CCONJ", "SCONJ", "NUM", "INTJ", "SYM", "X"})
_APPOSITIVE_ADP = frozenset({"of", "for", "at", "with", "to", "in", "from", "on"})
_CLOSERS = frozenset({",", ")", ";", ":", "—", "–", "."})
_QUOTES = "\"'“”‘’«»„‚‹›"
_TRAIL = ".,;:!?" + _QUOTES + ")]}-–—"
_LEAD = _QUOTES + "([{-–—"
_HYPHENS = frozenset({"-", "‐", "‑"})


@dataclass(slots=True)
class _Span:
    """A candidate mention over tokens ``[start, end)`` of a Doc."""

    start: int
    end: int
    label: str
    honorific: bool = False  # "Mr." etc. right before it
    article: bool = False  # "the" stripped from its front
    role: str | None = None
    tentative: bool = False  # an untagged name, kept only if a title stands next to it


def _span_text(doc: Doc, start: int, end: int) -> str:
    """Text of tokens ``[start, end)`` (cheaper than building a spaCy Span)."""
    return "".join(doc[i].text_with_ws for i in range(start, end)).rstrip()


def _word(tok: Token) -> str:
    """The lower-cased token without a final abbreviation dot."""
    return tok.lower_.rstrip(".")


def _is_head(tok: Token) -> bool:
    return _word(tok) in TITLE_HEADS


def _is_title_word(tok: Token) -> bool:
    w = _word(tok)
    return w in TITLE_HEADS or w in TITLE_MODIFIERS


def _is_honorific(tok: Token) -> bool:
    return _word(tok) in HONORIFICS and tok.text[:1].isupper()


def _is_cap(tok: Token) -> bool:
    return tok.text[:1].isupper()


def _is_possessive(tok: Token) -> bool:
    return tok.tag_ == "POS" or tok.lower_ in ("'s", "’s")


def _looks_like_name(doc: Doc, span: _Span) -> bool:
    """Whether a span has the shape of a personal name: one to four
    capitalised alphabetic words (initials allowed), none of them a word of
    organisation names, not an acronym and not a known place."""
    if not 1 <= span.end - span.start <= 4:
        return False
    for t in (doc[i] for i in range(span.start, span.end)):
        w = t.text.replace("-", "").replace("'", "").replace("’", "").rstrip(".")
        if not (w.isalpha() and t.text[:1].isupper()) or t.lower_ in ORG_WORDS:
            return False
        if len(w) > 1 and w.isupper():
            return False
    return not is_place(_span_text(doc, span.start, span.end))


# ---------------------------------------------------------------------------
# Candidate spans
# ---------------------------------------------------------------------------


def _initial_spans(doc: Doc) -> list[_Span]:
    return [_Span(e.start, e.end, e.label_) for e in doc.ents if e.label_ in KEPT_LABELS]


def _trim(doc: Doc, span: _Span) -> _Span | None:
    """Strip a leading article, honorific or title and a trailing possessive
    or punctuation; None when nothing of a name is left."""
    s, e = span.start, span.end
    while s < e and (doc[s].is_punct or doc[s].is_space):
        s += 1
    while e > s and (doc[e - 1].is_punct or doc[e - 1].is_space or _is_possessive(doc[e - 1])):
        e -= 1
    while s < e - 1 and doc[s].lower_ == "the":
        # "The Hague" keeps its article (a capital "The" inside a sentence
        # before one word); "the White House" and "The United States" do not.
        if doc[s].text == "The" and not doc[s].is_sent_start and span.label == "GPE" and e - s == 2:
            break
        s += 1
        span.article = True
    # A name does not run across a line break (a headline and the first line).
    cut = next((i for i in range(s, e) if "\n" in doc[i].text or "\n" in doc[i].whitespace_), None)
    if cut is not None:
        e = cut + (0 if doc[cut].is_space else 1)
    if span.label == "PERSON":
        while e - s > 1 and (_is_honorific(doc[s]) or _is_title_word(doc[s])):
            span.honorific |= _is_honorific(doc[s])
            s += 1
    if s >= e:
        return None
    span.start, span.end = s, e
    return span


def _merge_fragments(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """Join a person's name split in two ("Yury"/ORG + "Ushakov"/PERSON)."""
    out: list[_Span] = []
    for sp in spans:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.end == sp.start
            and doc[prev.end - 1].whitespace_ == " "
            and "PERSON" in (prev.label, sp.label)
            and _fragment(doc, prev if sp.label == "PERSON" else sp)
        ):
            prev.end, prev.label = sp.end, "PERSON"
            continue
        out.append(sp)
    return out


def _extend_institutions(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """Join "Organization for Security and Cooperation" + "in" + "Europe":
    an organisation name built with "for"/"of"/"and" that the model cut
    before "in <region>"."""
    out: list[_Span] = []
    i = 0
    while i < len(spans):
        sp = spans[i]
        nxt = spans[i + 1] if i + 1 < len(spans) else None
        if (
            nxt is not None
            and sp.label == "ORG"
            and nxt.label == "LOC"
            and nxt.start == sp.end + 1
            and doc[sp.end].lower_ == "in"
            and any(t.lower_ in ("for", "of", "and") for t in doc[sp.start : sp.end])
        ):
            sp.end = nxt.end
            i += 1
        out.append(sp)
        i += 1
    return out


def _fragment(doc: Doc, span: _Span) -> bool:
    """A one-word capitalised span that can be part of a person's name."""
    if span.end - span.start != 1 or span.label in ("NORP", "GPE"):
        return False
    tok = doc[span.start]
    return tok.text.isalpha() and tok.text[:1].isupper() and not tok.text.isupper() and not _is_title_word(tok)


def _junk(doc: Doc, span: _Span) -> bool:
    """Spans that are not names: no capital letter, a time zone, or a
    portfolio word inside a title ("Secretary of State")."""
    text = _span_text(doc, span.start, span.end)
    if not any(c.isupper() for c in text) or text in TIME_ZONES or len(text) < 2:
        return True
    if span.label == "PERSON" or any(w not in PORTFOLIOS for w in fold(text).split()):
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    of_title = before is not None and before.lower_ == "of" and span.start > 1 and _is_head(doc[span.start - 2])
    return of_title or (after is not None and _is_head(after))


def _owners(doc: Doc, spans: list[_Span]) -> list[_Span | None]:
    owner: list[_Span | None] = [None] * len(doc)
    for sp in spans:
        for i in range(sp.start, sp.end):
            owner[i] = sp
    return owner


def _fix_labels(doc: Doc, spans: list[_Span]) -> None:
    """Relabel with cheap, safe evidence: an honorific makes a person; a known
    surname of the article makes a person; a whole country or city name
    tagged as a person or organisation is a place."""
    surnames = {doc[sp.end - 1].text for sp in spans if sp.label == "PERSON" and sp.end - sp.start >= 2}
    for sp in spans:
        text = _span_text(doc, sp.start, sp.end)
        if sp.end - sp.start >= 2 and doc[sp.end - 1].lower_ in PLACE_WORDS:
            sp.label = "FAC" if sp.label == "PERSON" else sp.label
        elif sp.start > 0 and _is_honorific(doc[sp.start - 1]):
            sp.honorific, sp.label = True, "PERSON"
        elif sp.label != "PERSON" and doc[sp.end - 1].text in surnames and _looks_like_name(doc, sp):
            sp.label = "PERSON"
        elif sp.label in ("PERSON", "ORG", "FAC") and not sp.honorific and is_place(text):
            if not (sp.label == "PERSON" and text in surnames):
                sp.label = "GPE"
        elif sp.label in ("PERSON", "ORG", "FAC", "PRODUCT") and not sp.honorific and _said_a_place(doc, sp):
            sp.label = "GPE"
    # "the villages Kavouhi and Zinabieh": the names joined to a place are places too
    places = {t.i for sp in spans if sp.label == "GPE" for t in doc[sp.start:sp.end]}
    for sp in spans:
        root = doc[sp.start:sp.end].root
        if sp.label in ("PERSON", "ORG", "FAC") and not sp.honorific and root.dep_ == "conj" and root.head.i in places:
            sp.label = "GPE"


# Nouns that say a name is a settlement or an area: "the port city of Bandar Abbas", "Dargahan, a
# small town on the island".
SETTLEMENTS = frozenset(
    "city cities town towns village villages hamlet hamlets port island islands province provinces region regions "
    "district districts county counties state states municipality capital suburb neighbourhood neighborhood area "
    "borough township commune prefecture oblast".split()
)


def _said_a_place(doc: Doc, sp: _Span) -> bool:
    """Whether the text says a name is a place: "the city of X", "X, a small town ..."."""
    if sp.start >= 2 and doc[sp.start - 1].lower_ == "of" and doc[sp.start - 2].lower_ in SETTLEMENTS:
        return True  # "the port city of Bandar Abbas"
    before = doc[sp.start - 1] if sp.start else None
    if before is not None and before.lower_ in SETTLEMENTS and before.pos_ == "NOUN" and before.dep_ != "compound" \
            and doc[sp.start:sp.end].root.dep_ == "appos":
        return True  # "the villages Kavouhi and Zinabieh"
    if sp.end < len(doc) and doc[sp.end].lower_ in SETTLEMENTS and doc[sp.end - 1].dep_ == "compound":
        return True  # "the Dargehan area"
    k = sp.end
    if k + 1 < len(doc) and doc[k].text == "," and doc[k + 1].lower_ in ("a", "an", "the"):
        k += 2
        while k < len(doc) and k < sp.end + 6 and doc[k].pos_ in ("ADJ", "ADV") and doc[k].lower_ not in SETTLEMENTS:
            k += 1
        return k < len(doc) and doc[k].lower_ in SETTLEMENTS and doc[k].pos_ == "NOUN" and doc[k].dep_ != "compound"
    return False


def _add_missed(doc: Doc, spans: list[_Span]) -> list[_Span]:
    """Add person mentions the model missed: a known surname of the article,
    or a capitalised word after an honorific ("Mr. Reyland"); and, as
    tentative, runs of two or three untagged proper nouns ("Ilse Marten, a
    commander ...") that :func:`_assign_roles` keeps only when a title
    stands next to them."""
    surnames = {doc[sp.end - 1].text for sp in spans if sp.label == "PERSON" and sp.end - sp.start >= 2}
    owner = _owners(doc, spans)
    added: list[_Span] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if owner[i] is not None or not tok.text[:1].isupper() or not _name_word(tok):
            i += 1
            continue
        after_honorific = i > 0 and _is_honorific(doc[i - 1])
        run = i
        while run < len(doc) and run - i < 4 and _untagged_proper_noun(doc[run], owner[run]):
            run += 1
        # Not the modifier of a title ("Maritime Affairs Minister") nor an institution.
        plain = not any(t.lower_ in ORG_WORDS or t.lower_ in PORTFOLIOS for t in doc[i:run])
        if 2 <= run - i <= 3 and not after_honorific and plain and not (run < len(doc) and _is_head(doc[run])):
            added.append(_Span(i, run, "PERSON", tentative=True))
            i = run
            continue
        # A sentence-initial capital says nothing; a known surname there still
        # needs the tagger to call it a proper noun.
        if after_honorific or (tok.text in surnames and (not tok.is_sent_start or tok.pos_ == "PROPN")):
            added.append(_Span(i, i + 1, "PERSON", honorific=after_honorific))
        i += 1
    return sorted(spans + added, key=lambda sp: sp.start)


def _untagged_proper_noun(tok: Token, owner: _Span | None) -> bool:
    return owner is None and not tok.ent_type_ and tok.pos_ == "PROPN" and _name_word(tok)


def _name_word(tok: Token) -> bool:
    """A capitalised alphabetic word that is not a title."""
    return tok.is_alpha and tok.text[:1].isupper() and not tok.text.isupper() and not _is_title_word(tok)


# ---------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------


def _title_head_before(doc: Doc, start: int, owner: list[_Span | None]) -> int | None:
    """Index of the title head ending right before ``start``: "Minister |X"
    or, for "Secretary of State |X", the head before "of"."""
    j = start - 1
    if j < 0 or doc[j].is_punct:
        return None
    if _is_head(doc[j]):
        return j
    k = j
    while k >= 0 and k > start - 5:
        tok = doc[k]
        if tok.lower_ == "of":
            # At least one word between "of" and the name: "Secretary of State |X".
            return k - 1 if 0 < k < j and _is_head(doc[k - 1]) else None
        ok_owner = owner[k] is None or owner[k].label != "PERSON"
        if not ok_owner or not (_is_cap(tok) or (tok.lower_ == "the" and k > 0 and doc[k - 1].lower_ == "of")):
            return None
        k -= 1
    return None


def _extend_left(doc: Doc, head: int, owner: list[_Span | None], limit: int = 10) -> int:
    """Leftmost token of the modifiers of a title head ("White House press |secretary")."""
    left, caps_seen = head, _is_cap(doc[head])
    p = head - 1
    while p >= 0 and head - p < limit and not doc[left].is_sent_start:
        tok, own = doc[p], owner[p]
        if tok.text in _HYPHENS and not tok.whitespace_ and p > 0 and not doc[p - 1].whitespace_:
            left, p = p, p - 1
            continue
        if _is_possessive(tok) and p > 0:
            poss = owner[p - 1]
            if poss is not None:
                return poss.start
            return p - 1 if doc[p - 1].pos_ in ("NOUN", "PROPN") else left
        if _is_honorific(tok) or (own is not None and own.label == "PERSON") or tok.ent_type_ in _NUMERIC_ENTS:
            break
        if _is_title_word(tok):
            caps_seen |= _is_cap(tok)
        elif (own is not None and own.label != "PERSON") or (_is_cap(tok) and tok.pos_ in ("PROPN", "ADJ", "NOUN")):
            caps_seen = True
        elif tok.is_lower and tok.pos_ in ("NOUN", "ADJ", "PROPN") and not caps_seen:
            pass  # "coast guard commander", "foreign policy adviser"
        else:
            break
        left, p = p, p - 1
    return left


def _text_of(doc: Doc, start: int, end: int) -> str:
    """The words of tokens ``[start, end)`` with whitespace normalised."""
    return " ".join(_span_text(doc, start, end).split())


def _role_before(doc: Doc, sp: _Span, owner: list[_Span | None]) -> str | None:
    """'US Secretary of State |Antony Blinken' -> 'US Secretary of State'."""
    head = _title_head_before(doc, sp.start, owner)
    if head is None:
        return None
    left = _extend_left(doc, head, owner)
    return _text_of(doc, left, sp.start) or None


def _phrase_is_title(toks: list[Token]) -> bool:
    """A noun phrase whose head is a title: "the Kremlin's assistant",
    "a commander with the coast guard", "head of American diplomacy"."""
    words = [t for t in toks if t.pos_ != "DET"]
    if not words:
        return False
    cut = next((i for i, t in enumerate(words) if t.lower_ in _APPOSITIVE_ADP and i > 0), len(words))
    return _is_head(words[cut - 1]) if cut > 0 else False


def _np_allowed(tok: Token, owner: _Span | None, prev: Token | None) -> bool:
    """Whether a token can be part of an appositive noun phrase."""
    if owner is not None:
        return owner.label != "PERSON"
    if tok.text in _HYPHENS or _is_possessive(tok) or tok.lower_ in _APPOSITIVE_ADP:
        return True
    if tok.pos_ == "DET":  # "a commander with the coast guard": an article after a preposition
        return prev is not None and prev.lower_ in _APPOSITIVE_ADP
    return tok.pos_ in ("NOUN", "PROPN", "ADJ", "PART")


def _role_after(doc: Doc, sp: _Span, owner: list[_Span | None]) -> str | None:
    """'Yuri Ushakov, |a Kremlin aide|, said' -> 'Kremlin aide'."""
    i = sp.end
    if i >= len(doc) - 1 or doc[i].text != ",":
        return None
    j = i + 1
    if doc[j].pos_ == "DET" or doc[j].tag_ == "PRP$":
        j += 1
    k = j
    while k < len(doc) and k - j < 12 and doc[k].text not in _CLOSERS and _np_allowed(doc[k], owner[k], doc[k - 1]):
        if doc[k].is_sent_start and k > i + 1:
            break
        k += 1
    closed = k >= len(doc) or doc[k].text in _CLOSERS or doc[k].is_sent_start
    if k == j or not closed or not _phrase_is_title(list(doc[j:k])):
        return None
    return _text_of(doc, j, k)


def _role_appositive_before(doc: Doc, sp: _Span, owner: list[_Span | None]) -> str | None:
    """'the Ukrainian President|, Volodymyr Zelensky,' -> 'Ukrainian President'.

    The name must be set off on both sides (a comma or the sentence end after
    it), so "After meeting the minister, Smith said" gives no role."""
    c = sp.start - 1
    if c < 1 or doc[c].text != "," or (sp.end < len(doc) and doc[sp.end].text not in _CLOSERS):
        return None
    k = c - 1
    while k >= 0 and c - k <= 10:
        tok = doc[k]
        if tok.pos_ == "DET" or tok.tag_ == "PRP$":
            # An article starts the phrase, unless "of" links it to a head
            # before it: "the head of the delegation".
            if not (k > 1 and doc[k - 1].lower_ == "of"):
                break
        elif not _np_allowed(tok, owner[k], None):
            break
        if _is_possessive(tok) and k > 0:
            # "Putin's foreign policy adviser": the possessor, even a person, ends the phrase.
            k = owner[k - 1].start - 1 if owner[k - 1] is not None else k - 2
            break
        if doc[k].is_sent_start:
            k -= 1
            break
        k -= 1
    first = k + 1
    while first < c and (doc[first].lower_ in _APPOSITIVE_ADP or doc[first].text in _HYPHENS or doc[first].pos_ == "DET"):
        first += 1
    if first >= c or not _phrase_is_title(list(doc[first:c])):
        return None
    return _text_of(doc, first, c)


# Trailing dots are kept: a role phrase never takes the sentence's full stop,
# so a final dot belongs to an abbreviation ("ambassador to the U.S.").
_ROLE_JUNK = re.compile(r"^(?:\W+\s*)+(?:s\s+)?|[^\w.]+$")


def _clean_role(role: str | None) -> str | None:
    """Drop punctuation at either end, and the "s" of a possessive that the
    tokenizer split off ("Lohan ’ s attorney" -> "attorney")."""
    if role is None:
        return None
    return _ROLE_JUNK.sub("", role) or None


def _assign_roles(doc: Doc, spans: list[_Span]) -> None:
    # Tentative names do not stop a title phrase: they may be part of it.
    owner = _owners(doc, [sp for sp in spans if not sp.tentative])
    for sp in spans:
        candidate = sp.label == "PERSON" or (sp.label in ("ORG", "GPE", "FAC", "NORP", "LOC") and _looks_like_name(doc, sp))
        # "Mr. Biden": an honorific, not a role, stands before the name.
        if not candidate or (sp.start > 0 and _is_honorific(doc[sp.start - 1])):
            continue
        role = _role_before(doc, sp, owner) or _role_appositive_before(doc, sp, owner) or _role_after(doc, sp, owner)
        role = _clean_role(role)
        if role is None:
            continue
        sp.tentative = False
        if sp.label != "PERSON":
            # A title next to it is evidence of a person, but only for a
            # multi-word name (a lone word could be a company).
            if sp.end - sp.start < 2:
                continue
            sp.label = "PERSON"
        sp.role = role


def _vehicle_names(doc: Doc, spans: list[_Span]) -> None:
    """"the Marisol Star ran aground": a person's name does not take an
    article; unless it modifies a noun ("the Biden administration") or is a
    plural family name ("the Kennedys"), such a 'person' is a vehicle or
    vessel, which OntoNotes labels PRODUCT."""
    for sp in spans:
        if sp.label != "PERSON" or not sp.article or doc[sp.end - 1].lower_.endswith("s"):
            continue
        nxt = doc[sp.end] if sp.end < len(doc) else None
        if nxt is None or nxt.pos_ not in ("NOUN", "PROPN"):
            sp.label = "PRODUCT"


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def _to_mention(doc: Doc, text: str, sp: _Span) -> Mention | None:
    start = doc[sp.start].idx
    last = doc[sp.end - 1]
    end = last.idx + len(last.text)
    while start < end and text[start] in _LEAD:
        start += 1
    while end > start and text[end - 1] in _TRAIL:
        # Keep the dot of an abbreviation ("U.S.", "Jr.").
        if text[end - 1] == "." and _abbreviation(text[start:end]):
            break
        end -= 1
    if text[max(start, end - 2) : end] in ("'s", "’s") and end - start > 2:
        end -= 2
    if end - start < 2:
        return None
    surface = text[start:end]
    return Mention(start, end, surface, sp.label, entity_id(surface, sp.label), sp.role)


def _abbreviation(s: str) -> bool:
    last = s.rsplit(None, 1)[-1]
    return last.count(".") >= 2 or (len(last) <= 4 and last[:1].isupper() and last.endswith("."))


def extract_mentions(text: str, doc: Doc | None = None) -> list[Mention]:
    """People, organisations and places mentioned in ``text``.

    Parameters
    ----------
    text : str
        The article's cleaned text.
    doc : spacy.tokens.Doc, optional
        Its spaCy parse (``newsfuse.analyse.nlp.parse(text)``); parsed here
        when None. Its token offsets must index ``text``.

    Returns
    -------
    list of Mention
        In text order, without overlaps; ``text[m.start:m.end] == m.text``.
        Spans carry no leading article, honorific or title, no possessive
        and no trailing punctuation. ``role`` holds the title or role stated
        next to a person, as the source words it. ``entity`` is the
        mention's own key until :func:`resolve_entities` sets the story's.

    Examples
    --------
    >>> [(m.text, m.role) for m in extract_mentions("Russian President Vladimir Putin spoke.")
    ...  if m.label == "PERSON"]
    [('Vladimir Putin', 'Russian President')]
    """
    if doc is None:
        from .nlp import parse

        doc = parse(text)
    spans = [sp for sp in (_trim(doc, s) for s in _initial_spans(doc)) if sp is not None]
    spans = _extend_institutions(doc, _merge_fragments(doc, spans))
    spans = [sp for sp in spans if not _junk(doc, sp)]
    _fix_labels(doc, spans)
    spans = _add_missed(doc, spans)
    _assign_roles(doc, spans)
    spans = [sp for sp in spans if not sp.tentative]
    _vehicle_names(doc, spans)
    return _mentions(doc, text, spans)


def _mentions(doc: Doc, text: str, spans: Iterable[_Span]) -> list[Mention]:
    out: list[Mention] = []
    for sp in spans:
        m = _to_mention(doc, text, sp)
        if m is not None and (not out or m.start >= out[-1].end):
            out.append(m)
    return out
