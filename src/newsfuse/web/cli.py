"""``newsfuse serve``: the command (registered by ``newsfuse.cli`` with ``main.add_command(serve)``).

Kept free of web imports at module level: ``newsfuse`` imports this module to
list its commands, and every other command would otherwise pay for loading
FastAPI. Also runnable on its own: ``python -m newsfuse.web.cli --db FILE``.
"""

from __future__ import annotations

import ipaddress
import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


@contextmanager
def store_errors() -> Iterator[None]:
    """A store that cannot be used (not a store, damaged, read-only, locked): one line on
    stderr and the error's own exit code, never a traceback."""
    from ..store.health import StoreError, damage_of

    try:
        yield
    except StoreError as e:
        click.echo(f"newsfuse: {e}", err=True)
        sys.exit(e.exit_code)
    except sqlite3.DatabaseError as e:  # met in a query the store's methods do not guard (export ...)
        error = damage_of(e)
        if error is None:
            raise
        click.echo(f"newsfuse: {error}", err=True)
        sys.exit(error.exit_code)


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", type=click.Path(dir_okay=False), default=None,
              help="The store (default: $NEWSFUSE_DB or ./newsfuse.db).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on. The default answers this machine only; 0.0.0.0 opens the store to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True)
@click.option("--token", envvar="NEWSFUSE_TOKEN", default=None, metavar="TOKEN",
              help="Require this token on every request (Authorization: Bearer TOKEN, or ?token=TOKEN once, "
                   "which sets a cookie). Also read from $NEWSFUSE_TOKEN.")
@click.option("--allow-ingest", is_flag=True, help="Offer a form to upload files or fetch URLs into the store.")
@click.option("--max-upload", type=click.IntRange(1, 1024), default=20, show_default=True, metavar="MB",
              help="The largest upload accepted with --allow-ingest.")
@click.option("--log-level", type=click.Choice(["critical", "error", "warning", "info", "debug"]), default="info",
              show_default=True)
def serve(db: str | None, host: str, port: int, token: str | None, allow_ingest: bool, max_upload: int,
          log_level: str) -> None:
    """Browse the stored stories, their briefs and sources in a web browser, with a JSON API
    under /api/ (schema: /api/openapi.json). Read-only unless --allow-ingest."""
    import uvicorn

    from ..store import default_path
    from .app import create_app

    path = default_path(db)
    if not path.exists() and not allow_ingest:
        raise click.UsageError(f"no store at {path} (create one with `newsfuse ingest`, or pass --allow-ingest)")
    if token is not None and not re.fullmatch(r"[A-Za-z0-9._~-]{8,}", token):
        raise click.UsageError("--token: use 8 or more of A-Z a-z 0-9 . _ ~ - "
                               "(python -c 'import secrets; print(secrets.token_urlsafe())' makes one)")
    loopback = _is_loopback(host)
    if not loopback and token is None:
        click.echo(f"newsfuse serve: listening on {host} without --token: anyone who can reach this address "
                   "can read the store" + (" and add to it" if allow_ingest else ""), err=True)
    allowed = _allowed_hosts(host) if loopback else None
    with store_errors():  # the app checks the store: a damaged one is said here, before "serving"
        app = create_app(path, token=token, allow_ingest=allow_ingest, allowed_hosts=allowed,
                         max_upload=max_upload * 1024 * 1024)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"newsfuse: serving {path} on http://{shown}:{port}/" + ("  (token required)" if token else ""),
               err=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False, server_header=False,
                workers=1)


def _is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str) -> set[str]:
    """The Host names a loopback server answers to: its own address and localhost's names.
    A page on another site that resolves its name to 127.0.0.1 (DNS rebinding) is refused."""
    return {"localhost", "127.0.0.1", "[::1]", host.lower() if ":" not in host else f"[{host.strip('[]')}]"}


if __name__ == "__main__":
    sys.exit(serve())
