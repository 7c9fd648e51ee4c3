"""Run every benchmark (or the ones named) and print their tables.

    python benchmarks/run.py                 # all
    python benchmarks/run.py read_clean      # one

Results are printed and saved as JSON under .benchmarks-output/; the latest
figures are copied by hand into docs/benchmarks.md with the date and machine.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import machine  # noqa: E402

BENCHMARKS = ["read_clean", "cluster", "analyse", "embed", "brief", "store", "web", "dask"]


def main(names: list[str]) -> None:
    print(f"machine: {machine()}\n")
    for name in names or BENCHMARKS:
        module = importlib.import_module(f"bench_{name}")
        print(f"## {name}\n")
        module.main()
        print()


if __name__ == "__main__":
    main(sys.argv[1:])
