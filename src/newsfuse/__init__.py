"""newsfuse: many news reports in, checked stories out.

The public API is small; the command line only wraps it:

>>> import newsfuse
>>> articles = newsfuse.read("examples/")          # doctest: +SKIP
>>> articles[0].title, articles[0].language          # doctest: +SKIP
"""

from __future__ import annotations

from .clean import clean_batch, clean_text
from .lang import detect_language
from .model import Article, Document, Problem, Removal
from .read import ReadOptions, iter_read, read

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Document",
    "Problem",
    "ReadOptions",
    "Removal",
    "clean_batch",
    "clean_text",
    "detect_language",
    "iter_read",
    "read",
]
