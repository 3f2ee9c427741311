"""Exceptions that jobun raises on purpose."""


class JobunError(Exception):
    """Base class of jobun's own errors."""


class InputError(JobunError):
    """The input cannot be read as a text document (binary, undecodable, missing).

    The message names the file and, where it applies, the line or byte offset.
    """

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None):
        where = source or "<input>"
        if line is not None:
            where = f"{where}:{line}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.line = line
        self.reason = message


class OutputError(JobunError):
    """An output cannot be written where it was asked (a folder, a symlink, a read-only place)."""
