"""Running the per-file work in worker processes.

- At most 2 × jobs files are in flight, so memory does not grow with the size of the corpus.
- Workers die with the main process, whatever killed it (SIGKILL included): on Linux the kernel
  sends them SIGKILL (prctl PR_SET_PDEATHSIG); everywhere a watcher thread exits the worker once
  its parent process is gone (checked every second).
- A worker that dies (crash, out-of-memory kill) breaks the pool and every file in flight with
  it. Those files are suspects: each is run again alone in a fresh one-worker pool, so only the
  file that kills its worker again is failed; the others are built.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from .layout import close_inherited_locks
from .work import WorkItem, error_result, process_file

PARENT_CHECK_SECONDS = 1.0
MANAGER_GRACE_SECONDS = 0.5     # for the executor's manager thread to see its workers gone
STUCK_POOL_SECONDS = 3.0        # a dead worker the executor has not reported: it never will
WORKER_DIED = ("the worker process died while parsing this file, also when run alone (crash or out "
               "of memory)")


def _init_worker(parent_pid: int) -> None:
    # Ctrl-C reaches the whole process group; only the main process decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Forked workers inherit the main process's SIGTERM handler; they should simply die on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    close_inherited_locks()
    _die_with_parent(parent_pid)


def _die_with_parent(parent_pid: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            PR_SET_PDEATHSIG = 1
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):
            pass                    # the watcher below still covers it
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent_pid,), daemon=True,
                     name="jobun-parent-watch").start()


def _watch_parent(parent_pid: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(1)


def _run_item(item: WorkItem) -> dict:
    return process_file(item)


def _new_pool(jobs: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=jobs, initializer=_init_worker, initargs=(os.getpid(),))


def terminate(executor: ProcessPoolExecutor) -> None:
    """Stop workers at once. Killing them cannot corrupt output: they write only document files
    into the stage, atomically, and the stage keeps only what the main process accepted.

    A worker killed while it sent a result leaves half a message in the result pipe, and the
    executor's manager thread waits for the rest forever (the main process holds a write end
    open); the interpreter joins that thread at exit, so a Ctrl-C hung the build. Once the
    workers are dead, closing that write end gives the thread end-of-file: it sees a broken pool
    and returns."""
    # ProcessPoolExecutor has no public terminate(); _processes, _result_queue and
    # _executor_manager_thread have been stable since Python 3.9.
    processes = list((getattr(executor, "_processes", None) or {}).values())
    results = getattr(executor, "_result_queue", None)
    manager = getattr(executor, "_executor_manager_thread", None)
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():      # SIGTERM did not end it (stuck in the kernel): the last word
            process.kill()
            process.join(timeout=5)
    if manager is not None and results is not None and not any(p.is_alive() for p in processes):
        manager.join(timeout=MANAGER_GRACE_SECONDS)
        if manager.is_alive():
            results._writer.close()
            manager.join(timeout=5)


class _DeadWorkerWatch:
    """Whether a pool is stuck: a worker died and no future has completed or broken for
    STUCK_POOL_SECONDS. The executor reports a dead worker at once, except one killed (out of
    memory) while it sent a result: its manager thread waits for the rest of that message and the
    other workers for the lock the dead one held, so no future would ever complete. (A live
    worker sending a result of many MB for over STUCK_POOL_SECONDS then only costs a rerun of the
    files in flight, each alone.)"""

    def __init__(self, executor: ProcessPoolExecutor):
        self.executor, self.since = executor, None

    def stuck(self, done) -> bool:
        processes = getattr(self.executor, "_processes", None) or {}
        if done or not any(p.exitcode is not None for p in list(processes.values())):
            self.since = None
            return False
        self.since = self.since or time.monotonic()
        return time.monotonic() - self.since > STUCK_POOL_SECONDS


class Scheduler:
    """Feeds tasks to worker processes and hands every result to `accept(task, result)`;
    `tick(running)` is called about twice a second with [(task, started)] of the files in flight."""

    shares_disk = True          # its workers may write the document files into the stage (run.py)

    def __init__(self, jobs: int, item_for: Callable, accept: Callable, tick: Callable):
        self.jobs, self.item_for, self.accept, self.tick = jobs, item_for, accept, tick

    def run(self, tasks: list) -> None:
        pending = deque(tasks)
        while pending:
            before = len(pending)
            suspects = self._run_pool(pending)
            if not suspects and len(pending) == before:   # workers die before taking any file
                suspects = [pending.popleft()]
            for task in suspects:
                self._run_alone(task)

    def _run_pool(self, pending: deque) -> list:
        """Run tasks until they are done or the pool breaks; returns the files then in flight."""
        executor = _new_pool(self.jobs)
        in_flight: dict = {}
        suspects: list = []
        watch = _DeadWorkerWatch(executor)
        try:
            while (pending or in_flight) and not suspects:
                while pending and len(in_flight) < 2 * self.jobs:
                    try:
                        future = executor.submit(_run_item, self.item_for(pending[0]))
                    except BrokenProcessPool:   # a worker died before its future told us
                        break
                    in_flight[future] = (pending.popleft(), time.monotonic())
                if not in_flight:           # the pool broke before taking any file
                    break
                done, _ = wait(in_flight, timeout=0.5, return_when=FIRST_COMPLETED)
                if watch.stuck(done):
                    break                   # every file in flight becomes a suspect, as when broken
                for future in done:
                    task, _started = in_flight.pop(future)
                    try:
                        result = future.result()
                    except BrokenProcessPool:
                        suspects.append(task)
                        continue
                    self.accept(task, result)
                self.tick(list(in_flight.values()))
            suspects += [task for task, _ in in_flight.values()]
        except BaseException:
            terminate(executor)
            raise
        if suspects:
            terminate(executor)
        else:
            executor.shutdown(wait=True)
        return sorted(suspects, key=lambda task: task.index)

    def _run_alone(self, task) -> None:
        executor = _new_pool(1)
        watch = _DeadWorkerWatch(executor)
        started = time.monotonic()
        try:
            future = executor.submit(_run_item, self.item_for(task))
            while not future.done() and not watch.stuck(()):
                wait([future], timeout=0.5)
                self.tick([(task, started)])
            try:
                result = future.result(timeout=0)
            except (BrokenProcessPool, TimeoutError):       # TimeoutError: stuck, see above
                result = error_result(WORKER_DIED)
        except BaseException:
            terminate(executor)
            raise
        if future.done() and result["error"] != WORKER_DIED:
            executor.shutdown(wait=True)
        else:
            terminate(executor)
        self.accept(task, result)
