"""A browser page watched for what hostile content must never cause (shared by the brief and web tests)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Watched:
    """A page with every dialog, console error, page error and request not ``allowed`` recorded;
    ``canary`` is a script whose value on a clean page is ``clean``."""

    def __init__(self, page: Any, allowed: Callable[[str], bool], canary: str, clean: list[Any]) -> None:
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.stray: list[str] = []
        self.canary, self.clean = canary, clean
        self.page = page
        page.on("dialog", self._dialog)
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", lambda r: allowed(r.url) or self.stray.append(r.url))

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def assert_quiet(self) -> None:
        assert self.dialogs == [], f"a payload opened a dialog: {self.dialogs}"
        assert self.page_errors == [], f"script ran and failed: {self.page_errors}"
        # A CSP violation shows in the console: markup got through the escaping.
        assert self.console_errors == [], f"console errors: {self.console_errors[:3]}"
        assert self.stray == [], f"the page fetched what it should not: {self.stray}"
        assert self.page.evaluate(self.canary) == self.clean
