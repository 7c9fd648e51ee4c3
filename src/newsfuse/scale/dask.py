"""The partitioned pipeline on ``dask.distributed``.

>>> from newsfuse.scale.dask import cluster_on_dask
>>> summary = cluster_on_dask(["crawl/"], "out/", workers=4)          # doctest: +SKIP
>>> summary = cluster_on_dask(["crawl/"], "out/", scheduler="tcp://head:8786")  # doctest: +SKIP

Tasks are plain functions submitted as futures; Dask places them next to
their inputs, and when a worker dies it recomputes the lost results from
their lineage, so a run survives the loss of workers (the stages are pure
and their output depends only on their input).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..outputs import check_dir
from ..read import ReadOptions, expand
from .plan import Settings, Summary, run


class DaskExecutor:
    """The :class:`~newsfuse.scale.engine.Executor` of a ``distributed.Client``.

    ``lost`` are the errors of a task whose inputs the cluster lost and cannot
    recompute; the plan then runs the stage again (see :func:`~newsfuse.scale.plan.run`).
    """

    def __init__(self, client: Any) -> None:
        from concurrent.futures import CancelledError

        from distributed.scheduler import KilledWorker

        self.lost = (CancelledError, KilledWorker)
        self.client = client
        self._ids = itertools.count()
        self._broadcasts: list[Any] = []

    def submit(self, fn: Callable[..., Any], *args: Any, name: str = "") -> Any:
        # explicit keys: readable on the dashboard, and no hashing of large arguments
        return self.client.submit(fn, *args, key=f"{name or fn.__name__}-{next(self._ids)}", pure=False)

    def put(self, value: Any) -> Any:
        # Scattered data has no lineage: were its future released, a task recomputed after a
        # worker's death could not find it. So the executor holds every broadcast for its lifetime.
        # Wrapped in a list because scatter() spreads a list's items as separate futures
        # (and fails on an empty one): the value travels as one object, whatever its type.
        [future] = self.client.scatter([value], broadcast=True, hash=False)
        self._broadcasts.append(future)
        return future

    def gather(self, handles: Sequence[Any]) -> list[Any]:
        return list(self.client.gather(list(handles)))

    def wait(self, handles: Sequence[Any]) -> None:
        from distributed import wait

        wait(list(handles))
        for f in handles:  # wait() returns on failure too: raise it here, inside the stage
            if f.status in ("error", "cancelled"):
                f.result()

    @staticmethod
    def alive(handles: Sequence[Any]) -> bool:
        """Whether every handle still has, or can still recompute, its result."""
        return all(f.status not in ("cancelled", "error", "lost") for f in handles)


def cluster_on_dask(
    sources: Iterable[str],
    out: str | os.PathLike[str],
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    settings: Settings | None = None,
    read: ReadOptions | None = None,
    memory_limit: str = "auto",
    overwrite: bool = False,
) -> Summary:
    """Run the batch pipeline on a Dask cluster: the one at ``scheduler`` (waiting
    for ``workers`` to join, when given), or a ``LocalCluster`` of ``workers``
    single-threaded processes (default: one per core).
    Without ``settings``, shuffles use four buckets per worker, inputs are cut
    into about four partitions per worker, and ``read`` says how to read them.

    ``out`` must be absent or an empty directory unless ``overwrite`` (then it is
    replaced whole, once the run has succeeded); see :func:`~newsfuse.scale.plan.run`.
    :class:`~newsfuse.outputs.OutputError` if not, raised before a cluster is started."""
    from distributed import Client, LocalCluster

    sources = list(sources)
    check_dir(out, overwrite=overwrite)

    if scheduler:
        with Client(scheduler) as client:
            if workers:  # a cluster still starting (a batch job, a pod scale-up): wait for the workers asked for
                client.wait_for_workers(workers)
            n = len(client.scheduler_info()["workers"]) or 1
            return run(DaskExecutor(client), sources, out, settings_for(n, sources, read, settings), overwrite=overwrite)
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, memory_limit=memory_limit,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        return run(DaskExecutor(client), sources, out, settings_for(n, sources, read, settings), overwrite=overwrite)


def settings_for(workers: int, sources: list[str], read: ReadOptions | None = None, settings: Settings | None = None) -> Settings:
    """``settings`` if given, else the defaults for ``workers``: four shuffle buckets
    and about four read partitions per worker."""
    if settings is not None:
        return settings
    out = Settings(buckets=max(4, 4 * workers), part_bytes=part_bytes(sources, workers))
    if read is not None:
        out.read = read
    return out


def part_bytes(sources: Iterable[str], workers: int, low: int = 1 << 20, high: int = 64 << 20) -> int:
    """Input bytes per read partition: about four partitions per worker, within [low, high]."""
    total = sum(os.path.getsize(p) for p in expand(list(sources)) if isinstance(p, str) and os.path.isfile(p))
    return max(low, min(high, total // max(1, 4 * workers)))

