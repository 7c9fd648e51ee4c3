"""Writers for container formats, so tests can build their own inputs."""

from __future__ import annotations

import io
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape


def write_warc(path: Path, pages: list[tuple[str, str]], *, gzip: bool = True, extra_records: bool = True) -> Path:
    """A WARC file with one response record per (url, html) page, plus the
    request, non-HTML and error records a real crawl also holds."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as f:
        writer = WARCWriter(f, gzip=gzip)
        for url, html in pages:
            if extra_records:
                req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "example.org")], is_http_request=True)
                writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""), http_headers=req))
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(html.encode()), http_headers=headers)
            )
        if extra_records:
            img = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://example.org/a.png", "response",
                                                          payload=io.BytesIO(b"\x89PNG...."), http_headers=img))
            nf = StatusAndHeaders("404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record("https://example.org/gone", "response",
                                                          payload=io.BytesIO(b"<html>gone</html>"), http_headers=nf))
    return path


def rss(entries: list[dict], title: str = "Test Feed") -> str:
    """An RSS 2.0 document; entries have title, link, published (datetime), and html (or summary)."""
    items = []
    for e in entries:
        parts = [f"<title>{escape(e['title'])}</title>", f"<link>{escape(e['link'])}</link>"]
        if e.get("published"):
            parts.append(f"<pubDate>{format_datetime(e['published'])}</pubDate>")
        if e.get("html"):
            parts.append(f"<content:encoded><![CDATA[{e['html']}]]></content:encoded>")
        if e.get("summary"):
            parts.append(f"<description>{escape(e['summary'])}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>'
        f"<title>{escape(title)}</title><link>https://feed.example/</link><description>d</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def atom(entries: list[dict], title: str = "Test Atom") -> str:
    items = []
    for e in entries:
        when = (e.get("published") or datetime(2025, 3, 6)).isoformat()
        items.append(
            f"<entry><title>{escape(e['title'])}</title><link href=\"{escape(e['link'])}\"/>"
            f"<id>{escape(e['link'])}</id><updated>{when}</updated><published>{when}</published>"
            f"<content type=\"html\">{escape(e.get('html') or '')}</content></entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:test</id><updated>2025-03-06T12:00:00Z</updated>"
        + "".join(items)
        + "</feed>"
    )
