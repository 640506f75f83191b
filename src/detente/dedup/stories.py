"""Stories: the articles that report the same news, grouped.

An event is one happening; a story is what a reader calls "the news": the articles about one
earthquake, one summit, one trial, told by many outlets over a few days. :func:`group_stories`
groups articles by what they say, not by their topic: two reports of two different earthquakes
share "earthquake", "magnitude" and "killed" but not the place, the day or the names, so the
similarity is a TF-IDF cosine of the articles' words in which words most articles use weigh
nearly nothing and the names, places and numbers of one happening weigh most. On top of it:

- **Events.** Sharing a stored event (a merged two-sided event, which dedup only forms when the
  sides, the code, the day and the place agree) is strong evidence: each shared event adds
  :data:`SHARED_EVENT_BONUS` to the similarity.
- **Days.** Two dated articles published more than :data:`MAX_DAYS_APART` days apart are never
  one story (the second anniversary of a summit is another story).

Articles are grouped by average link (:func:`_average_link`): pairs are taken from the most
similar down, and two groups merge when the mean similarity over all their article pairs
(a pair that shares no weighted word counts as 0) reaches :data:`THRESHOLD`. Average link does
not chain two stories through one article that mentions both, as single link would.

Measured on ECB+ (982 documents in 86 stories: each of its 43 topics tells two similar
happenings; the stories are its sub-topics), with ``detente eval stories``; see
docs/evaluation.md for the figures and their reproduction.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "MAX_DAYS_APART",
    "SHARED_EVENT_BONUS",
    "THRESHOLD",
    "StoryArticle",
    "group_stories",
    "story_id",
]

#: Mean pair similarity at which two groups of articles are one story. Chosen, with
#: :data:`NAME_WEIGHT`, on ECB+ topics 1-22 (pairwise F1 .836 at 0.20 for equal weights, .868
#: with names doubled; 0.17: .841, 0.23: .832) and checked on topics 23-45 held out: pairwise
#: P .830 R .828 F1 .829, B³ F1 .880.
THRESHOLD = 0.2
#: Similarity added per stored event two articles share.
SHARED_EVENT_BONUS = 0.15
#: Two dated articles further apart than this are two stories. News of one happening is told
#: within days: of 15 stories judged in docs/audits/dedup-2026-12-07b.md (grouped with 7 days),
#: 6 joined happenings of one topic 4 to 7 days apart; with 3 days the grouping agrees with the
#: judge on 12 of 15 (ECB+ pairwise F1 .821 -> .818: a few of its dated reports are days apart).
MAX_DAYS_APART = 3
#: Weight of a capitalised word or a number against a lower-case word: names, places and
#: figures tell one happening from its twin.
NAME_WEIGHT = 2.0
#: A word in more than this share of the articles is no evidence of one story ("said", "the
#: president"): it is left out of the pairs (it still weighs in the vectors' lengths).
COMMON_SHARE = 0.2
#: ... but a word in this many articles or fewer always counts (a small collection's story).
COMMON_MIN = 10

_WORD = re.compile(r"[^\W_][\w'’.-]*[^\W_]|[^\W_]", re.UNICODE)
_STOP_WORDS = """a about above after again against all also am an and any are as at be because
    been before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your yours
    said says say told tell according new news one two year years time mr mrs ms"""
_STOP = frozenset(_STOP_WORDS.split())


@dataclass(slots=True)
class StoryArticle:
    """What grouping reads of an article: its text, its day and its stored events."""

    id: str
    text: str
    published: str | None = None  # YYYY-MM-DD[...]; None when unknown
    events: frozenset[str] = field(default_factory=frozenset)  # ids of its two-sided events


def story_id(article_ids: Iterable[str]) -> str:
    """Stable id of a story: derived from the smallest id of its articles."""
    return hashlib.sha256(f"story:{min(article_ids)}".encode()).hexdigest()[:16]


def _words(text: str) -> dict[str, float]:
    words: dict[str, float] = defaultdict(float)
    for match in _WORD.finditer(text):
        written = match.group()
        word = written.lower().strip(".'’-")
        if (len(word) > 2 and word not in _STOP) or word.isdigit():
            words[word] += NAME_WEIGHT if written[0].isupper() or word.isdigit() else 1.0
    return words


def _day(value: str | None) -> date | None:
    if not value or len(value) < 10:
        return None  # a month or a year says nothing about days apart
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _vectors(articles: Sequence[StoryArticle]) -> tuple[list[dict[str, float]], set[str]]:
    """Unit TF-IDF vectors (sublinear tf), and the words too common to pair articles on."""
    counts = [_words(article.text) for article in articles]
    frequency = Counter(word for words in counts for word in words)
    total = len(articles)
    idf = {word: math.log((1 + total) / (1 + n)) + 1.0 for word, n in frequency.items()}
    vectors = []
    for words in counts:
        weights = {w: (1.0 + math.log(n)) * idf[w] for w, n in words.items()}  # n >= 1
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors.append({w: v / norm for w, v in weights.items()})
    common = {word for word, n in frequency.items() if n > max(COMMON_MIN, COMMON_SHARE * total)}
    return vectors, common


def _similarities(articles: Sequence[StoryArticle]) -> dict[tuple[int, int], float]:
    """Similarity of every pair of articles that shares a weighted word or an event."""
    vectors, common = _vectors(articles)
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for number, vector in enumerate(vectors):
        for word, weight in vector.items():
            if word not in common:
                postings[word].append((number, weight))
    dots: dict[tuple[int, int], float] = defaultdict(float)
    for entries in postings.values():
        for i, (a, wa) in enumerate(entries):
            for b, wb in entries[i + 1 :]:
                dots[(a, b)] += wa * wb
    holders: dict[str, list[int]] = defaultdict(list)
    for number, article in enumerate(articles):
        for event in article.events:
            holders[event].append(number)
    for numbers in holders.values():
        for i, a in enumerate(numbers):
            for b in numbers[i + 1 :]:
                dots[(a, b)] += SHARED_EVENT_BONUS
    days = [_day(article.published) for article in articles]
    return {pair: value for pair, value in dots.items() if not _apart(days[pair[0]], days[pair[1]])}


def _apart(a: date | None, b: date | None) -> bool:
    return a is not None and b is not None and abs((a - b).days) > MAX_DAYS_APART


def _average_link(count: int, similarity: dict[tuple[int, int], float]) -> list[list[int]]:
    """Groups of article numbers: merge by mean pair similarity >= THRESHOLD, best first."""
    size = dict.fromkeys(range(count), 1)
    members: dict[int, list[int]] = {n: [n] for n in range(count)}
    # link[g][h]: sum of similarities between the members of groups g and h
    link: dict[int, dict[int, float]] = defaultdict(dict)
    for (a, b), value in similarity.items():
        link[a][b] = link[b][a] = value
    heap = [(-value, a, b) for (a, b), value in similarity.items() if value >= THRESHOLD]
    heapq.heapify(heap)
    while heap:
        negative, g, h = heapq.heappop(heap)
        if g not in size or h not in size:
            continue  # one of them was merged since this pair was pushed
        mean = link[g].get(h, 0.0) / (size[g] * size[h])
        if abs(mean + negative) > 1e-12:
            continue  # stale: the pair's mean changed, its current value is in the heap
        g, h = min(g, h), max(g, h)
        members[g].extend(members.pop(h))
        size[g] += size.pop(h)
        for other, total in link.pop(h).items():
            link[other].pop(h, None)
            if other != g:
                link[g][other] = link[g].get(other, 0.0) + total
                link[other][g] = link[g][other]
        for other, total in link[g].items():
            value = total / (size[g] * size[other])
            if value >= THRESHOLD:
                heapq.heappush(heap, (-value, min(g, other), max(g, other)))
    return sorted((sorted(m) for m in members.values()), key=lambda m: m[0])


def group_stories(articles: Sequence[StoryArticle]) -> list[list[str]]:
    """The stories of ``articles``: lists of article ids, each in input order, oldest story first.

    Every article is in exactly one story (a story of one when nothing else tells its news).
    """
    groups = _average_link(len(articles), _similarities(articles))
    return [[articles[n].id for n in members] for members in groups]
