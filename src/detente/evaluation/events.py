"""Score the event coder on three public gold sets in ``../shared/eval``.

``plover_gsr``
    The PLOVER gold-standard records (322 example sentences of the CAMEO manual, coded in
    PLOVER 0.5 by its authors). Per sentence our *main* event (highest confidence, then first
    in the text) is compared with the gold record: event type accuracy (gold types mapped to
    the 2021 names: DEMAND → REQUEST, DISAPPROVE and INVESTIGATE → ACCUSE, FIGHT → ASSAULT),
    and source and target country accuracy (our actor's country is in the gold actors'
    countries; an IGO gold matches any IGO code of ours; NGO/IMG/ISM gold mean "no country").
    A missing event or actor is wrong. The set has no split: records are split in half by a
    hash of their id (:func:`gsr_split`); rules were tuned on ``dev`` only and the gated figures
    are ``test``'s.
``cameo_conflibert_multirater``
    Real news sentences, each coded by 3-5 trained coders (CAMEO root of their first action).
    Coded with ``statements=True`` (reporting verbs are CAMEO 01 events, as the coders code
    them); the main event is the one nearest the root of the parse, except that a statement
    written after the act it reports ("X did Y, officials said") yields to that act. Reported:
    agreement of its root with the coders' majority (sentences with a strict majority only; no
    event counts as a disagreement), next to the coders' own pairwise agreement on the same
    sentences and our pairwise agreement with each coder. The training rounds re-code one pool
    of sentences (117 distinct sentences in ~500 coded rows), so the split is by sentence
    (:func:`gsr_split` of its text), never by round: a sentence is dev or test in every round.
    One file per round: ``summary_v2`` when present, else ``summary``, else ``summary_v1``
    (``summary_wrong`` never).
``petrarch2_validation``
    PETRARCH2's unit suite with fictional actors. Its actor dictionary is converted to our
    user-dictionary format (:func:`convert_petrarch_actors`) and loaded by our resolver; the
    share of gold codings (source, target, CAMEO root) we reproduce is reported, with the share
    of dyads (source and target only; negated events count, as the suite codes negated acts).
    A symmetric event of ours (CODEBOOK "Direction") counts for both directions. Its verb
    dictionary is not used: our codes come from our lexicon, so this measures grammar and
    actors. The suite's codes are not CAMEO: its verb dictionary says they are WEIS codes,
    tweaked for the tests, with test-only ones (9xx, 345, 802 …); "welcomed" is 041 (WEIS
    praise, CAMEO 051), "restore ties" 064 (WEIS recognition, CAMEO 05x).
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import logging
import re
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pycountry

from detente.annotate.actors import ActorResolver
from detente.annotate.pipeline import annotate_doc
from detente.coding import code_article
from detente.model import Article, Event, Mention

__all__ = [
    "FIGURES",
    "EventEvaluation",
    "SetScore",
    "convert_petrarch_actors",
    "eval_conflibert",
    "eval_petrarch2",
    "eval_plover_gsr",
    "gsr_split",
    "main_event",
    "petrarch_codings",
    "run_event_eval",
]

if TYPE_CHECKING:
    from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

#: Every figure :meth:`EventEvaluation.figures` returns (the keys floors may pin).
FIGURES = (
    "plover_gsr_type_accuracy",
    "plover_gsr_source_accuracy",
    "plover_gsr_target_accuracy",
    "conflibert_root_agreement",
    "conflibert_ours_pairwise",
    "conflibert_human_pairwise",
    "petrarch2_reproduced",
    "petrarch2_dyad_reproduced",
)
#: PLOVER 0.5 names in the gold records → the 2021 types we code.
GSR_TYPES = {
    "DEMAND": "REQUEST",
    "DISAPPROVE": "ACCUSE",
    "INVESTIGATE": "ACCUSE",
    "FIGHT": "ASSAULT",
}
#: Old CAMEO country codes in the gold records → ISO 3166 alpha-3.
GSR_COUNTRIES = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
#: Gold actor codes that stand for no country (non-state groups).
GSR_NO_COUNTRY = frozenset({"NGO", "IMG", "ISM"})
#: Publication date of the gold records (their "date" field).
GSR_DATE = "2000-01-01"
#: Depth added to a statement that follows the act it reports when picking the main event
#: (any value above a sentence's depth works; chosen on the conflibert dev half).
STATEMENT_AFTER_PENALTY = 10
#: Sentences parsed per batch.
BATCH_SIZE = 64
#: Failures kept per set in the report.
FAILURES_KEPT = 60


@dataclass(slots=True)
class SetScore:
    """The figures of one set on one split, with a sample of failures."""

    name: str
    split: str
    count: int
    figures: dict[str, float]
    failures: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return dataclasses.asdict(self)

    def format(self) -> str:
        """One line per figure."""
        lines = [f"{self.name} [{self.split}, n={self.count}]"]
        lines += [f"  {k:<34} {v:.3f}" for k, v in self.figures.items()]
        return "\n".join(lines)


@dataclass(slots=True)
class EventEvaluation:
    """The event coder's scores on every set found."""

    sets: list[SetScore]
    seconds: float

    def figures(self) -> dict[str, float]:
        """The gated figures (test splits), keyed as in :data:`FIGURES`."""
        out: dict[str, float] = {}
        for score in self.sets:
            if score.split in ("test", "all"):
                out.update({k: v for k, v in score.figures.items() if k in FIGURES})
        return out

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "figures": self.figures(),
            "sets": [s.to_dict() for s in self.sets],
            "seconds": round(self.seconds, 1),
        }

    def format(self) -> str:
        """A plain-text report."""
        body = "\n".join(s.format() for s in self.sets)
        return f"{body}\n({self.seconds:.0f} s)"


# --- shared ------------------------------------------------------------------------------------
def _code_texts(
    texts: Sequence[str],
    resolver: ActorResolver,
    *,
    published: Sequence[str],
    statements: bool = False,
) -> list[list[Event]]:
    """Parse, annotate and code each text (one ``nlp.pipe`` pass); events main-first."""
    from detente.annotate.nlp import load_pipeline

    nlp = load_pipeline()
    out: list[list[Event]] = []
    for number, doc in enumerate(nlp.pipe(texts, batch_size=BATCH_SIZE)):
        article = Article(id=str(number), text=texts[number], source="eval")
        article.published = published[number]
        annotate_doc(article, doc, resolver=resolver)
        events = code_article(doc, article, statements=statements)
        depth = {e.trigger_start: _depth(doc, e.trigger_start) for e in events}
        first_act = min((e.trigger_start for e in events if e.cameo != "010"), default=None)
        for e in events:  # "X did Y, officials said": the act, not the attribution after it
            if e.cameo == "010" and first_act is not None and first_act < e.trigger_start:
                depth[e.trigger_start] += STATEMENT_AFTER_PENALTY
        events.sort(key=lambda e: (depth[e.trigger_start], -e.confidence, e.trigger_start))
        out.append(events)
    return out


def _depth(doc: Doc, char: int) -> int:
    """How many heads lie between the token at ``char`` and its sentence root."""
    token = next((t for t in doc if t.idx >= char), None)
    hops = 0
    while token is not None and token.head.i != token.i and hops < 50:
        token, hops = token.head, hops + 1
    return hops


def main_event(events: Sequence[Event]) -> Event | None:
    """The event that stands for a sentence: the first of a main-first list (see
    :func:`_code_texts`: the predicate nearest the root of the parse, then the most confident)."""
    return events[0] if events else None


def _ratio(right: int, total: int) -> float:
    return right / total if total else 0.0


# --- plover_gsr ----------------------------------------------------------------------------------
def gsr_split(record_id: str) -> str:
    """ "dev" or "test": a stable half of records by a hash of their id (or text)."""
    digest = hashlib.sha256(record_id.encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def _gold_countries(actors: Any) -> set[str | None] | None:
    """The countries of gold actors ("IGO" for organisations of states), None without actors."""
    if not isinstance(actors, list) or not actors:
        return None
    out: set[str | None] = set()
    for actor in actors:
        code = str(actor.get("code") or "")[:3]
        if code in GSR_NO_COUNTRY:
            out.add(None)
        else:
            out.add(GSR_COUNTRIES.get(code, code))
    return out


def _our_country(event: Event | None, role: str) -> str | bool | None:
    """The country of our actor in ``role``; "IGO" for IGOs; False when there is no actor."""
    if event is None:
        return False
    mention = event.source if role == "source" else event.target
    if mention is None:
        return False
    code = mention.actor.code or ""
    if code.startswith("IGO"):
        return "IGO"
    return mention.actor.country


def eval_plover_gsr(root: Path, resolver: ActorResolver | None = None) -> list[SetScore]:
    """Type, source and target accuracy on plover_gsr, for the dev and test halves."""
    path = root / "plover_gsr" / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt"
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("text")]
    resolver = resolver or ActorResolver()
    coded = _code_texts(
        [r["text"] for r in records],
        resolver,
        published=[r.get("date") or GSR_DATE for r in records],
    )
    scores: list[SetScore] = []
    for split in ("dev", "test"):
        tally: Counter[str] = Counter()
        failures: list[dict[str, Any]] = []
        for record, events in zip(records, coded, strict=True):
            if gsr_split(record["id"]) != split:
                continue
            main = main_event([e for e in events if e.plover])
            gold = GSR_TYPES.get(record["event"], record["event"])
            tally["n"] += 1
            right = main is not None and main.plover == gold
            tally["type"] += right
            ok = {"type": right}
            for role in ("source", "target"):
                wanted = _gold_countries(record.get(role))
                if wanted is None:
                    continue
                tally[f"{role}_n"] += 1
                got = _our_country(main, role)
                ok[role] = got is not False and got in wanted
                tally[role] += ok[role]
            if not all(ok.values()) and len(failures) < FAILURES_KEPT:
                failures.append(
                    {
                        "id": record["id"],
                        "text": record["text"],
                        "gold": gold,
                        "ours": main.plover if main else None,
                        "cameo": main.cameo if main else None,
                        "source": main.source.actor.code if main and main.source else None,
                        "target": main.target.actor.code if main and main.target else None,
                    }
                )
        figures = {
            "plover_gsr_type_accuracy": _ratio(tally["type"], tally["n"]),
            "plover_gsr_source_accuracy": _ratio(tally["source"], tally["source_n"]),
            "plover_gsr_target_accuracy": _ratio(tally["target"], tally["target_n"]),
        }
        scores.append(SetScore("plover_gsr", split, tally["n"], figures, failures))
    return scores


# --- cameo_conflibert_multirater ------------------------------------------------------------------
_ROOT = re.compile(r"^\s*\d+\s*-\s*(\d{1,2})\b")


def _round_file(folder: Path) -> Path | None:
    for name in ("summary_v2.csv", "summary.csv", "summary_v1.csv"):
        if (folder / name).is_file():
            return folder / name
    return None


def _rater_roots(row: dict[str, str]) -> list[str]:
    """Each coder's CAMEO root for the sentence's first action ("2-8 Yield" → "08")."""
    roots: list[str] = []
    for key, value in row.items():
        found = re.fullmatch(r"Action1_CAMEO_(\d+)", key or "")
        if found is None or not value:
            continue
        if (row.get(f"anncomplete_{found.group(1)}") or "True") != "True":
            continue
        m = _ROOT.match(value)
        if m is not None:
            roots.append(f"{int(m.group(1)):02d}")
    return roots


def _conflibert_rows(root: Path) -> list[tuple[int, str, list[str]]]:
    base = root / "cameo_conflibert_multirater" / "annotations"
    rows: list[tuple[int, str, list[str]]] = []
    for folder in sorted(base.glob("training_round_*")):
        number = int(folder.name.rsplit("_", 1)[1])
        path = _round_file(folder)
        if path is None:
            continue
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                sentence = (row.get("sentences") or "").strip()
                roots = _rater_roots(row)
                if sentence and len(roots) >= 2:
                    rows.append((number, sentence, roots))
    return rows


def _majority(roots: Sequence[str]) -> str | None:
    (top, count), *_rest = Counter(roots).most_common()
    return top if count * 2 > len(roots) else None


def eval_conflibert(root: Path, resolver: ActorResolver | None = None) -> list[SetScore]:
    """Our root vs the coders' majority, and pairwise agreement, on dev and test rounds."""
    rows = _conflibert_rows(root)
    resolver = resolver or ActorResolver()
    coded = _code_texts(
        [s for _, s, _ in rows], resolver, published=["2019-01-01"] * len(rows), statements=True
    )
    scores: list[SetScore] = []
    for split in ("dev", "test"):
        tally: Counter[str] = Counter()
        failures: list[dict[str, Any]] = []
        for (number, sentence, roots), events in zip(rows, coded, strict=True):
            if gsr_split(sentence) != split:
                continue
            main = main_event(events)
            ours = main.cameo[:2] if main is not None else None
            for a, b in combinations(roots, 2):
                tally["human_pairs"] += 1
                tally["human_agree"] += a == b
            for r in roots:
                tally["ours_pairs"] += 1
                tally["ours_agree"] += ours == r
            majority = _majority(roots)
            if majority is None:
                continue
            tally["n"] += 1
            tally["agree"] += ours == majority
            if ours != majority and len(failures) < FAILURES_KEPT:
                failures.append({"round": number, "text": sentence, "coders": roots, "ours": ours})
        figures = {
            "conflibert_root_agreement": _ratio(tally["agree"], tally["n"]),
            "conflibert_ours_pairwise": _ratio(tally["ours_agree"], tally["ours_pairs"]),
            "conflibert_human_pairwise": _ratio(tally["human_agree"], tally["human_pairs"]),
        }
        scores.append(SetScore("cameo_conflibert_multirater", split, tally["n"], figures, failures))
    return scores


# --- petrarch2_validation -------------------------------------------------------------------------
_BLOCK = re.compile(r"\[([^\]]*)\]")


def _petrarch_entries(text: str) -> list[tuple[list[str], list[tuple[str, str, str]]]]:
    """(names, [(code, start, end)]) per entry of a PETRARCH actor dictionary."""
    entries: list[tuple[list[str], list[tuple[str, str, str]]]] = []
    text = re.sub(r"<!--.*?-->|<!.*?>", "", text, flags=re.S)
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        codes: list[tuple[str, str, str]] = []
        for block in _BLOCK.findall(line):
            parts = block.split()
            if not parts:
                continue
            code, start, end = parts[0], "", ""
            rest = " ".join(parts[1:])
            if rest.startswith("<"):
                end = rest[1:].strip()
            elif rest.startswith(">"):
                start = rest[1:].strip()
            elif "-" in rest:
                start, end = (s.strip() for s in rest.split("-", 1))
            codes.append((code, start, end))
        name = _BLOCK.sub("", line).strip()
        if name.startswith("+"):
            if entries:
                entries[-1][0].append(name[1:].strip())
        elif name and not raw[:1].isspace():
            entries.append(([name], codes))
        elif entries:
            entries[-1][1].extend(codes)
    return entries


def _petrarch_date(value: str) -> str:
    """PETRARCH dates (YYMMDD or YYYYMMDD) as ISO."""
    value = value.strip()
    if len(value) == 6:
        value = ("19" if int(value[:2]) > 30 else "20") + value
    return f"{value[:4]}-{value[4:6]}-{value[6:8]}" if len(value) == 8 else ""


def _spare_isos(avoid: set[str]) -> list[str]:
    """ISO codes of territories unlikely in any text, to carry fictional countries."""
    spare = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        if country.alpha_3 not in avoid and country.alpha_3 not in (
            "ATA",
            "BVT",
            "HMD",
            "UMI",
            "ATF",
        ):
            spare.append(country.alpha_3)
    return list(reversed(spare))


def convert_petrarch_actors(text: str, corpus_words: Iterable[str], out: Path) -> dict[str, str]:
    """Write a PETRARCH actor dictionary as our CSV; return carrier ISO → fictional code.

    Our format needs ISO countries, so each fictional country code (ARN, GON …) rides on an
    ISO code no text of the suite names, mapped back when scoring. PETRARCH names: "_" joins
    words; a name not ending in "_" also matches words it begins ("ARGENTIN" → "Argentina"),
    so such a one-word name gets as aliases the corpus words it begins.
    """
    entries = _petrarch_entries(text)
    words = {w.lower() for w in corpus_words}
    real = {c.alpha_3 for c in pycountry.countries}
    fictional = sorted({c[:3] for _, codes in entries for c, _, _ in codes if c[:3] not in real})
    spare = _spare_isos(real & {c[:3] for _, codes in entries for c, _, _ in codes})
    carrier = dict(zip(fictional, spare, strict=False))
    rows: list[dict[str, str]] = []
    for names, codes in entries:
        aliases: list[str] = []
        for name in names:
            exact = name.endswith("_")
            words_of = [w for w in name.strip("_").replace("_", " ").split() if w]
            if not words_of:
                continue
            aliases.append(" ".join(w.title() for w in words_of))
            if not exact and len(words_of) == 1:
                stem = words_of[0].lower()
                aliases += sorted(w.title() for w in words if w.startswith(stem) and w != stem)
        if not aliases or not codes:
            continue
        # PETRARCH applies a date restriction before the entry's default code; our resolver
        # takes the first office (in file order) held on the day: restrictions first
        for code, start, end in sorted(codes, key=lambda c: not (c[1] or c[2])):
            country = code[:3]
            if country in ("---", "+++", "###") or not re.fullmatch(r"[A-Za-z]{3}", country):
                continue
            igo = country.upper() == "IGO"  # an organisation of states keeps its whole code
            iso = "" if igo else carrier.get(country.upper(), country.upper())
            role = "" if igo else code[3:6].upper()
            rows.append(
                {
                    "name": aliases[0],
                    "aliases": "|".join(dict.fromkeys(aliases[1:])),
                    "country": iso,
                    "role": role if role in _ROLES else "",
                    "code": code.upper() if igo else "",
                    "title": "",
                    "kind": "group",
                    "start": _petrarch_date(start),
                    "end": _petrarch_date(end),
                }
            )
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["name"])
        writer.writeheader()
        writer.writerows(rows)
    return {iso: fict for fict, iso in carrier.items()}


_ROLES = frozenset({"GOV", "MIL", "COP", "LEG", "JUD", "OPP", "REB", "SPY", "BUS", "MED", "CVL"})


def _petrarch_records(path: Path) -> list[tuple[str, str, str, list[tuple[str, str, str]]]]:
    """(id, date, text, [(source, target, code)]) per unit-test sentence."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    records = []
    for block in re.findall(r"<Sentence .*?</Sentence>", raw, flags=re.S):
        block = re.sub(r"<Parse>.*?</Parse>", "", block, flags=re.S)
        block = re.sub(r"<!--.*?-->", "", block, flags=re.S)
        try:
            node = ET.fromstring(block)
        except ET.ParseError:
            LOGGER.debug("unreadable petrarch record skipped")
            continue
        text = " ".join((node.findtext("Text") or "").split())
        gold = [
            (
                e.get("sourcecode", "").strip('"'),
                e.get("targetcode", "").strip('"'),
                e.get("eventcode", "").strip('"'),
            )
            for e in node.findall("EventCoding")
            if e.get("eventcode")
        ]
        if text and gold:
            records.append((node.get("id", ""), _petrarch_date(node.get("date", "")), text, gold))
    return records


def petrarch_codings(
    events: Iterable[Event], back: dict[str, str], *, negated: bool = False
) -> set[tuple[str, str, str]]:
    """(source, target, CAMEO root) of each event that is not negated (or of every event, with
    ``negated``), in the suite's codes (``back``: carrier ISO → fictional code); a symmetric
    event (coded once for both sides, CODEBOOK "Direction") stands for both directions."""

    def decode(mention: Mention | None) -> str:
        code = mention.actor.code or "" if mention is not None else ""
        return back.get(code[:3], code[:3]) + code[3:]

    ours: set[tuple[str, str, str]] = set()
    for e in events:
        if e.negated and not negated:
            continue
        source, target = decode(e.source), decode(e.target)
        ours.add((source, target, e.cameo[:2]))
        if e.symmetric:
            ours.add((target, source, e.cameo[:2]))
    return ours


def eval_petrarch2(root: Path) -> list[SetScore]:
    """Share of PETRARCH2's gold codings our coder reproduces with its actor dictionary."""
    base = root / "petrarch2_validation" / "petrarch2" / "data"
    records = _petrarch_records(base / "text" / "PETR.UnitTest.records.xml")
    words = {w for _, _, text, _ in records for w in re.findall(r"[A-Za-z][\w'-]*", text)}
    actors_text = (base / "dictionaries" / "PETR.Validate.actors.txt").read_text(
        encoding="utf-8", errors="replace"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "petrarch-actors.csv"
        back = convert_petrarch_actors(actors_text, words, path)
        resolver = ActorResolver(dictionaries=[path])
        coded = _code_texts(
            [t for _, _, t, _ in records], resolver, published=[d for _, d, _, _ in records]
        )

    tally: Counter[str] = Counter()
    failures: list[dict[str, Any]] = []
    for (rid, _, text, gold), events in zip(records, coded, strict=True):
        ours = petrarch_codings(events, back)
        # the suite codes a negated act too, under codes of its own ("didn't clash": 904), so
        # the dyad of a negated event of ours counts; its code never does
        dyads = {(s, t) for s, t, _ in petrarch_codings(events, back, negated=True)}
        for source, target, code in gold:
            tally["n"] += 1
            hit = (source, target, code[:2]) in ours
            tally["reproduced"] += hit
            tally["dyad"] += (source, target) in dyads
            if not hit and len(failures) < FAILURES_KEPT:
                failures.append(
                    {"id": rid, "text": text, "gold": [source, target, code], "ours": sorted(ours)}
                )
    figures = {
        "petrarch2_reproduced": _ratio(tally["reproduced"], tally["n"]),
        "petrarch2_dyad_reproduced": _ratio(tally["dyad"], tally["n"]),
    }
    return [SetScore("petrarch2_validation", "all", tally["n"], figures, failures)]


def run_event_eval(root: Path, *, sets: Sequence[str] | None = None) -> EventEvaluation:
    """Score every set present under ``root`` (or only ``sets``)."""
    started = time.perf_counter()
    wanted = set(sets or ("plover_gsr", "cameo_conflibert_multirater", "petrarch2_validation"))
    resolver = ActorResolver()
    scores: list[SetScore] = []
    if "plover_gsr" in wanted and (root / "plover_gsr").is_dir():
        scores += eval_plover_gsr(root, resolver)
    if "cameo_conflibert_multirater" in wanted and (root / "cameo_conflibert_multirater").is_dir():
        scores += eval_conflibert(root, resolver)
    if "petrarch2_validation" in wanted and (root / "petrarch2_validation").is_dir():
        scores += eval_petrarch2(root)
    return EventEvaluation(scores, time.perf_counter() - started)


def _main() -> None:  # pragma: no cover - a developer's entry point
    import sys

    from detente.evaluation.extraction import locate_eval_root

    root = locate_eval_root()
    if root is None:
        raise SystemExit("../shared/eval not found (set DETENTE_EVAL_DIR)")
    result = run_event_eval(root, sets=sys.argv[1:] or None)
    sys.stdout.write(result.format() + "\n")


if __name__ == "__main__":  # pragma: no cover
    _main()
