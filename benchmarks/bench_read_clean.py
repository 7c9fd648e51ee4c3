"""Reading + cleaning throughput, per input format, against trafilatura.

The corpus: every ECB+ dev article (real text) written out twice in each
format - plain text, an HTML page, a JSONL row and a WARC record - with page
furniture and scraped junk of the usual kinds added around and inside the
story (teasers, prompts, captions, comments, navigation). The junk lines are
our own, so the quality columns say how much of *that* junk survives; they
are indicative, the real measure is the seeds test suite.

Peers in the same run: trafilatura.extract on the same HTML pages, and a bare
baseline for text (decode + split into lines, no cleaning).
"""

from __future__ import annotations

import html
import json
import random
import tempfile
import time
from pathlib import Path

from common import ROOT, ecb_rows, save, table

COPIES = 2
JUNK_INLINE = [
    "See also\u00a0Council approves new budget for the harbour district",
    "Read also: Five things to know before the long weekend",
    "Watch: Storm batters the northern coast 2:41",
    "Rescue teams at the scene on Thursday. (Photo: Jane Roe / Agency)",
    "Advertisement",
    "Lire aussi : Le gouvernement présente son plan pour l'hiver",
    "Lesen Sie auch: Neue Regeln für Fahrräder in der Innenstadt",
    "Lee también: La ciudad abre un nuevo parque junto al río",
    "Follow us on Twitter and Facebook for the latest news",
]
JUNK_END = [
    "Source link", "By admin", "Share this article", "Leave a Reply",
    "Your email address will not be published. Required fields are marked *",
    "Most Popular", "Related Posts", "© 2024 Example Media. All rights reserved.",
]
PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta property="og:site_name" content="Example News"></head><body>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all</button></div>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav></header>
<main><article><h1>{title}</h1><p class="byline">By Staff Reporter</p>{body}
<div class="share">Share on Facebook Share on X Email</div></article>
<aside><h3>Most read</h3><ul><li><a href="/a">Council approves new budget</a></li><li><a href="/b">Weekend weather: dry and bright</a></li></ul></aside>
<section class="comments"><h3>2 comments</h3><p>Great article, thanks for sharing!</p><h3>Leave a comment</h3>
<p>Your email address will not be published.</p></section></main>
<footer>© 2024 Example News. All rights reserved. <a href="/privacy">Privacy</a></footer></body></html>"""


def build(root: Path) -> dict:
    """Write the corpus; return the story paragraphs per article for scoring."""
    rnd = random.Random(42)
    rows = [r for r in ecb_rows() if r["text"].strip()]
    stories: dict[str, tuple[str, list[str]]] = {}
    txt_dir, html_dir = root / "txt", root / "html"
    txt_dir.mkdir()
    html_dir.mkdir()
    jsonl = (root / "rows.jsonl").open("w")
    pages: list[tuple[str, str]] = []
    for copy in range(COPIES):
        for i, r in enumerate(rows):
            paras = [p for p in r["text"].split("\n") if p.strip()]
            key = f"{copy}-{i}"
            title = r["title"] or paras[0][:80]
            stories[key] = (title, paras)
            junked = list(paras)
            for line in rnd.sample(JUNK_INLINE, 2):
                junked.insert(rnd.randrange(1, len(junked) + 1), line)
            junked += rnd.sample(JUNK_END, 4)
            (txt_dir / f"{key}.txt").write_text(title + "\n\n" + "\n\n".join(junked) + "\n")
            body = "".join(f"<p>{html.escape(p)}</p>" for p in paras)
            page = PAGE.format(title=html.escape(title), body=body)
            (html_dir / f"{key}.html").write_text(page)
            pages.append((f"https://news.example/{key}", page))
            jsonl.write(json.dumps({"id": key, "title": title, "text": "\n\n".join(junked), "source": "Example"}) + "\n")
    jsonl.close()
    import sys

    sys.path.insert(0, str(ROOT))
    from tests.read.helpers import write_warc

    write_warc(root / "crawl.warc.gz", pages, extra_records=False)
    return stories


def score(articles, stories: dict[str, tuple[str, list[str]]], key_of) -> tuple[float, float]:
    """Share of story paragraphs kept, share of articles with any junk left."""
    kept = total = leaky = 0
    junk = [j for j in JUNK_INLINE + JUNK_END + ["We use cookies", "Great article", "Most read"]]
    from newsfuse.dates import parse_date_line

    for a in articles:
        # date lines and a repeated headline are metadata, not story
        title, paras = stories[key_of(a)]
        paras = [p for p in paras if parse_date_line(p) is None and p.strip() != title.strip()]
        text = " ".join(a.text.split())
        total += len(paras)
        kept += sum(1 for p in paras if " ".join(p.split()) in text)
        leaky += any(" ".join(j.split()) in text for j in junk)
    return kept / max(total, 1), leaky / max(len(articles), 1)


def main() -> None:
    import trafilatura

    import newsfuse
    from newsfuse.read import ReadOptions

    opts = ReadOptions(keep_raw=False)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        stories = build(root)
        n = len(stories)
        newsfuse.read(root / "txt" / "0-0.txt")  # load the language model outside the timings

        results = []
        key_from_path = lambda a: Path(a.origin.split("#")[0].split(":")[0]).stem  # noqa: E731
        for fmt, src, key_of in [
            ("txt", root / "txt", key_from_path),
            ("jsonl", root / "rows.jsonl", lambda a: a.id),
            ("html", root / "html", key_from_path),
            ("warc.gz", root / "crawl.warc.gz", lambda a: a.url.rsplit("/", 1)[1]),
        ]:
            t = time.perf_counter()
            arts = list(newsfuse.iter_read(src, options=opts))
            dt = time.perf_counter() - t
            kept, leaky = score(arts, stories, key_of)
            results.append({"format": fmt, "articles": len(arts), "seconds": dt, "per_s": len(arts) / dt,
                            "story_kept": kept, "articles_with_junk": leaky})

        # Peers on the same files.
        t = time.perf_counter()
        lines = 0
        for f in sorted((root / "txt").iterdir()):
            lines += len(f.read_bytes().decode("utf-8").splitlines())
        bare = n / (time.perf_counter() - t)

        class T:  # a stand-in article for scoring trafilatura's output
            def __init__(self, origin: str, text: str) -> None:
                self.origin, self.text = origin, text

        t = time.perf_counter()
        outs = [T(str(f), trafilatura.extract(f.read_bytes().decode("utf-8"), include_comments=False) or "") for f in sorted((root / "html").iterdir())]
        traf_dt = time.perf_counter() - t
        traf_kept, traf_leaky = score(outs, stories, key_from_path)

    by = {r["format"]: r for r in results}
    rows = [[r["format"], r["articles"], f"{r['per_s']:.0f}", f"{100 * r['story_kept']:.1f}%", f"{100 * r['articles_with_junk']:.1f}%"] for r in results]
    rows.append(["html: trafilatura.extract, no comments (peer)", n, f"{n / traf_dt:.0f}", f"{100 * traf_kept:.1f}%", f"{100 * traf_leaky:.1f}%"])
    rows.append(["txt: decode + split only (baseline)", n, f"{bare:.0f}", "-", "-"])
    print(table(rows, ["format", "articles", "articles/s", "story paragraphs kept", "articles with junk left"]))
    ratio = by["html"]["per_s"] / (n / traf_dt)
    print(f"\nnewsfuse html read+clean / trafilatura.extract throughput: {ratio:.2f}x "
          f"(newsfuse runs trafilatura, then its own cleaning and language detection)")
    total = sum(r["articles"] for r in results)
    overall = total / sum(r["seconds"] for r in results)
    print(f"all formats: {total} articles, {overall:.0f} articles/s on one core")
    save("read_clean", {"results": results, "trafilatura_per_s": n / traf_dt, "trafilatura_story_kept": traf_kept,
                        "trafilatura_articles_with_junk": traf_leaky, "bare_txt_per_s": bare, "overall_per_s": overall,
                        "html_ratio_vs_trafilatura": ratio})


if __name__ == "__main__":
    main()
