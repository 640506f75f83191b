"""Train the event confidence model (``detente.coding.confidence``) from our judgments.

    .venv/bin/python scripts/train_confidence.py [--eval-dir ../shared/eval] [--check]

Reads ``src/detente/data/gold/polnear_event_judgments.jsonl`` (events the coder stored from
PolNeAR train/dev articles, each judged by us as a strict coder would: real event or not, the
right CAMEO root, source and target; stored as file names, offsets and codes, never text),
re-codes those articles with the current coder, labels each event it makes at a judged trigger
(right at country level: a real event, the right root, the right source and target countries),
fits a logistic regression with L2 (Newton's method, numpy only), reports the article-grouped
cross-validated log loss and precision at each confidence level, and writes the weights to
``src/detente/data/lexicon/confidence.json``. ``--check`` trains and reports without writing.
None of the judged articles is in our event gold, which ``detente eval events`` scores the
model on.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from detente.annotate.nlp import load_pipeline  # noqa: E402
from detente.annotate.pipeline import annotate_doc, default_resolver  # noqa: E402
from detente.coding import code_article  # noqa: E402
from detente.coding.confidence import MODEL_FILE, ConfidenceModel, event_features  # noqa: E402
from detente.evaluation.news_events import _our_key, _our_side, _side  # noqa: E402
from detente.evaluation.news_gold import POLNEAR_DATA, load_gold  # noqa: E402
from detente.model import Article, Event  # noqa: E402

JUDGMENTS = "polnear_event_judgments.jsonl"
#: International-news sentences we wrote, each with the events a strict coder finds in it
#: (the judged articles are US campaign news; these teach what right and wrong look like
#: between countries).
SENTENCES = ROOT / "src" / "detente" / "data" / "lexicon" / "confidence_sentences.jsonl"
#: Sentences per cross-validation group (neighbouring sentences were written together).
SENTENCE_GROUP = 10
#: L2 strength (chosen by the cross-validation below among these).
L2_CHOICES = (0.3, 1.0, 3.0, 10.0)
#: Features seen in fewer training events than this are dropped (noise, and a smaller file).
MIN_COUNT = 3
FOLDS = 5
#: Share of the right events the likely level keeps (on held-out scores): a default that
#: leaves out what is almost surely noise, not a precision target.
KEEP_RIGHT = 0.95
LEVELS = (0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7)


def label(event: Event, judged: dict[str, Any]) -> int:
    """1 when the judged event is right at country level as ``event`` codes it."""
    if not judged["event"]:
        return 0
    return int(
        str(judged["root"]) == event.cameo[:2]
        and _side(judged["source"]) == _our_side(event.source)
        and _side(judged["target"]) == _our_side(event.target)
    )


def _matches(events: list[Event], judged: dict[str, Any]) -> list[Event]:
    at = [e for e in events if e.trigger_start == judged["trigger_start"]]
    exact = [
        e
        for e in at
        if e.cameo == judged["cameo"]
        and (e.source.actor.code if e.source else None) == judged["our_source"]
        and (e.target.actor.code if e.target else None) == judged["our_target"]
    ]
    return exact or (at if len(at) == 1 else [])


def examples(eval_dir: Path) -> tuple[list[dict[str, float]], list[int], list[str]]:
    """(features, label, article) of every current event at a judged trigger."""
    gold = load_gold(eval_dir, JUDGMENTS)
    nlp, resolver = load_pipeline(), default_resolver()
    files = sorted(gold)
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[str] = []
    missing = 0
    docs = nlp.pipe((gold[f][0] for f in files), batch_size=16)
    for file, doc in zip(files, docs, strict=True):
        text, records = gold[file]
        article = Article(id=file, text=text, source=file, published=Path(file).name.split("_")[1])
        annotate_doc(article, doc, resolver=resolver)
        events = code_article(doc, article, scored=False)
        for judged in records:
            found = _matches(events, judged)
            missing += not found
            for event in found:
                feats.append(event_features(event, text))
                labels.append(label(event, judged))
                groups.append(file)
    print(
        f"{len(labels)} events at {sum(len(r) for _, r in gold.values())} judged triggers "
        f"({missing} no longer coded), {sum(labels)} right",
        file=sys.stderr,
    )
    return feats, labels, groups


def _gold_key(record: dict[str, Any]) -> tuple[str | None, str | None, str]:
    return (_side(record["source"]), _side(record["target"]), str(record["root"]))


def sentence_examples() -> tuple[list[dict[str, float]], list[int], list[str]]:
    """(features, label, group) of every event the coder makes in our written sentences: right
    when the sentence's annotation has an event of the same root and side countries."""
    records = [json.loads(line) for line in SENTENCES.read_text(encoding="utf-8").splitlines()]
    nlp, resolver = load_pipeline(), default_resolver()
    feats: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[str] = []
    docs = nlp.pipe((r["text"] for r in records), batch_size=64)
    for number, (record, doc) in enumerate(zip(records, docs, strict=True)):
        article = Article(id=record["id"], text=record["text"], source="sentences")
        article.published = record["published"]
        annotate_doc(article, doc, resolver=resolver)
        wanted = {_gold_key(e) for e in record["events"]}
        for event in code_article(doc, article, scored=False):
            feats.append(event_features(event, record["text"]))
            labels.append(int(_our_key(event) in wanted))
            groups.append(f"sentences-{number // SENTENCE_GROUP}")
    print(f"{len(labels)} events in {len(records)} written sentences, {sum(labels)} right",
          file=sys.stderr)  # fmt: skip
    return feats, labels, groups


def _matrix(feats: list[dict[str, float]], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(feats), len(names)))
    for row, f in enumerate(feats):
        for name, value in f.items():
            if name in index:
                x[row, index[name]] = value
    return x


def fit(x: np.ndarray, y: np.ndarray, l2: float, steps: int = 30) -> np.ndarray:
    """Logistic regression by Newton's method; the bias (column 0) is not penalised."""
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(steps):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (p - y) + penalty * w
        hess = (x * (p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-6:
            break
    return w


def _names(feats: list[dict[str, float]]) -> list[str]:
    counts = Counter(n for f in feats for n in f)
    return ["bias", *sorted(n for n, c in counts.items() if c >= MIN_COUNT and n != "bias")]


def cross_validate(
    feats: list[dict[str, float]], y: np.ndarray, groups: list[str], l2: float
) -> tuple[float, np.ndarray]:
    """Article-grouped out-of-fold probabilities and their mean log loss."""
    articles = sorted(set(groups))
    random.Random(2026).shuffle(articles)
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    out = np.zeros(len(y))
    for k in range(FOLDS):
        train = [i for i, g in enumerate(groups) if fold_of[g] != k]
        test = [i for i, g in enumerate(groups) if fold_of[g] == k]
        names = _names([feats[i] for i in train])
        w = fit(_matrix([feats[i] for i in train], names), y[train], l2)
        out[test] = 1 / (
            1 + np.exp(-np.clip(_matrix([feats[i] for i in test], names) @ w, -30, 30))
        )
    eps = 1e-9
    loss = float(-np.mean(y * np.log(out + eps) + (1 - y) * np.log(1 - out + eps)))
    return loss, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--check", action="store_true", help="report without writing")
    args = parser.parse_args()
    if not (args.eval_dir / POLNEAR_DATA).is_dir():
        raise SystemExit(f"{args.eval_dir / POLNEAR_DATA} is missing: pass --eval-dir")
    feats, labels, groups = examples(args.eval_dir)
    if SENTENCES.is_file():
        more = sentence_examples()
        feats, labels, groups = feats + more[0], labels + more[1], groups + more[2]
    y = np.array(labels, dtype=float)
    rule = np.array([f["rule_confidence"] for f in feats])
    results = {l2: cross_validate(feats, y, groups, l2) for l2 in L2_CHOICES}
    best = min(results, key=lambda l2: results[l2][0])
    loss, oof = results[best]
    print(
        f"base rate {y.mean():.3f}; L2 {best}: cross-validated log loss {loss:.3f} "
        f"(choices: {', '.join(f'{k}: {v[0]:.3f}' for k, v in results.items())})"
    )
    print("level   model: kept precision share-of-right   rule score: kept precision share")
    for level in LEVELS:
        m, r = oof >= level, rule >= level
        print(
            f" {level:.2f}  {m.sum():5d} {y[m].mean() if m.any() else 0:.3f} "
            f"{y[m].sum() / y.sum():.3f}       {r.sum():5d} "
            f"{y[r].mean() if r.any() else 0:.3f} {y[r].sum() / y.sum():.3f}"
        )
    # the likely level: the highest at which the held-out scores still keep 95% of the
    # right events (timelines and other systems' layouts leave out events below it)
    grid = [round(0.01 * k, 2) for k in range(1, 51)]
    likely = max((g for g in grid if y[oof >= g].sum() >= KEEP_RIGHT * y.sum()), default=0.0)
    kept = oof >= likely
    print(f"likely level {likely:.2f}: keeps {kept.sum()} of {len(y)} events, precision "
          f"{y[kept].mean():.3f} (all: {y.mean():.3f})")  # fmt: skip
    names = _names(feats)
    w = fit(_matrix(feats, names), y, best)
    by_article: defaultdict[str, int] = defaultdict(int)
    for g in groups:
        by_article[g] += 1
    model = ConfidenceModel(
        {n: round(float(v), 4) for n, v in zip(names, w, strict=True) if abs(v) >= 1e-4},
        {
            "trained_on": [JUDGMENTS, SENTENCES.name],
            "events": len(labels),
            "articles": len(by_article),
            "right": int(y.sum()),
            "l2": best,
            "likely": likely,
            "likely_precision": round(float(y[kept].mean()), 4),
            "cv_log_loss": round(loss, 4),
            "label": "real event, right CAMEO root, right source and target countries",
        },
    )
    if args.check:
        return
    out = ROOT / "src" / "detente" / "data" / "lexicon" / MODEL_FILE
    out.write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)} ({len(model.weights)} weights)")


if __name__ == "__main__":
    main()
