"""Scores of newsfuse against gold annotations.

- :mod:`.clustering`: stories against gold event labels (B-cubed and pairwise).
- :mod:`.brief`: briefs against annotated events (claims, differences, summary),
  the layout of ``data/claims-dev``.
"""

from __future__ import annotations

from .clustering import Scores, bcubed, clusters, pairwise

__all__ = ["Scores", "bcubed", "clusters", "pairwise"]
