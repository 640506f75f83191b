"""The predicate lexicon: lemma (+ conditions on its dependents) → CAMEO code and flags."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from detente.coding.ontology import OntologyError, cameo
from detente.errors import InputError

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Conditions an entry may put on its predicate (see ``data/lexicon/predicates.csv``).
CONDITIONS = frozenset({"prt", "obj", "prep", "comp", "mod", "subj", "advmod", "no"})
#: Flags an entry may carry.
FLAGS = frozenset(
    {
        *("sym", "addressed", "light", "threat", "intent", "demand", "appeal", "refuse"),
        *("deny", "report", "hypo", "fail", "weak", "dyad", "given"),
    }
)
#: Flags that make a predicate a frame: its complement says what the event is.
FRAMES = frozenset({"threat", "intent", "demand", "appeal", "refuse", "deny", "hypo", "fail"})
_OBJECT_DEPS = frozenset({"dobj", "obj"})
_COMPLEMENT_DEPS = frozenset({"xcomp", "ccomp"})


@dataclass(frozen=True, slots=True)
class Entry:
    """One lexicon row."""

    lemma: str
    pos: str  # verb or noun
    when: tuple[tuple[str, frozenset[str]], ...]  # (condition, accepted words); "*" any, "-" none
    cameo: str | None
    flags: frozenset[str]

    @property
    def frame(self) -> str | None:
        """The frame this entry opens (threat, intent, …), None for a plain event."""
        return next(
            (
                f
                for f in ("threat", "intent", "demand", "appeal", "refuse", "deny", "hypo", "fail")
                if f in self.flags
            ),
            None,
        )


def _parse(rows: Iterable[dict[str, str]], origin: str) -> list[Entry]:
    entries: list[Entry] = []
    for number, row in enumerate(rows, start=2):
        where = f"{origin}, row {number}"
        lemma = (row.get("lemma") or "").strip().lower()
        pos = (row.get("pos") or "").strip()
        if not lemma or pos not in ("verb", "noun"):
            raise InputError(f"{where}: needs a lemma and pos verb|noun, got {row!r}")
        when: list[tuple[str, frozenset[str]]] = []
        for part in filter(None, (p.strip() for p in (row.get("when") or "").split(";"))):
            key, _, words = part.partition("=")
            if key not in CONDITIONS or not words:
                raise InputError(
                    f"{where}: condition {part!r} is not one of "
                    f"{', '.join(sorted(CONDITIONS))} written key=word|word"
                )
            when.append((key, frozenset(w.strip().lower() for w in words.split("|"))))
        flags = frozenset(filter(None, (f.strip() for f in (row.get("flags") or "").split("|"))))
        if flags - FLAGS:
            raise InputError(
                f"{where}: unknown flags {sorted(flags - FLAGS)}; valid: {', '.join(sorted(FLAGS))}"
            )
        code = (row.get("cameo") or "").strip() or None
        if code is not None:
            try:
                cameo(code)
            except OntologyError as err:
                raise InputError(f"{where}: {err}") from err
        entries.append(Entry(lemma, pos, tuple(when), code, flags))
    return entries


def _read(text: str, origin: str) -> list[Entry]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return _parse(csv.DictReader(io.StringIO("\n".join(lines))), origin)


class Lexicon:
    """Entries indexed by (lemma, pos); the match with most conditions wins."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        """Index ``entries`` (file order breaks ties)."""
        self._by: dict[tuple[str, str], list[Entry]] = {}
        for entry in entries:
            self._by.setdefault((entry.lemma, entry.pos), []).append(entry)

    @classmethod
    def builtin(cls) -> Lexicon:
        """The lexicon shipped with Detente."""
        return _builtin()

    @classmethod
    def from_file(cls, path: str | Path, *, extend: bool = True) -> Lexicon:
        """A user lexicon in the same CSV format, added before (so winning over) the built-in."""
        file = Path(path)
        entries = _read(file.read_text(encoding="utf-8"), str(file))
        return cls([*entries, *(_builtin().entries() if extend else [])])

    def entries(self) -> list[Entry]:
        """Every entry, in index order."""
        return [e for group in self._by.values() for e in group]

    def has(self, lemma: str, pos: str) -> bool:
        """Whether any entry exists for ``lemma`` as ``pos``."""
        return (lemma, pos) in self._by

    def match(self, token: Token, pos: str) -> Entry | None:
        """The most specific entry whose conditions ``token``'s dependents satisfy."""
        lemma = _lemma(token)
        best: Entry | None = None
        for entry in self._by.get((lemma, pos), ()):
            better = best is None or len(entry.when) > len(best.when)
            if better and all(_holds(token, key, words) for key, words in entry.when):
                best = entry
        return best


@lru_cache(maxsize=1)
def _builtin() -> Lexicon:
    text = (
        resources.files("detente").joinpath("data", "lexicon", "predicates.csv").read_text("utf-8")
    )
    return Lexicon(_read(text, "predicates.csv"))


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    return lemma if lemma and lemma != "-pron-" else token.lower_


def _words(tokens: Iterable[Token]) -> set[str]:
    out: set[str] = set()
    for t in tokens:
        out.add(t.lower_)
        out.add(_lemma(t))
    return out


def _holds(token: Token, key: str, words: frozenset[str]) -> bool:
    """Whether ``token`` satisfies one condition."""
    children = list(token.children)
    if key == "obj":
        objs = [c for c in children if c.dep_ in _OBJECT_DEPS]
        if token.dep_ == "acl" and token.tag_ == "VBN":
            objs.append(token.head)  # "the deal signed in Istanbul": the noun is the object
        objs += [c for c in children if c.dep_ == "nsubjpass"]
        # "25,000 tons of food aid", "a batch of drones": the measured noun is the object
        objs += [g for o in objs for p in o.children if p.lower_ == "of" for g in p.children]
        if "-" in words:
            return not objs
        if "*" in words:
            return bool(objs)
        return bool(words & _words(objs))
    if key == "comp":
        comps = [c for c in children if c.dep_ in _COMPLEMENT_DEPS]
        return bool(comps) if "*" in words else bool(words & _words(comps))
    if key == "prt":
        return bool(words & _words(c for c in children if c.dep_ == "prt"))
    if key == "advmod":
        return bool(words & _words(c for c in children if c.dep_ == "advmod"))
    if key == "prep":
        preps = [c for c in children if c.dep_ in ("prep", "agent", "prt", "mark")]
        # "took aim at", "fired missiles at": the preposition the parse hangs on the object
        preps += [
            p for o in children if o.dep_ in _OBJECT_DEPS for p in o.children if p.dep_ == "prep"
        ]
        return bool(words & _words(preps))
    if key == "mod":
        mods = [c for c in children if c.dep_ in ("compound", "amod", "nmod")]
        for prep in (c for c in children if c.dep_ == "prep"):
            mods.extend(g for g in prep.children if g.dep_ == "pobj")  # "spoke by phone"
        return bool(words & _words(mods))
    if key == "no":  # none of these dependencies: "called him a friend" is not a phone call
        return not any(c.dep_ in words for c in children)
    if key == "subj":
        return bool(words & _words(c for c in children if c.dep_ in ("nsubj", "nsubjpass")))
    return False
