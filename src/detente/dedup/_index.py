"""The compact event index's storage: profiles, block keys packed to 64 bits, numpy-array blocks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import NamedTuple, TypeVar

import numpy as np

_MASK64 = (1 << 64) - 1
#: Block entries held in a dict (about 100 bytes each) before they are merged into the sorted
#: arrays (12 bytes each). A merge sorts every entry, so the dict may reach a quarter of the
#: arrays first: each entry is then sorted a handful of times in all, and the dict's share of
#: the memory stays small.
_MERGE_AT = 4_096

_T = TypeVar("_T")
_UNKNOWN_PERIOD = "?"


class EventKey(NamedTuple):
    """The block an event is filed under: unordered actor pair, CAMEO root, period."""

    actors: tuple[str, str]  # each side's country, IGO code or folded name; "-" when missing
    root: str  # "04"
    period: str  # the date: "2022-08-05", "2022-08", "2022"; "?" + article id when undated


class _Side(NamedTuple):
    """What identifies an actor for dedup."""

    base: str  # country, else code (IGOs), else "name:" + folded name
    role: str | None
    person: str | None  # folded canonical name of a person, None for countries and groups
    anchor: bool = True  # names one actor; False for a class given its country by the article
    name: str | None = None  # folded canonical name of the actor (a person, a body, a country)
    specific: bool = False  # a person, a body or a group, not a country or a place


class _Place(NamedTuple):
    name: str  # folded
    country: str | None
    country_level: bool


class _Profile(NamedTuple):
    """Everything :func:`compatible` looks at, normalized (hashable, so clusters keep a set)."""

    source: _Side | None
    target: _Side | None
    code: str  # 043 turned into 042 with the sides swapped
    mutual: bool  # direction-insensitive
    span: tuple[date, date] | None  # first and last day
    scope: str | None  # undated: the article it may merge within
    fallback: bool  # the span is a publication date, widened when compared
    place: _Place | None
    flags: tuple[bool, bool, str | None]  # negated, hypothetical, modality
    said: str | None = None  # a statement's verb, stemmed ("accus", "slam"); None for acts
    clause: int | None = None  # the sentence it was coded from (article number, offset), if known


def _bases(profile: _Profile) -> list[str]:
    """The known sides' blocking names."""
    return [side.base for side in (profile.source, profile.target) if side is not None]


def _pair(bases: Sequence[str]) -> tuple[str, str]:
    """The unordered pair of the sides, a missing side as ``-``."""
    first, second = sorted([*bases, "-", "-"][:2])
    return first, second


def _home_period(profile: _Profile) -> str:
    if profile.span is None:
        return _UNKNOWN_PERIOD + (profile.scope or "")
    first, last = profile.span  # a day, a month or a year
    if first == last:
        return first.isoformat()
    return f"{first.year:04d}-{first.month:02d}" if first.month == last.month else str(first.year)


def _home(profile: _Profile) -> EventKey:
    """The block a profile is filed under."""
    return EventKey(_pair(_bases(profile)), profile.code[:2], _home_period(profile))


def _homes(profile: _Profile) -> list[EventKey]:
    """Its pair block; none for a one-sided profile, which nothing joins (it joins nothing)."""
    return [_home(profile)] if len(_bases(profile)) == 2 else []


class BlockIndex:
    """What an EventIndex stores: distinct profiles by cluster number, under packed block keys."""

    def __init__(self) -> None:
        # distinct profiles by cluster number: the profile itself while there is only one
        self._profiles: list[_Profile | tuple[_Profile, ...]] = []
        self._blocks: dict[int, int | list[int]] = {}  # recent: block key -> cluster number(s)
        self._recent = 0  # entries in _blocks
        self._keys = np.empty(0, dtype=np.uint64)  # older block keys, sorted
        self._values = np.empty(0, dtype=np.uint32)  # their cluster numbers
        self._names: dict[str, int] = {}  # actor base, root or period -> number in block keys
        self._atoms: dict[object, object] = {}  # one shared copy of each equal side, span, ...

    def _shared(self, value: _T) -> _T:
        """One copy of equal values: the same actors, places, days and codes recur."""
        shared: _T = self._atoms.setdefault(value, value)  # type: ignore[assignment]
        return shared

    def _compact(self, profile: _Profile) -> _Profile:
        """``profile`` made of shared parts (it then costs one tuple)."""
        share = self._shared
        return profile._replace(
            source=share(profile.source),
            target=share(profile.target),
            code=share(profile.code),
            span=share(profile.span),
            place=share(profile.place),
            flags=share(profile.flags),
        )

    def _packed(self, key: EventKey, *, add: bool = False) -> int | None:
        """The block key hashed to 64 bits (None when a name was never filed: no such block)."""
        packed = 0
        names = self._names
        for name in (*key.actors, key.root, key.period):
            number = names.get(name)
            if number is None:
                if not add:
                    return None
                number = names[name] = len(names)
            packed = ((packed ^ number) * 0x9E3779B97F4A7C15) & _MASK64
        return packed ^ (packed >> 29)

    def _filed(self, probes: Iterable[EventKey]) -> list[int]:
        """The clusters filed under the blocks ``probes`` (a cluster may come twice)."""
        found: list[int] = []
        keys = []
        for key in probes:
            packed = self._packed(key)
            if packed is None:
                continue
            keys.append(packed)
            held = self._blocks.get(packed)
            if held is not None:
                found.extend((held,) if isinstance(held, int) else held)
        if keys and len(self._keys):
            wanted = np.array(keys, dtype=np.uint64)
            starts = np.searchsorted(self._keys, wanted, side="left")
            ends = np.searchsorted(self._keys, wanted, side="right")
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                if start < end:
                    found.extend(self._values[start:end].tolist())
        return found

    def _merge(self) -> None:
        """Move the recent block entries into the sorted arrays."""
        keys: list[int] = []
        values: list[int] = []
        for packed, held in self._blocks.items():
            for number in (held,) if isinstance(held, int) else held:
                keys.append(packed)
                values.append(number)
        all_keys = np.concatenate([self._keys, np.array(keys, dtype=np.uint64)])
        all_values = np.concatenate([self._values, np.array(values, dtype=np.uint32)])
        order = np.argsort(all_keys, kind="stable")
        self._keys, self._values = all_keys[order], all_values[order]
        self._blocks, self._recent = {}, 0

    def _join(self, number: int, profile: _Profile) -> None:
        """Add a distinct profile to cluster ``number`` and file it under its new blocks."""
        profiles = self._distinct(number)
        if profile in profiles:
            return
        filed = {key for other in profiles for key in _homes(other)}
        for key in _homes(profile):
            if key in filed:
                continue
            filed.add(key)
            packed = self._packed(key, add=True)
            assert packed is not None
            held = self._blocks.get(packed)
            if held is None:
                self._blocks[packed] = number
            elif isinstance(held, int):
                self._blocks[packed] = [held, number]
            else:
                held.append(number)
            self._recent += 1
        self._profiles[number] = (*profiles, profile) if profiles else profile
        if self._recent > max(_MERGE_AT, len(self._keys) // 4):
            self._merge()

    def _distinct(self, number: int) -> tuple[_Profile, ...]:
        """The distinct profiles of cluster ``number``, oldest first."""
        held = self._profiles[number]
        return (held,) if isinstance(held, _Profile) else held
