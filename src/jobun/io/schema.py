"""The published JSON Schema (schemas/jobun-document.schema.json) and a validator compiled once.

Importing a validator library is slow (jsonschema alone costs ~80 ms), so nothing is imported or
compiled until the first call; the compiled validator is then reused for the life of the process,
which is what the corpus builder's workers rely on.

Backends: "jsonschema-rs" (Rust, the default: fastest measured on the seed documents),
"fastjsonschema" (generated Python code) and "jsonschema" (the reference implementation, used by
the tests to check the others). Set JOBUN_VALIDATOR to force one.
"""
from __future__ import annotations

import json
import os
from functools import lru_cache
from importlib import resources

from ..errors import JobunError

SCHEMA_FILE = "jobun-document.schema.json"
PREFERRED_BACKENDS = ("jsonschema-rs", "fastjsonschema", "jsonschema")


@lru_cache(maxsize=1)
def schema() -> dict:
    """The document schema as a dict (read once)."""
    text = resources.files("jobun").joinpath("schemas", SCHEMA_FILE).read_text(encoding="utf-8")
    return json.loads(text)


class CompiledValidator:
    """A compiled schema check: `validate(data)` raises JobunError, `is_valid(data)` answers."""

    def __init__(self, backend: str):
        self.backend = backend
        self._validate = _COMPILERS[backend](schema())

    def validate(self, data) -> None:
        self._validate(data)

    def is_valid(self, data) -> bool:
        try:
            self._validate(data)
        except JobunError:
            return False
        return True


def _format(path_parts, reason: str) -> str:
    path = "$"
    for part in path_parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return f"document does not match the jobun schema at {path}: {reason}"


def _compile_jsonschema(schema_dict: dict):
    import jsonschema
    checker = jsonschema.Draft202012Validator(schema_dict)

    def check(data) -> None:
        error = jsonschema.exceptions.best_match(checker.iter_errors(data))
        if error is not None:
            raise JobunError(_format(error.absolute_path, error.message))
    return check


def _compile_jsonschema_rs(schema_dict: dict):
    import jsonschema_rs
    checker = jsonschema_rs.Draft202012Validator(schema_dict)

    def check(data) -> None:
        try:
            checker.validate(data)
        except jsonschema_rs.ValidationError as e:
            raise JobunError(_format(e.instance_path, e.message)) from None
    return check


def _compile_fastjsonschema(schema_dict: dict):
    import fastjsonschema
    # fastjsonschema knows drafts 4–7; the schema only uses keywords draft 7 shares with 2020-12.
    draft7 = dict(schema_dict, **{"$schema": "http://json-schema.org/draft-07/schema#"})
    check_compiled = fastjsonschema.compile(draft7)

    def check(data) -> None:
        try:
            check_compiled(data)
        except fastjsonschema.JsonSchemaValueException as e:
            where = e.name[len("data"):] if e.name.startswith("data") else e.name
            raise JobunError(f"document does not match the jobun schema at ${where}: {e.message}") from None
    return check


_COMPILERS = {
    "jsonschema": _compile_jsonschema,
    "jsonschema-rs": _compile_jsonschema_rs,
    "fastjsonschema": _compile_fastjsonschema,
}


def available_backends() -> list[str]:
    import importlib.util
    modules = {"jsonschema": "jsonschema", "jsonschema-rs": "jsonschema_rs", "fastjsonschema": "fastjsonschema"}
    return [b for b in PREFERRED_BACKENDS if importlib.util.find_spec(modules[b]) is not None]


@lru_cache(maxsize=None)
def validator(backend: str | None = None) -> CompiledValidator:
    """The compiled validator (built on first use, then cached per process and backend)."""
    backend = backend or os.environ.get("JOBUN_VALIDATOR") or available_backends()[0]
    if backend not in _COMPILERS:
        raise JobunError(f"unknown validator backend {backend!r}; choose one of {', '.join(_COMPILERS)}")
    return CompiledValidator(backend)


def validate(data) -> None:
    """Raise JobunError (with the JSON path and the reason) unless `data` matches the schema."""
    validator().validate(data)


def is_valid(data) -> bool:
    return validator().is_valid(data)
