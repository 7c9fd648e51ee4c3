"""Annotation sheets for ECB+ dev events: the articles of one gold event, each sentence keyed.

    python training/sheets.py EVENT [EVENT ...] [--ecbplus FILE] [--out DIR]

For each ECB+ event id (the ``gold`` field of ``data/ecbplus-dev.jsonl``, e.g. ``3_ecbplus``)
writes ``DIR/inputs/<name>.jsonl`` (its articles, in file order: a1, a2, ...),
``DIR/gold/<name>.sentences.json`` (every sentence keyed ``a<article>s<sentence>``, split by
:func:`newsfuse.text.sentence_spans`, which the brief uses too) and ``DIR/gold/<name>.sheet.txt``
(the same, to read), where ``<name>`` is ``ecbplus-<event>``. The annotations themselves
(``training/events/<name>.gold.json``, made by hand following ``data/claims-dev/PROTOCOL.md``)
cite the keys; the article text stays in ``../shared`` and is rebuilt here, never copied into
the repository.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from newsfuse.text import sentence_spans  # noqa: E402


def build(event: str, ecbplus: Path, out: Path) -> str:
    name = f"ecbplus-{event.replace('_', '-')}"
    rows = [r for r in map(json.loads, ecbplus.read_text(encoding="utf-8").splitlines()) if r.get("gold") == event]
    if not rows:
        raise SystemExit(f"no articles of event {event} in {ecbplus}")
    (out / "inputs").mkdir(parents=True, exist_ok=True)
    (out / "gold").mkdir(parents=True, exist_ok=True)
    with open(out / "inputs" / f"{name}.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: r[k] for k in ("id", "url", "title", "text") if k in r}, ensure_ascii=False) + "\n")
    sentences, sheet = {}, []
    for i, r in enumerate(rows, 1):
        sheet.append(f"\n=== a{i}  id={r['id']}  url={r.get('url', '')}\nTITLE: {r.get('title', '')}")
        text = r.get("text") or ""
        for j, (a, b) in enumerate(sentence_spans(text), 1):
            sentences[f"a{i}s{j}"] = {"article": r["id"], "text": text[a:b]}
            sheet.append(f"a{i}s{j}: {text[a:b]}")
    (out / "gold" / f"{name}.sentences.json").write_text(json.dumps(sentences, ensure_ascii=False, indent=1),
                                                          encoding="utf-8")
    (out / "gold" / f"{name}.sheet.txt").write_text("\n".join(sheet) + "\n", encoding="utf-8")
    gold = HERE / "events" / f"{name}.gold.json"
    if gold.exists():
        shutil.copy(gold, out / "gold" / gold.name)
    return name


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("events", nargs="*", help="ECB+ event ids (default: every annotated event in training/events)")
    ap.add_argument("--ecbplus", type=Path, default=HERE.parent.parent / "shared" / "data" / "ecbplus-dev.jsonl")
    ap.add_argument("--out", type=Path, default=HERE.parent / ".training")
    args = ap.parse_args(argv)
    events = args.events or sorted(p.name[len("ecbplus-"):-len(".gold.json")].replace("-", "_", 1)
                                   for p in (HERE / "events").glob("ecbplus-*.gold.json"))
    for e in events:
        print(args.out / "gold" / f"{build(e, args.ecbplus, args.out)}.sheet.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
