"""`jobun build --engine dask`: the per-file work on a Dask cluster, the corpus written by the client.

The client (this process) stays the only writer. It submits tasks that run `process_file` on a few
consecutive files, and hands every result to the same writer as the local pool, which puts
corpus.jsonl and the tables in input order: the corpus is byte-identical to a local build whatever
the number of workers and the order in which they finish.

- Cluster: an address connects to a running scheduler (`dask scheduler` / `dask worker`); without
  one a LocalCluster of N worker processes with one thread each is started (the parser holds the
  GIL, threads would not parse in parallel) and its dashboard link printed.
- Files per task: consecutive files are grouped up to TASK_BYTES of input (and MAX_FILES_PER_TASK),
  fewer when the corpus is small so that every worker thread gets several tasks: Dask's cost per
  task (a few ms of scheduling and transfer) stays small beside the parse.
- Bounded in flight: at most IN_FLIGHT_PER_THREAD tasks per worker thread are submitted at a time
  and a result is released once the writer has it, so neither the workers' nor the client's memory
  grows with the corpus.
- Faults: the tasks of a worker that dies are run again by Dask on another worker (up to
  distributed.scheduler.allowed-failures times); only finished tasks are accepted, so nothing is
  lost or written twice. A task Dask gives up on (KilledWorker) is split: its files are run again
  one at a time after the rest, and only a file that kills its worker again fails, as one manifest
  error. Ctrl-C (or any error) cancels the futures and closes the client (and the LocalCluster);
  the build then stops as with the local pool, the previous corpus whole.
"""
from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
import uuid
from typing import Callable, Iterable, Iterator

from .run import BuildError
from .pool import WORKER_DIED
from .work import WorkItem, error_result, process_file

TASK_BYTES = 1_000_000
MAX_FILES_PER_TASK = 32
TASKS_PER_THREAD = 8            # a small corpus is cut so that each worker thread gets this many
IN_FLIGHT_PER_THREAD = 3
CONNECT_SECONDS = 15
WAIT_FOR_WORKERS_SECONDS = 120
KEY_PREFIX = "jobun-files"      # task keys: jobun-files-<first index>-<last index>-<random>


def run_files(items: list[WorkItem]) -> list[dict]:
    """The task run on a worker: the work of each file, in order."""
    return [process_file(item) for item in items]


def dask_setup(worker) -> None:
    """Preload of the LocalCluster's worker processes (they are in the terminal's process group):
    a Ctrl-C is for the client, which cancels the tasks and closes the cluster; a worker that also
    took it would die printing a traceback. A worker still alive when the cluster's scheduler has
    closed (the end of a build, most often an interrupted one) logged its failed heartbeat with a
    traceback after the build's last line: the client sees a scheduler it loses for itself."""
    with contextlib.suppress(ValueError):       # not the main thread: nothing to undo
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    logging.getLogger("distributed.worker").addFilter(_lost_scheduler_heartbeat_left_out)


def _lost_scheduler_heartbeat_left_out(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Failed to communicate with scheduler during heartbeat")


def task_key(batch: list) -> str:
    return f"{KEY_PREFIX}-{batch[0].index}-{batch[-1].index}-{uuid.uuid4().hex[:8]}"


def batches(tasks: list, threads: int) -> Iterator[list]:
    """Consecutive files grouped into tasks of about TASK_BYTES, smaller for a small corpus."""
    total = sum(task.size for task in tasks)
    target = min(TASK_BYTES, total / max(threads * TASKS_PER_THREAD, 1))
    batch: list = []
    size = 0
    for task in tasks:
        batch.append(task)
        size += task.size
        if size >= target or len(batch) >= MAX_FILES_PER_TASK:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


class DaskEngine:
    """A connected client; `scheduler(...)` gives what build runs, like the local pool's Scheduler."""

    def __init__(self, client):
        self.client = client

    @property
    def workers(self) -> int:
        return max(sum(self.client.nthreads().values()), 1)

    def scheduler(self, jobs: int, item_for: Callable, accept: Callable, tick: Callable) -> "DaskScheduler":
        """The `engine` of build(); the cluster's own size counts, not `jobs`."""
        return DaskScheduler(self, item_for, accept, tick)


class DaskScheduler:
    """Feeds tasks to the cluster and hands every result to `accept(task, result)`; `tick(running)`
    about twice a second with [(task, submitted)] of the files of the oldest tasks in flight."""

    def __init__(self, engine: DaskEngine, item_for: Callable, accept: Callable, tick: Callable):
        self.engine, self.item_for, self.accept, self.tick = engine, item_for, accept, tick

    def run(self, tasks: list) -> None:
        suspects = self._stream(batches(tasks, self.engine.workers), alone=False)
        self._stream(([task] for task in suspects), alone=True)

    def _stream(self, work: Iterable[list], *, alone: bool) -> list:
        """Run every batch of `work`; returns the files of tasks Dask gave up on (not alone)."""
        from distributed import wait
        client = self.engine.client
        work = iter(work)
        in_flight: dict = {}            # future → (batch, submitted)
        suspects: list = []
        threads, counted = 1, 0.0
        try:
            while True:
                if time.monotonic() - counted > 1:          # workers may come and go
                    threads, counted = self.engine.workers, time.monotonic()
                limit = 1 if alone else IN_FLIGHT_PER_THREAD * threads
                while len(in_flight) < limit and (batch := next(work, None)) is not None:
                    future = client.submit(run_files, [self.item_for(t) for t in batch],
                                           key=task_key(batch), pure=False)
                    in_flight[future] = (batch, time.monotonic())
                if not in_flight:
                    return suspects
                try:
                    done = wait(list(in_flight), timeout=0.5, return_when="FIRST_COMPLETED").done
                except TimeoutError:
                    done = ()
                for future in sorted(done, key=lambda f: in_flight[f][0][0].index):
                    batch, _ = in_flight.pop(future)
                    suspects += self._take(future, batch, alone)
                oldest = sorted(in_flight.values(), key=lambda b: b[1])[:threads]
                self.tick([(task, submitted) for batch, submitted in oldest for task in batch])
        except BaseException:
            client.cancel(list(in_flight), force=True)
            raise

    def _take(self, future, batch: list, alone: bool) -> list:
        """Accept a finished task's results; returns its files when they must be run again alone."""
        from distributed import KilledWorker
        if future.status == "cancelled":
            raise BuildError("the Dask cluster cancelled the build's tasks (scheduler gone?)")
        if future.status == "finished":
            results = future.result()
        else:
            error = future.exception()
            if isinstance(error, KilledWorker) and not alone:
                return batch
            if isinstance(error, (OSError, TimeoutError)):
                raise BuildError(f"the Dask cluster stopped the build: {error}")
            message = WORKER_DIED if isinstance(error, KilledWorker) else \
                f"the Dask task failed ({type(error).__name__}: {error})"
            results = [error_result(message) for _ in batch]
        for task, result in zip(batch, results):
            self.accept(task, result)
        return []


class _UnstartedCancel(logging.Filter):
    """Leaves out one error that distributed (2026.8) logs through tornado on a Ctrl-C: its
    `sync()` answers the interrupt with a callback that cancels the coroutine it waits for, and
    when the interrupt comes before that coroutine started, the callback reads a variable not yet
    set (NameError, with a traceback). There was nothing to cancel yet; the build reports the
    interrupt itself."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if not isinstance(error, NameError) or error.__traceback__ is None:
            return True
        tb = error.__traceback__
        while tb.tb_next is not None:
            tb = tb.tb_next
        code = tb.tb_frame.f_code
        return not (code.co_name == "cancel" and code.co_filename.endswith(os.path.join("distributed", "utils.py")))


@contextlib.contextmanager
def _unstarted_cancel_left_out() -> Iterator[None]:
    logger, quiet = logging.getLogger("tornado.application"), _UnstartedCancel()
    logger.addFilter(quiet)
    try:
        yield
    finally:
        logger.removeFilter(quiet)


@contextlib.contextmanager
def dask_engine(address: str | None, workers: int, *, quiet: bool) -> Iterator[DaskEngine]:
    """A client on the scheduler at `address`, or on a LocalCluster of `workers` processes."""
    logging.getLogger("distributed").setLevel(logging.ERROR)    # the build prints its own progress
    with _unstarted_cancel_left_out():
        yield from _connected(address, workers, quiet=quiet)


def _connected(address: str | None, workers: int, *, quiet: bool) -> Iterator[DaskEngine]:
    """dask_engine's client, and the LocalCluster it starts without an address, closed at the end."""
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise BuildError("--engine dask needs dask.distributed: pip install 'jobun[dask]'") from None
    cluster = None
    try:
        if address:
            client = Client(address, timeout=CONNECT_SECONDS)
        else:
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR,
                                   preload=[__name__])
            client = Client(cluster)
    except (OSError, TimeoutError) as e:
        raise BuildError(f"cannot reach the Dask scheduler at {address}: {e}") from None
    try:
        if address:
            _wait_for_workers(client, address, workers)
            _check_workers(client)
        if not quiet:
            where = "started a LocalCluster" if cluster is not None else f"connected to {address}"
            print(f"jobun build: Dask: {where}, {len(client.nthreads())} worker(s), dashboard "
                  f"{client.dashboard_link}", file=sys.stderr)
        yield DaskEngine(client)
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


def parser_version() -> str:
    """Run on every worker: a worker with another jobun would build other bytes."""
    from ..io.export import PARSER_VERSION
    return PARSER_VERSION


def _check_workers(client) -> None:
    try:
        versions = client.run(parser_version)
    except Exception as e:
        raise BuildError(f"the Dask workers cannot run jobun ({type(e).__name__}: {e}); install "
                         f"this version of jobun on every worker") from None
    mine = parser_version()
    for address, version in versions.items():
        if version != mine:
            raise BuildError(f"Dask worker {address} runs jobun parser {version}, this client "
                             f"{mine}: install the same jobun on every worker")


def _wait_for_workers(client, address: str, workers: int) -> None:
    try:
        client.wait_for_workers(workers, timeout=WAIT_FOR_WORKERS_SECONDS)
    except TimeoutError:
        joined = len(client.nthreads())
        raise BuildError(f"only {joined} of {workers} Dask worker(s) joined the scheduler at "
                         f"{address} within {WAIT_FOR_WORKERS_SECONDS} s") from None
