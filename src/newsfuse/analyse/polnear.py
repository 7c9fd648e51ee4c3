"""Score attributions (who said what) against the PolNeAR corpus.

PolNeAR (Newell, Margolin and Ruths, LREC 2018) annotates US political news
with attributions: a *source* span (who), a *cue* span (said, according to,
a colon, a dash) and a *content* span (what), in brat standoff files
(``attributions/<article>_<annotator>.ann`` next to ``text/<article>.txt``).

How a prediction is scored
--------------------------
A predicted attribution (speaker, content) matches a gold one when both hold:

* **content**: the two content spans overlap on at least half of the gold
  content *and* at least half of the predicted content. Sizes count letters
  and digits only, so quotation marks, punctuation and spacing conventions
  (PolNeAR keeps the marks in direct quotes, newsfuse leaves them out) do not
  matter. Discontinuous spans (PolNeAR ``start end;start end``, newsfuse
  ``parts``) count as the union of their pieces.
* **source**: the head word of the gold source phrase ("Post" in "The New
  York Post", "Conway" in "campaign manager Kellyanne Conway", "he"; found by
  parsing ``<phrase> said.`` and taking its subject, see
  :func:`source_heads`) is one of the words of the predicted speaker: its
  surface span in the text, its resolved name, or its channel (a relay:
  "Putin told Biden, according to aide Yury Ushakov" is credited to either),
  case-insensitive, with a possessive 's dropped.

Predictions and gold attributions are paired one to one, greedily by content
overlap. Precision is matched predictions over predictions, recall matched
gold over gold.

* **Gold without a source** (PolNeAR's ``Attribution-no-source``; about 6%
  of dev, mostly implicit evaluations such as "has drawn criticism") cannot
  be matched on a source. They are left out of the gold, and a prediction
  whose content matches one of them is left out too (neither right nor
  wrong); other predictions without a speaker count as false positives.
* **Direct quotes** are scored on the same one-to-one matching: recall over
  the gold attributions whose content lies mostly (at least half of its
  letters and digits) inside quotation marks (paired as
  :func:`newsfuse.analyse.quotes.find_quoted_spans` pairs them, which reads
  PolNeAR's “…”, "…" and ''…''), precision over the predictions
  marked ``direct``. A gold quote found by any prediction counts as found; a
  predicted direct quote matching any gold attribution counts as right.
* **Nested predictions.** PolNeAR is univocal (a token belongs to at most one
  attribution), so a reported clause that holds a quoted phrase is one gold
  attribution. :func:`from_quotes` therefore drops a prediction whose content
  lies inside the content of another prediction (newsfuse emits both the
  reported clause and the quoted phrase inside it).
* **Several annotators.** A few articles were annotated more than once (for
  agreement studies); the annotation of the annotator whose id sorts first is
  used.

Held-out split
--------------
Articles are split in two halves by a hash of the article name
(:func:`half_of`): the rules of :mod:`newsfuse.analyse.quotes` were developed
looking at half ``A`` only, half ``B`` is held out. A hidden test split is
scored the same way.

Run ``python -m newsfuse.analyse.polnear DIR`` (``DIR`` holding ``text/`` and
``attributions/``) to print the table.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .model import Quote
from .quotes import find_quoted_spans

__all__ = [
    "Attribution",
    "Counts",
    "Document",
    "count_document",
    "from_quotes",
    "gold_predictor",
    "half_of",
    "load",
    "main",
    "score",
    "score_documents",
    "source_heads",
    "summarise",
]

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attribution: what was said (``content`` pieces), by whom, and how.

    ``names`` are the strings a gold source head may match: for a gold
    attribution the source phrase, for a prediction its speaker name, its
    surface span and its channel.
    """

    content: tuple[Span, ...]
    names: tuple[str, ...] = ()
    cue: str | None = None
    direct: bool = False
    source_span: tuple[Span, ...] = ()


@dataclass(slots=True)
class Document:
    """One PolNeAR article and its gold attributions."""

    name: str
    text: str
    annotator: str
    gold: list[Attribution] = field(default_factory=list)
    unsourced: list[Attribution] = field(default_factory=list)  # gold without a source


def half_of(name: str) -> str:
    """The half ("A" or "B") an article belongs to, from a hash of its name.

    Examples
    --------
    >>> half_of("nyt_2016-10-01_example") in ("A", "B")
    True
    """
    return "A" if hashlib.md5(name.encode("utf-8")).digest()[0] % 2 == 0 else "B"


# --------------------------------------------------------------------------- loading


def _spans(field_text: str) -> tuple[Span, ...]:
    """brat offsets "s e" or "s e;s e" -> ((s, e), ...)."""
    out = []
    for piece in field_text.split(";"):
        s, e = piece.split()
        out.append((int(s), int(e)))
    return tuple(out)


def _read_ann(path: Path, text: str) -> tuple[list[Attribution], list[Attribution]]:
    """Sourced and unsourced gold attributions of one ``.ann`` file."""
    spans: dict[str, tuple[str, tuple[Span, ...]]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        if cols[0].startswith("T"):
            kind, _, offsets = cols[1].partition(" ")
            spans[cols[0]] = (kind, _spans(offsets))
        elif cols[0].startswith("E"):
            events.append(dict(arg.split(":", 1) for arg in cols[1].split() if ":" in arg))
    quoted = find_quoted_spans(text)
    sourced, unsourced = [], []
    for ev in events:
        if "Content" not in ev or ev["Content"] not in spans:
            continue
        content = spans[ev["Content"]][1]
        cue = " ".join(text[s:e] for s, e in spans[ev["Cue"]][1]) if ev.get("Cue") in spans else None
        direct = _mostly_quoted(text, content, quoted)
        if ev.get("Source") in spans:
            src = spans[ev["Source"]][1]
            name = " ".join(text[s:e] for s, e in src)
            sourced.append(Attribution(content, (name,), cue, direct, src))
        else:
            unsourced.append(Attribution(content, (), cue, direct))
    return sourced, unsourced


def _mostly_quoted(text: str, content: Sequence[Span], quoted: Sequence[Span]) -> bool:
    chars = _alnum(text, content)
    return bool(chars) and len(chars & _alnum(text, quoted)) * 2 >= len(chars)


def load(directory: str | Path) -> list[Document]:
    """The articles of a PolNeAR compartment (``text/`` and ``attributions/``), by name.

    Parameters
    ----------
    directory : str or Path
        A compartment directory such as ``data/polnear/dev``.

    Returns
    -------
    list of Document
        Sorted by article name; one annotation per article (the first annotator id).
    """
    root = Path(directory)
    chosen: dict[str, Path] = {}
    for ann in sorted((root / "attributions").glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        if name and name not in chosen and (root / "text" / f"{name}.txt").exists():
            chosen[name] = ann
    docs = []
    for name, ann in sorted(chosen.items()):
        text = (root / "text" / f"{name}.txt").read_text(encoding="utf-8")
        sourced, unsourced = _read_ann(ann, text)
        docs.append(Document(name, text, ann.stem.rpartition("_")[2], sourced, unsourced))
    return docs


# --------------------------------------------------------------------------- predictions


def from_quotes(quotes: Iterable[Quote], text: str) -> list[Attribution]:
    """newsfuse quotes as attributions, nested ones dropped (PolNeAR is univocal).

    Parameters
    ----------
    quotes : iterable of Quote
        The output of :func:`newsfuse.analyse.quotes.extract_quotes` for ``text``.
    text : str
        The article text.

    Returns
    -------
    list of Attribution
    """
    preds = []
    for q in quotes:
        names = [q.speaker or ""]
        if q.speaker_start is not None and q.speaker_end is not None:
            names.append(text[q.speaker_start : q.speaker_end])
        if q.channel:
            names.append(q.channel)
        content = tuple(q.parts) if q.parts else ((q.start, q.end),)
        preds.append(Attribution(content, tuple(n for n in names if n), q.cue, q.direct))
    return _outermost(preds, text)


def _outermost(preds: list[Attribution], text: str) -> list[Attribution]:
    chars = [_alnum(text, p.content) for p in preds]
    keep = []
    for i, p in enumerate(preds):
        inside = any(j != i and chars[i] and chars[i] < chars[j] for j in range(len(preds)))
        duplicate = any(j < i and chars[i] == chars[j] for j in range(len(preds)))
        if not inside and not duplicate:
            keep.append(p)
    return keep


# --------------------------------------------------------------------------- scoring


def _alnum(text: str, spans: Iterable[Span]) -> set[int]:
    n = len(text)
    return {i for s, e in spans for i in range(max(0, s), min(n, e)) if text[i].isalnum()}


_WORD = re.compile(r"\w+")


def _words(names: Iterable[str]) -> set[str]:
    out = set()
    for name in names:
        for w in _WORD.findall(name.lower().replace("\u2019", "'")):
            out.add(w)
    return out


_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})


def source_heads(phrases: Sequence[str]) -> list[tuple[str, ...]]:
    """The head word of each source phrase ("The New York Post" -> ("post",)).

    Each phrase is parsed as the subject of a sentence (``<phrase> said.``), so
    that the parser reads it as a noun phrase, and its head is the subject
    token ("Berg" in "harbour master Jonas Berg", "critic" in "Another critic,
    Laurence H. Tribe", "experts" in "all the experts I interviewed"); "Jr."
    gives way to the surname before it. Without a subject, the phrase's own
    root, else its last word. A head is returned as its lower-case word pieces
    ("S.E.C." -> ("s", "e", "c"), "O'Neill" -> ("o", "neill")), which must all
    be words of a predicted speaker.

    Parameters
    ----------
    phrases : sequence of str

    Returns
    -------
    list of tuple of str
    """
    from .nlp import nlp

    cleaned = [" ".join(p.split()).rstrip(" ,;:") for p in phrases]
    heads = []
    for phrase, doc in zip(cleaned, nlp().pipe([p + " said." for p in cleaned], batch_size=256)):
        inside = [t for t in doc if t.idx < len(phrase) and _WORD.search(t.text)]
        subjects = [t for t in inside if t.dep_ in ("nsubj", "nsubjpass") and t.head.idx >= len(phrase)]
        roots = [t for t in inside if t.head.i == t.i or t.head.idx >= len(phrase)]
        head = (subjects or roots or inside[-1:] or [None])[0]
        if head is not None and head.lower_ in _SUFFIXES and head.i > 0:
            head = doc[head.i - 1]
        word = head.text if head is not None else ""
        word = re.sub(r"['\u2019]s$", "", word.lower().replace("\u2019", "'"))
        heads.append(tuple(_WORD.findall(word)))
    return heads


def _head_in(head: tuple[str, ...], words: set[str]) -> bool:
    return bool(head) and all(w in words for w in head)


@dataclass(slots=True)
class Counts:
    """Matching counts of one or more documents."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    gold_direct: int = 0
    predicted_direct: int = 0
    matched_gold_direct: int = 0
    matched_predicted_direct: int = 0
    content_matched: int = 0  # matches on content alone (source ignored), a diagnostic

    def __iadd__(self, other: Counts) -> Counts:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        return self


def _content_match(a: set[int], b: set[int]) -> int:
    """Overlap size when it covers half of both (else 0)."""
    both = len(a & b)
    return both if a and b and both * 2 >= len(a) and both * 2 >= len(b) else 0


def _pair(cands: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one pairing, largest overlap first."""
    used_p, used_g, pairs = set(), set(), []
    for overlap, p, g in sorted(cands, key=lambda c: (-c[0], c[1], c[2])):
        if p not in used_p and g not in used_g:
            used_p.add(p)
            used_g.add(g)
            pairs.append((p, g))
    return pairs


def count_document(doc: Document, preds: Sequence[Attribution], heads: Sequence[tuple[str, ...]]) -> Counts:
    """Counts for one document, ``heads`` being the head words of ``doc.gold`` sources."""
    text = doc.text
    g_chars = [_alnum(text, g.content) for g in doc.gold]
    u_chars = [_alnum(text, u.content) for u in doc.unsourced]
    p_chars = [_alnum(text, p.content) for p in preds]
    p_words = [_words(p.names) for p in preds]
    full, content_only = [], []
    for pi, pc in enumerate(p_chars):
        for gi, gc in enumerate(g_chars):
            ov = _content_match(pc, gc)
            if ov:
                content_only.append((ov, pi, gi))
                if _head_in(heads[gi], p_words[pi]):
                    full.append((ov, pi, gi))
    pairs = _pair(full)
    matched_p = {p for p, _ in pairs}
    matched_g = {g for _, g in pairs}
    # predictions that only match a source-less gold attribution are neither right nor wrong
    ignored = {
        pi
        for pi, pc in enumerate(p_chars)
        if pi not in matched_p and any(_content_match(pc, uc) for uc in u_chars)
    }
    scored = [pi for pi in range(len(preds)) if pi not in ignored]
    return Counts(
        gold=len(doc.gold),
        predicted=len(scored),
        matched=len(pairs),
        gold_direct=sum(g.direct for g in doc.gold),
        predicted_direct=sum(preds[pi].direct for pi in scored),
        matched_gold_direct=sum(doc.gold[g].direct for g in matched_g),
        matched_predicted_direct=sum(preds[p].direct for p in matched_p),
        content_matched=len(_pair(content_only)),
    )


def _prf(matched_p: int, predicted: int, matched_g: int, gold: int) -> dict[str, float]:
    p = matched_p / predicted if predicted else 0.0
    r = matched_g / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def summarise(c: Counts, documents: int) -> dict[str, Any]:
    """Precision, recall and F1 for all attributions and for direct quotes."""
    return {
        "documents": documents,
        "all": {
            **_prf(c.matched, c.predicted, c.matched, c.gold),
            "gold": c.gold,
            "predicted": c.predicted,
            "matched": c.matched,
        },
        "direct": {
            **_prf(c.matched_predicted_direct, c.predicted_direct, c.matched_gold_direct, c.gold_direct),
            "gold": c.gold_direct,
            "predicted": c.predicted_direct,
            "matched_gold": c.matched_gold_direct,
            "matched_predicted": c.matched_predicted_direct,
        },
        "content_only": _prf(c.content_matched, c.predicted, c.content_matched, c.gold),
    }


PredFn = Callable[[str], Sequence[Quote | Attribution]]


def _predict(pred_fn: PredFn, text: str) -> list[Attribution]:
    out = list(pred_fn(text))
    quotes = [q for q in out if isinstance(q, Quote)]
    return from_quotes(quotes, text) + [a for a in out if isinstance(a, Attribution)]


def score_documents(pred_fn: PredFn, docs: Sequence[Document]) -> dict[str, Counts]:
    """Per-document counts, keyed by document name (the gold heads are parsed once for all)."""
    phrases = [g.names[0] if g.names else "" for d in docs for g in d.gold]
    heads = iter(source_heads(phrases))
    out = {}
    for d in docs:
        doc_heads = [next(heads) for _ in d.gold]
        out[d.name] = count_document(d, _predict(pred_fn, d.text), doc_heads)
    return out


def score(
    pred_fn: PredFn | None = None,
    directory: str | Path = "",
    *,
    half: str | None = None,
    documents: Sequence[Document] | None = None,
) -> dict[str, Any]:
    """Precision, recall and F1 of ``pred_fn``'s attributions on a PolNeAR compartment.

    Parameters
    ----------
    pred_fn : callable, optional
        ``text -> list of Quote`` (or of :class:`Attribution`); default
        :func:`newsfuse.analyse.quotes.extract_quotes`.
    directory : str or Path
        The compartment (``text/`` and ``attributions/``); ignored when ``documents`` is given.
    half : {"A", "B"}, optional
        Score only that half of the articles (see :func:`half_of`).
    documents : sequence of Document, optional
        Already loaded articles.

    Returns
    -------
    dict
        ``{"documents", "all": {precision, recall, f1, gold, predicted, matched},
        "direct": {...}, "content_only": {...}}``.
    """
    if pred_fn is None:
        from .quotes import extract_quotes

        pred_fn = extract_quotes
    docs = list(documents) if documents is not None else load(directory)
    if half is not None:
        docs = [d for d in docs if half_of(d.name) == half]
    total = Counts()
    for c in score_documents(pred_fn, docs).values():
        total += c
    return summarise(total, len(docs))


def gold_predictor(docs: Sequence[Document]) -> PredFn:
    """A predictor that returns the gold attributions (the scorer's upper bound, 1.0)."""
    by_text = {d.text: d.gold for d in docs}
    return lambda text: by_text.get(text, [])


# --------------------------------------------------------------------------- command line


def _table(rows: list[tuple[str, dict[str, Any]]]) -> str:
    head = f"{'split':<14}{'docs':>5} | {'all P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5} | " \
        f"{'direct P':>8} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5} | {'content-only F1':>15}"
    lines = [head, "-" * len(head)]
    for label, s in rows:
        a, d = s["all"], s["direct"]
        lines.append(
            f"{label:<14}{s['documents']:>5} | {a['precision']:>6.3f} {a['recall']:>6.3f} {a['f1']:>6.3f} "
            f"{a['gold']:>5} {a['predicted']:>5} | {d['precision']:>8.3f} {d['recall']:>6.3f} {d['f1']:>6.3f} "
            f"{d['gold']:>5} {d['predicted']:>5} | {s['content_only']['f1']:>15.3f}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the PolNeAR table: half A (development), half B (held out) and both."""
    ap = argparse.ArgumentParser(prog="python -m newsfuse.analyse.polnear", description=__doc__.splitlines()[0])
    ap.add_argument("directory", help="a PolNeAR compartment with text/ and attributions/")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    from .quotes import extract_quotes

    docs = load(args.directory)
    if not docs:
        print(f"no PolNeAR articles under {args.directory}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    per_doc = score_documents(extract_quotes, docs)
    elapsed = time.perf_counter() - t0
    rows = []
    for label, keep in (("A (dev)", "A"), ("B (held out)", "B"), ("all", None)):
        total = Counts()
        chosen = [d for d in docs if keep is None or half_of(d.name) == keep]
        for d in chosen:
            total += per_doc[d.name]
        rows.append((label, summarise(total, len(chosen))))
    if args.json:
        import json

        print(json.dumps({label: s for label, s in rows}, indent=2))
    else:
        print(_table(rows))
        print(f"\n{len(docs)} articles scored in {elapsed:.1f} s (spaCy parse included)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
