"""Progress of a build on standard error: a redrawn bar on a terminal, a plain line every
LOG_SECONDS otherwise (logs, CI).

The ETA counts the files in flight: each is credited with the bytes a worker has had time to parse
since it started (at the per-worker rate measured so far), and the ETA is never shorter than the
time the largest file still running needs on its own, so one huge file near the end does not show
"0:00:00" for minutes.
"""
from __future__ import annotations

import sys
import time

LOG_SECONDS = 10.0


class Progress:
    def __init__(self, total_files: int, total_bytes: int, *, jobs: int = 1, quiet: bool,
                 stream=None):
        self.total_files, self.total_bytes = total_files, max(total_bytes, 1)
        self.jobs = max(jobs, 1)
        # sys.stderr as it is now, not when this module was imported (tests and tools swap it)
        self.stream, self.quiet = stream or sys.stderr, quiet
        self.tty = self.stream.isatty()
        self.started = time.monotonic()
        # Wait one interval before the first line so quick builds print only the final one.
        self.last_shown = self.started

    def update(self, done_files: int, done_bytes: int, running=(), *, final: bool = False) -> None:
        """`running`: (size in bytes, monotonic start time) of every file in flight."""
        if self.quiet:
            return
        now = time.monotonic()
        interval = 0.2 if self.tty else LOG_SECONDS
        if not final and now - self.last_shown < interval:
            return
        self.last_shown = now
        elapsed = max(now - self.started, 1e-6)
        eta = None if final else self.eta(done_bytes, running, now)
        figures = (f"{done_files}/{self.total_files} files  {done_files / elapsed:.1f} files/s  "
                   f"{done_bytes / elapsed / 1e6:.2f} MB/s  ETA {_clock(eta if not final else 0)}")
        if self.tty:
            width = 24
            filled = int(width * done_bytes / self.total_bytes)
            end = "\n" if final else ""
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {figures}\x1b[K{end}")
        else:
            self.stream.write(f"jobun build: {figures}\n")
        self.stream.flush()

    def eta(self, done_bytes: int, running, now: float) -> float | None:
        per_worker = done_bytes / max(now - self.started, 1e-6) / self.jobs
        if per_worker <= 0:
            return None
        credited, longest = 0.0, 0.0
        for size, started in running:
            parsed = min(size, per_worker * (now - started))
            credited += parsed
            longest = max(longest, (size - parsed) / per_worker)
        remaining = max(self.total_bytes - done_bytes - credited, 0.0)
        return max(remaining / (per_worker * self.jobs), longest)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "--:--"
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
