"""How alike two short texts are in meaning: sentence embeddings.

The claims, quotes and facts of a story are compared by the cosine of their
embeddings (:mod:`newsfuse.embed`, the multilingual Universal Sentence
Encoder run in numpy). Where the model is not installed, a bag of content
words stands in, with a warning once: alignment then misses paraphrases and
translations but still finds shared wording.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

import numpy as np

from ..text import STOP_WORDS, TOKEN

log = logging.getLogger(__name__)
_warned = False
LEXICAL_DIM = 2048


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length rows, one per text: the sentence encoder when installed, else hashed content words."""
    from .. import embed as model

    if model.available():
        return model.encoder().encode(list(texts))
    global _warned
    if not _warned:
        log.warning("sentence encoder not installed (%s): aligning claims by shared words only", model.INSTALL)
        _warned = True
    return lexical(texts)


def lexical(texts: Sequence[str]) -> np.ndarray:
    """Hashed bag-of-content-words vectors, unit length (zero rows for texts without content words)."""
    out = np.zeros((len(texts), LEXICAL_DIM), dtype=np.float32)
    for i, t in enumerate(texts):
        for w in TOKEN.findall(t.lower()):
            if w not in STOP_WORDS and len(w) > 2:
                h = int.from_bytes(hashlib.blake2b(w.encode(), digest_size=4).digest(), "little")
                out[i, h % LEXICAL_DIM] += 1.0
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norms == 0, 1.0, norms)


def cosine(a: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    """Pairwise cosine of unit rows."""
    return a @ (a if b is None else b).T
