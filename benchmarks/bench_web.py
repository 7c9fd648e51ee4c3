"""``newsfuse serve``: the story page of a story of 50 reports, cold and warm, server time.

The story is 50 reports made in the run from the shipped ferry example: each is
one of its six reports (cleaned) with light changes of its own (a sentence left
out, two sentences swapped, some words replaced, an outlet's own first line,
now and then another passenger count), under its own id, outlet, URL and time.
Most are copies of one another, as syndicated wire copies are: 50 sources,
five independent. (Mixing the reports' sentences gives more independent
sources, but the stream clustering then rightly splits the synthetic texts
into several stories.)
They are written to a temporary folder and ingested into a temporary store with
the recall example (a second story, used to warm up).

Timed through the ASGI app in this process (httpx via Starlette's TestClient;
no network): the time from the request to the response, and the server's own
``Server-Timing`` figure. Baselines measured in the same run:

- cold page (brief not cached: made by the server's worker process) against
  ``Store.brief`` of the same story on an identical store, in this process;
  both after a brief of the recall story, so models are loaded in both;
- warm page (the brief cached) against ``Store.brief`` reading the store's
  cache, and against rendering the static page (``to_html``) of that brief.

    python benchmarks/run.py web
    python benchmarks/bench_web.py --quick    # 20 reports
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from common import ROOT, save, table

BUDGET_MS = 300
SWAPS = [("ferry", "vessel"), ("passengers", "travellers"), ("evacuated", "brought ashore"), ("said", "stated"),
         ("thick fog", "dense fog"), ("ran aground", "ran onto a sandbank"), ("investigation", "inquiry"),
         ("coast guard", "coastguard"), ("minor injuries", "light injuries"), ("route", "line"),
         ("on Thursday", "on Thursday morning"), ("chief executive", "CEO")]
LEADS = ["Here is what we know so far.", "The story is developing.", "Our reporter followed the rescue.",
         "Readers sent us photos of the scene.", "Updated with the operator's statement."]


def reports(n: int, seed: int = 7) -> list[dict]:
    """``n`` lightly varied reports of the ferry story, each with its own id, outlet and time.

    Each is one of the example's six reports (cleaned) with changes of its own. Most come
    out as copies of one another (as syndicated wire copies do): the page must show them
    all, grouped under their originals, and the brief counts each original once.
    """
    import newsfuse

    base = newsfuse.clean_batch(newsfuse.read([str(ROOT / "examples" / "ferry")]))
    rnd = random.Random(seed)
    start = datetime(2025, 3, 6, 8, 30, tzinfo=timezone.utc)
    rows = []
    for k in range(n):
        a = base[k % len(base)]
        sentences = re.split(r"(?<=[.!?])\s+", a.text)
        if len(sentences) > 6:
            del sentences[rnd.randrange(2, len(sentences))]
            m = rnd.randrange(2, len(sentences) - 1)
            sentences[m], sentences[m + 1] = sentences[m + 1], sentences[m]
        text = " ".join([rnd.choice(LEADS), *sentences])
        for old, new in rnd.sample(SWAPS, 5):
            text = text.replace(old, new)
        if k % 10 == 9:
            text = text.replace("212 passengers", "213 passengers")  # now and then a different count
        rows.append({"id": f"bench-ferry-{k:02d}", "url": f"https://outlet{k:02d}.example/news/ferry-aground",
                     "source": f"Outlet {k:02d}", "title": (a.title or "Ferry aground") + f" ({k})",
                     "published": (start + timedelta(minutes=17 * k)).isoformat(), "language": "en", "text": text})
    return rows


def _copy(src: Path, dest: Path) -> Path:
    with sqlite3.connect(src) as a, sqlite3.connect(dest) as b:
        a.backup(b)
    return dest


def _median_ms(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times) * 1000


def main(quick: bool = False) -> None:
    from newsfuse.brief import to_html
    from newsfuse.store import Store

    n, repeat = (20, 5) if quick else (50, 20)
    with tempfile.TemporaryDirectory(prefix="newsfuse-bench-web-") as tmp:
        folder = Path(tmp)
        path = folder / "ferry-reports.jsonl"
        path.write_text("\n".join(json.dumps(r) for r in reports(n)) + "\n", encoding="utf-8")
        db = folder / "store.db"
        with Store(db) as store:
            store.ingest([str(path), str(ROOT / "examples" / "recall")])
            rows = store.stories()
        big = max(rows, key=lambda r: r.articles)
        small = min(rows, key=lambda r: r.articles)
        web_db = _copy(db, folder / "web.db")  # the same store, no brief cached

        # Baselines, in this process, before any thread starts (the analysis forks).
        with Store(db) as store:
            store.brief(small.id)  # models loaded, workers forked
            t = time.perf_counter()
            brief = store.brief(big.id)
            brief_cold = time.perf_counter() - t
        with Store(db, readonly=True) as store:
            brief_warm = _median_ms(lambda: store.brief(big.id), repeat)
        html_ms = _median_ms(lambda: to_html([brief]), repeat)

        page = _web(web_db, big.id, small.id, repeat)

    sources, independent = len(brief.sources), brief.independent_sources
    print(table([
        ["story page, cold (brief made by the worker)", f"{page['cold_s']:.2f} s",
         f"{brief_cold:.2f} s (Store.brief, not cached)", f"{page['cold_s'] / brief_cold:.2f}×", "–"],
        ["story page, warm (brief in memory)", f"{page['warm_ms']:.1f} ms", f"{brief_warm:.1f} ms (Store.brief, cached)",
         f"{page['warm_ms'] / brief_warm:.2f}×", f"≤ {BUDGET_MS} ms"],
        ["story page, warm (brief from the store's cache)", f"{page['store_ms']:.1f} ms",
         f"{brief_warm:.1f} ms (Store.brief, cached)", f"{page['store_ms'] / brief_warm:.2f}×", f"≤ {BUDGET_MS} ms"],
        ["story page, warm, vs the static page", f"{page['warm_ms']:.1f} ms", f"{html_ms:.1f} ms (to_html)",
         f"{page['warm_ms'] / html_ms:.2f}×", "–"],
        ["brief JSON (GET /api/stories/{id}), warm", f"{page['api_ms']:.1f} ms", "–", "–", "–"],
    ], [f"{sources} reports ({independent} independent), {n} generated", "web (Server-Timing)", "baseline", "ratio",
        "budget"]))
    print(f"\nstory page: {page['kb']:.0f} KB of HTML; wall time in-process (client side): cold {page['cold_wall_s']:.2f} s,"
          f" warm {page['warm_wall_ms']:.1f} ms")
    save("web", {"reports": n, "sources": sources, "independent_sources": independent,
                 "page_cold_s": round(page["cold_s"], 3), "page_warm_ms": round(page["warm_ms"], 1),
                 "page_warm_store_cache_ms": round(page["store_ms"], 1), "api_brief_warm_ms": round(page["api_ms"], 1),
                 "baseline_store_brief_cold_s": round(brief_cold, 3), "baseline_store_brief_warm_ms": round(brief_warm, 1),
                 "baseline_to_html_ms": round(html_ms, 1), "page_kb": round(page["kb"], 1), "budget_ms": BUDGET_MS})


def _web(db: Path, story: str, warmup: str, repeat: int) -> dict[str, float]:
    from fastapi.testclient import TestClient

    from newsfuse.web.app import create_app

    app = create_app(db, page_wait=3600)
    service = app.state.service

    def server_ms(path: str) -> tuple[float, float, int]:
        t = time.perf_counter()
        r = client.get(path)
        wall = time.perf_counter() - t
        assert r.status_code == 200, (path, r.status_code)
        return float(r.headers["server-timing"].split("dur=")[1]), wall, len(r.content)

    with TestClient(app) as client:
        service.worker.warm().result()
        client.get(f"/api/stories/{warmup}")  # the worker briefs another story first, as the baseline did
        cold, cold_wall, size = server_ms(f"/stories/{story}")
        warm = [server_ms(f"/stories/{story}") for _ in range(repeat)]
        stored = []
        for _ in range(repeat):
            service.forget()  # as after a restart: the brief comes from the store's cache
            stored.append(server_ms(f"/stories/{story}")[0])
        api = [server_ms(f"/api/stories/{story}")[0] for _ in range(repeat)]
    return {"cold_s": cold / 1000, "cold_wall_s": cold_wall, "warm_ms": statistics.median(w[0] for w in warm),
            "warm_wall_ms": statistics.median(w[1] for w in warm) * 1000, "store_ms": statistics.median(stored),
            "api_ms": statistics.median(api), "kb": size / 1024}


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main(quick="--quick" in sys.argv)
