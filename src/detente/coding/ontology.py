"""The event ontologies: CAMEO codes (names, Goldstein scores, quad classes) and PLOVER types.

Data files (``detente/data/ontology``, written for Detente from the public codebooks):

``cameo.csv``
    Every CAMEO 1.1b3 event code: the 20 roots (``"01"``..``"20"``), their 3- and 4-digit
    sub-codes, the name and the Goldstein score GDELT 2.0 publishes for each code.
``plover.csv``
    The 16 PLOVER event types POLECAT codes, each with its modes.
``cameo_plover.csv``
    CAMEO code → PLOVER type and mode, after the OEDA CAMEO-to-PLOVER table (2021). A code not
    listed takes its 3-digit parent's entry, then its root's. Root 01 has no PLOVER type.

Quad classes follow GDELT's convention (the CAMEO event-code table groups roots this way):
1 verbal cooperation = roots 01-05, 2 material cooperation = 06-09, 3 verbal conflict = 10-14,
4 material conflict = 15-20. Note that investigating (09) counts as material cooperation and
protest (14) as verbal conflict, as in GDELT; PLOVER's own quad grouping differs (it puts
PROTEST with material conflict), which is why :attr:`CameoCode.quad_class` is read from the CAMEO
root only.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from detente.errors import DetenteError

__all__ = [
    "PLOVER_TYPES",
    "QUAD_NAMES",
    "CameoCode",
    "OntologyError",
    "PloverType",
    "all_cameo",
    "cameo",
    "plover_type",
    "quad_class",
]

#: Quad class of each CAMEO root (GDELT's convention, see the module docstring).
_QUAD_OF_ROOT = {
    f"{r:02d}": 1 if r <= 5 else 2 if r <= 9 else 3 if r <= 14 else 4 for r in range(1, 21)
}
#: Names of the quad classes, as GDELT spells them.
QUAD_NAMES = {
    1: "verbal_cooperation",
    2: "material_cooperation",
    3: "verbal_conflict",
    4: "material_conflict",
}
#: The PLOVER event types, in the manual's order.
PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)


class OntologyError(DetenteError, ValueError):
    """A CAMEO code or PLOVER type that the ontology does not define."""


@dataclass(frozen=True, slots=True)
class CameoCode:
    """One CAMEO event code with everything an event record carries about it."""

    code: str  # "042", "0211"
    name: str  # "Make a visit"
    root: str  # "04"
    goldstein: float  # -10 .. +10
    quad_class: int  # 1 verbal coop., 2 material coop., 3 verbal conflict, 4 material conflict
    plover: str | None  # PLOVER type, None for statements (01)
    plover_mode: str | None  # PLOVER mode where the table gives one

    @property
    def parent(self) -> str | None:
        """The code one level up ("0211" → "021", "021" → "02"), None for a root."""
        return self.code[:-1] if len(self.code) > 2 else None


@dataclass(frozen=True, slots=True)
class PloverType:
    """A PLOVER event type with its modes."""

    name: str
    modes: tuple[str, ...]
    definition: str


def _rows(name: str) -> list[dict[str, str]]:
    """The rows of a data file, comment lines (``#``) skipped."""
    text = resources.files("detente").joinpath("data", "ontology", name).read_text("utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(io.StringIO("\n".join(lines))))


@lru_cache(maxsize=1)
def _plover_types() -> dict[str, PloverType]:
    return {
        row["type"]: PloverType(
            row["type"], tuple(m for m in row["modes"].split("|") if m), row["definition"]
        )
        for row in _rows("plover.csv")
    }


@lru_cache(maxsize=1)
def _table() -> dict[str, CameoCode]:
    mapping = {
        row["code"]: (row["plover"] or None, row["mode"] or None)
        for row in _rows("cameo_plover.csv")
    }
    table: dict[str, CameoCode] = {}
    for row in _rows("cameo.csv"):
        code = row["code"]
        key = next((k for k in (code, code[:3], code[:2]) if k in mapping), None)
        plover, mode = mapping[key] if key is not None else (None, None)
        table[code] = CameoCode(
            code=code,
            name=row["name"],
            root=code[:2],
            goldstein=float(row["goldstein"]),
            quad_class=_QUAD_OF_ROOT[code[:2]],
            plover=plover,
            plover_mode=mode,
        )
    return table


def _suggest(value: str, valid: list[str]) -> str:
    """A hint naming the valid values close to ``value`` (same prefix), else all roots."""
    near = [v for v in valid if v.startswith(value[:2])] if len(value) >= 2 else []
    shown = near or [v for v in valid if len(v) == 2]
    return ", ".join(shown[:40]) + (", …" if len(shown) > 40 else "")


def cameo(code: str) -> CameoCode:
    """The CAMEO code ``code`` ("042", "0211", "19"); :class:`OntologyError` when unknown."""
    table = _table()
    key = str(code).strip()
    if key.isdigit() and len(key) == 1:
        key = "0" + key  # "4" → "04"
    found = table.get(key)
    if found is None:
        raise OntologyError(
            f"unknown CAMEO code {code!r}; valid codes near it: "
            f"{_suggest(key, sorted(table))}. Codes are strings of 2-4 digits with a leading "
            'zero ("042", not 42).'
        )
    return found


def all_cameo() -> list[CameoCode]:
    """Every CAMEO code, roots first in each family, in code order."""
    return [v for _, v in sorted(_table().items())]


def plover_type(name: str) -> PloverType:
    """The PLOVER type ``name`` (case-insensitive); :class:`OntologyError` when unknown."""
    found = _plover_types().get(name.strip().upper())
    if found is None:
        raise OntologyError(f"unknown PLOVER type {name!r}; valid types: {', '.join(PLOVER_TYPES)}")
    return found


def quad_class(code: str) -> int:
    """The quad class (1-4) of a CAMEO code."""
    return cameo(code).quad_class
