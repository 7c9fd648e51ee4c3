"""Clauses: the pieces of a sentence that each state one thing.

A news sentence often states several facts at once: "A 5.6 magnitude quake
hit the island on Sunday, injuring five people, which damaged buildings,
Iranian media said" holds what hit where and when, that five were injured,
and who reports it. Corroboration compares facts, so it compares clauses.

A clause is a predicate (a verb, or a copula with its complement) with its
own dependents, without the clauses nested in it: coordinated verbs,
adverbial, relative and complement clauses are clauses of their own. A
clause without a subject of its own (a participle, a coordinated verb, a
relative clause whose subject is "which") is read with the subject it
leans on ("quake ... injuring five people"), so that its words say who did
what even alone. Clauses of very few words are folded back into the clause
they hang on, and the clause of a reporting verb that only frames another
("Iranian media said") is marked as a frame: it says who reports, not what
happened.

The parse is spaCy's: the English model's labels (``relcl``, ``neg``) and
the Universal Dependencies labels of the other languages' models
(``acl:relcl``, ``advmod`` with a negation word) are both read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import paired_quotes

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependencies that start a clause of their own under a predicate.
_CLAUSAL = frozenset({"ROOT", "conj", "ccomp", "advcl", "relcl", "acl:relcl", "acl", "parataxis", "csubj",
                      "advcl:relcl"})
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj", "csubjpass", "expl"})
_RELATIVE = frozenset({"which", "who", "that", "whom", "whose", "où", "qui", "que", "lequel", "laquelle", "cual",
                       "quien", "der", "die", "das", "welche", "welcher"})
_ARGUMENTS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "dobj", "obj", "iobj", "pobj", "obl", "attr", "acomp",
                        "oprd", "agent", "nmod", "appos", "npadvmod"})
MIN_CLAUSE_WORDS = 3
# Conjunctions that only introduce a clause ("said that ..."): left off its words. Those that say
# something (because, if, when) stay.
_PLAIN_MARKS = frozenset("that que dass che whether".split())  # a shorter clause ("he added") is folded into the one it hangs on

# Words that negate a predicate, per language (the English model labels them ``neg``; UD models do not).
NEGATIONS = frozenset("""
not n't never no nobody none nothing neither nor without cannot
ne pas jamais aucun aucune personne rien sans
no nunca ningún ninguna nadie nada tampoco sin
nicht nie niemals kein keine keinen keinem keiner nichts niemand ohne
non mai nessuno nessuna niente nulla senza
""".split())


# Predicates that deny what they govern ("is unlikely to meet" is no meeting).
UNLIKELY = frozenset("unlikely impossible improbable unable peu improbable impossible improbable unwahrscheinlich "
                     "unmöglich poco probable imposible".split())


@dataclass(slots=True)
class Clause:
    """One clause of an article.

    ``start``/``end`` span its words in the article's text (nested clauses
    may lie inside that span); ``text`` is its own words in order, with the
    subject it leans on in front when it has none of its own; ``head`` is
    the offset of its predicate; ``negated`` whether the predicate is negated;
    ``frame`` whether it only reports another clause ("officials said").
    """

    start: int
    end: int
    head: int
    text: str
    negated: bool = False
    frame: bool = False
    predicate: str = ""  # the predicate's word, lower case ("hit", "injured")
    arguments: tuple[str, ...] = ()  # the head words of its subject, objects and complements
    verbal: bool = True  # False without a verb, or in a sentence without a finite one (a caption, a heading)
    tense: str = "present"  # past, present, or future (also what may, should or is likely to happen)
    asserted: bool = True  # False for a condition or a purpose ("if he visits", "to prove the vow"): not a claim
    whole: bool = True  # it reads as a statement on its own: a subject (its own or borrowed) and a finite verb


MIN_STATEMENT_WORDS = 3  # a shorter clause states nothing on its own
FRAME_WORDS = 5  # a frame this long says more than "officials said"


def worth_comparing(c: Clause) -> bool:
    """Whether a clause is a statement to compare across sources: it states something (not a
    condition or a purpose), has a verb and a few words, and is more than a bare frame ("police
    said"; "state media reported Saturday morning" says when, which is news too)."""
    words = len(c.text.split())
    return c.asserted and c.verbal and words >= MIN_STATEMENT_WORDS and (not c.frame or words >= FRAME_WORDS)


def extract_clauses(doc: Doc, sentences: list[tuple[int, int]]) -> list[Clause]:
    """The clauses of every sentence (character spans of ``doc``'s text), in text order."""
    out: list[Clause] = []
    for lo, hi in sentences:
        span = doc.char_span(lo, hi, alignment_mode="expand")
        if span is not None and len(span):
            out.extend(_sentence_clauses(list(span)))
    return out


def _is_predicate(tok: Token, first: int, last: int) -> bool:
    if tok.dep_ == "ROOT" or not first <= tok.head.i <= last:
        return True
    if tok.dep_ not in _CLAUSAL:
        return False
    if tok.pos_ not in ("VERB", "AUX") and not any(c.dep_ in ("cop",) for c in tok.children):
        return False
    if tok.dep_ == "conj" and tok.head.pos_ not in ("VERB", "AUX") and tok.head.dep_ != "ROOT":
        return False  # "five people and damaging buildings": a coordinated noun phrase, not a clause
    if tok.dep_ in ("relcl", "acl:relcl") and not any(c.lower_ in _RELATIVE or c.tag_ in ("WDT", "WP", "WP$", "WRB")
                                                       for c in tok.subtree):
        return False  # "the way they were received": a relative clause without its pronoun is part of its noun
    return not _extraposed(tok)


def _extraposed(tok: Token) -> bool:
    """An infinitive that is the real subject of "it is necessary (for us) to test": one statement
    with the "it is" clause it hangs on, not a clause of its own."""
    head = tok.head
    return tok.dep_ in ("advcl", "ccomp", "xcomp") and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children) \
        and any(c.dep_ in ("nsubj", "expl") and c.lower_ == "it" for c in head.children) \
        and any(c.dep_ in ("acomp", "attr") for c in head.children)


def _sentence_clauses(sent: list[Token]) -> list[Clause]:
    first, last = sent[0].i, sent[-1].i
    # a sentence without a finite verb is a caption, a heading or a list, not a statement (two verbs
    # or more make one anyway: the small parser takes "a bus overturned ..." for a noun phrase now and then)
    finite = any("Fin" in t.morph.get("VerbForm", []) for t in sent) or sum(t.pos_ == "VERB" for t in sent) >= 2
    heads = [t for t in sent if _is_predicate(t, first, last)]
    own: dict[int, list[Token]] = {h.i: [] for h in heads}
    for tok in sent:
        h = _owner(tok, own, first, last)
        if h is not None:
            own[h].append(tok)
    # fold clauses of too few words into the clause they hang on (or the sentence's first)
    for h in sorted(own, key=lambda i: -_depth(sent[0].doc[i])):
        words = [t for t in own[h] if not t.is_punct]
        if len(own) > 1 and len(words) < MIN_CLAUSE_WORDS and not _frames(sent[0].doc[h], own):
            head = sent[0].doc[h].head
            parent = _owner(head, {k: v for k, v in own.items() if k != h}, first, last) if head.i != h else None
            if parent is None:
                parent = next((k for k in own if k != h), None)
            if parent is not None:
                own[parent].extend(own.pop(h))
    out = []
    for h, toks in own.items():
        toks = _trimmed(sorted(toks, key=lambda t: t.i))
        if not toks:
            continue
        head = sent[0].doc[h]
        # "Kim was quoted as telling the envoys [that ...]": a reporting verb inside the clause frames too
        frame = _frames(head, own) or any(_frames(t, own) for t in toks
                                          if t.i != h and t.dep_ in ("xcomp", "pcomp", "advcl") and t.pos_ == "VERB")
        text = _text(toks)
        subject = next((t for t in toks if t.head.i == h and t.dep_ in _SUBJECTS), None)
        borrowed = None
        if not frame and (subject is None or subject.lower_ in _RELATIVE):
            borrowed = _borrowed_subject(head, own)
            if borrowed and not text.lower().startswith(borrowed.lower()):
                text = f"{borrowed} {text}"
        whole = subject is not None and subject.lower_ not in _RELATIVE and subject.tag_ != "VBG" and \
            any("Fin" in t.morph.get("VerbForm", []) for t in toks if t.head.i == h or t.i == h) and \
            not _subordinate(head)
        args = tuple(t.lower_ for t in toks if t.dep_ in _ARGUMENTS and not t.is_stop)
        out.append(Clause(toks[0].idx, toks[-1].idx + len(toks[-1].text), head.idx, text,
                          _negated(head, toks), frame, _predicate(head).lower_, args,
                          finite and (head.pos_ in ("VERB", "AUX") or any(t.pos_ in ("VERB", "AUX") for t in toks)),
                          _tense(head), _asserted(head), whole))
    return sorted(out, key=lambda c: (c.start, c.end))


def _owner(tok: Token, own: dict[int, list[Token]], first: int, last: int) -> int | None:
    """The clause a token belongs to: its nearest ancestor (or itself) in the sentence that heads one."""
    t = tok
    for _ in range(64):
        if t.i in own:
            return t.i
        if t.head.i == t.i or not first <= t.head.i <= last:
            return None
        t = t.head
    return None


def _trimmed(toks: list[Token]) -> list[Token]:
    """Without punctuation and conjunctions at either end ("... has collapsed but")."""
    lo, hi = 0, len(toks)
    while lo < hi and (toks[lo].is_punct or toks[lo].dep_ in ("cc", "mark") and toks[lo].lower_ in _PLAIN_MARKS):
        lo += 1
    while hi > lo and (toks[hi - 1].is_punct or toks[hi - 1].dep_ in ("cc", "mark")):
        hi -= 1
    return toks[lo:hi]


def _depth(tok: Token) -> int:
    d = 0
    while tok.head.i != tok.i and d < 64:
        tok, d = tok.head, d + 1
    return d


def _frames(head: Token, own: dict[int, list[Token]]) -> bool:
    """A reporting verb whose complement is a clause of its own ("officials said [that ...]")."""
    from .quotes import reporting_lemma

    if reporting_lemma(head) is None:
        return False
    return any(c.i in own and c.dep_ in ("ccomp", "parataxis", "xcomp") for c in head.children) or \
        any(c.i in own for c in head.children if c.dep_ == "ROOT") or \
        (head.dep_ in ("parataxis", "ROOT") and head.head.i in own and head.head.i != head.i)


def _borrowed_subject(head: Token, own: dict[int, list[Token]]) -> str | None:
    """The subject a clause without one leans on: the noun a relative clause hangs on, else
    the subject of the nearest clause above it."""
    if head.dep_ in ("relcl", "acl:relcl", "acl") and head.head.pos_ in ("NOUN", "PROPN", "PRON"):
        return _phrase(head.head)
    t = head
    for _ in range(16):
        if t.head.i == t.i:
            return None
        t = t.head
        if t.i in own:
            subj = next((c for c in t.children if c.dep_ in _SUBJECTS), None)
            if subj is not None:
                return _phrase(subj)
    return None


def _phrase(tok: Token) -> str:
    """A noun phrase: the token with its modifiers, without clauses, appositions or relatives."""
    keep = [tok]
    inner = ("det", "amod", "compound", "nummod", "poss", "case", "flat", "flat:name", "nmod:poss", "quantmod", "fixed")
    stack = [c for c in tok.children if c.dep_ in inner]
    while stack:
        c = stack.pop()
        keep.append(c)
        stack.extend(x for x in c.children if x.dep_ in inner)
    words = sorted(keep, key=lambda t: t.i)
    if tok.lower_ in _RELATIVE and tok.head.head.i != tok.head.i:
        return _phrase(tok.head.head)
    return _text(words)


def _predicate(head: Token) -> Token:
    """The word that says what happens: the verb a copula or a modal construction governs ("is
    unlikely to meet", "is expected to meet", "will try to stop": meet, meet, stop)."""
    for _ in range(3):
        nxt = next((c for c in head.children if c.dep_ == "xcomp" and c.pos_ in ("VERB", "AUX")), None)
        if nxt is None:
            nxt = next((x for c in head.children if c.dep_ == "acomp" for x in c.children
                        if x.dep_ == "xcomp" and x.pos_ == "VERB"), None)
        if nxt is None:
            return head
        head = nxt
    return head


_IRREALIS = frozenset("will would shall may might could should can must 'll wo ca sha "
                      "werden wird würde könnte sollte kann muss va vont pourrait devrait peut doit "
                      "va van podría debería puede debe".split())
_PROSPECT = frozenset("likely unlikely expected due set going plan plans planned scheduled poised".split())


def _tense(head: Token) -> str:
    """past, present or future: what a clause tells happened, happens, or will (or may) happen.
    Modal verbs and "likely to", "expected to" count as the future: not yet a fact."""
    auxes = [c for c in head.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")]
    if any(a.lower_ in _IRREALIS for a in auxes):
        return "future"
    up = head
    for _ in range(3):  # "is unlikely to meet", "is expected to visit"
        if up.dep_ != "xcomp" or up.head.i == up.i:
            break
        up = up.head
        if up.lower_ in _PROSPECT or any(c.lower_ in _PROSPECT for c in up.children if c.dep_ == "acomp") or \
                any(a.lower_ in _IRREALIS for a in up.children if a.dep_ == "aux"):
            return "future"
    if any(c.dep_ == "acomp" and c.lower_ in _PROSPECT for c in head.children) or \
            (head.lower_ in _PROSPECT and any(c.dep_ == "xcomp" for c in head.children)):
        return "future"
    if "Past" in head.morph.get("Tense", []) and head.tag_ != "VBN" or any("Past" in a.morph.get("Tense", []) for a in auxes):
        return "past"
    return "present"


# A condition, a question, or what has not happened yet ("before the board has done its work").
_HYPOTHETICAL = frozenset("if unless whether lest si sinon ob falls wenn sofern "
                          "before until till bevor ehe avant jusqu antes hasta prima finché".split())


def _subordinate(head: Token) -> bool:
    """An adverbial clause its conjunction ties to another ("after the ferry ran aground", "because
    ..."): a fact, but one that does not read on its own."""
    return head.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ not in _PLAIN_MARKS for c in head.children)


def _asserted(head: Token) -> bool:
    """Whether a clause states something as the case: not a condition ("if he visited the
    capital"), a question ("whether the tests would end") or a purpose ("to prove the vow")."""
    if head.dep_ not in ("advcl", "ccomp", "acl", "xcomp", "csubj"):
        return True
    marks = {c.lower_ for c in head.children if c.dep_ in ("mark", "aux") or c.dep_ == "advmod" and c.i < head.i}
    if marks & _HYPOTHETICAL:
        return False
    # an infinitive hanging on a clause is its purpose ("... to prove the vow"), not a statement
    return not (head.dep_ == "advcl" and "to" in marks and not any(c.dep_ in _SUBJECTS for c in head.children))


def _only(tok: Token) -> bool:
    """"nothing but", "no one but", "nichts als": a restriction ("only"), not a negation."""
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    return nxt is not None and nxt.lower_ in ("but", "except", "als", "que", "sino", "che")


def _negated(head: Token, toks: list[Token]) -> bool:
    for c in head.children:
        if c.dep_ == "neg" or (c.dep_ in ("advmod", "det", "nsubj", "dobj", "obj", "cc", "preconj")
                               and c.lower_ in NEGATIONS and not _only(c)):
            return True
        if c.dep_ in ("acomp", "advmod", "xcomp") and c.lower_ in UNLIKELY:  # "he is unlikely to meet the Queen"
            return True
        if c.dep_ in ("dobj", "obj", "nsubj", "nsubjpass", "attr") and any(
                d.dep_ == "det" and d.lower_ in NEGATIONS for d in c.children):  # "could offer no details"
            return True
        if c.dep_ in ("dobj", "obj") and c.lower_ in NEGATIONS and not _only(c):  # "had nothing to say"
            return True
    up = head.head
    if head.dep_ in ("ccomp", "csubj") and up.i != head.i and (  # "it is unlikely that they will take part"
            up.lower_ in UNLIKELY or any(c.dep_ in ("acomp", "attr") and c.lower_ in UNLIKELY for c in up.children)):
        return True
    for aux in (c for c in head.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")):
        if aux.lower_.endswith("n't") or any(g.dep_ == "neg" for g in aux.children):
            return True
    return False


_SPACE = re.compile(r"\s+")
_DOUBLED = re.compile(r"([,;:])(?:\s*[,;:])+")  # what is left of the punctuation around a nested clause
_SPACE_BEFORE = re.compile(r"\s+([,.;:!?%)\]}’”»])")


def _text(toks: list[Token]) -> str:
    """The tokens' words with their own spacing, gaps closed, stray punctuation at the ends dropped."""
    # the commas around a nested clause go with it: "The bank[, which opened in 1990,] was closed"
    toks = [t for k, t in enumerate(toks) if not (t.text == "," and (
        k + 1 < len(toks) and toks[k + 1].i != t.i + 1 or k > 0 and toks[k - 1].i != t.i - 1 and toks[k - 1].text == ","))]
    parts = []
    for a, b in zip(toks, toks[1:] + [None]):
        parts.append(a.text)
        if b is not None:
            parts.append(a.whitespace_ if b.i == a.i + 1 else " ")
    text = paired_quotes(_SPACE.sub(" ", "".join(parts)))
    return _DOUBLED.sub(r"\1", _SPACE_BEFORE.sub(r"\1", text)).strip(" ,;:-–—")
