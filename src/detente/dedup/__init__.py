"""De-duplication: article identity and near copies (``articles``); the mentions of one
real-world event merged into one event (``events``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.dedup.articles import (
        NearDuplicateIndex,
        article_id,
        content_hash,
        minhash_signature,
        normalize_text,
        signature_from_bytes,
        signature_to_bytes,
    )
    from detente.dedup.events import (
        PUBLICATION_WINDOW_DAYS,
        EventIndex,
        EventKey,
        cluster_id,
        compatible,
        event_key,
    )

_EXPORTS = {
    "EventIndex": "detente.dedup.events",
    "EventKey": "detente.dedup.events",
    "NearDuplicateIndex": "detente.dedup.articles",
    "PUBLICATION_WINDOW_DAYS": "detente.dedup.events",
    "article_id": "detente.dedup.articles",
    "cluster_id": "detente.dedup.events",
    "compatible": "detente.dedup.events",
    "content_hash": "detente.dedup.articles",
    "event_key": "detente.dedup.events",
    "minhash_signature": "detente.dedup.articles",
    "normalize_text": "detente.dedup.articles",
    "signature_from_bytes": "detente.dedup.articles",
    "signature_to_bytes": "detente.dedup.articles",
}
__all__ = [
    "PUBLICATION_WINDOW_DAYS",
    "EventIndex",
    "EventKey",
    "NearDuplicateIndex",
    "article_id",
    "cluster_id",
    "compatible",
    "content_hash",
    "event_key",
    "minhash_signature",
    "normalize_text",
    "signature_from_bytes",
    "signature_to_bytes",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
