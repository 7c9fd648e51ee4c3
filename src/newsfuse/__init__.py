"""newsfuse: many news reports in, checked stories out.

The public API is small; the command line only wraps it:

>>> import newsfuse
>>> articles = newsfuse.read("examples/")          # doctest: +SKIP
>>> articles[0].title, articles[0].language          # doctest: +SKIP
"""

from __future__ import annotations

from .clean import clean_batch, clean_text
from .cluster import ClusterParams, StoryClusterer, cluster
from .dedup import CopyDetector, find_copies
from .lang import detect_language
from .model import Article, Document, Problem, Removal
from .pipeline import Clustering, Pipeline, Story
from .read import ReadOptions, iter_read, read
from .store import Store

__version__ = "0.1.0"

__all__ = [
    "Article",
    "ClusterParams",
    "Clustering",
    "CopyDetector",
    "Document",
    "Pipeline",
    "Problem",
    "ReadOptions",
    "Removal",
    "Story",
    "Store",
    "StoryClusterer",
    "clean_batch",
    "clean_text",
    "cluster",
    "detect_language",
    "find_copies",
    "iter_read",
    "read",
]
