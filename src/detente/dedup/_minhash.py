"""MinHash signatures in datasketch's "affine32" scheme and LeanMinHash byte format, in numpy.

Why not datasketch itself: importing any part of it imports its LSH module, which imports
``scipy.integrate`` (about 60 MB of resident memory and 0.4 s in every process that stores or
extracts an article), only to choose band sizes once. The arithmetic is a few lines; these
are bit for bit datasketch 2.0's (``tests/test_dedup.py`` compares hash values, serialized
bytes and LSH parameters with datasketch's own, installed with the development tools), so
signatures stored by earlier versions of Detente read back unchanged.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

SCHEME = "affine32"
#: The LeanMinHash format's code for the affine32 scheme (after a negated length).
_SCHEME_CODE = 1
_MAX = np.uint32(0xFFFFFFFF)
# MurmurHash3's 32-bit finalizer: the fixed bijection datasketch mixes each input hash with
_FMIX = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35))
_permutations: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}


@dataclass(frozen=True, eq=False)
class Signature:
    """A MinHash signature: the seed of its permutations and one 32-bit minimum per permutation."""

    seed: int
    hashvalues: np.ndarray
    scheme: str = SCHEME

    def __len__(self) -> int:
        """Number of permutations."""
        return len(self.hashvalues)

    def jaccard(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two sets (same seed and size needed)."""
        if other.seed != self.seed or len(other) != len(self) or other.scheme != self.scheme:
            raise ValueError("signatures made with different permutations cannot be compared")
        return float(np.count_nonzero(self.hashvalues == other.hashvalues)) / len(self)


def _affine(seed: int, num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    """The permutations h -> a*h + b mod 2**32 (a odd), drawn as datasketch draws them."""
    key = (seed, num_perm)
    if key not in _permutations:
        gen = np.random.RandomState(seed)
        a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
        b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
        _permutations[key] = (a, b)
    return _permutations[key]


def minhash(values: Iterable[bytes], *, seed: int, num_perm: int) -> Signature:
    """Signature of a set of byte strings (an empty set gives the all-maximum signature)."""
    hashes = [struct.unpack("<I", hashlib.sha1(v).digest()[:4])[0] for v in values]
    if not hashes:
        return Signature(seed, np.full(num_perm, _MAX, dtype=np.uint32))
    s1, m1, s2, m2 = _FMIX
    hv = np.array(hashes, dtype=np.uint32).reshape(-1, 1)
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s1)
    a, b = _affine(seed, num_perm)
    return Signature(seed, (hv * a + b).min(axis=0))  # uint32 arithmetic wraps: mod 2**32


def to_bytes(signature: Signature, byteorder: str) -> bytes:
    """LeanMinHash's serialization: seed, negated length, scheme code, the hash values."""
    n = len(signature)
    return struct.pack(
        f"{byteorder}qiB{n}I", signature.seed, -n, _SCHEME_CODE, *signature.hashvalues.tolist()
    )


def from_bytes(data: bytes, byteorder: str) -> Signature:
    """Read :func:`to_bytes`'s format; ValueError if it is something else or cut short."""
    try:
        seed, count = struct.unpack_from(f"{byteorder}qi", data, 0)
        if count >= 0:
            raise ValueError("a signature of datasketch's legacy scheme (not written by Detente)")
        (code,) = struct.unpack_from(f"{byteorder}B", data, struct.calcsize(f"{byteorder}qi"))
        if code != _SCHEME_CODE:
            raise ValueError(f"unknown scheme code {code}")
        offset = struct.calcsize(f"{byteorder}qiB0I")
        values = struct.unpack_from(f"{byteorder}{-count}I", data, offset)
    except struct.error as err:
        raise ValueError(str(err)) from err
    return Signature(seed, np.array(values, dtype=np.uint32))


def lsh_bands(threshold: float, num_perm: int, weights: tuple[float, float]) -> tuple[int, int]:
    """Bands and rows per band that minimize the weighted false positive and negative areas.

    datasketch's ``MinHashLSH`` choice (its ``_optimal_param``), with its integrals of the
    collision curve 1 - (1 - s**r)**b computed here by the trapezoid rule on a fine grid.
    """
    fp_weight, fn_weight = weights
    best, choice = float("inf"), (0, 0)
    low = np.linspace(0.0, threshold, 2001)
    high = np.linspace(threshold, 1.0, 2001)
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp = float(np.trapezoid(1 - (1 - low**r) ** b, low))
            fn = float(np.trapezoid((1 - high**r) ** b, high))
            error = fp * fp_weight + fn * fn_weight
            if error < best:
                best, choice = error, (b, r)
    return choice
