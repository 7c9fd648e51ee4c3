"""The web view of the store: ``newsfuse serve`` (pages and a JSON API).

>>> from newsfuse.web import create_app                  # doctest: +SKIP
>>> app = create_app("newsfuse.db", token="s3cret")       # doctest: +SKIP

Importing this package is cheap: the web stack (FastAPI, Jinja2) is imported
only when an app is made, so ``newsfuse`` commands that do not serve never
pay for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(name)
