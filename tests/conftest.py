"""Shared fixtures: the seed articles, the shipped examples, and a CLI runner."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

# Timings vary on shared 2-core machines (and first calls load models): no deadlines.
settings.register_profile("newsfuse", deadline=None, print_blob=True)
settings.load_profile("newsfuse")

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = Path(os.environ.get("NEWSFUSE_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"


def need(path: Path) -> Path:
    """Skip a test that needs ../shared when it is not there (CI always has it)."""
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.fixture(scope="session")
def example_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The examples ingested into a store (closed: no -wal or -shm beside it); tests copy it."""
    from newsfuse.store import Store

    db = tmp_path_factory.mktemp("examples") / "s.db"
    with Store(db) as store:
        store.ingest([str(EXAMPLES)])
    return db


@pytest.fixture
def seeds() -> Path:
    return need(SEEDS)


@pytest.fixture
def data() -> Path:
    return need(DATA)


@pytest.fixture
def run():
    """Run the newsfuse CLI in-process; returns click's Result (stdout, stderr, exit_code)."""
    from newsfuse.cli import main

    def _run(*args: str, input: str | bytes | None = None):
        return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)

    return _run
