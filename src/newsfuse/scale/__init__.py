"""The batch pipeline beyond one machine: pure stages over partitions.

Each stage (:mod:`.articles`, :mod:`.copies`, :mod:`.components`,
:mod:`.stories`) takes and returns pandas frames; :mod:`.plan` chains them
with shuffles through an executor - in-process (:class:`LocalExecutor`) or
``dask.distributed`` (:mod:`.dask`). The result equals the single-process
batch run of :class:`newsfuse.Pipeline`: the same copies, the same stories.
"""

from .engine import Executor, LocalExecutor
from .plan import Settings, Summary, run

__all__ = ["Executor", "LocalExecutor", "Settings", "Summary", "run"]
