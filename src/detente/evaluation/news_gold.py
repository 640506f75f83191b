"""Score actors and quote speakers on our own gold for real news (PolNeAR train/dev articles).

The annotations were made by the Detente project under its codebook (``docs/`` and
``../shared/CODEBOOK.md``) on articles of PolNeAR's **train and dev** splits only, and are stored
in ``data/gold/`` as file names and character offsets, never as text: each record carries a
``check`` (the first 8 hex digits of the SHA-1 of the span) so a changed source file is
reported instead of scored. The articles themselves come from ``../shared/eval``.

Actors (``polnear_actors.jsonl``): every actor mention (persons, organisations, countries,
places, role nouns such as "the administration"; pronouns excluded) with the code it has on
the article's date. A gold mention is matched to the predicted mention that overlaps it by the
most characters. Figures:

- ``news_actor_code_accuracy``: the predicted code equals the gold one (a gold mention with no
  code is right when we give none); an unmatched mention counts as no code.
- ``news_actor_country_accuracy``: over gold mentions with a country, ours is the same.
- ``news_actor_coded``: share of gold mentions with a code that we give a code too (one minus
  the share left uncoded).
- ``news_actor_roles_with_country``: one minus the share of our mentions (in those articles)
  whose code is a bare role (the code is the role alone, no country: ``GOV``).

Speakers (``polnear_speakers.jsonl``): the person or body who said each direct quotation.
``news_speaker_person_accuracy`` is the share of gold quotes we find (our quote overlaps the
gold words) whose speaker is the same actor: same canonical name (accents, case, a leading "the"
and middle initials ignored); ``news_speaker_found`` is the share of gold quotes we find at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from detente.errors import InputError
from detente.model import Article, Mention, Quote

__all__ = [
    "ACTOR_FIGURES",
    "GOLD_ACTORS",
    "GOLD_SPEAKERS",
    "SPEAKER_FIGURES",
    "NewsActorScores",
    "NewsSpeakerScores",
    "eval_news_actors",
    "eval_news_speakers",
    "load_gold",
    "same_actor_name",
]

LOGGER = logging.getLogger(__name__)

POLNEAR_DATA = Path("polnear_attribution") / "data"
GOLD_ACTORS = "polnear_actors.jsonl"
GOLD_SPEAKERS = "polnear_speakers.jsonl"
ACTOR_FIGURES = (
    "news_actor_code_accuracy",
    "news_actor_country_accuracy",
    "news_actor_coded",
    "news_actor_roles_with_country",
)
SPEAKER_FIGURES = ("news_speaker_person_accuracy", "news_speaker_found")
#: Errors listed per report (the most frequent gold/ours pairs).
TOP_ERRORS = 25


def _gold_path(name: str) -> Path:
    return Path(str(resources.files("detente") / "data" / "gold" / name))


def _check(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def load_gold(root: Path, name: str) -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Gold records of ``name`` by article file, with the article's text (checks verified)."""
    data = root / POLNEAR_DATA
    by_file: dict[str, list[dict[str, Any]]] = defaultdict(list)
    gold_file = _gold_path(name)
    with gold_file.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                record = json.loads(line)
                if not str(record["file"]).startswith(("train/", "dev/")):
                    raise InputError(f"{gold_file}:{number}: gold must come from train/ or dev/")
                by_file[record["file"]].append(record)
    found: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for file, records in sorted(by_file.items()):
        path = data / file
        if not path.is_file():
            raise InputError(f"{gold_file}: {path} is missing; is ../shared/eval complete?")
        text = path.read_text(encoding="utf-8")
        for record in records:
            span = text[record["start"] : record["end"]]
            if _check(span) != record["check"]:
                raise InputError(
                    f"{gold_file}: the span {record['start']}-{record['end']} of {file} no "
                    "longer matches its check; the article changed, re-annotate it"
                )
        found[file] = (text, records)
    return found


def _published(file: str) -> str:
    """The date in a PolNeAR file name: ``nyt_2016-10-04_slug.txt`` → 2016-10-04."""
    return Path(file).name.split("_")[1]


def _annotated(texts: dict[str, str]) -> dict[str, Article]:
    from detente.annotate.pipeline import annotate_many

    articles = [
        Article(id=file, text=text, source=file, published=_published(file))
        for file, text in texts.items()
    ]
    return {a.id: a for a in annotate_many(articles)}


def _best(start: int, end: int, spans: Iterable[tuple[int, int, Any]]) -> Any:
    best, overlap = None, 0
    for s, e, item in spans:
        shared = min(end, e) - max(start, s)
        if shared > overlap:
            best, overlap = item, shared
    return best


def _bare_role(mention: Mention) -> bool:
    actor = mention.actor
    # IGOUNO, NGOAI: codes of their own with no country by design, not a bare role
    return bool(actor.code and actor.country is None and actor.code == actor.role)


@dataclass(slots=True)
class NewsActorScores:
    """Actor figures on our news gold, with the most frequent disagreements."""

    articles: int = 0
    mentions: int = 0
    code_right: int = 0
    with_country: int = 0
    country_right: int = 0
    with_code: int = 0
    uncoded: int = 0
    ours: int = 0
    ours_bare_role: int = 0
    errors: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    seconds: float = 0.0

    def figures(self) -> dict[str, float]:
        """The figures named in :data:`ACTOR_FIGURES`."""
        return {
            "news_actor_code_accuracy": _ratio(self.code_right, self.mentions),
            "news_actor_country_accuracy": _ratio(self.country_right, self.with_country),
            "news_actor_coded": 1.0 - _ratio(self.uncoded, self.with_code),
            "news_actor_roles_with_country": 1.0 - _ratio(self.ours_bare_role, self.ours),
        }

    def to_dict(self) -> dict[str, Any]:
        """Figures, counts and the top errors, JSON-ready."""
        return {
            **self.figures(),
            "articles": self.articles,
            "mentions": self.mentions,
            "errors": [
                {"name": n, "gold": g, "ours": o, "count": c}
                for (n, g, o), c in self.errors.most_common(TOP_ERRORS)
            ],
            "seconds": round(self.seconds, 1),
        }

    def format(self) -> str:
        """A report for people."""
        figures = self.figures()
        lines = [
            f"Our news gold (PolNeAR train/dev): {self.articles} articles, "
            f"{self.mentions} actor mentions",
            f"  code accuracy {figures['news_actor_code_accuracy']:.3f}   "
            f"country accuracy {figures['news_actor_country_accuracy']:.3f}   "
            f"left uncoded {1 - figures['news_actor_coded']:.3f}   "
            f"bare roles {1 - figures['news_actor_roles_with_country']:.3f}",
            "  most frequent disagreements (canonical name: gold → ours):",
        ]
        lines += [f"    {c:4d}  {n}: {g} → {o}" for (n, g, o), c in self.errors.most_common(12)]
        return "\n".join(lines)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def score_actors(
    gold: Sequence[dict[str, Any]], mentions: Sequence[Mention], scores: NewsActorScores
) -> None:
    """Add one article's comparison to ``scores``."""
    spans = [(m.start, m.end, m) for m in mentions]
    scores.articles += 1
    scores.ours += len(mentions)
    scores.ours_bare_role += sum(_bare_role(m) for m in mentions)
    for record in gold:
        found = _best(record["start"], record["end"], spans)
        code = found.actor.code if found is not None else None
        country = found.actor.country if found is not None else None
        scores.mentions += 1
        if code == record["code"]:
            scores.code_right += 1
        else:
            scores.errors[(record["name"], str(record["code"]), str(code))] += 1
        if record.get("country"):
            scores.with_country += 1
            scores.country_right += country == record["country"]
        if record["code"]:
            scores.with_code += 1
            scores.uncoded += code is None


def _gold_articles(root: Path, name: str) -> list[tuple[list[dict[str, Any]], Article]]:
    """Each gold article's records beside the article as Detente annotates it."""
    gold = load_gold(root, name)
    articles = _annotated({file: text for file, (text, _) in gold.items()})
    return [(records, articles[file]) for file, (_, records) in gold.items()]


def eval_news_actors(root: Path) -> NewsActorScores:
    """Annotate the gold articles and score their actor mentions."""
    started = time.perf_counter()
    scores = NewsActorScores()
    for records, article in _gold_articles(root, GOLD_ACTORS):
        score_actors(records, article.mentions, scores)
    scores.seconds = time.perf_counter() - started
    return scores


def _name_key(name: str) -> str:
    from detente.annotate.actors import fold

    words = fold(name).strip().removeprefix("the ").split()
    # a middle initial does not make another person: "Robert E. Rubin" is "Robert Rubin"
    return " ".join(w for w in words if not (len(w) == 2 and w.endswith(".")))


def same_actor_name(gold: str, ours: str | None) -> bool:
    """Whether two canonical names are the same actor's (accents, case, "the", middle initials)."""
    return ours is not None and _name_key(gold) == _name_key(ours)


@dataclass(slots=True)
class NewsSpeakerScores:
    """Person-level speaker figures on our news gold."""

    articles: int = 0
    quotes: int = 0
    found: int = 0
    right: int = 0
    errors: Counter[tuple[str, str]] = field(default_factory=Counter)
    seconds: float = 0.0

    def figures(self) -> dict[str, float]:
        """The figures named in :data:`SPEAKER_FIGURES`."""
        return {
            "news_speaker_person_accuracy": _ratio(self.right, self.found),
            "news_speaker_found": _ratio(self.found, self.quotes),
        }

    def to_dict(self) -> dict[str, Any]:
        """Figures, counts and the top errors, JSON-ready."""
        return {
            **self.figures(),
            "articles": self.articles,
            "quotes": self.quotes,
            "errors": [
                {"gold": g, "ours": o, "count": c}
                for (g, o), c in self.errors.most_common(TOP_ERRORS)
            ],
            "seconds": round(self.seconds, 1),
        }

    def format(self) -> str:
        """A report for people."""
        figures = self.figures()
        lines = [
            f"Speakers on our news gold: {self.quotes} direct quotes in {self.articles} articles;"
            f" found {figures['news_speaker_found']:.3f}, right person "
            f"{figures['news_speaker_person_accuracy']:.3f} of those found",
        ]
        lines += [f"    {c:4d}  {g} → {o}" for (g, o), c in self.errors.most_common(10)]
        return "\n".join(lines)


def score_speakers(
    gold: Sequence[dict[str, Any]], quotes: Sequence[Quote], scores: NewsSpeakerScores
) -> None:
    """Add one article's speaker comparison to ``scores``."""
    spans = [(q.start, q.end, q) for q in quotes if q.kind != "scare"]
    scores.articles += 1
    for record in gold:
        scores.quotes += 1
        quote = _best(record["start"], record["end"], spans)
        if quote is None:
            continue
        scores.found += 1
        ours = quote.speaker.actor.name if quote.speaker is not None else None
        if same_actor_name(record["speaker"], ours):
            scores.right += 1
        else:
            scores.errors[(record["speaker"], str(ours))] += 1


def eval_news_speakers(root: Path) -> NewsSpeakerScores:
    """Annotate the gold articles and score the speakers of their direct quotes."""
    started = time.perf_counter()
    scores = NewsSpeakerScores()
    for records, article in _gold_articles(root, GOLD_SPEAKERS):
        score_speakers(records, article.quotes, scores)
    scores.seconds = time.perf_counter() - started
    return scores
