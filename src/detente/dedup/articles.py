"""Article identity and near-duplicates (syndicated copies).

Two articles are *the same* when their normalized texts are equal: :func:`article_id` hashes
the text after :func:`normalize_text` so whitespace, quote and dash styles do not matter. Two
articles are *near copies* when the Jaccard similarity of their word shingles reaches
:data:`THRESHOLD`; :class:`NearDuplicateIndex` finds them with MinHash LSH (datasketch's
scheme and bands, computed in :mod:`detente.dedup._minhash`).

After changing a tuning constant, re-run ``pytest tests/test_dedup.py tests/test_store.py``;
after changing ``NUM_PERM``, ``SHINGLE_SIZE`` or ``SEED`` stored signatures no longer match new
ones (:class:`NearDuplicateIndex` recomputes mismatched ones from the text when it is rebuilt).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import unicodedata
from collections.abc import Iterable

import numpy as np

from detente.dedup import _minhash
from detente.dedup._minhash import Signature

log = logging.getLogger(__name__)

# --- tuning constants -----------------------------------------------------------------------
#: Words per shingle. One- to three-word shingles are shared by any two stories on the same
#: topic ("the Turkish foreign minister said"); at five words a shared shingle is nearly always
#: copied text, so different stories on one topic score below 0.1 while a copy with one sentence
#: changed still keeps most shingles (Broder's near-duplicate work uses 4-10 words).
SHINGLE_SIZE = 5
#: MinHash permutations: datasketch's default; the Jaccard estimate's standard error is about
#: 1/sqrt(128) = 0.09 and a signature takes 525 bytes in the database.
NUM_PERM = 128
#: Seed of the permutations; part of the signature format, never change it casually.
SEED = 1
#: Jaccard similarity (estimated from signatures) at which an article counts as a near copy of
#: an earlier one. Measured on the texts in tests/test_dedup.py (about 160 words each): copies
#: with a changed sentence and footer, a new intro line, or cut short score 0.70-0.92, a
#: different story with the same actors 0.03. 0.5 sits between them, more than two standard
#: errors of the estimate below the copies, and still links a copy cut to two thirds.
THRESHOLD = 0.5
#: LSH weights (false positive, false negative): candidates are verified against THRESHOLD
#: afterwards, so a false candidate costs only a comparison while a missed one loses a link.
#: With 128 permutations this picks 30 bands of 4 rows: a pair at Jaccard 0.5 becomes a
#: candidate 86% of the time, at 0.6 98%, at 0.2 5%.
LSH_WEIGHTS = (0.2, 0.8)
#: Fewest shingles a text needs for a signature; below this one changed word moves the
#: similarity by more than 10 points, so very short texts only get exact (id) matching.
MIN_SHINGLES = 10

#: Newest rows of the near-duplicate index compared one by one before the sorted tables are
#: rebuilt: a rebuild sorts every row (30 argsorts), so it is amortized over this many adds,
#: while a query compares the tail in one numpy pass (1,024 rows x 30 bands: microseconds).
TAIL_ROWS = 1024

#: Byte order of serialized signatures, fixed so a database moves between machines.
_BYTE_ORDER = "<"

# Punctuation that syndication and CMSs rewrite: every quote style becomes a straight quote,
# every dash a hyphen (em dashes become "--" first so they end up spaced, see normalize_text).
_PUNCTUATION = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»", '"'),
        **dict.fromkeys("‘’‚‛‹›′`", "'"),  # NFKC made ″ into ′′
        **dict.fromkeys("‐‑‒–−﹣", "-"),
        **dict.fromkeys("—―⸺⸻", "--"),
        **dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff", ""),  # soft hyphen, zero widths
    }
)
# A run of hyphens ("--"), or a hyphen with space on either side, is a dash between words.
_DASH = re.compile(r"\s*-{2,}\s*|\s+-\s*|\s*-\s+")
_WORD = re.compile(r"\w+")
# odd 64-bit multipliers that mix a band's hash values into one number (fixed: SEED)
_BAND_MIX = np.random.default_rng(SEED).integers(1, 2**63, size=NUM_PERM, dtype=np.uint64) | 1


def normalize_text(text: str) -> str:
    """Text reduced to what syndication keeps: NFKC, casefolded, one style of quotes and dashes."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION).casefold()
    # white space collapsed first: _DASH's leading \s* tried from every space of a long run
    # made one run of 40,000 spaces cost 12 s (quadratic); a single space can't
    text = _DASH.sub(" - ", " ".join(text.split()))
    return " ".join(text.split())


def article_id(text: str) -> str:
    """Stable article id: the first 16 hex digits of the sha256 of the normalized text."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()[:16]


def content_hash(data: bytes | str) -> str:
    """Full sha256 hex digest of raw document bytes (str is encoded as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[str]:
    """Set of ``size``-word shingles of the normalized text (one shingle if it is shorter)."""
    # \w+ splits on spaces and punctuation; scripts written without spaces (Chinese, Japanese,
    # Thai) give few long "words" and so no signature: they are only matched exactly.
    words = _WORD.findall(normalize_text(text))
    if len(words) <= size:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)}


def minhash_signature(text: str, num_perm: int = NUM_PERM) -> Signature | None:
    """MinHash of the text's word shingles, or None if it has fewer than MIN_SHINGLES."""
    grams = shingles(text)
    if len(grams) < MIN_SHINGLES:
        return None
    return _minhash.minhash((gram.encode("utf-8") for gram in grams), seed=SEED, num_perm=num_perm)


def signature_to_bytes(signature: Signature) -> bytes:
    """Serialize a signature for the database (datasketch's LeanMinHash format, little-endian)."""
    return _minhash.to_bytes(signature, _BYTE_ORDER)


def signature_from_bytes(data: bytes) -> Signature:
    """Read a signature written by :func:`signature_to_bytes`; ValueError if it is corrupt."""
    try:
        return _minhash.from_bytes(data, _BYTE_ORDER)
    except ValueError as err:
        raise ValueError(f"not a MinHash signature ({len(data)} bytes): {err}") from err


def is_current(signature: Signature) -> bool:
    """True if the signature was made with this module's permutations and can be compared."""
    return (
        len(signature) == NUM_PERM
        and signature.seed == SEED
        and getattr(signature, "scheme", None) == "affine32"
    )


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    return _minhash.lsh_bands(threshold, num_perm, LSH_WEIGHTS)


class NearDuplicateIndex:
    """MinHash LSH over article signatures: which earlier article is this a near copy of?

    The bands are datasketch's (:data:`LSH_WEIGHTS` picks 30 bands of 4 rows), but the tables
    are numpy arrays: datasketch keeps a Python set per band and article (about 9 KB an
    article, 90 MB per 10,000 stored articles); here each article costs about 1.1 KB (its
    128 hash values, a 64-bit hash per band and the band's sorted position).
    """

    def __init__(self, *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> None:
        """An empty index; matches need an estimated Jaccard of at least ``threshold``."""
        self.threshold = threshold
        self._bands, self._rows = _bands(threshold, num_perm)
        self._keys: list[str] = []  # row -> key; rows are in insertion order (ties by age)
        self._row_of: dict[str, int] = {}
        self._values = np.zeros((0, num_perm), dtype=np.uint32)  # row -> hash values
        self._band_hashes = np.zeros((0, self._bands), dtype=np.uint64)  # row -> band hashes
        # rows below _sorted are also in the per-band sorted tables (binary search); newer
        # rows are compared directly until TAIL_ROWS of them have piled up
        self._sorted = 0
        self._sorted_hashes = np.zeros((self._bands, 0), dtype=np.uint64)
        self._sorted_rows = np.zeros((self._bands, 0), dtype=np.int32)

    @classmethod
    def from_signatures(cls, items: Iterable[tuple[str, Signature]]) -> NearDuplicateIndex:
        """Index built from ``(key, signature)`` pairs, oldest first."""
        index = cls()
        for key, signature in items:
            index.add(key, signature)
        return index

    def __len__(self) -> int:
        """Number of indexed signatures."""
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        """True if ``key`` is indexed."""
        return key in self._row_of

    def _hash_bands(self, values: np.ndarray) -> np.ndarray:
        """One 64-bit hash per band: equal bands give equal hashes (collisions are verified)."""
        bands = values[: self._bands * self._rows].astype(np.uint64).reshape(self._bands, -1)
        hashes: np.ndarray = (bands * _BAND_MIX[: self._rows]).sum(axis=1, dtype=np.uint64)
        return hashes  # the products and the sum wrap around modulo 2**64

    def add(self, key: str, signature: Signature) -> None:
        """Index a signature under ``key`` (adding a key twice is a no-op)."""
        if key in self._row_of:
            return
        values = np.asarray(signature.hashvalues)
        row = len(self._keys)
        if row == len(self._values):  # grow by half: amortized O(1), no big RSS steps
            size = max(64, row + row // 2)
            self._values = np.resize(self._values, (size, self._values.shape[1]))
            self._band_hashes = np.resize(self._band_hashes, (size, self._bands))
        if values.max(initial=0) > np.iinfo(self._values.dtype).max:  # not affine32 hashes
            self._values = self._values.astype(np.uint64)
        self._values[row] = values
        self._band_hashes[row] = self._hash_bands(values)
        self._keys.append(key)
        self._row_of[key] = row
        if len(self._keys) - self._sorted >= TAIL_ROWS:
            self._sort()

    def _sort(self) -> None:
        """Rebuild the sorted per-band tables over every row."""
        count = len(self._keys)
        hashes = self._band_hashes[:count]
        order = np.argsort(hashes, axis=0, kind="stable")
        self._sorted_hashes = np.take_along_axis(hashes, order, axis=0).T.copy()
        self._sorted_rows = order.T.astype(np.int32)
        self._sorted = count

    def _candidates(self, hashes: np.ndarray) -> np.ndarray:
        """Rows that share at least one band with the query."""
        found: list[np.ndarray] = []
        for band in range(self._bands):
            table = self._sorted_hashes[band]
            low = int(np.searchsorted(table, hashes[band], side="left"))
            high = int(np.searchsorted(table, hashes[band], side="right"))
            if high > low:
                found.append(self._sorted_rows[band, low:high])
        tail = self._band_hashes[self._sorted : len(self._keys)]
        found.append(np.flatnonzero((tail == hashes).any(axis=1)) + self._sorted)
        return np.unique(np.concatenate(found))

    def matches(self, signature: Signature) -> list[tuple[str, float]]:
        """Indexed keys at or above the threshold of estimated Jaccard, most similar first."""
        values = np.asarray(signature.hashvalues)
        if not self._keys:
            return []
        rows = self._candidates(self._hash_bands(values))
        similarity = (self._values[rows] == values).mean(axis=1)
        found = [
            (float(sim), int(row))
            for row, sim in zip(rows, similarity, strict=True)
            if sim >= self.threshold
        ]
        found.sort(key=lambda item: (-item[0], item[1]))
        return [(self._keys[row], sim) for sim, row in found]

    def find(self, signature: Signature) -> str | None:
        """Key of the most similar earlier signature at or above the threshold (oldest on ties)."""
        found = self.matches(signature)
        return found[0][0] if found else None
