"""The composition root of Document's conveniences: which stage serves each of them.

model.py holds data only and imports no stage; Document.resolve, to_dict and to_json call the
functions plugged in here when the package is imported.
"""
from __future__ import annotations

from . import model
from .io.export import document_to_dict, document_to_json


def _resolve_text(doc, text, context=None):
    # Imported on first use: the reference grammar's patterns would add ~40 ms to `import jobun`.
    from .references import resolve_text
    return resolve_text(doc, text, context)


model.provide(resolve_text=_resolve_text, document_to_dict=document_to_dict, document_to_json=document_to_json)
