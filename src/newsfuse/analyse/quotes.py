"""Direct quotes and reported speech, with who said them and who relayed them.

The extractor works in three steps over one article:

1. **Quotation marks** are paired per paragraph, for every convention in use:
   “…” and "…" (English), ''…'' and ``…'' (typewriter), «…» with or without
   the French inner spaces, »…«, „…“ (German), ‘…’, ‹…›. Whether a mark
   opens or closes is read from its context (a letter after an opening mark,
   a letter before a closing one), not from its shape alone, because machine
   translations mix shapes up (“…“). A mark that never closes is dropped at
   the end of its paragraph (so it cannot swallow the rest of the text),
   unless the next paragraph opens with a mark of the same kind: the
   convention for a quote that runs on over several paragraphs. Quotes
   nested in quotes are part of the outer one. Straight single quotes (')
   are not read as quotation marks: they are far more often apostrophes.
2. **Attribution** of each quoted span:

   a. *adjacent*: a reporting verb right after the closing mark or right
      before the opening mark, with nothing in between but its own subject,
      objects, adverbs and punctuation (``"…," he said``, ``"…," said
      Putin``, ``Putin told reporters: "…"``), the byline dash (``"…" ― Jane
      Roe``), a name before a colon (``Reyland: "…"``) and the translated
      German ``"…", so Reyland``;
   b. *syntactic*: the quote sits in the complement of a reporting verb
      (``Putin said sanctions would be "a colossal mistake"``, ``Putin warns
      Biden of "colossal mistake"``), or the clause holding it is attributed
      with *according to*. When (a) finds an outer verb and (b) an inner one
      (``X insisted that … "…," the Kremlin said``), the inner speaker is
      the speaker and the outer one the channel;
   c. *context*: a quote of :data:`MIN_SPEECH_WORDS` words or more with no
      attribution of its own continues the speaker of the quote before it in
      the same paragraph, or at the end of the previous paragraph when it
      opens its own (the news convention).

   A quote split by its attribution (``"…," he said, "…"``), pieces hanging
   on the same verb, and quotes that follow each other with nothing but
   punctuation between them become one :class:`~newsfuse.analyse.model.Quote`
   whose ``parts`` lists the pieces (``start``/``end`` span them all).
3. **Reported speech** (``direct=False``): a reporting verb with a clause
   (``Biden said that the United States would respond``, ``X, Graham said,
   Y``), a verb of a speech act with an object (``denied the allegations``,
   ``called for calm``), a verb whose object holds quoted fragments
   (``called the senator a "nasty guy" and "sick"``), and *according to X*
   attached to a clause. When a quoted fragment lies inside reported speech,
   both are returned: the direct quote (what the brief quotes) and the clause
   it belongs to (what it is about); a clause that only repeats one direct
   quote is left out.

The speaker is the subject of the reporting verb, as a name when the subject
is (or is in apposition to) a named entity ("Ilse Marten" for "coast guard
spokeswoman Ilse Marten"; the mention's span is ``speaker_start:speaker_end``),
otherwise as the noun phrase ("a US administration official"). ``he``/``she``
are resolved to the named person nearest before them outside quotes,
preferring grammatical subjects: the current sentence, then earlier
sentences of the same and the previous paragraph; a surname is given the
full name the article uses for it when there is only one. A relay is a
*channel*: ``Putin told Biden …, according to aide Yury Ushakov`` and ``an
aide said Putin told Biden that …`` both give speaker Putin and the aide as
channel. A belief inside someone's statement (``Clinton said she thinks …``,
``X said Y fears …``) is part of that statement, not a statement of its own.

**Scare quotes and titles.** A quoted span of fewer than
:data:`MIN_SPEECH_WORDS` words is a quote only when a reporting verb
attributes it by rule (a) or (b) (``called the talks "useful"``); otherwise
(``the so-called "reset"``) it is left out, and so is a nickname between
two parts of a name (``Marcia "Cia" Price``). A span in title case (``"The
Art of the Deal"``, ``on "Face the Nation,"``) is a title unless rule (a)
attributes it. Longer quotes that nothing attributes are left out unless
``keep_unattributed=True`` (then with ``speaker=None``).

Reporting verbs are matched by their inflected forms (the shared pipeline
runs without a lemmatizer), and only when the parser tags them as verbs
(``the call``, ``Russia's claims`` are nouns). Verbs that also name actions
(``would respond "decisively"``) attribute a quote only by rule (a).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from .model import Quote
from .nlp import import_spacy

IDX, LOWER = import_spacy().attrs.IDX, import_spacy().attrs.LOWER

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

__all__ = [
    "COGNITION_VERBS",
    "MIN_SPEECH_WORDS",
    "SPEECH_VERBS",
    "extract_quotes",
    "find_quoted_spans",
    "reporting_lemma",
]

#: Quotes shorter than this (in words) need a reporting verb to count.
MIN_SPEECH_WORDS = 4

#: Verbs of saying; they attribute direct quotes and introduce reported speech.
SPEECH_VERBS = frozenset(
    """
    say tell add warn stress insist claim state announce declare explain note argue assert suggest
    report confirm deny admit acknowledge reply respond answer ask urge describe write tweet post
    comment remark observe recall predict promise vow pledge threaten demand reiterate emphasize
    emphasise underline underscore maintain contend concede complain accuse criticize criticise
    mention testify quip joke boast shout yell whisper scream exclaim conclude agree counter retort
    protest lament caution advise recommend propose indicate reveal disclose estimate allege charge
    repeat reaffirm affirm assure inform elaborate clarify highlight cite echo chant blast slam condemn
    decry dismiss label dub term brand characterize characterise liken recount speak quote call
    continue tout praise reassure rule
    """.split()
)

#: Verbs of belief and of evidence: reported speech with a clause, never direct quotes on their own.
COGNITION_VERBS = frozenset(
    """
    believe think feel fear hope expect doubt worry suspect reckon guess wonder realize realise
    understand know show find
    """.split()
)

# Verbs whose infinitive complement is what was said ("urged Russia to de-escalate").
_XCOMP_VERBS = frozenset(
    "promise vow pledge threaten urge ask call demand warn advise recommend propose tell".split()
)
# Verbs that also name actions ("would respond decisively"): they attribute a quote only when
# they stand right next to it, never through the parse tree.
_WEAK_VERBS = frozenset("respond answer counter charge post echo rule maintain observe".split())
# Verbs that attribute a direct quote but do not introduce reported speech on their own.
_DIRECT_ONLY = frozenset("continue speak call describe label dub term brand liken praise rule".split())

_IRREGULAR = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "think": ("thought",),
    "feel": ("felt",),
    "know": ("knew", "known"),
    "find": ("found",),
    "speak": ("spoke", "spoken"),
    "show": ("shown",),
    "understand": ("understood",),
    "rule": ("ruled",),
    "forecast": ("forecast",),
}


def _inflections(lemma: str) -> set[str]:
    """Regular English verb forms of ``lemma`` (a superset: extra forms are harmless keys)."""
    forms = {lemma}
    if re.search(r"(s|x|z|ch|sh|o)$", lemma):
        forms.add(lemma + "es")
    elif re.search(r"[^aeiou]y$", lemma):
        forms.add(lemma[:-1] + "ies")
    else:
        forms.add(lemma + "s")
    if lemma.endswith("e"):
        forms |= {lemma + "d", lemma[:-1] + "ing"}
    elif re.search(r"[^aeiou]y$", lemma):
        forms |= {lemma[:-1] + "ied", lemma + "ing"}
    else:
        forms |= {lemma + "ed", lemma + "ing"}
        if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):  # admit -> admitted, quip -> quipping
            forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms.update(_IRREGULAR.get(lemma, ()))
    return forms


_VERB_FORMS: dict[str, str] = {
    form: lemma for lemma in sorted(SPEECH_VERBS | COGNITION_VERBS) for form in _inflections(lemma)
}


def reporting_lemma(token: Token) -> str | None:
    """The lemma of ``token`` when it is a reporting verb (tagged as a verb), else None.

    Parameters
    ----------
    token : spacy.tokens.Token
        A token of a parsed article.

    Returns
    -------
    str or None
        ``"say"`` for *said*, *says*, *saying*; None for nouns ("the call") and other words.
    """
    lemma = _VERB_FORMS.get(token.lower_)
    if lemma is None or not (token.pos_ == "VERB" or token.tag_.startswith("VB")):
        return None
    if token.i > 0 and token.nbor(-1).tag_ in ("POS", "PRP$", "DT"):
        return None  # "Russia's claims", "the call": a noun the tagger took for a verb
    return lemma


# --------------------------------------------------------------------------- quotation marks

_FAMILIES = (
    '"\u201c\u201d\u201e\u201f\u301d\u301e\uff02',  # double: " “ ” „ ‟ and CJK forms
    "\u00ab\u00bb",  # « »
    "\u2039\u203a",  # ‹ ›
    "\u2018\u2019\u201a\u201b",  # ‘ ’ ‚ ‛
)
# Typewriter doubles: ''…'' and ``…'' (two characters make one double mark).
_FAMILY_RE = [
    re.compile("''|``|[" + re.escape(_FAMILIES[0]) + "]"),
    *(re.compile("[" + re.escape(f) + "]") for f in _FAMILIES[1:]),
]
_NEVER_CLOSE = frozenset({"\u201e", "\u201a", "``"})  # „ ‚ `` open only
_NEVER_OPEN = frozenset({"\u2019"})  # ’ is also the apostrophe: it closes, never opens
_SPACED = frozenset("\u00ab\u00bb\u2039\u203a")  # marks that may carry inner spaces (French)
_INNER_SPACE = frozenset(" \u00a0\u202f\u2009")
_NO_START = frozenset(",.;:!?)]}")
_ANY_MARK = re.compile("''|``|[" + re.escape("".join(_FAMILIES)) + "]")
_PARAGRAPH_RE = re.compile(r"[^\n]+")


@dataclass(slots=True)
class _Marked:
    """One pair of quotation marks: mark positions and the content between them."""

    open: int  # index of the opening mark
    close: int  # index of the closing mark; the paragraph end for a run-on quote
    start: int  # content
    end: int
    after: int  # first index after the closing mark


def _can_open(text: str, mark: str, i: int, j: int, lo: int, hi: int) -> bool:
    """Whether the mark ``text[i:j]`` can open a quote (a word follows, none precedes)."""
    if mark in _NEVER_OPEN:
        return False
    if mark in _SPACED and j < hi and text[j] in _INNER_SPACE:
        j += 1
    if j >= hi or text[j].isspace() or text[j] in _NO_START:
        return False
    return i == lo or not text[i - 1].isalnum()


def _can_close(text: str, mark: str, i: int, j: int, lo: int, hi: int) -> bool:
    """Whether the mark ``text[i:j]`` can close a quote (a word precedes, none follows)."""
    if mark in _NEVER_CLOSE:
        return False
    k = i - 1
    if mark in _SPACED and k >= lo and text[k] in _INNER_SPACE:
        k -= 1
    if k < lo or text[k].isspace():
        return False
    return j >= hi or not text[j].isalnum()


def _pair_family(text: str, lo: int, hi: int, pattern: re.Pattern[str], run_on: bool) -> list[tuple[int, int, int]]:
    """Pair the marks of one family inside one paragraph ``text[lo:hi]``.

    Returns ``(open, close, after)`` triples. A mark closes the open quote
    when its context allows; a mark that looks like an opener while a quote
    is open starts a new quote when a later mark can close it (the earlier
    opener was never closed), and otherwise closes the open quote (a
    translation put a space on the wrong side).
    """
    marks = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text, lo, hi)]
    closable = [_can_close(text, g, i, j, lo, hi) for i, j, g in marks]
    pairs: list[tuple[int, int, int]] = []
    open_at: int | None = None
    for n, (i, j, g) in enumerate(marks):
        if open_at is None:
            if _can_open(text, g, i, j, lo, hi):
                open_at = n
            continue
        if closable[n]:
            pairs.append((marks[open_at][0], i, j))
            open_at = None
            continue
        later = any(closable[n + 1 :])
        if later and _can_open(text, g, i, j, lo, hi):
            open_at = n
        elif not later and g not in _NEVER_CLOSE:
            pairs.append((marks[open_at][0], i, j))
            open_at = None
    if open_at is not None and run_on:
        pairs.append((marks[open_at][0], hi, hi))
    return pairs


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _quoted(text: str) -> list[_Marked]:
    """Every outermost quoted span of ``text``, in order."""
    if not _ANY_MARK.search(text):
        return []
    paragraphs = [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text)]
    found: list[_Marked] = []
    for n, (lo, hi) in enumerate(paragraphs):
        hi = lo + len(text[lo:hi].rstrip())
        nxt = text[paragraphs[n + 1][0] : paragraphs[n + 1][1]].lstrip() if n + 1 < len(paragraphs) else ""
        for pattern in _FAMILY_RE:
            head = pattern.match(nxt)
            run_on = head is not None and head.group() not in _NEVER_OPEN
            for o, c, after in _pair_family(text, lo, hi, pattern, run_on):
                width = pattern.match(text, o).end() - o
                s, e = _trimmed(text, o + width, c)
                if e > s:
                    found.append(_Marked(o, c, s, e, after))
    found.sort(key=lambda m: (m.open, -m.close))
    outer: list[_Marked] = []
    for m in found:
        if not outer or m.open >= outer[-1].after:  # drop quotes nested in (or crossing) another
            outer.append(m)
    return outer


def find_quoted_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the text inside quotation marks (marks excluded), outermost only.

    Parameters
    ----------
    text : str
        Any text.

    Returns
    -------
    list of (int, int)
        ``(start, end)`` character offsets of each quoted content, in order.

    Examples
    --------
    >>> t = 'He said « oui » and „ja“, then "no.'
    >>> [t[s:e] for s, e in find_quoted_spans(t)]
    ['oui', 'ja']
    """
    return [(m.start, m.end) for m in _quoted(text)]


# --------------------------------------------------------------------------- attribution

_WORD_RE = re.compile(r"\w+")
_SMALL_WORDS = frozenset("a an and as at but by for from in into of on or over the to up with vs".split())
_PERSON_PRONOUNS = frozenset({"he", "she"})
_EXPLETIVES = frozenset({"it", "there"})
_NAMED = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})
_NP_SKIP = frozenset({"relcl", "acl", "advcl", "appos", "punct", "parataxis", "ccomp", "dep"})
_INHERIT_SUBJECT = frozenset({"conj", "advcl", "xcomp", "relcl", "acl"})


@dataclass(slots=True)
class _Attribution:
    speaker: str | None
    speaker_span: tuple[int, int] | None
    cue: str | None
    cue_span: tuple[int, int] | None
    cue_token: int | None = None  # index of the cue token (verb or "according")
    channel: str | None = None
    how: str = ""  # adjacent, syntax, context


@dataclass(slots=True)
class _Candidate:
    """A direct quote being built: its pieces and its attribution."""

    parts: list[_Marked]
    attribution: _Attribution | None = None
    words: int = 0
    title_like: bool = False


@dataclass(slots=True)
class _Article:
    """The text, its parse and the lookups the attribution rules share."""

    text: str
    doc: Doc
    starts: list[int] = field(default_factory=list)
    in_quote: list[bool] = field(default_factory=list)
    para: list[int] = field(default_factory=list)  # paragraph index of each token
    ent_of: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    para_starts: list[int] = field(default_factory=list)
    para_ends: list[int] = field(default_factory=list)
    full_names: dict[str, str] = field(default_factory=dict)
    quoted: list[_Marked] = field(default_factory=list)
    cue_candidates: list[int] = field(default_factory=list)  # tokens spelled like a reporting verb


_CUE_HASHES: dict[int, np.ndarray] = {}


def _cue_hashes(doc: Doc) -> np.ndarray:
    """String ids of every reporting-verb form and of "according", for a vectorised scan."""
    strings = doc.vocab.strings
    if id(strings) not in _CUE_HASHES:
        _CUE_HASHES[id(strings)] = np.array([strings.add(w) for w in (*_VERB_FORMS, "according")], dtype=np.uint64)
    return _CUE_HASHES[id(strings)]


def _prepare(text: str, doc: Doc, quoted: list[_Marked]) -> _Article:
    """Token offsets, paragraphs, entities and quote membership, computed once per article."""
    art = _Article(text, doc, quoted=quoted)
    cols = doc.to_array([IDX, LOWER]) if len(doc) else np.zeros((0, 2), dtype=np.uint64)
    art.starts = cols[:, 0].astype(np.int64).tolist()
    art.cue_candidates = np.flatnonzero(np.isin(cols[:, 1], _cue_hashes(doc))).tolist()
    art.in_quote = [False] * len(doc)
    for m in quoted:
        # the marks themselves count as inside: they are never speakers or cues
        for i in range(_tok_at_or_after(art, m.open), _tok_at_or_after(art, m.after)):
            art.in_quote[i] = True
    ents = doc.ents
    for ent in ents:
        for i in range(ent.start, ent.end):
            art.ent_of[i] = (ent.start, ent.end, ent.label_)
    bounds = [(m.start(), m.end()) for m in _PARAGRAPH_RE.finditer(text)] or [(0, len(text))]
    art.para_starts = [s for s, _ in bounds]
    art.para_ends = [e for _, e in bounds]
    para = np.searchsorted(np.asarray(art.para_starts), np.asarray(art.starts, dtype=np.int64), side="right") - 1
    art.para = np.maximum(para, 0).tolist()
    art.full_names = _full_names(ents)
    return art


def _full_names(ents: tuple) -> dict[str, str]:
    """Surname -> full name, when the article names exactly one person with that surname."""
    seen: dict[str, set[str]] = {}
    for ent in ents:
        if ent.label_ == "PERSON" and len(ent) >= 2:
            seen.setdefault(ent[-1].text, set()).add(ent.text)
    return {last: next(iter(names)) for last, names in seen.items() if len(names) == 1}


def _tok_at_or_after(art: _Article, char: int) -> int:
    return bisect_left(art.starts, char)


def _tokens_in(art: _Article, start: int, end: int) -> range:
    return range(bisect_left(art.starts, start), bisect_left(art.starts, end))


def _para_of(art: _Article, char: int) -> int:
    return max(0, bisect_right(art.para_starts, char) - 1)


def _span_of(doc: Doc, first: int, last: int) -> tuple[int, int]:
    """Character span from token ``first`` to token ``last`` (inclusive)."""
    return doc[first].idx, doc[last].idx + len(doc[last])


# ---- speakers


def _subject(tok: Token, lemma: str | None, depth: int = 0) -> Token | None:
    """The token naming who speaks through reporting verb ``tok``."""
    passive = False
    for c in tok.children:
        if c.dep_ == "nsubj" and c.lower_ != "there":
            if c.tag_ in ("WDT", "WP") and tok.dep_ == "relcl":
                return tok.head  # "a letter that says", "Ushakov, who said"
            return c  # an active "it said" is a company or a body, not an expletive
        if c.dep_ == "nsubjpass":
            passive = True
            if lemma in ("quote", "cite") and c.lower_ not in _EXPLETIVES:
                return c  # "Putin was quoted as saying"
    if passive:
        for c in tok.children:
            if c.dep_ == "agent":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return g
        return None
    if depth < 3 and tok.dep_ in _INHERIT_SUBJECT and tok.head.i != tok.i:
        if tok.dep_ in ("relcl", "acl"):
            if tok.dep_ == "relcl" and tok.head.pos_ in ("PROPN", "NOUN"):
                return tok.head  # "Ushakov, who said ..."
            if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.pos_ in ("PROPN", "NOUN"):
                return tok.head  # "a statement saying ..."
            return None
        return _subject(tok.head, reporting_lemma(tok.head), depth + 1)
    return None


def _np_range(head: Token) -> tuple[int, int]:
    """First and last token of the noun phrase headed by ``head``, clauses and appositions left out."""
    lo = hi = head.i
    for c in head.children:
        if c.dep_ in _NP_SKIP:
            continue
        lo = min(lo, c.left_edge.i)
        hi = max(hi, c.right_edge.i)
    doc = head.doc
    while lo < hi and (doc[lo].is_punct or doc[lo].is_space):
        lo += 1
    while hi > lo and (doc[hi].is_punct or doc[hi].is_space):
        hi -= 1
    return lo, hi


def _ent_text(art: _Article, i: int) -> str | None:
    hit = art.ent_of.get(i)
    if hit is None or hit[2] not in _NAMED:
        return None
    s, e, label = hit
    name = art.doc[s:e].text
    if label == "PERSON" and e - s == 1:
        name = art.full_names.get(name, name)
    return name


def _speaker(art: _Article, head: Token) -> tuple[str | None, tuple[int, int]]:
    """The speaker's name (as resolved) and the span of the mention."""
    if head.lower_ in _PERSON_PRONOUNS:
        span = _span_of(art.doc, head.i, head.i)
        return _resolve_pronoun(art, head) or head.text, span
    lo, hi = _np_range(head)
    name = _ent_text(art, head.i)
    if name is None:
        for c in head.children:
            if c.dep_ == "appos" and c.i > head.i:
                name = _ent_text(art, c.i)
                if name is not None:
                    _, hi = _np_range(c)
                    hi = max(hi, c.i)
                    break
    span = _span_of(art.doc, lo, hi)
    return name or art.text[span[0] : span[1]], span


def _resolve_pronoun(art: _Article, pron: Token) -> str | None:
    """The named person nearest before ``pron`` (outside quotes), preferring subjects."""
    doc = art.doc
    here = _para_of(art, pron.idx)
    limit = art.para_starts[max(0, here - 1)]
    sent = pron.sent
    window_end = pron.i
    while True:
        found = _persons_in(art, sent.start, window_end)
        if found:
            subjects = [p for p in found if _is_subject(doc[p[1] - 1])]
            s, e = subjects[-1] if subjects else found[0]
            name = doc[s:e].text
            return art.full_names.get(name, name) if e - s == 1 else name
        if sent.start == 0 or doc[sent.start].idx < limit:
            return None
        sent = doc[sent.start - 1].sent
        window_end = sent.end


def _persons_in(art: _Article, lo: int, hi: int) -> list[tuple[int, int]]:
    """Named people in tokens ``lo..hi-1`` outside quotes, as token ranges.

    People the entity recogniser found, and proper-noun subjects it missed
    ("Ilse Marten praised the crew"), unless they are tagged as a place or a body.
    """
    doc = art.doc
    out: list[tuple[int, int]] = []
    i = lo
    while i < hi:
        hit = art.ent_of.get(i)
        if hit and hit[2] == "PERSON" and not art.in_quote[i] and hit[1] <= hi:
            out.append((hit[0], hit[1]))
            i = hit[1]
            continue
        t = doc[i]
        if hit is None and t.tag_ == "NNP" and t.dep_ in ("nsubj", "nsubjpass") and not art.in_quote[i]:
            first = i
            while first > lo and doc[first - 1].tag_ == "NNP" and doc[first - 1].dep_ == "compound":
                first -= 1
            if not any(k in art.ent_of for k in range(first, i)):
                out.append((first, i + 1))
        i += 1
    return out


def _is_subject(tok: Token) -> bool:
    """Whether ``tok`` (the last token of a name) heads or names a grammatical subject."""
    for _ in range(3):
        if tok.dep_ in ("nsubj", "nsubjpass"):
            return True
        if tok.dep_ not in ("compound", "appos", "flat"):
            return False
        tok = tok.head
    return False


# ---- cues


def _cue_span(tok: Token) -> tuple[int, int]:
    """The cue verb with its particle ("pointed out") or the phrase "according to"."""
    last = tok.i
    for c in tok.children:
        if c.dep_ == "prt" and c.i == last + 1:
            last = c.i
    if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
        last = tok.i + 1
    return _span_of(tok.doc, tok.i, last)


def _according_object(tok: Token) -> Token | None:
    """X of "according to X" when ``tok`` is "according"."""
    if tok.lower_ != "according":
        return None
    for c in tok.children:
        if c.lower_ == "to":
            for g in c.children:
                if g.dep_ == "pobj":
                    return g
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for g in nxt.children:
            if g.dep_ == "pobj":
                return g
    return None


def _attribution_from(art: _Article, cue: Token, how: str) -> _Attribution | None:
    """Speaker, cue and channel of reporting verb (or "according") ``cue``."""
    if cue.lower_ == "according":
        who = _according_object(cue)
    else:
        who = _subject(cue, reporting_lemma(cue))
    if who is None or art.in_quote[who.i] or art.para[who.i] != art.para[cue.i]:
        return None
    name, span = _speaker(art, who)
    cs, ce = _cue_span(cue)
    att = _Attribution(name, span, art.text[cs:ce], (cs, ce), cue.i, how=how)
    att.channel = _channel(art, cue, name)
    return att


def _channel(art: _Article, cue: Token, speaker: str | None) -> str | None:
    """Who relayed what ``speaker`` said: "according to", "quoted by", or an outer reporting verb.

    Only the cue itself and the reporting verbs whose complement holds it are
    looked at: an "according to" on a coordinated clause is not a relay.
    """
    if cue.lower_ == "according":
        return None
    node = cue
    for _ in range(6):
        for c in node.children:
            who = None
            if c.lower_ == "according" and c.i != cue.i:
                who = _according_object(c)
            elif c.dep_ == "acl" and c.lower_ in ("quoted", "cited"):
                who = next((g for a in c.children if a.dep_ == "agent" for g in a.children if g.dep_ == "pobj"), None)
            if who is not None and not art.in_quote[who.i]:
                return _differs(_relay_name(art, who), speaker)
        if node.dep_ not in ("ccomp", "parataxis", "xcomp") or node.head.i == node.i:
            return None
        parent = node.head
        lemma = reporting_lemma(parent)
        if lemma in SPEECH_VERBS:
            outer = _subject(parent, lemma)
            if outer is not None and not art.in_quote[outer.i]:
                return _differs(_relay_name(art, outer), speaker)
        node = parent
    return None


def _relay_name(art: _Article, tok: Token) -> str | None:
    """The name of a relay: a person or body named in the phrase ("a statement issued by Jen Psaki")."""
    name, _ = _speaker(art, tok)
    if _ent_text(art, tok.i) is not None or tok.lower_ in _PERSON_PRONOUNS:
        return name
    for c in tok.children:  # a document and who issued it; not "a Kremlin assistant" -> "Kremlin"
        if c.dep_ not in ("acl", "prep", "relcl"):
            continue
        for t in c.subtree:
            hit = art.ent_of.get(t.i)
            if hit is not None and hit[2] in ("PERSON", "ORG") and not art.in_quote[t.i]:
                return _ent_text(art, t.i)
    return name


def _differs(channel: str | None, speaker: str | None) -> str | None:
    if channel is None or speaker is None:
        return channel
    return None if channel.lower() == speaker.lower() else channel


# ---- attributing one quoted span

# Dependents of a reporting verb that may stand between it and its quote ("told reporters
# in a conference call on Thursday"); clauses (ccomp, advcl, conj) may not.
_ATTRIBUTION_DEPS = frozenset(
    {"advmod", "npadvmod", "dative", "dobj", "prep", "aux", "auxpass", "neg", "prt", "punct", "agent", "nsubj", "nsubjpass"}
)


def _attribution_tokens(art: _Article, att: _Attribution) -> set[int]:
    """Tokens that belong to the attribution itself: speaker, cue and the cue's modifiers."""
    toks: set[int] = set()
    for span in (att.speaker_span, att.cue_span):
        if span is not None:
            toks.update(_tokens_in(art, span[0], span[1]))
    if att.cue_token is not None:
        cue = art.doc[att.cue_token]
        toks.add(cue.i)
        for c in cue.children:
            if c.dep_ in _ATTRIBUTION_DEPS:
                toks.update(t.i for t in c.subtree)
    return toks


def _only_attribution(art: _Article, att: _Attribution, lo: int, hi: int) -> bool:
    """Whether tokens ``lo..hi-1`` are punctuation or part of the attribution ``att``."""
    own = _attribution_tokens(art, att)
    doc = art.doc
    return all(k in own or doc[k].is_punct or doc[k].is_space for k in range(lo, hi))


def _adjacent_after(art: _Article, m: _Marked) -> _Attribution | None:
    """``"…," he said`` / ``"…," said Putin`` / ``"…" ― Jane Roe`` / ``"…", so Reyland``."""
    doc, text = art.doc, art.text
    tail = text[m.after : m.after + 40]
    dash = re.match(r"[ \u00a0]*([\u2015\u2014\u2013]|--?)[ \u00a0]*(?=[A-Z])", tail)
    so = re.match(r"[ \u00a0]*,[ \u00a0]*(so)[ \u00a0]+(?=[A-Z])", tail)
    hit = dash or so
    if hit is not None:
        att = _name_after(art, _tok_at_or_after(art, m.after + hit.end()))
        if att is not None:
            cs = m.after + hit.start(1)
            att.cue, att.cue_span = hit.group(1), (cs, cs + len(hit.group(1)))
            return att
    after = tail.lstrip(" \u00a0")
    if after.startswith(".") or (text[m.end - 1] == "." and not after[:1].islower()):
        return None  # the sentence ended with the quote
    lo = _tok_at_or_after(art, m.after)
    for j in range(lo, min(len(doc), lo + 16)):
        t = doc[j]
        if art.in_quote[j] or "\n" in t.text or (t.text in ".!?;" and j > lo):
            return None
        if reporting_lemma(t) is None:
            continue
        if any(c.dep_ in ("ccomp", "xcomp") and c.i > j for c in t.children):
            return None  # "…," adding that …: the verb introduces what follows
        att = _attribution_from(art, t, "adjacent")
        if att is not None and _only_attribution(art, att, lo, j):
            return att
        return _surface_after(art, lo, j)
    return None


# Words a speaker's noun phrase is made of when read off the surface ("Tulsa police Chief
# Chuck Jordan", "the company's chief executive"); a verb ends it.
_NP_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "PRON", "NUM", "PART", "PUNCT", "CCONJ", "SPACE"})


def _surface_after(art: _Article, lo: int, cue: int) -> _Attribution | None:
    """``"…," <noun phrase> said`` or ``"…," said <noun phrase>`` read off the words.

    The small parser often attaches an attribution after a quote to the
    quote's own verb (``said`` as a conjunct of it), which hides the subject;
    the word order of the attribution is regular enough to read directly.
    """
    doc = art.doc
    if cue > lo:
        first, last = lo, cue - 1
    else:
        first = last = cue + 1
        while last < len(doc) and _np_word(art, doc[last]) and doc[last].text not in ",;:.!?" and last - first < 10:
            last += 1
        last -= 1
    while first <= last and (doc[first].is_punct or doc[first].is_space):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space):
        last -= 1
    if last < first or last - first > 12:
        return None
    if not all(_np_word(art, doc[k]) for k in range(first, last + 1)):
        return None
    span = _span_of(doc, first, last)
    name = _np_name(art, first, last)
    if name is None:
        return None
    cs, ce = _cue_span(doc[cue])
    att = _Attribution(name, span, art.text[cs:ce], (cs, ce), cue, how="adjacent")
    return att


def _np_word(art: _Article, tok: Token) -> bool:
    if art.in_quote[tok.i] or "\n" in tok.text:
        return False
    return tok.pos_ in _NP_POS or tok.i in art.ent_of or tok.lower_ == "of"


def _np_name(art: _Article, first: int, last: int) -> str | None:
    """The name a surface noun phrase stands for: its last person, else organisation, else itself."""
    doc = art.doc
    if first == last and doc[first].lower_ in _PERSON_PRONOUNS:
        return _resolve_pronoun(art, doc[first]) or doc[first].text
    if first == last and doc[first].pos_ == "PRON" and doc[first].lower_ not in ("they", "we", "i", "it", "you"):
        return None
    for label in ("PERSON", "ORG"):
        for k in range(last, first - 1, -1):
            hit = art.ent_of.get(k)
            if hit is not None and hit[2] == label and hit[0] >= first:
                return _ent_text(art, k)
    s, e = _span_of(doc, first, last)
    return art.text[s:e]


def _name_after(art: _Article, i: int) -> _Attribution | None:
    """A byline name starting at token ``i`` (a PERSON/ORG entity or a run of proper nouns)."""
    doc = art.doc
    if i >= len(doc):
        return None
    hit = art.ent_of.get(i)
    if hit is not None and hit[0] == i and hit[2] in ("PERSON", "ORG"):
        last = hit[1] - 1
    else:
        last = i - 1
        while last + 1 < len(doc) and doc[last + 1].pos_ == "PROPN" and last - i < 4:
            last += 1
        if last < i:
            return None
    end = doc[last].idx + len(doc[last])
    after = art.text[end : end + 3]
    if after and not re.match(r"[\s.,;!?)]", after):
        return None
    s = doc[i].idx
    return _Attribution(art.text[s:end], (s, end), None, None, how="adjacent")


def _adjacent_before(art: _Article, m: _Marked) -> _Attribution | None:
    """``Putin told reporters: "…"``, ``He said, "…"`` and ``Reyland: "…"``."""
    doc = art.doc
    first = _tok_at_or_after(art, m.open) - 1
    while first >= 0 and doc[first].is_space and "\n" not in doc[first].text:
        first -= 1
    if first < 0 or "\n" in doc[first].text:
        return None
    if doc[first].text not in (":", ",", "\u2014", "\u2013") and reporting_lemma(doc[first]) in (None, *_WEAK_VERBS):
        return None  # "would respond "resolutely"": an action, not speech
    para = art.para[first]
    for j in range(first, max(-1, first - 25), -1):
        t = doc[j]
        if art.in_quote[j] or art.para[j] != para or t.text in ".!?;":
            break
        if reporting_lemma(t) is not None:
            att = _attribution_from(art, t, "adjacent")
            if att is not None and _only_attribution(art, att, j + 1, first + 1):
                return att
            return None
    if doc[first].text == ":":
        return _colon_speaker(art, first)
    return None


def _colon_speaker(art: _Article, colon: int) -> _Attribution | None:
    """``Reyland: "…"``: a named entity alone before a colon at the start of a sentence."""
    doc = art.doc
    hit = art.ent_of.get(colon - 1)
    if hit is None or hit[2] not in ("PERSON", "ORG"):
        return None
    s = hit[0]
    if s > doc[s].sent.start and not (doc[s - 1].is_punct or "\n" in doc[s - 1].text):
        return None
    name = _ent_text(art, colon - 1)
    span = _span_of(doc, hit[0], hit[1] - 1)
    cs = doc[colon].idx
    return _Attribution(name, span, ":", (cs, cs + 1), colon, how="adjacent")


# Edges that do not lead from a verb to what it reports: its subject, an adverbial or
# coordinated clause ("While Putin was "satisfied", an official said ...").
_NOT_CONTENT = frozenset({"nsubj", "nsubjpass", "csubj", "advcl", "conj"})


def _syntactic(art: _Article, m: _Marked) -> _Attribution | None:
    """The reporting verb (or "according to") whose complement holds the quote."""
    doc = art.doc
    inside = _tokens_in(art, m.start, m.end)
    if not inside:
        return None
    roots = [
        doc[k] for k in inside
        if not (doc[k].is_punct or doc[k].is_space) and (doc[k].head.i == k or not (m.start <= doc[k].head.idx < m.end))
    ]
    best: tuple[int, Token] | None = None
    for r in roots:
        node, hops, para = r, 0, art.para[r.i]
        while node.head.i != node.i and hops < 8:
            child, node = node, node.head
            hops += 1
            if art.para[node.i] != para:
                severed = _severed(art, child)
                if severed is not None:
                    best = _closer(best, hops, severed)
                break
            if art.in_quote[node.i]:
                continue
            lemma = reporting_lemma(node)
            for c in node.children:  # "X, according to Y" and a trailing ", Y said" on the way up
                if c.i == child.i or art.in_quote[c.i]:
                    continue
                if c.lower_ == "according" and lemma is None:
                    best = _closer(best, hops, c)
                elif c.dep_ == "parataxis" and reporting_lemma(c) not in (None, *_WEAK_VERBS):
                    best = _closer(best, hops + 1, c)
            if lemma is not None:
                if child.dep_ in _NOT_CONTENT:
                    break
                if lemma in _WEAK_VERBS:
                    continue
                best = _closer(best, hops, node)
                break
    if best is None:
        return None
    return _attribution_from(art, best[1], "syntax")


def _severed(art: _Article, top: Token) -> Token | None:
    """A reporting verb right after clause ``top`` when the parse tied the clause to another paragraph.

    The shared parse sometimes runs a sentence across a paragraph break (a
    subhead without a full stop above it); the clause then hangs from a word
    of the other paragraph, and ``", Putin told Biden"`` after it is left
    unattached. Take it when only its own words stand in between.
    """
    doc = art.doc
    lo = top.right_edge.i + 1
    for j in range(lo, min(len(doc), lo + 16)):
        t = doc[j]
        if art.para[j] != art.para[top.i] or art.in_quote[j] or (t.text in ".!?;" and j > lo):
            return None
        if reporting_lemma(t) in (None, *_WEAK_VERBS):
            continue
        att = _attribution_from(art, t, "syntax")
        return t if att is not None and _only_attribution(art, att, lo, j) else None
    return None


def _closer(best: tuple[int, Token] | None, hops: int, tok: Token) -> tuple[int, Token]:
    return (hops, tok) if best is None or hops < best[0] else best


def _attribute(art: _Article, m: _Marked) -> _Attribution | None:
    """Adjacent attribution first; the syntactic one when it is nested inside it (a relay)."""
    adj = _adjacent_after(art, m) or _adjacent_before(art, m)
    syn = _syntactic(art, m)
    if adj is None or syn is None:
        return adj or syn
    if adj.cue_token is not None and syn.cue_token is not None and syn.cue_token != adj.cue_token:
        outer, inner = art.doc[adj.cue_token], art.doc[syn.cue_token]
        above = {t.i for t in inner.ancestors}
        if outer.i in above or (outer.dep_ == "parataxis" and outer.head.i in above | {inner.i}):
            # "X insisted that ... "a colossal mistake," the Kremlin said": X, via the Kremlin
            syn.channel = syn.channel or _differs(adj.speaker, syn.speaker)
            return syn
    return adj


# ---- building quotes


def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _title_like(content: str) -> bool:
    """Title case: "The Art of the Deal", "Face the Nation," (a comma or full stop may follow a short title)."""
    words = content.split()
    if len(words) < 2 or content[-1] in "!?;:…" or (content[-1] in ".," and len(words) > 6):
        return False
    return all(w[0].isupper() or not w[0].isalpha() or w.lower() in _SMALL_WORDS for w in words)


def _direct_candidates(art: _Article, quoted: list[_Marked]) -> list[_Candidate]:
    cands = []
    for m in quoted:
        if _nickname(art, m):
            continue
        content = art.text[m.start : m.end]
        c = _Candidate([m], _attribute(art, m), _word_count(content), _title_like(content))
        cands.append(c)
    return cands


def _nickname(art: _Article, m: _Marked) -> bool:
    """``Marcia "Cia" Price``: one or two words quoted between two parts of a name."""
    if _word_count(art.text[m.start : m.end]) > 2:
        return False
    before = _tok_at_or_after(art, m.open) - 1
    after = _tok_at_or_after(art, m.after)
    doc = art.doc
    return (
        0 <= before
        and after < len(doc)
        and doc[before].is_alpha
        and doc[before].is_title
        and doc[after].is_alpha
        and doc[after].is_title
        and art.text[m.after : m.after + 1] == " "
    )


def _gap_is_attribution(art: _Article, a: _Candidate, b: _Candidate) -> bool:
    """Whether ``a`` and ``b`` are pieces of one quote split by its attribution.

    True when only punctuation separates them, when both hang on the same
    reporting verb (``"…," Tester said, referring to X, "…"``), or when the
    words between them are ``a``'s attribution and ``b`` has none of its own
    (``"…," he said, but "…"``).
    """
    lo, hi = a.parts[-1].after, b.parts[0].open
    gap = art.text[lo:hi]
    if "\n" in gap or lo > hi:
        return False
    if not any(ch.isalnum() for ch in gap):
        return True
    att, own = a.attribution, b.attribution
    if att is None or att.cue_span is None or not (lo <= att.cue_span[0] < hi) or len(gap) > 160:
        return False
    if own is not None and own.cue_token == att.cue_token:
        return True
    if own is not None and own.how != "context":
        return False
    doc = art.doc
    toks = _tokens_in(art, lo, hi)
    own_words = _attribution_tokens(art, att)
    return all(k in own_words or doc[k].is_punct or doc[k].is_space or doc[k].pos_ == "CCONJ" for k in toks)


def _merge_and_continue(art: _Article, cands: list[_Candidate]) -> list[_Candidate]:
    """Join split quotes; give unattributed full-sentence quotes the previous speaker."""
    out: list[_Candidate] = []
    for c in cands:
        prev = out[-1] if out else None
        if prev is not None and _para_of(art, prev.parts[-1].open) == _para_of(art, c.parts[0].open):
            if _gap_is_attribution(art, prev, c):
                prev.parts.extend(c.parts)
                prev.words += c.words
                if prev.attribution is None:
                    prev.attribution = c.attribution
                continue
        if c.attribution is None and c.words >= MIN_SPEECH_WORDS and not c.title_like:
            c.attribution = _continued(art, out, c)
        out.append(c)
    return out


def _continued(art: _Article, earlier: list[_Candidate], c: _Candidate) -> _Attribution | None:
    """The speaker of the quote just before ``c``, when ``c`` continues it."""
    if not earlier or earlier[-1].attribution is None or earlier[-1].attribution.speaker is None:
        return None
    prev = earlier[-1]
    if prev.words < MIN_SPEECH_WORDS:
        return None  # a quoted phrase is not a statement that goes on
    here, there = _para_of(art, c.parts[0].open), _para_of(art, prev.parts[-1].open)
    if here == there:
        gap = _tokens_in(art, prev.parts[-1].after, c.parts[0].open)
    elif here == there + 1:
        para_start = art.para_starts[here]
        if art.text[para_start : c.parts[0].open].strip():
            return None  # the quote does not open its paragraph
        gap = _tokens_in(art, prev.parts[-1].after, para_start)
    else:
        return None
    doc = art.doc
    for k in gap:  # someone else named or speaking in between breaks the chain
        if art.ent_of.get(k, (0, 0, ""))[2] == "PERSON" or reporting_lemma(doc[k]) is not None:
            if prev.attribution.cue_token is None or abs(k - prev.attribution.cue_token) > 6:
                return None
    src = prev.attribution
    return _Attribution(src.speaker, None, None, None, None, src.channel, how="context")


def _keep(c: _Candidate, keep_unattributed: bool) -> bool:
    """The scare-quote and title rule (see the module docstring)."""
    att = c.attribution
    if c.title_like:
        return att is not None and att.how == "adjacent"
    if att is not None and att.how in ("adjacent", "syntax"):
        return True
    if c.words < MIN_SPEECH_WORDS:
        return False
    return att is not None or keep_unattributed


def _to_quote(art: _Article, c: _Candidate) -> Quote:
    att = c.attribution or _Attribution(None, None, None, None)
    return _quote(art.text, att, [(p.start, p.end) for p in c.parts], direct=True)


# ---- reported speech


def _content_child(tok: Token, lemma: str) -> Token | None:
    for c in tok.children:
        if c.dep_ == "ccomp":
            return c
    if lemma in _XCOMP_VERBS:
        for c in tok.children:
            if c.dep_ == "xcomp" and c.i > tok.i:
                return c
    return None


def _clause_span(art: _Article, first: int, last: int, skip: set[int]) -> tuple[int, int] | None:
    """Character span of tokens ``first..last`` minus leading/trailing punctuation and ``skip``."""
    doc = art.doc
    while first <= last and (doc[first].is_punct or doc[first].is_space or first in skip):
        first += 1
    while last >= first and (doc[last].is_punct or doc[last].is_space or last in skip):
        last -= 1
    if last - first < 1:
        return None
    start, end = _span_of(doc, first, last)
    for m in art.quoted:  # keep the closing mark of a quote the clause opens
        if start <= m.open < end < m.after <= end + 3:
            end = m.after
    return start, end


# Dependents of a reporting verb that carry what it reports when there is no clause:
# "called [the senator] [a "nasty guy"]", "blasted [the media] [for being "dishonest"]".
_OBJECT_DEPS = frozenset({"dobj", "oprd", "prep", "attr", "acomp", "ccomp", "xcomp", "dative"})


# Verbs of speech acts whose object is what was said when there is no clause:
# "denied the allegations", "criticized the plan as ...", "called for a ceasefire". Verbs
# whose object is the addressee ("warned Biden", "urged Moscow") are not among them, and
# "call" counts only with "for" or "on" ("called Putin" is a phone call).
_OBJECT_VERBS = frozenset(
    """
    criticize criticise deny reject question praise blast slam condemn decry announce propose demand
    cite mention acknowledge recommend promise pledge vow call
    """.split()
)


def _object_span(art: _Article, cue: Token, fragments: list[Quote] | None) -> tuple[int, int] | None:
    """The object complex of ``cue``: up to the last quoted fragment it holds, or its direct object."""
    kids = [c for c in cue.children if c.i > cue.i and c.dep_ in _OBJECT_DEPS]
    if not kids:
        return None
    if fragments is None:  # no quote: the direct object (with "as ..." / "for ..." after it)
        if cue.lower_.startswith("call"):
            phrasal = [c for c in kids if c.dep_ == "prep" and c.lower_ in ("for", "on") and c.i == cue.i + 1]
            kids = phrasal + [c for c in kids if phrasal and c.dep_ in ("xcomp", "ccomp")]
        elif not any(c.dep_ == "dobj" for c in kids) and not (kids[0].dep_ == "prep" and kids[0].lower_ in ("for", "on", "against", "of")):
            return None
        if not kids:
            return None
        holders = [
            c for c in kids
            if c.dep_ in ("dobj", "oprd", "xcomp", "ccomp") or (c.dep_ == "prep" and c.lower_ in ("as", "for", "on", "against", "of"))
        ]
    else:
        holders = [
            c for c in kids
            if any(c.left_edge.idx <= q.start and q.end <= _span_of(art.doc, c.i, c.right_edge.i)[1] for q in fragments)
        ]
    if not holders:
        return None
    first = kids[0]
    if first.dep_ == "dative" or (cue.lower_ in _VERB_FORMS and _VERB_FORMS[cue.lower_] == "tell" and first.dep_ == "dobj" and len(kids) > 1):
        first = kids[1]  # "told [reporters] ...": the addressee is not what was said
    return _clause_span(art, first.left_edge.i, holders[-1].right_edge.i, set())


def _content_range(head: Token) -> tuple[int, int]:
    """Token range of the clause headed by ``head``, without a trailing ", <verb>-ing ..." comment.

    ``he would consider it a "personal insult", implicitly putting his name on
    the line``: the participle after the comma is the writer's gloss, not what
    was said.
    """
    lo, hi = head.left_edge.i, head.right_edge.i
    doc = head.doc
    for c in head.children:
        if (
            c.dep_ == "advcl"
            and c.tag_ == "VBG"
            and c.left_edge.i > head.i
            and c.right_edge.i == hi
            and doc[c.left_edge.i - 1].text == ","
        ):
            hi = c.left_edge.i - 2
    return lo, hi


def _around(art: _Article, head: Token, hole: Token) -> list[tuple[int, int]]:
    """The clause of ``head`` minus the subtree of ``hole`` (a parenthetical attribution), as pieces."""
    lo, hi = _content_range(head)
    pieces = []
    for first, last in ((lo, hole.left_edge.i - 1), (hole.right_edge.i + 1, hi)):
        if last >= first:
            span = _clause_span(art, first, last, set())
            if span is not None:
                pieces.append(span)
    return pieces


def _clip(art: _Article, cue: Token, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Content pieces cut to the cue's paragraph (the parse may run across a paragraph break)."""
    p = art.para[cue.i]
    lo, hi = art.para_starts[p], art.para_ends[p]
    out = []
    for s, e in parts:
        s, e = _trimmed(art.text, max(s, lo), min(e, hi))
        if e - s >= 2:
            out.append((s, e))
    return out


def _indirect(
    art: _Article, cue: Token, fragments: list[Quote] | None = None
) -> tuple[_Attribution, list[tuple[int, int]], Token | None] | None:
    """An indirect quote of reporting verb or "according" ``cue``: attribution, content pieces, content head."""
    parts: list[tuple[int, int]] = []
    if cue.lower_ == "according":
        head = cue.head
        if head.dep_ == "pobj" or head.i == cue.i or reporting_lemma(head) is not None:
            return None
        if _according_object(cue) is None:
            return None
        parts = _around(art, head, cue)
        content_head = head
    else:
        lemma = reporting_lemma(cue)
        if lemma is None:
            return None
        content_head = _content_child(cue, lemma) if lemma not in _DIRECT_ONLY else None
        if content_head is not None:
            span = _clause_span(art, *_content_range(content_head), set())
            parts = [span] if span else []
        elif fragments:
            span = _object_span(art, cue, fragments)
            parts = [span] if span else []
        elif lemma in _OBJECT_VERBS and (span := _object_span(art, cue, None)) is not None:
            parts = [span]  # "criticized the Affordable Care Act as a crazy system"
        elif cue.dep_ == "parataxis" and not art.in_quote[cue.head.i] and cue.head.pos_ in ("VERB", "AUX"):
            content_head = cue.head  # "X, Graham said, Y" and "X, he says."
            parts = _around(art, cue.head, cue)
        else:
            return None
    parts = _clip(art, cue, parts)
    if not parts:
        return None
    att = _attribution_from(art, cue, "syntax")
    if att is None or att.speaker_span is None:
        return None
    if any(s <= att.speaker_span[0] < e for s, e in parts):
        return None
    return att, parts, content_head


def _alnum_in(text: str, spans: list[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e) if text[i].isalnum()}


def _reported(art: _Article, directs: list[Quote], direct_cues: dict[int, list[Quote]]) -> list[Quote]:
    """Indirect quotes, one per reporting verb outside quotes, relays folded into channels.

    A reporting verb inside another's reported clause is either the same
    speaker going on ("Clinton said she thinks ...": one statement, the outer
    one), someone else's belief ("X said Y fears ...": part of X's statement),
    or a relay ("a Kremlin aide said Putin told Biden that ..."): then the
    inner statement stands, with the outer speaker as its channel, and the
    outer one goes when the inner clause is most of it.
    """
    doc, text = art.doc, art.text
    found: list[tuple[_Attribution, tuple[int, int], list[tuple[int, int]]]] = []
    for i in art.cue_candidates:
        if art.in_quote[i]:
            continue
        t = doc[i]
        hit = _indirect(art, t, direct_cues.get(t.i))
        if hit is not None:
            att, parts, _ = hit
            found.append((att, (parts[0][0], parts[-1][1]), parts))
    dropped: set[int] = set()
    for n, (att, _span, _parts) in enumerate(found):
        outer = _outer(art, found, n)
        if outer is None:
            continue
        o_att, o_span, _ = found[outer]
        cue = doc[att.cue_token]
        if _same_speaker(att, o_att) or reporting_lemma(cue) not in SPEECH_VERBS:
            dropped.add(n)
            continue
        att.channel = att.channel or o_att.speaker
        inner_chars = _alnum_in(text, [_span_of(doc, cue.left_edge.i, cue.right_edge.i)])
        outer_chars = _alnum_in(text, [o_span])
        if outer_chars and len(inner_chars & outer_chars) >= 0.6 * len(outer_chars):
            dropped.add(outer)
    out: list[Quote] = []
    for n, (att, span, parts) in enumerate(found):
        if n in dropped:
            continue
        if _covered_by_direct(text, parts, direct_cues.get(att.cue_token, []) + _directs_in(directs, span)):
            continue
        out.append(_indirect_quote(text, att, parts))
    return out


def _outer(art: _Article, found: list[tuple[_Attribution, tuple[int, int], list[tuple[int, int]]]], n: int) -> int | None:
    """The attribution whose reported clause holds the cue of attribution ``n`` (the innermost)."""
    at = art.doc[found[n][0].cue_token].idx
    best: int | None = None
    for k, (_, span, _parts) in enumerate(found):
        if k != n and span[0] <= at < span[1] and (best is None or span[1] - span[0] < found[best][1][1] - found[best][1][0]):
            best = k
    return best


def _same_speaker(a: _Attribution, b: _Attribution) -> bool:
    """Same name, or the same last word ("Fowler" and "Don Fowler")."""
    if not a.speaker or not b.speaker:
        return False
    x, y = a.speaker.lower().split(), b.speaker.lower().split()
    return x == y or (bool(x) and bool(y) and x[-1] == y[-1])


def _directs_in(directs: list[Quote], span: tuple[int, int]) -> list[Quote]:
    return [q for q in directs if span[0] <= q.start and q.end <= span[1]]


def _covered_by_direct(text: str, parts: list[tuple[int, int]], quotes: list[Quote]) -> bool:
    """Whether one direct quote makes up (nearly) all of the reported clause ``span``.

    Then the clause would only repeat the quote (``He said "we will win."``). A
    quoted fragment inside a longer clause (``said there remains a "significant
    difference"``) leaves the clause standing: it is the statement the fragment
    belongs to, and says what the fragment is about.
    """
    chars = _alnum_in(text, parts)
    if not chars:
        return False
    for q in quotes:
        quoted = _alnum_in(text, q.parts or [(q.start, q.end)])
        if len(chars & quoted) >= 0.9 * len(chars):
            return True
    return False


def _indirect_quote(text: str, att: _Attribution, parts: list[tuple[int, int]]) -> Quote:
    return _quote(text, att, parts, direct=False)


def _quote(text: str, att: _Attribution, parts: list[tuple[int, int]], *, direct: bool) -> Quote:
    """A Quote spanning ``parts`` (a split quote keeps them; one part needs no list)."""
    sp = att.speaker_span or (None, None)
    cs = att.cue_span or (None, None)
    start, end = parts[0][0], parts[-1][1]
    return Quote(
        start=start,
        end=end,
        text=text[start:end],
        speaker=att.speaker,
        cue=att.cue,
        direct=direct,
        speaker_start=sp[0],
        speaker_end=sp[1],
        cue_start=cs[0],
        cue_end=cs[1],
        channel=att.channel,
        parts=parts if len(parts) > 1 else [],
    )


# --------------------------------------------------------------------------- public API


def extract_quotes(
    text: str, doc: Doc | None = None, *, language: str = "en", keep_unattributed: bool = False
) -> list[Quote]:
    """Direct quotes and reported speech of one article, with speakers and channels.

    Parameters
    ----------
    text : str
        The article's cleaned text.
    doc : spacy.tokens.Doc, optional
        The shared parse of ``text`` (:func:`newsfuse.analyse.nlp.parse`); parsed here when None.
    language : str, default "en"
        The article's language. Attribution rules are English; for other languages only
        quotation marks are read (long quotes, ``speaker=None``) and the text is not parsed.
    keep_unattributed : bool, default False
        Also return direct quotes of :data:`MIN_SPEECH_WORDS` words or more that nothing
        attributes (``speaker=None``). Off by default: a quote without a speaker is
        rarely useful in a brief, and such quotes are mostly attributed in a way the
        rules miss, so they would count as wrong attributions.

    Returns
    -------
    list of Quote
        In text order. Direct quotes have ``direct=True``, ``start``/``end`` spanning the
        content without the marks (the whole stretch, attribution included, for a split
        quote, whose pieces are in ``parts``). Indirect quotes (``direct=False``) span the
        reported clause. ``text[q.start:q.end] == q.text`` always.

    Examples
    --------
    >>> t = '"The talks were useful," Ushakov said. "We are satisfied."'
    >>> [(q.speaker, q.parts) for q in extract_quotes(t)]  # doctest: +SKIP
    [('Ushakov', [(1, 23), (40, 57)])]
    """
    quoted = _quoted(text)
    if not (language or "en").lower().startswith("en"):
        return [_bare(text, m) for m in quoted if _bare_keep(text, m)]
    if doc is None:
        from .nlp import parse

        doc = parse(text)
    elif doc.text != text:
        raise ValueError("doc is not a parse of text (token offsets would not index it)")
    art = _prepare(text, doc, quoted)
    cands = _merge_and_continue(art, _direct_candidates(art, quoted))
    kept = [c for c in cands if _keep(c, keep_unattributed)]
    directs = [_to_quote(art, c) for c in kept]
    direct_cues: dict[int, list[Quote]] = {}
    for c, q in zip(kept, directs):
        if c.attribution is not None and c.attribution.cue_token is not None:
            direct_cues.setdefault(c.attribution.cue_token, []).append(q)
    quotes = directs + _reported(art, directs, direct_cues)
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _bare_keep(text: str, m: _Marked) -> bool:
    content = text[m.start : m.end]
    return _word_count(content) >= MIN_SPEECH_WORDS and not _title_like(content)


def _bare(text: str, m: _Marked) -> Quote:
    return Quote(start=m.start, end=m.end, text=text[m.start : m.end], speaker=None, cue=None, direct=True)
