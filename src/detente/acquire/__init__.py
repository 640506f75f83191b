"""Acquisition: files, folders, globs, stdin, URLs (fetched behind an address guard), feeds,
sitemaps and the watch loop in; raw documents with provenance out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente._lazy import lazy_exports

if TYPE_CHECKING:
    from detente.acquire.fetch import (
        Fetcher,
        FetchResult,
        IPAddress,
        describe_address,
        fetch_url,
        is_public_address,
        parse_content_type,
    )
    from detente.acquire.files import (
        JSON_SUFFIXES,
        JSONL_SUFFIXES,
        PARQUET_SUFFIXES,
        WARC_SUFFIXES,
        AcquireFailure,
        FetchFn,
        expand_inputs,
        is_url,
        read_source,
        sha256,
    )
    from detente.acquire.watch import HostThrottle, RobotsCache, RoundReport, Watcher, add_sources

_EXPORTS = {
    "AcquireFailure": "detente.acquire.files",
    "FetchFn": "detente.acquire.files",
    "FetchResult": "detente.acquire.fetch",
    "Fetcher": "detente.acquire.fetch",
    "HostThrottle": "detente.acquire.watch",
    "IPAddress": "detente.acquire.fetch",
    "JSONL_SUFFIXES": "detente.acquire.files",
    "JSON_SUFFIXES": "detente.acquire.files",
    "PARQUET_SUFFIXES": "detente.acquire.files",
    "RobotsCache": "detente.acquire.watch",
    "RoundReport": "detente.acquire.watch",
    "WARC_SUFFIXES": "detente.acquire.files",
    "Watcher": "detente.acquire.watch",
    "add_sources": "detente.acquire.watch",
    "describe_address": "detente.acquire.fetch",
    "expand_inputs": "detente.acquire.files",
    "fetch_url": "detente.acquire.fetch",
    "is_public_address": "detente.acquire.fetch",
    "is_url": "detente.acquire.files",
    "parse_content_type": "detente.acquire.fetch",
    "read_source": "detente.acquire.files",
    "sha256": "detente.acquire.files",
}
__all__ = [
    "JSONL_SUFFIXES",
    "JSON_SUFFIXES",
    "PARQUET_SUFFIXES",
    "WARC_SUFFIXES",
    "AcquireFailure",
    "FetchFn",
    "FetchResult",
    "Fetcher",
    "HostThrottle",
    "IPAddress",
    "RobotsCache",
    "RoundReport",
    "Watcher",
    "add_sources",
    "describe_address",
    "expand_inputs",
    "fetch_url",
    "is_public_address",
    "is_url",
    "parse_content_type",
    "read_source",
    "sha256",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
