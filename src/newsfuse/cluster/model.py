"""The story model, offered two ways: ``fit``/``predict`` over a batch and
``learn_one``/``predict_one`` over a stream (scikit-learn and River style).

Both ways use the same representation (:mod:`.features`), the same similarity
(cosine of TF-IDF vectors, average linkage between stories, decayed for dated
reports far apart in time), the same merge threshold and the same split rule
(:mod:`.split`).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from ..model import Article
from . import batch, split
from .features import DocumentFrequencies, FeatureWeights, article_features, hashed, lead_features, to_matrix, weigh

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class ClusterParams:
    """Settings of the story model. The defaults were chosen by reasoning and
    checked by cross-validation over ECB+ dev topics (see docs/clustering.md).

    ``threshold``: average cosine similarity at which reports form one story.
    ``split_ncut``/``min_split``: a story splits in two when its leads cut
    cleanly (normalised cut below this) into parts of at least this many.
    ``window_days``/``scale_days``: dated reports further apart than the
    window count less, decaying over the scale. ``retire_days``: the online
    model stops offering stories silent for this long (bounded memory).
    """

    threshold: float = 0.125
    split_ncut: float = 0.75
    min_split: int = 3
    window_days: float = 90.0
    scale_days: float = 90.0
    retire_days: float = 180.0
    retire_arrivals: int = 20_000
    flush_every: int = 1000
    index_features: int = 16
    weights: FeatureWeights = field(default_factory=FeatureWeights)


def story_id(founder_article_id: str) -> str:
    """A short stable story id, derived from the id of the story's first report."""
    return "s" + hashlib.blake2b(founder_article_id.encode("utf-8"), digest_size=6).hexdigest()


def day_of(article: Article) -> float:
    """Days since 1970 of the article's publication, NaN when unknown."""
    if article.published is None:
        return math.nan
    when = article.published if article.published.tzinfo else article.published.replace(tzinfo=timezone.utc)
    return (when - _EPOCH).total_seconds() / 86400.0


def _founder_key(article: Article) -> tuple[float, str]:
    d = day_of(article)
    return (d if not math.isnan(d) else math.inf, article.id)


class StoryClusterer:
    """Groups reports into stories.

    >>> model = StoryClusterer().fit(articles)            # doctest: +SKIP
    >>> model.labels_                                      # doctest: +SKIP
    {'a1': 's3f2...', 'a2': 's3f2...', 'a3': 's9c1...'}
    >>> stream = StoryClusterer()
    >>> for a in articles_in_time_order:                   # doctest: +SKIP
    ...     story = stream.learn_one(a)
    """

    def __init__(self, params: ClusterParams | None = None) -> None:
        self.params = params or ClusterParams()
        self.labels_: dict[str, str] = {}
        self._online = _Online(self.params)

    # --- batch ------------------------------------------------------------------

    def fit(self, articles: Iterable[Article]) -> StoryClusterer:
        """Cluster a batch. The result does not depend on the order of ``articles``."""
        p = self.params
        arts = sorted(articles, key=lambda a: a.id)
        counts = [hashed(article_features(a, p.weights)) for a in arts]
        dfs = DocumentFrequencies()
        for c in counts:
            dfs.learn_one(c.keys())
        x = to_matrix([weigh(c, dfs) for c in counts])
        days = np.array([day_of(a) for a in arts])
        labels = batch.average_linkage(x, days, p.threshold, window=p.window_days, scale=p.scale_days)
        leads = [hashed(lead_features(a, p.weights)) for a in arts]
        labels = split.refine(labels, leads, p.split_ncut, p.min_split)
        groups: dict[int, list[Article]] = {}
        for a, label in zip(arts, labels.tolist()):
            groups.setdefault(label, []).append(a)
        self.labels_ = {}
        for members in groups.values():
            sid = story_id(min(members, key=_founder_key).id)
            for a in members:
                self.labels_[a.id] = sid
        return self

    def predict(self, articles: Iterable[Article]) -> list[str | None]:
        """The story of each article: fitted ones from the fit, others the story
        the stream model would put them in (None: a new story)."""
        return [self.labels_.get(a.id) or self.predict_one(a) for a in articles]

    def fit_predict(self, articles: Iterable[Article]) -> list[str]:
        arts = list(articles)
        self.fit(arts)
        return [self.labels_[a.id] for a in arts]

    # --- stream -----------------------------------------------------------------

    def learn_one(self, article: Article) -> str:
        """Add one article (in time order) and return the id of its story."""
        sid = self._online.learn_one(article)
        self.labels_[article.id] = sid
        return sid

    def predict_one(self, article: Article) -> str | None:
        """The story the article would join now, without adding it (None: a new one)."""
        return self._online.predict_one(article)

    def stories(self) -> dict[str, list[str]]:
        """Story id -> ids of its articles, as the model holds them now."""
        out: dict[str, list[str]] = {}
        for aid, sid in self.labels_.items():
            out.setdefault(sid, []).append(aid)
        return out

    def flush(self) -> StoryClusterer:
        """Settle the stream model: re-check every story that grew since its last
        split check, and merges refused earlier. Call it at the end of a stream
        or a batch of arrivals; it does not change what :meth:`learn_one` did."""
        self._online.flush()
        return self

    def current_labels(self) -> dict[str, str]:
        """Article id -> story id after all merges and splits so far (stream mode)."""
        return self._online.labels() if self._online.docs else dict(self.labels_)


@dataclass(slots=True)
class _Doc:
    article_id: str
    day: float
    counts: dict[int, float]
    lead: dict[int, float]
    vec: dict[int, float]
    story: int


@dataclass(slots=True)
class _Story:
    sid: str
    founder: tuple[float, str]
    members: list[int]
    total: dict[int, float]
    first: float
    last: float
    checked_at: int = 0
    retired: bool = False
    touched: int = 0  # arrival number of the last report added


class _Online:
    """The stream form of the model: greedy average linkage against live stories,
    merges when stories come together, splits when one turns out to hold two."""

    def __init__(self, params: ClusterParams) -> None:
        self.p = params
        self.dfs = DocumentFrequencies()
        self.docs: list[_Doc] = []
        self.stories: dict[int, _Story] = {}
        self.index: dict[int, set[int]] = {}
        self.next_story = 0
        self.weighted_at = 0
        self.now = -math.inf
        # merges refused because the union would split again: story ids -> sizes then
        self.refused: dict[frozenset[str], int] = {}

    # vectors ---------------------------------------------------------------------

    def _vector(self, counts: dict[int, float]) -> dict[int, float]:
        ids, vals = weigh(counts, self.dfs)
        return dict(zip(ids.tolist(), vals.tolist()))

    @staticmethod
    def _dot(a: dict[int, float], b: dict[int, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        get = b.get
        return sum(v * get(k, 0.0) for k, v in a.items())

    def _decay(self, day: float, story: _Story) -> float:
        if math.isnan(day) or math.isnan(story.first):
            return 1.0
        gap = max(0.0, story.first - day, day - story.last)
        return float(batch.time_decay(np.array([gap]), self.p.window_days, self.p.scale_days)[0])

    def _gap_decay(self, a: _Story, b: _Story) -> float:
        if math.isnan(a.first) or math.isnan(b.first):
            return 1.0
        gap = max(0.0, a.first - b.last, b.first - a.last)
        return float(batch.time_decay(np.array([gap]), self.p.window_days, self.p.scale_days)[0])

    # candidates ------------------------------------------------------------------

    def _top(self, vec: dict[int, float]) -> list[int]:
        return sorted(vec, key=vec.__getitem__, reverse=True)[: self.p.index_features]

    def _candidates(self, vec: dict[int, float]) -> set[int]:
        found: set[int] = set()
        for f in self._top(vec):
            found |= self.index.get(f, set())
        return {s for s in found if s in self.stories and not self.stories[s].retired}

    def _index_doc(self, i: int) -> None:
        for f in self._top(self.docs[i].vec):
            self.index.setdefault(f, set()).add(self.docs[i].story)

    # public ----------------------------------------------------------------------

    def predict_one(self, article: Article) -> str | None:
        vec = self._vector(hashed(article_features(article, self.p.weights)))
        best = self._best(vec, day_of(article), self._candidates(vec))
        return self.stories[best[1]].sid if best and best[0] >= self.p.threshold else None

    def _best(self, vec: dict[int, float], day: float, candidates: set[int]) -> tuple[float, int] | None:
        """The candidate story with the highest average similarity to ``vec``."""
        scored = [
            (self._dot(vec, self.stories[s].total) / len(self.stories[s].members) * self._decay(day, self.stories[s]), s)
            for s in candidates
        ]
        return max(scored, key=lambda t: (t[0], -t[1])) if scored else None

    def learn_one(self, article: Article) -> str:
        p = self.p
        counts = hashed(article_features(article, p.weights))
        self.dfs.learn_one(counts.keys())
        vec = self._vector(counts)
        day = day_of(article)
        if not math.isnan(day):
            self.now = max(self.now, day)
        i = len(self.docs)
        candidates = self._candidates(vec)
        best = self._best(vec, day, candidates)
        self.docs.append(_Doc(article.id, day, counts, hashed(lead_features(article, p.weights)), vec, -1))
        if best and best[0] >= p.threshold:
            self._add(best[1], i)
        else:
            self._new_story([i])
        self._index_doc(i)
        self._merge_around(self.docs[i].story, candidates)
        if self.dfs.n >= max(64, 2 * self.weighted_at):
            self._reweigh()
        if (i + 1) % p.flush_every == 0:
            self.flush()
            self._retire()
        return self.stories[self.docs[i].story].sid

    def labels(self) -> dict[str, str]:
        return {d.article_id: self.stories[d.story].sid for d in self.docs}

    def flush(self) -> None:
        """Split the stories that grew since their last check, then retry merges."""
        for k in sorted(self.stories):
            if not self.stories[k].retired:
                self._maybe_split(k)
        # merges refused on the smaller stories of the past are judged again
        self.refused.clear()
        for k in sorted(self.stories):
            st = self.stories.get(k)
            if st is None or st.retired:
                continue
            candidates: set[int] = set()
            for f in self._top(st.total):
                candidates |= self.index.get(f, set())
            self._merge_around(k, {c for c in candidates if c in self.stories})

    # story bookkeeping -------------------------------------------------------------

    def _new_story(self, members: list[int]) -> int:
        k = self.next_story
        self.next_story += 1
        founder = min(members, key=lambda m: self._key(m))
        st = _Story(story_id(self.docs[founder].article_id), self._key(founder), [], {}, math.nan, math.nan)
        self.stories[k] = st
        for m in members:
            self._add(k, m)
        return k

    def _key(self, m: int) -> tuple[float, str]:
        d = self.docs[m]
        return (d.day if not math.isnan(d.day) else math.inf, d.article_id)

    def _add(self, k: int, m: int) -> None:
        st = self.stories[k]
        st.members.append(m)
        self.docs[m].story = k
        total = st.total
        for f, v in self.docs[m].vec.items():
            total[f] = total.get(f, 0.0) + v
        st.touched = max(st.touched, m)
        day = self.docs[m].day
        if not math.isnan(day):
            st.first = day if math.isnan(st.first) else min(st.first, day)
            st.last = day if math.isnan(st.last) else max(st.last, day)

    def _merge_around(self, k: int, candidates: set[int]) -> None:
        """Merge story ``k`` with any candidate whose average similarity reaches
        the threshold, unless the union would split straight back into two events."""
        merged = True
        while merged:
            merged = False
            st = self.stories[k]
            for c in sorted(candidates - {k}):
                other = self.stories.get(c)
                if other is None or other.retired:
                    continue
                sim = self._dot(st.total, other.total) / (len(st.members) * len(other.members)) * self._gap_decay(st, other)
                if sim >= self.p.threshold and self._union_holds(st, other):
                    k = self._merge(k, c)
                    candidates = candidates - {c}
                    merged = True
                    break

    def _union_holds(self, a: _Story, b: _Story) -> bool:
        """Whether two stories may merge: their union does not cut cleanly in two.
        A refusal is remembered until the stories have grown by a quarter."""
        size = len(a.members) + len(b.members)
        if size < 2 * self.p.min_split:
            return True
        key = frozenset((a.sid, b.sid))
        if key in self.refused and size < 1.25 * self.refused[key]:
            return False
        mask = split.split_story([self.docs[m].lead for m in a.members + b.members], self.p.split_ncut, self.p.min_split)
        if mask is None:
            self.refused.pop(key, None)
            return True
        self.refused[key] = size
        return False

    def _merge(self, a: int, b: int) -> int:
        """Merge two stories; the one founded first keeps its id."""
        keep, gone = (a, b) if self.stories[a].founder <= self.stories[b].founder else (b, a)
        st, old = self.stories[keep], self.stories.pop(gone)
        for m in old.members:
            self._add(keep, m)
        for f in self._top(old.total):
            self.index.setdefault(f, set()).add(keep)
        st.checked_at = 0
        return keep

    def _maybe_split(self, k: int) -> None:
        """Split story ``k`` if it grew since its last check and now holds two
        events. Splits wait for :meth:`flush`: checked on every arrival, small
        stories would split on too little evidence."""
        st = self.stories[k]
        n = len(st.members)
        if n < 2 * self.p.min_split or n <= st.checked_at:
            return
        st.checked_at = n
        mask = split.split_story([self.docs[m].lead for m in st.members], self.p.split_ncut, self.p.min_split)
        if mask is None:
            return
        founder_side = next(mask[j] for j, m in enumerate(st.members) if self._key(m) == st.founder)
        staying = [m for j, m in enumerate(st.members) if mask[j] == founder_side]
        leaving = [m for j, m in enumerate(st.members) if mask[j] != founder_side]
        self._rebuild(k, staying)
        new = self._new_story(leaving)
        self.stories[new].checked_at = len(leaving)
        self.refused[frozenset((st.sid, self.stories[new].sid))] = n
        for m in leaving:
            self._index_doc(m)

    def _rebuild(self, k: int, members: list[int]) -> None:
        st = self.stories[k]
        st.members, st.total, st.first, st.last = [], {}, math.nan, math.nan
        for m in members:
            self._add(k, m)

    def _reweigh(self) -> None:
        """Recompute every live vector with the document frequencies learnt so
        far: early vectors were weighted with little to go on."""
        self.weighted_at = self.dfs.n
        live = [k for k, st in self.stories.items() if not st.retired]
        for k in live:
            for m in self.stories[k].members:
                self.docs[m].vec = self._vector(self.docs[m].counts)
            self._rebuild(k, list(self.stories[k].members))
        self.index = {}
        for k in live:
            for m in self.stories[k].members:
                self._index_doc(m)

    def _retire(self) -> None:
        """Stop offering stories silent for ``retire_days`` and free their vectors."""
        horizon = self.now - self.p.retire_days
        arrivals = len(self.docs) - self.p.retire_arrivals
        for st in self.stories.values():
            if st.retired or st.touched >= arrivals:
                continue
            if math.isnan(st.last) or st.last < horizon:
                st.retired = True
                st.total = {}
                for m in st.members:
                    d = self.docs[m]
                    d.vec, d.counts, d.lead = {}, {}, {}
