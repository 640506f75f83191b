"""Benchmarks: speed and memory of each stage next to its baseline, in the same run.

``extract`` (extraction next to trafilatura), ``pipeline`` (ingest through events next to spaCy
alone), ``engines`` (local workers next to Ray actors) and ``memory`` (resident memory over a
long batch). ``detente bench NAME`` runs each.
"""

from __future__ import annotations

from detente.bench import engines, extract, memory, pipeline

__all__ = ["engines", "extract", "memory", "pipeline"]
