"""Names spaCy misses but the article repeats: "Black Girls Rock!", "Black Lives Matter".

spaCy's entity recogniser does not see a name made of ordinary words, least of all one with a
verb in it; it labels such a name once, differently or not at all. A run of two or more
capitalised words that the article writes word for word at least :data:`REPEATS` times
(:data:`INSIDE` of them inside a sentence), that no table, place or other mention covers and
that spaCy does not read as a person, place, date or work, is a name: an organisation known
only by its name (``via="sector"``, its sector from its words, see ``_context``), kept only
when the article has a country of its own.

One pass over the tokens; nothing is done for an article with no such run.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from detente.annotate.actors._context import SECTOR_VIA
from detente.annotate.actors._tables import compose
from detente.annotate.actors._tokens import organisation_role
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

__all__ = ["repeated_names"]

# --- tuning constants (re-run detente eval actors and events after changing either) ---------
#: Times a run must be written to be read as a name (2 lets headlines' title case through).
REPEATS = 3
#: Of those, times it must stand inside a sentence (an opening word is capitalised anyway).
INSIDE = 2
#: spaCy labels that say a run is no organisation's name.
NOT_NAMES = frozenset(
    {
        "PERSON", "GPE", "LOC", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL",
        "CARDINAL", "WORK_OF_ART", "EVENT", "LAW", "LANGUAGE", "PRODUCT",
    }
)  # fmt: skip
#: Quotation marks around a term (a name written inside them is a term, not a body).
QUOTES = frozenset("\"'‘’“”")
#: Words a name of this kind never starts or ends with (a capitalised sentence opening).
EDGE_WORDS = frozenset({"the", "a", "an", "of", "and", "in", "on", "for", "to", "at", "by"})


def _capitalised(text: str) -> bool:
    return text[:1].isupper() and text.isalpha()


def repeated_names(doc: Doc, texts: list[str], mentions: list[Mention], text: str) -> list[Mention]:
    """Mentions of the names the article repeats (see the module), to add to ``mentions``;
    ``texts``: the tokens' texts."""
    runs: dict[str, list[tuple[int, int, bool]]] = defaultdict(list)
    start = None
    for i, word in enumerate(texts):
        if _capitalised(word) and doc[i].ent_type_ not in NOT_NAMES:
            if start is None:
                start = i
            continue
        if start is not None:
            _keep(doc, start, i, runs)
        start = None
    if start is not None:
        _keep(doc, start, len(doc), runs)
    found = [
        (name, [(s, e) for s, e, _ in spans])
        for name, spans in runs.items()
        if len(spans) >= REPEATS and sum(not opens for *_, opens in spans) >= INSIDE
    ]
    if not found:
        return []
    taken = bytearray(len(text) + 1)
    for mention in mentions:
        taken[mention.start : mention.end] = b"\x01" * (mention.end - mention.start)
    added: list[Mention] = []
    for name, spans in found:
        if any(any(taken[s:e]) for s, e in spans):
            continue  # a table or another reading knows some of it: not an unknown name
        if any(text[s - 1 : s] in QUOTES and text[e : e + 1] in QUOTES for s, e in spans if s):
            continue  # "the words ‘Radical Islam’": a term in scare quotes, not a body
        words = [w.lower() for w in name.split()]
        role = organisation_role(words)
        actor = Actor(name, compose(None, role), None, role, "organization")
        added += [Mention(s, e, text[s:e], actor, SECTOR_VIA) for s, e in spans]
    return added


def _keep(doc: Doc, start: int, end: int, runs: dict[str, list[tuple[int, int, bool]]]) -> None:
    """Record the run ``start:end`` when it can be a name (two words or more, not opening or
    closing on a function word), and whether it opens its sentence."""
    if end - start < 2:
        return
    if doc[start].lower_ in EDGE_WORDS or doc[end - 1].lower_ in EDGE_WORDS:
        return
    first, last = doc[start], doc[end - 1]
    name = " ".join(t.text for t in doc[start:end])
    runs[name].append((first.idx, last.idx + len(last.text), bool(first.is_sent_start)))
