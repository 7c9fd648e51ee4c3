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
from .features import DocumentFrequencies, Featurizer, FeatureWeights, featurize_many, weigh_batch, weigh_one

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
    window_days: float = 60.0
    scale_days: float = 30.0
    retire_days: float = 180.0
    retire_arrivals: int = 20_000
    flush_every: int = 1000
    workers: int = 2
    exact_limit: int = 2_000
    index_features: int = 16
    max_candidates: int = 8
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
        """Cluster a batch. The result does not depend on the order of ``articles``.

        Up to ``exact_limit`` articles, average linkage runs exactly over the
        candidate pairs (:mod:`.batch`). Beyond, stories chain together through
        pairs of similar events until exact linkage would need matrices of the
        whole batch, so it runs exactly within slices of that size in time
        order, in parallel, and the slices' stories are stitched together by
        the same rule (:func:`.batch.cluster_slices`).
        """
        p = self.params
        arts = sorted(articles, key=lambda a: a.id)
        full, leads = featurize_many(arts, p.weights, workers=p.workers)
        x = weigh_batch(full)
        days = np.array([day_of(a) for a in arts])
        if len(arts) > p.exact_limit:
            labels = batch.cluster_slices(x, days, p.threshold, window=p.window_days, scale=p.scale_days,
                                          size=p.exact_limit, workers=p.workers)
        else:
            labels = batch.average_linkage(x, days, p.threshold, window=p.window_days, scale=p.scale_days)
        labels = split.refine(labels, leads, p.split_ncut, p.min_split, workers=p.workers)
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

    def learn_many(self, articles: Iterable[Article]) -> list[str]:
        """:meth:`learn_one` for each article in turn (same result), with the
        features of the whole group computed in parallel first: for streams
        that arrive in batches, such as a feed poll or a crawl segment."""
        arts = list(articles)
        full, leads = featurize_many(arts, self.params.weights, workers=self.params.workers)
        out = []
        for a, counts, lead in zip(arts, full.rows(), leads.rows()):
            sid = self.labels_[a.id] = self._online.learn_features(a, counts, lead)
            out.append(sid)
        return out

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
    settled: int = 0  # size at the last flush
    compact: dict[int, float] | None = None  # the strongest features of ``total``, for story-story similarity


def _spread(items: list[int], n: int) -> list[int]:
    """At most ``n`` items, evenly spread over the list (first and last included)."""
    if len(items) <= n:
        return list(items)
    step = (len(items) - 1) / (n - 1)
    return [items[round(i * step)] for i in range(n)]


class _Online:
    """The stream form of the model: greedy average linkage against live stories,
    merges when stories come together, splits when one turns out to hold two."""

    MAX_POSTINGS = 2000  # a feature shared by more live stories than this finds nothing specific
    UNION_SAMPLE = 40  # members of each story a union check looks at

    def __init__(self, params: ClusterParams) -> None:
        self.p = params
        self.featurize = Featurizer(params.weights)
        self.dfs = DocumentFrequencies()
        self.docs: list[_Doc] = []
        self.stories: dict[int, _Story] = {}
        self.index: dict[int, set[int]] = {}
        self.next_story = 0
        self.weighted_at = 0
        self.now = -math.inf
        # merges refused because the union would split again: story keys -> union size then
        self.refused: dict[frozenset[int], int] = {}

    # similarity --------------------------------------------------------------------

    @staticmethod
    def _dot(a: dict[int, float], b: dict[int, float]) -> float:
        if len(a) > len(b):
            a, b = b, a
        get = b.get
        return sum([v * get(k, 0.0) for k, v in a.items()])

    def _decay(self, gap: float) -> float:
        w = self.p.window_days
        return 1.0 if math.isnan(gap) or gap <= w else math.exp(-(gap - w) / self.p.scale_days)

    def _gap(self, day: float, st: _Story) -> float:
        return math.nan if math.isnan(day) or math.isnan(st.first) else max(0.0, st.first - day, day - st.last)

    def _story_gap(self, a: _Story, b: _Story) -> float:
        if math.isnan(a.first) or math.isnan(b.first):
            return math.nan
        return max(0.0, a.first - b.last, b.first - a.last)

    COMPACT = 256  # features of a story's vector sum kept for story-story similarity

    def _compact(self, st: _Story) -> dict[int, float]:
        if st.compact is None:
            total = st.total
            if len(total) > self.COMPACT:
                keep = sorted(total, key=total.__getitem__, reverse=True)[: self.COMPACT]
                st.compact = {f: total[f] for f in keep}
            else:
                st.compact = total
        return st.compact

    def _linkage(self, a: int, b: int) -> float:
        """Average similarity between two stories, from their vector sums (the
        strongest features of each: big stories have thousands, most of them faint)."""
        sa, sb = self.stories[a], self.stories[b]
        dot = self._dot(self._compact(sa), self._compact(sb))
        return dot / (len(sa.members) * len(sb.members)) * self._decay(self._story_gap(sa, sb))

    def _scores(self, vec: dict[int, float], day: float) -> dict[int, float]:
        """Average similarity of a vector to each candidate story."""
        out = {}
        for k in self._candidates(vec):
            st = self.stories[k]
            out[k] = self._dot(vec, st.total) / len(st.members) * self._decay(self._gap(day, st))
        return out

    # candidates ------------------------------------------------------------------

    def _top(self, vec: dict[int, float]) -> list[int]:
        return sorted(vec, key=vec.__getitem__, reverse=True)[: self.p.index_features]

    def _candidates(self, vec: dict[int, float]) -> set[int]:
        """Live stories sharing the most of ``vec``'s top features (at most ``max_candidates``)."""
        hits: dict[int, int] = {}
        for f in self._top(vec):
            for k in self.index.get(f, ()):
                hits[k] = hits.get(k, 0) + 1
        live = [k for k in hits if k in self.stories and not self.stories[k].retired]
        if len(live) > self.p.max_candidates:
            live = sorted(live, key=lambda k: (-hits[k], k))[: self.p.max_candidates]
        return set(live)

    def _index(self, k: int, vec: dict[int, float]) -> None:
        for f in self._top(vec):
            posting = self.index.setdefault(f, set())
            if len(posting) < self.MAX_POSTINGS:
                posting.add(k)

    # public ----------------------------------------------------------------------

    def predict_one(self, article: Article) -> str | None:
        scores = self._scores(weigh_one(self.featurize(article)[0], self.dfs), day_of(article))
        best = max(scores, key=lambda k: (scores[k], -k), default=None)
        return self.stories[best].sid if best is not None and scores[best] >= self.p.threshold else None

    def learn_one(self, article: Article) -> str:
        return self.learn_features(article, *self.featurize(article))

    def learn_features(self, article: Article, counts: dict[int, float], lead: dict[int, float]) -> str:
        self.dfs.learn_one(counts.keys())
        sid = self.learn_vector(article.id, day_of(article), counts, lead, weigh_one(counts, self.dfs))
        if self.dfs.n >= max(64, 2 * self.weighted_at):
            self._reweigh()
        return sid

    def learn_vector(self, article_id: str, day: float, counts: dict[int, float], lead: dict[int, float],
                     vec: dict[int, float]) -> str:
        """Add one report given its features and TF-IDF vector; return its story id."""
        p = self.p
        if not math.isnan(day):
            self.now = max(self.now, day)
        i = len(self.docs)
        self.docs.append(_Doc(article_id, day, counts, lead, vec, -1))
        scores = self._scores(vec, day)
        best = max(scores, key=lambda k: (scores[k], -k), default=None)
        if best is not None and scores[best] >= p.threshold:
            self._add(best, i)
        else:
            best = self._new_story([i])
        self._index(best, vec)
        # A merge the new report brings about needs it to be that close to the other
        # story too: the average of two stories only rises by what the new member adds.
        close = sorted((k for k, v in scores.items() if v >= p.threshold and k != best), key=lambda k: -scores[k])
        for other in close[:2]:
            if other in self.stories and best in self.stories:
                best = self._try_merge(best, other)
        if (i + 1) % p.flush_every == 0:
            self.flush(growth=1.25)  # between explicit flushes, re-check only stories grown by a quarter
            self._retire()
        return self.stories[self.docs[i].story].sid

    def labels(self) -> dict[str, str]:
        return {d.article_id: self.stories[d.story].sid for d in self.docs}

    def flush(self, growth: float = 1.0) -> None:
        """Split the stories that grew (by more than ``growth`` times) since their
        last check, then look again for merges among the stories that changed
        (and those refused before)."""
        for k in sorted(self.stories):
            if k in self.stories and not self.stories[k].retired:
                self._maybe_split(k, growth)
        pairs = sorted(tuple(sorted(pair)) for pair in self.refused)
        self.refused.clear()
        for a, b in pairs:
            if a in self.stories and b in self.stories:
                self._try_merge(a, b)
        for k in sorted(self.stories):
            st = self.stories.get(k)
            if st is None or st.retired or len(st.members) == st.settled:
                continue
            for other in sorted(self._candidates(st.total) - {k}):
                if k in self.stories and other in self.stories:
                    k = self._try_merge(k, other)
            self.stories[k].settled = len(self.stories[k].members)

    # story bookkeeping -------------------------------------------------------------

    def _new_story(self, members: list[int]) -> int:
        k = self.next_story
        self.next_story += 1
        founder = min(members, key=self._key)
        self.stories[k] = _Story(story_id(self.docs[founder].article_id), self._key(founder), [], {}, math.nan, math.nan)
        for m in members:
            self._add(k, m)
        return k

    def _key(self, m: int) -> tuple[float, str]:
        d = self.docs[m]
        return (d.day if not math.isnan(d.day) else math.inf, d.article_id)

    def _add(self, k: int, m: int) -> None:
        st = self.stories[k]
        st.members.append(m)
        doc = self.docs[m]
        doc.story = k
        st.compact = None
        total = st.total
        get = total.get
        for f, v in doc.vec.items():
            total[f] = get(f, 0.0) + v
        st.touched = max(st.touched, m)
        if not math.isnan(doc.day):
            st.first = doc.day if math.isnan(st.first) else min(st.first, doc.day)
            st.last = doc.day if math.isnan(st.last) else max(st.last, doc.day)

    def _try_merge(self, a: int, b: int) -> int:
        """Merge stories ``a`` and ``b`` if their average similarity reaches the
        threshold and their union does not split straight back into two events.
        Returns the key of the story ``a`` now belongs to."""
        if self.stories[a].retired or self.stories[b].retired or self._linkage(a, b) < self.p.threshold:
            return a
        if not self._union_holds(a, b):
            return a
        return self._merge(a, b)

    def _union_holds(self, a: int, b: int) -> bool:
        """Whether a union does not cut cleanly in two. A refusal is remembered
        until the stories have grown by a quarter (or until :meth:`flush`)."""
        sa, sb = self.stories[a], self.stories[b]
        size = len(sa.members) + len(sb.members)
        if size < 2 * self.p.min_split:
            return True
        key = frozenset((a, b))
        if key in self.refused and size < 1.25 * self.refused[key]:
            return False
        sample = _spread(sa.members, self.UNION_SAMPLE) + _spread(sb.members, self.UNION_SAMPLE)
        mask = split.split_story([self.docs[m].lead for m in sample], self.p.split_ncut, self.p.min_split)
        if mask is None:
            self.refused.pop(key, None)
            return True
        self.refused[key] = size
        return False

    def _merge(self, a: int, b: int) -> int:
        """Merge two stories; the one founded first keeps its id (and key)."""
        keep, gone = (a, b) if self.stories[a].founder <= self.stories[b].founder else (b, a)
        st, old = self.stories[keep], self.stories.pop(gone)
        for m in old.members:
            self._add(keep, m)
        self._index(keep, old.total)
        st.checked_at = 0
        self.refused = {pair: n for pair, n in self.refused.items() if gone not in pair}
        return keep

    def _maybe_split(self, k: int, growth: float = 1.0) -> None:
        """Split story ``k`` if it grew (``growth`` times) since its last check and
        now holds two events. Splits wait for :meth:`flush`: checked on every
        arrival, small stories would split on too little evidence."""
        st = self.stories[k]
        n = len(st.members)
        if n < 2 * self.p.min_split or n <= st.checked_at * growth:
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
        self.refused[frozenset((k, new))] = n
        self._index(new, self.stories[new].total)

    def _rebuild(self, k: int, members: list[int]) -> None:
        st = self.stories[k]
        st.members, st.total, st.first, st.last, st.compact = [], {}, math.nan, math.nan, None
        for m in members:
            self._add(k, m)

    def _reweigh(self) -> None:
        """Recompute every live vector with the document frequencies learnt so
        far: early vectors were weighted with little to go on."""
        self.weighted_at = self.dfs.n
        self.index = {}
        for k, st in self.stories.items():
            if st.retired:
                continue
            for m in st.members:
                self.docs[m].vec = weigh_one(self.docs[m].counts, self.dfs)
            self._rebuild(k, list(st.members))
            for m in st.members:
                self._index(k, self.docs[m].vec)

    def _retire(self) -> None:
        """Stop offering stories silent for ``retire_days`` and ``retire_arrivals``; free their vectors."""
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
