"""Sentence to events: segments, context for the next sentence, each predicate's Event records."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.coding import _adapters, _statements
from detente.coding._coder import CODER, Predicate, SentenceCoder, _governor, _same
from detente.coding._dating import (
    Times,
    backstory,
    date_event,
    shares_clause,
    year_of,
    years_before,
)
from detente.coding._syntax import (
    Clause,
    conjoined_pairs,
    destination,
    lemma,
    objects,
    place,
    pobjs,
    subject_actors,
)
from detente.coding._syntax import subject as syntax_subject
from detente.coding.ontology import cameo
from detente.model import Event, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# --- tuning constants (re-run tests/test_coding.py and the dev figures of
# ``python -m detente.evaluation.events`` after changing any) -------------------------------
#: Confidence of an event with both actors named, before adjustments.
BASE_CONFIDENCE = 0.6
#: Added when the lexicon entry matched conditions beyond the lemma ("impose" + "sanctions").
SPECIFIC_BONUS = 0.1
#: Taken off when an actor was found through a pronoun or a title reference.
REFERENCE_PENALTY = 0.1
#: Taken off a one-sided event (no target, or no source).
ONE_SIDED_PENALTY = 0.2
#: Taken off an event read from a noun ("talks between …") rather than a verb.
NOMINAL_PENALTY = 0.1
#: Longest trigger (tokens) written as one stretch of text; longer ones are joined with " … ".
TRIGGER_SPAN_MAX = 6
#: Prepositions whose object may hold the event's place ("met with Putin in Astana", "came
#: together for a summit in Tehran": the parse hangs the place on the argument).
ARGUMENT_PLACE_PREPS = frozenset({"with", "for", "to"})


#: What a person's "attack" on another person is when nothing in the sentence is a weapon
#: (CAMEO 111, criticize or denounce; issue 17: verbal sparring is not force).
VERBAL_ATTACK = "111"
#: What attacks a person with words when it is the subject of "attack" (issue 17's audit: "ads
#: attacking Dewhurst" is criticism, not an assault).
WORDS_THAT_ATTACK = frozenset(
    {
        *("ad", "advert", "advertisement", "commercial", "spot", "mailer", "flyer", "tweet"),
        *("post", "statement", "speech", "editorial", "op-ed", "column", "article", "letter"),
        *("video", "campaign", "message", "remark", "comment", "book", "memo", "report"),
    }
)
#: Verbs of winning a contest: between politicians, an election or a vote, not an assault.
CONTEST_VERBS = frozenset({"beat", "defeat", "trounce", "crush", "rout", "edge", "thrash"})
#: Roles of persons who hold or seek office.
POLITICAL_ROLES = frozenset({"GOV", "OPP", "LEG"})
#: Words that make a use of force physical ("shot", "a knife", "missiles").
WEAPON_WORDS = frozenset(
    {
        *("gun", "gunman", "gunmen", "gunfire", "rifle", "pistol", "shoot", "shot", "bomb"),
        *("bombing", "explosive", "knife", "stab", "missile", "rocket", "drone", "artillery"),
        *("shell", "shelling", "airstrike", "strike", "grenade", "weapon", "troops", "soldier"),
        *("police", "punch", "beat", "kill", "wound", "injure", "physically", "assault"),
    }
)


#: Prepositions that make what follows a topic: "attacked Sanders on guns", "a fight over gun
#: control" name a weapon as the subject of words, not as one used.
TOPIC_PREPS = frozenset({"on", "over", "about", "regarding"})


def _topic(token: Token) -> bool:
    """Whether a word sits in a topic phrase ("on guns", "over gun control")."""
    cur = token
    while cur.dep_ in ("compound", "amod", "nmod", "conj") and cur.head.i != cur.i:
        cur = cur.head
    return cur.dep_ == "pobj" and cur.head.lower_ in TOPIC_PREPS


def _armed(sent: Span) -> bool:
    """Whether the sentence names a weapon or a bodily harm (not as a topic: "on guns")."""
    return any((t.lemma_ or t.text).lower() in WEAPON_WORDS and not _topic(t) for t in sent)


def _in_words(source: Mention | None, target: Mention | None, head: Token) -> bool:
    """Whether an attack's two sides are persons (politicians sparring), not states or forces,
    or words attack a person ("ads attacking Dewhurst", "a statement attacking Clinton")."""
    if target is None or target.actor.kind != "person":
        return False
    if source is not None:
        return source.actor.kind == "person"
    subject, passive = syntax_subject(head)
    if subject is None or passive:
        return False
    if subject.ent_type_ == "PERSON":
        return True  # a person no table places ("Clinton attacked Sanders on guns")
    return (subject.lemma_ or subject.lower_).lower() in WORDS_THAT_ATTACK


def _electoral(verb: Token, source: Mention | None, target: Mention | None) -> bool:
    """Whether "beat" or "defeat" is a contest of politicians, not force: a politician (a
    person who holds or seeks office) on either side and no weapon in the sentence."""
    if (verb.lemma_ or verb.lower_).lower() not in CONTEST_VERBS:
        return False
    if any((t.lemma_ or t.text).lower() in WEAPON_WORDS - CONTEST_VERBS for t in verb.sent):
        return False  # "police beat protesters with batons", "shot and beat"
    return any(
        m is not None and m.actor.kind == "person" and m.actor.role in POLITICAL_ROLES
        for m in (source, target)
    )


def _interview(source: Mention | None, target: Mention | None) -> bool:
    """Whether a consultation is an interview: one side is the news media (CAMEO codes what
    is said in it, not the talk with the reporter)."""
    return any(m is not None and m.actor.role == "MED" for m in (source, target))


def _where(cl: Clause, pred: Predicate) -> tuple[str, str | None] | None:
    """The event's place: the predicate's "in"/"at" phrase, else one its words or arguments
    carry, else a visit's destination, else the place of the clause it shares."""
    head = pred.head
    where = place(cl, head) or (place(cl, _governor(head)) if pred.nominal else None)
    if where is None and pred.code[:3] == "042" and not pred.nominal:
        where = destination(cl, head)  # "travelled to the Russian resort of Sochi"
    for tok in pred.tokens[1:]:
        where = where or place(cl, tok)
    for child in head.children:  # "met on Wednesday to discuss … in Astana"
        if child.dep_ in ("xcomp", "advcl") and where is None:
            where = place(cl, child)
    for arg in [*objects(head), *pobjs(head, ARGUMENT_PLACE_PREPS)]:
        where = where or place(cl, arg)  # "met with Putin in Astana"
    cur = head
    while where is None and shares_clause(cur):
        cur = cur.head
        where = place(cl, cur)
    return where


def _when(
    pred: Predicate, times: Times, published: date | None
) -> tuple[_adapters.TimeRef | None, bool]:
    """A predicate's time expression (its own, its clause's, the governing phrase's, a year it
    proves) and whether it is backstory (no publication date without one)."""
    earlier = backstory(pred)
    when = times.of.get(pred.head.i) or times.governing(pred)
    if not earlier:  # "said Monday that Obama has long called for …": not Monday's act
        when = when or times.telling(pred)  # "we will visit Ohio," Sanders said Thursday
    when = when or years_before(pred, published)  # "eight years after backing Obama"
    when = when or year_of(pred, published)  # "Putin's 2008 invasion", "in the 2012 attack"
    return when, earlier


def _key(mention: Mention | None) -> str | None:
    return None if mention is None else f"{mention.actor.code}/{mention.actor.name}"


def _pairs(pred: Predicate) -> list[tuple[Mention | None, Mention | None]]:
    """The (source, target) pairs of a predicate: compounds give one event per pair."""
    if pred.symmetric and not pred.targets:
        return list(itertools.combinations(pred.sources, 2))
    if pred.sources and pred.targets:
        return [(s, t) for s in pred.sources for t in pred.targets]
    if pred.sources:
        return [(s, None) for s in pred.sources]
    return [(None, t) for t in pred.targets]


def _trigger(text: str, tokens: Sequence[Token]) -> tuple[str, int, int]:
    ordered = sorted(set(tokens), key=lambda t: t.i)
    start, end = ordered[0].idx, ordered[-1].idx + len(ordered[-1].text)
    if ordered[-1].i - ordered[0].i < TRIGGER_SPAN_MAX:
        return text[start:end], start, end
    return " … ".join(t.text for t in ordered), start, end


def _confidence(pred: Predicate, source: Mention | None, target: Mention | None) -> float:
    score = BASE_CONFIDENCE + (SPECIFIC_BONUS if pred.specific else 0.0)
    if any(m is not None and m.via in ("pronoun", "title") for m in (source, target)):
        score -= REFERENCE_PENALTY
    if source is None or target is None:
        score -= ONE_SIDED_PENALTY
    if pred.nominal:
        score -= NOMINAL_PENALTY
    return round(min(0.95, max(0.05, score)), 2)


def code_clause(
    coder: SentenceCoder,
    sent: Span,
    *,
    mentions: Sequence[Mention],
    published: date | None,
    quotes: Sequence[Quote] = (),
    require_dyad: bool = False,
    previous: Sequence[Mention] = (),
    pair: Sequence[Mention] = (),
) -> list[Event]:
    """The events of one sentence (see :func:`detente.coding.code_sentence`).

    ``previous`` is the subject of the sentence before (for "it"/"they"), ``pair`` the last two
    actors it joined with "and" (for "the two sides").
    """
    cl = Clause(sent, mentions, quotes, previous, pair)
    # a predicate whose words the parse drew from another line is a misparse (headlines)
    preds = [p for p in coder.predicates(cl) if all(sent.start <= t.i < sent.end for t in p.tokens)]
    if not preds:
        return []
    text = doc_text(sent.doc)
    times = Times(sent, preds, _adapters.find_times(sent, published), published)
    events: list[Event] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    armed = _armed(sent)
    for pred in preds:
        trigger, t_start, t_end = _trigger(text, pred.tokens)
        where = _where(cl, pred)
        participants = {m.actor.country for m in [*pred.sources, *pred.targets]}
        code = pred.code
        third = where is not None and where[1] is not None and where[1] not in participants
        if pred.symmetric and code == "040" and third:
            code = "044"  # a meeting in a third country
        when, backstory = _when(pred, times, published)
        first = len(events)
        told = cameo(code)
        for source, target in _pairs(pred):
            if source is not None and target is not None and _same(source, target):
                continue
            info = told
            if told.root == "19" and not armed and _in_words(source, target, pred.head):
                info = cameo(VERBAL_ATTACK)  # "Trump attacked Clinton": words, not force
            if told.root == "18" and _electoral(pred.head, source, target):
                continue  # "the only guy who can beat Donald Trump": a win at the polls
            if told.root == "04" and _interview(source, target):
                continue  # "Speaking to CBS This Morning", "a meeting with the Post's board"
            if source is None and target is None:
                continue
            if require_dyad and (source is None or target is None):
                continue
            ends = (_key(source), _key(target))
            key = (*(sorted(ends, key=str) if pred.symmetric else ends), info.root)
            if key in seen:
                continue
            seen.add(key)
            event = Event(
                source=source,
                target=target,
                cameo=info.code,
                plover=info.plover,
                plover_mode=info.plover_mode,
                quad_class=info.quad_class,
                goldstein=info.goldstein,
                trigger=trigger,
                trigger_start=t_start,
                trigger_end=t_end,
                negated=pred.negated,
                hypothetical=pred.hypothetical,
                modality=pred.modality,
                symmetric=pred.symmetric,
                reported_by=pred.reported_by if pred.reported_by != source else None,
                sentence_start=sent.start_char,
                sentence_end=sent.end_char,
                confidence=_confidence(pred, source, target),
                coder=CODER,
            )
            date_event(event, when, None if when is None and backstory else published)
            if where is not None:
                event.location_text = where[0]
                event.location = _adapters.geocode(where[0], where[1])
            events.append(event)
        if pred.reported_by is not None:  # statements are events: the speaker accuses
            cue = _statements.cue_of(pred.head)
            for event in events[first:]:
                if not _statements.accuses(event, lemma(cue) if cue is not None else None):
                    continue
                said = _statements.accusation(event, cue, text)
                key = (_key(said.source), _key(said.target), said.cameo[:2])
                if key not in seen:
                    seen.add(key)
                    date_event(said, times.of_verb(cue) if cue is not None else None, published)
                    events.append(said)
    return events


def segments(sent: Span) -> list[Span]:
    """A sentence cut at line breaks: spaCy sometimes runs a headline or dateline into the
    next paragraph, and an event never spans lines."""
    cuts = [t.i for t in sent if t.is_space and "\n" in t.text]
    bounds = [sent.start, *cuts, sent.end]
    out: list[Span] = []
    for start, end in itertools.pairwise(bounds):
        first = start + 1 if start in cuts else start
        if end > first:
            out.append(sent.doc[first:end])
    return out


def last_pair(sent: Span, mentions: Sequence[Mention]) -> list[Mention]:
    """The last two actors a sentence joins with "and" ("with both Ukraine and Russia")."""
    pairs = conjoined_pairs(Clause(sent, mentions))
    return pairs[-1] if pairs else []


def subject_of(sent: Span, mentions: Sequence[Mention]) -> list[Mention]:
    """The actors of the subject of a sentence's main verb ("it" in the next one)."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return []
    found, passive = subject_actors(Clause(sent, mentions), root)
    return [] if passive else found
