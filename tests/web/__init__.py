"""Shared helpers of the web tests: a store of the seeds and examples, a server in a
subprocess, a watched browser page.

The store is built once per test process (ingesting is in-process and forks
nothing for a handful of articles); its briefs are made by the server's worker
process the first time a story is asked for, and cached in the store.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from ..browser import Watched as WatchedPage
from ..conftest import EXAMPLES, ROOT, SEEDS, need

CHROMIUM = "/usr/bin/chromium"
# No network here but package registries: keep Chromium from calling home.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
SHOTS = ROOT / ".test-output" / "web"
CANARY = "() => [window.__pwned, window.__xss, window.__js]"
SEED_HEADLINE = "In a phone call, Biden warns Putin against invading Ukraine"
FERRY_HEADLINE = "Marisol Star runs aground on Gull Bank in thick fog – everyone on board rescued"

_STORE: Path | None = None


def seeded_store() -> Path:
    """A store holding the seeds and the examples (built once per process, removed at exit)."""
    global _STORE
    if _STORE is None:
        need(SEEDS)
        from newsfuse.store import Store

        folder = Path(tempfile.mkdtemp(prefix="newsfuse-web-tests-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        with Store(folder / "store.db") as store:
            store.ingest([str(SEEDS), str(EXAMPLES)])
        _STORE = folder / "store.db"
    return _STORE


_PRIMED: dict | None = None


def primed_store() -> tuple[Path, dict]:
    """The seeded store with every story's brief made and cached, and how that went.

    The briefs are asked for the way a busy server gets asked: a page first (answered
    "preparing" at once), then every story's JSON at the same time, from threads, while
    the app runs in TestClient's thread. They must be made by the worker process, never
    here (``Store.brief`` is made to fail in this process meanwhile), without deadlock.
    """
    global _PRIMED
    if _PRIMED is None:
        _PRIMED = _prime(seeded_store())
    return seeded_store(), _PRIMED


def _prime(db: Path) -> dict:
    import threading
    from unittest import mock

    from fastapi.testclient import TestClient

    from newsfuse.store import Store
    from newsfuse.web.app import create_app

    with Store(db, readonly=True) as store:
        ids = [r.id for r in store.stories()]
    seed = story_id(db, SEED_HEADLINE)
    statuses: dict[str, int] = {}
    started = time.perf_counter()

    def in_process(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a brief was made in the server process")

    with mock.patch.object(Store, "brief", in_process), TestClient(create_app(db, page_wait=0.0)) as client:
        preparing = client.get(f"/stories/{seed}")

        def ask(sid: str) -> None:
            statuses[sid] = client.get(f"/api/stories/{sid}").status_code

        threads = [threading.Thread(target=ask, args=(sid,), daemon=True) for sid in ids]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=240)
        hung = sum(t.is_alive() for t in threads)
        page = client.get(f"/stories/{seed}")
    return {"preparing_status": preparing.status_code, "preparing_text": preparing.text, "statuses": statuses,
            "hung": hung, "page_status": page.status_code, "seconds": time.perf_counter() - started, "ids": ids}


def copy_store(src: Path, dest_dir: Path) -> Path:
    """A copy of a (closed) store, to change without touching the shared one."""
    import sqlite3

    dest = dest_dir / "copy.db"
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    return dest


def story_id(db: Path, headline: str) -> str:
    from newsfuse.store import Store

    with Store(db, readonly=True) as store:
        return next(r.id for r in store.stories() if r.headline == headline)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``newsfuse serve`` in a process of its own, as a user runs it."""

    def __init__(self, db: Path, *args: str, log: Path | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        cmd = [sys.executable, "-m", "newsfuse.web.cli", "--db", str(db), "--port", str(self.port),
               "--log-level", "warning", *args]
        self.log = log or Path(tempfile.mkstemp(prefix="newsfuse-serve-", suffix=".log")[1])
        self._log_file = self.log.open("wb")
        self.process = subprocess.Popen(cmd, stdout=self._log_file, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        self._wait()

    def _wait(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log.read_text()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("the server did not start")

    def get(self, path: str, *, timeout: float = 300, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        import httpx

        return httpx.get(self.url + path, timeout=timeout, headers=headers or {})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


def launch_browser(p):  # type: ignore[no-untyped-def]
    return p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def need_browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (Debian package chromium; `make test` installs it)")
    return pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


class Watched(WatchedPage):
    """A page of the server at ``origin``: a request anywhere else is stray."""

    def __init__(self, context, origin: str) -> None:  # type: ignore[no-untyped-def]
        super().__init__(context.new_page(), lambda url: url.startswith(origin), CANARY, [None, None, None])


def shot(page, name: str, *, full_page: bool = True, locator=None) -> Path:  # type: ignore[no-untyped-def]
    """A screenshot under .test-output/web/ for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    (locator or page).screenshot(path=str(path), **({} if locator else {"full_page": full_page}))
    return path


def hostile_rows() -> list[dict]:
    """Two reports of one (made-up) event whose title, outlet, URL and text carry script payloads."""
    script = "<script>window.__pwned=1;alert('script')</script>"
    img = '<img src=x onerror="window.__xss=1;alert(\'img\')">'
    link = '<a href="javascript:window.__js=1;alert(\'link\')">click me</a>'
    svg = "<svg onload=\"window.__xss=1;alert('svg')\"></svg>"
    return [
        {"id": "hostile-1", "url": "https://one.example/bridge?x=\"><script>alert(1)</script>",
         "source": f"Harbour Post {script}", "title": f"Kestrel Bay bridge reopens {script}{img}",
         "published": "2025-05-02T09:00:00+00:00", "language": "en",
         "text": "The Kestrel Bay harbour bridge reopened on Friday after three weeks of storm repairs, the city "
                 f"said. {script} Engineer Lars Dalen said: \"The deck is safe again.\" {img} About 12,000 vehicles "
                 f"cross the bridge every day, according to the city. {link} The repairs cost 4 million euros. {svg}"},
        {"id": "hostile-2", "url": "javascript:window.__js=1;alert('url')", "source": f"Bay News {img}",
         "title": f"Harbour bridge open again {link}", "published": "2025-05-02T11:00:00+00:00", "language": "en",
         "text": "After three weeks of repairs following the storm, the Kestrel Bay harbour bridge reopened on "
                 f"Friday, the city said. Engineer Lars Dalen said: \"The deck is safe again.\" {script} Some 12,000 "
                 f"vehicles use the bridge daily {link}. The repairs cost 5 million euros, the city said. {img}"},
    ]


def write_jsonl(rows: list[dict], path: Path) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path
