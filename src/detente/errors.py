"""Detente's exceptions, one small tree.

    DetenteError                 every error Detente raises on purpose
    ├── InputError               an input cannot be read (missing file, bad JSON line, binary data)
    │   └── FetchError           a URL cannot be fetched (network, HTTP status, size, timeout)
    │       └── RefusedURLError  a URL points at a private, loopback or link-local address
    ├── ExtractionError          a document was read but holds no usable article text
    │   └── LimitExceededError   a document breaks a byte, element, depth or time limit
    └── StoreError               the database cannot be opened, migrated or written
        └── SchemaVersionError   the database was written by a newer Detente

Each message says what happened, shows the offending value and says what to do.
"""

from __future__ import annotations


class DetenteError(Exception):
    """Base class of every error Detente raises on purpose."""


class InputError(DetenteError):
    """An input (file, record, URL) cannot be read."""


class FetchError(InputError):
    """A URL cannot be fetched."""


class RefusedURLError(FetchError):
    """A URL resolves to an address that fetching refuses (private, loopback, link-local)."""


class ExtractionError(DetenteError):
    """A document was read but yields no usable article text."""


class LimitExceededError(ExtractionError):
    """A document exceeds a safety limit (bytes, elements, nesting depth, time)."""


class StoreError(DetenteError):
    """The database cannot be opened, migrated or written."""


class SchemaVersionError(StoreError):
    """The database was written by a schema this Detente cannot read."""
