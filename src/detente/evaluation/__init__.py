"""Evaluation on the public gold standards in ``../shared/eval``: one module per set or stage.

``extraction`` (zyte, htmldate, trafilatura pages), ``actors`` (NGEC cases), ``quotes``
(PolNeAR), ``dates`` (date resolution cases), ``geo`` (GeoWebNews, LGL, TR-News, GeoVirus),
``events`` (PLOVER GSR, ConfliBERT, PETRARCH2) and ``coref`` (ECB+). ``detente eval SET`` runs each.
"""

from __future__ import annotations

from detente.evaluation import actors, coref, dates, events, extraction, geo, quotes

__all__ = ["actors", "coref", "dates", "events", "extraction", "geo", "quotes"]
