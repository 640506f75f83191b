"""The sentence coder: predicates from the parse, actors from the mentions, events out."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.nlp import doc_text
from detente.annotate.quotes import REPORTING_VERBS
from detente.coding import _adapters, _frames
from detente.coding._lexicon import Entry, Lexicon
from detente.coding._syntax import (
    SOURCE_PREPS,
    TARGET_PREPS,
    Clause,
    actors,
    addressee,
    agent,
    complement,
    conjoined_pairs,
    dedupe,
    destination,
    frame_adjective,
    frame_noun,
    future,
    hypothetical,
    lemma,
    negated,
    objects,
    place,
    pobjs,
    reporter,
    subject,
    subject_actors,
    unrealized,
)
from detente.coding.ontology import cameo
from detente.model import Event, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LOGGER = logging.getLogger(__name__)

#: The coder's registered name: every event it makes carries it.
CODER = "rules.v1"

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
#: Prepositions of a nominal event whose object is its target ("sanctions against Moscow").
NOMINAL_TARGET_PREPS = frozenset({"with", "to", "against", "on", "toward", "towards", "into"})
#: Longest trigger (tokens) written as one stretch of text; longer ones are joined with " … ".
TRIGGER_SPAN_MAX = 6
#: Frames whose event is not the complement's (the threat, the demand … is the event).
OWN_EVENT_FRAMES = frozenset({"threat", "intent", "demand", "appeal", "refuse"})
#: Auxiliaries that make a reported clause a demand ("… said Libya must hand over …").
DEMAND_AUX = frozenset({"must"})
#: Verbs coded as statements (010) when statements are asked for.
STATEMENT_VERBS = REPORTING_VERBS | frozenset({"speak", "address", "comment", "admit", "reiterate"})
#: Prepositions whose object may hold the event's place ("met with Putin in Astana", "came
#: together for a summit in Tehran": the parse hangs the place on the argument).
ARGUMENT_PLACE_PREPS = frozenset({"with", "for", "to"})
#: Verbs (with their particle) that exclude what they govern: "ruled out arms deals" denies the
#: deals, "would not rule out arms deals" leaves them possible.
EXCLUDING_VERBS = frozenset({("rule", "out"), ("exclude", "")})
#: Modality written on each frame's event.
FRAME_MODALITY = {
    "threat": "threat",
    "intent": "intent",
    "demand": "demand",
    "appeal": "appeal",
    "refuse": "refusal",
}


@dataclass(slots=True)
class Predicate:
    """A coded predicate before it becomes events (one per actor pair)."""

    head: Token  # the token whose clause holds the event (verb, or noun of a nominal event)
    code: str
    tokens: list[Token]
    sources: list[Mention]
    targets: list[Mention]
    entry: Entry
    symmetric: bool = False
    negated: bool = False
    hypothetical: bool = False
    modality: str | None = None
    nominal: bool = False
    specific: bool = False
    reported_by: Mention | None = None
    addressed_to: Mention | None = None


@dataclass(slots=True)
class _State:
    """What one sentence's pass has already used up or flagged."""

    used: set[int] = field(default_factory=set)  # tokens consumed by another predicate
    forced: dict[int, tuple[bool, bool, str]] = field(default_factory=dict)  # neg, hypo, mode


class SentenceCoder:
    """Code sentences with one lexicon; reuse it across articles."""

    def __init__(self, lexicon: Lexicon | None = None, *, statements: bool = False) -> None:
        """Use ``lexicon`` (default: the built-in one); ``statements`` also codes "X said" (010)."""
        self.lexicon = lexicon or Lexicon.builtin()
        self.statements = statements

    # --- predicates --------------------------------------------------------------------------
    def code_of(
        self, token: Token, st: _State, *, depth: int = 0
    ) -> tuple[str, Entry, list[Token]] | None:
        """The code a verb would have as a complement ("sever relations" → 161), with its tokens."""
        entry = self.lexicon.match(token, "verb")
        if entry is None or depth > 3:
            return None
        if "light" in entry.flags:
            for obj in objects(token):
                noun = self.lexicon.match(obj, "noun")
                if noun is not None and noun.cameo is not None:
                    return noun.cameo, noun, [token, obj]
            return None
        if entry.frame in OWN_EVENT_FRAMES:
            comp = complement(token)
            inner = self.code_of(comp, st, depth=depth + 1) if comp is not None else None
            code = _frames.derive(
                entry.frame or "", entry.cameo or "010", inner[0] if inner else None
            )
            return code, entry, [token, *(inner[2] if inner else [])]
        if entry.cameo is None:
            return None
        return entry.cameo, entry, [token, *self._condition_tokens(token, entry)]

    @staticmethod
    def _condition_tokens(token: Token, entry: Entry) -> list[Token]:
        """The dependents an entry's conditions named (part of the trigger: "shot down")."""
        keys = {k for k, _ in entry.when}
        out: list[Token] = []
        for child in token.children:
            if (child.dep_ == "prt" and "prt" in keys) or (
                child.dep_ in ("dobj", "nsubjpass") and "obj" in keys
            ):
                out.append(child)
        return out

    def verb_predicate(self, cl: Clause, token: Token, st: _State) -> Predicate | None:
        """The predicate a verb heads, or None when the lexicon does not code it."""
        entry = self.lexicon.match(token, "verb")
        fnoun = frame_noun(token)
        if fnoun is not None and (entry is None or entry.frame is None or "report" in entry.flags):
            frame, comp = fnoun
            entry = Entry(
                lemma(token), "verb", (), _frames.derive(frame, "030", None), frozenset({frame})
            )
            return self._frame(cl, token, entry, st, comp=comp)
        adjective = frame_adjective(token)
        if adjective is not None:  # "is willing to send", "is ready to contribute"
            frame, comp = adjective
            entry = Entry(lemma(token), "verb", (), "030", frozenset({frame}))
            pred = self._frame(cl, token, entry, st, comp=comp)
            if pred is not None:
                pred.tokens = [token, comp.head, *pred.tokens[1:]]  # "is ready to cooperate"
            return pred
        demanded = self._must(cl, token, st)
        if demanded is not None:
            return demanded
        if entry is None or "report" in entry.flags:
            return self._statement(cl, token, entry)
        if "light" in entry.flags:
            for obj in objects(token):
                noun = self.lexicon.match(obj, "noun")
                if noun is None or noun.cameo is None or obj.i in st.used:
                    continue
                st.used.add(obj.i)
                pred = Predicate(token, noun.cameo, [token, obj], [], [], noun, specific=True)
                self._arguments(cl, token, pred, extra=obj)
                return pred
            return None
        if entry.frame is not None:
            return self._frame(cl, token, entry, st, comp=complement(token))
        if entry.cameo is None:
            return None
        tokens = [token, *self._condition_tokens(token, entry)]
        for t in tokens[1:]:
            st.used.add(t.i)
        if token.dep_ == "acl":
            st.used.add(token.head.i)  # "the deal signed in Istanbul": one event, not two
        pred = Predicate(token, entry.cameo, tokens, [], [], entry, specific=bool(entry.when))
        self._arguments(cl, token, pred)
        return pred

    def _must(self, cl: Clause, token: Token, st: _State) -> Predicate | None:
        """ "X said Y must Z": X demands Z of Y (the clause is demanded, not done)."""
        if not (token.dep_ == "ccomp" and lemma(token.head) in REPORTING_VERBS):
            return None
        if not any(c.dep_ == "aux" and c.lower_ in DEMAND_AUX for c in token.children):
            return None
        sources, _ = subject_actors(cl, token.head)
        targets, _ = subject_actors(cl, token)
        if not sources or not targets:
            return None
        inner = self.code_of(token, st)
        for t in token.subtree:
            st.used.add(t.i)
        code = _frames.derive("demand", "100", inner[0] if inner else None)
        entry = Entry(lemma(token), "verb", (), code, frozenset({"demand"}))
        pred = Predicate(token.head, code, [token.head, token], sources, [], entry)
        pred.targets = [t for t in targets if all(not _same(t, s) for s in sources)]
        pred.modality = "demand"
        st.forced.pop(token.head.i, None)
        return pred

    def _statement(self, cl: Clause, token: Token, entry: Entry | None) -> Predicate | None:
        """With ``statements``: "X said …" as a CAMEO 010 statement by X (to its addressee)."""
        if not self.statements or lemma(token) not in STATEMENT_VERBS:
            return None
        sources, _ = subject_actors(cl, token)
        if not sources:
            return None
        stated = Entry(lemma(token), "verb", (), "010", frozenset())
        pred = Predicate(token, "010", [token], sources, [], stated)
        for obj in [*objects(token), *pobjs(token, frozenset({"to"}))]:
            pred.targets.extend(a for a in actors(cl, obj) if a not in sources)
        return pred

    def _frame(
        self, cl: Clause, token: Token, entry: Entry, st: _State, *, comp: Token | None
    ) -> Predicate | None:
        """A frame verb: its own event (threat, intent …) or flags on its complement."""
        frame = entry.frame or ""
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children):
            return None  # "the case can be decided by courts": no one announces anything
        if frame in ("deny", "fail", "hypo"):
            if comp is not None:
                st.forced[comp.i] = (
                    frame in ("deny", "fail"),
                    frame == "hypo",
                    {"deny": "denial", "fail": "failure", "hypo": "hypothetical"}[frame],
                )
                return None
            if entry.cameo is None:
                return None
            pred = Predicate(token, entry.cameo, [token], [], [], entry)
            self._arguments(cl, token, pred)
            return pred if pred.targets else None
        inner = None
        if comp is not None:
            inner = self.code_of(comp, st)
            for t in comp.subtree:
                st.used.add(t.i)
        if inner is None:  # "agreed a ceasefire", "rejected Russia's proposal"
            for obj in [*objects(token), *pobjs(token, frozenset({"on", "to"}))]:
                noun = self.lexicon.match(obj, "noun")
                if noun is not None and noun.cameo is not None:
                    inner = (noun.cameo, noun, [obj])
                    st.used.add(obj.i)
                    break
        code = _frames.derive(frame, entry.cameo or "010", inner[0] if inner else None)
        tokens = [token, *(inner[2] if inner else [])]
        pred = Predicate(token, code, tokens, [], [], entry, specific=inner is not None)
        pred.modality = FRAME_MODALITY.get(frame)
        if frame == "intent" and code[:2] == "13":
            pred.modality = "threat"  # "vowed to retaliate"
        self._arguments(cl, token, pred)
        if not pred.targets and comp is not None:
            # "threatened to sever relations with Moscow": the counterpart is the complement's
            probe = Predicate(comp, code, [], [], [], entry)
            self._arguments(
                cl, comp, probe, extra=inner[2][-1] if inner and len(inner[2]) > 1 else None
            )
            pred.targets = [t for t in probe.targets if t not in pred.sources]
        if inner is not None and "sym" in inner[1].flags and not pred.targets:
            pred.symmetric = len(pred.sources) > 1
        return pred

    def _arguments(
        self, cl: Clause, verb: Token, pred: Predicate, *, extra: Token | None = None
    ) -> None:
        """Fill the sources and targets of a verb predicate from its subject, objects, preps."""
        sources, passive = subject_actors(cl, verb)
        targets: list[Mention] = []
        if not passive and _participle_with_agent(verb):
            passive = True  # "…signed an agreement, mediated by the UN": the UN mediated
        if passive:
            targets, sources = sources, actors(cl, agent(verb))
        objs = [o for o in objects(verb) if extra is None or o.i != extra.i]
        datives = [o for o in objs if o.dep_ == "dative"]
        for obj in datives or objs:
            targets.extend(actors(cl, obj))
        holders = [extra] if extra is not None else []
        holders += objs
        if not targets:
            for holder in holders:  # "restore ties with Gondor", "held talks with Putin"
                for obj in pobjs(holder, NOMINAL_TARGET_PREPS):
                    targets.extend(actors(cl, obj))
        if all(t.actor.country is None and t.actor.kind != "organization" for t in targets):
            # "bought fighter jets from France": a countryless role in the goods is no target
            counterparts = [m for obj in pobjs(verb, TARGET_PREPS) for m in actors(cl, obj)]
            targets = counterparts or targets
        if not targets and pred.code[:3] == "042":  # "arrived in Sochi": the host country
            for obj in pobjs(verb, frozenset({"in", "at", "to", "for"})):
                targets.extend(m for m in actors(cl, obj) if m.actor.kind in ("place", "country"))
        between = [
            o
            for h in [verb, *holders]
            for c in h.children
            if c.lower_ == "between"
            for o in c.children
        ]
        if between and not targets:
            pair = dedupe(m for o in between for m in actors(cl, o))
            if not sources:
                sources, targets = pair[:1], pair[1:]
            else:
                targets = pair
        pred.sources = _one_per_country(dedupe(sources))
        pred.targets = _one_per_country(dedupe(t for t in targets if t not in pred.sources))
        sym = "sym" in pred.entry.flags
        if (sym and not pred.targets and len(pred.sources) > 1) or (sym and pred.targets):
            pred.symmetric = True

    def noun_predicate(self, cl: Clause, token: Token, st: _State) -> Predicate | None:
        """A nominal event ("talks between X and Y", "Putin's visit to Turkey")."""
        entry = self.lexicon.match(token, "noun")
        if entry is None or entry.cameo is None:
            return None
        sources: list[Mention] = []
        targets: list[Mention] = []
        for child in token.children:
            if child.dep_ in ("poss", "compound", "amod", "nmod"):
                sources.extend(actors(cl, child))
        for obj in pobjs(token, SOURCE_PREPS):
            sources.extend(actors(cl, obj))
        for obj in pobjs(token, NOMINAL_TARGET_PREPS):
            targets.extend(actors(cl, obj))
        for obj in pobjs(token, frozenset({"of"})):
            (targets if entry.cameo[:2] >= "09" else sources).extend(actors(cl, obj))
        between = [o for c in token.children if c.lower_ == "between" for o in c.children]
        pair = dedupe(m for o in between for m in actors(cl, o))
        if pair:
            sources, targets = [*sources, *pair[:1]], [*targets, *pair[1:]]
        if not sources and not targets:
            return None
        if not sources and targets:
            governor = token.head
            while governor.dep_ in ("pobj", "prep") and governor.head.i != governor.i:
                governor = governor.head
            if governor.pos_ in ("VERB", "AUX") and governor.i != token.i:
                sources = actors(cl, subject(governor)[0])
        pred = Predicate(token, entry.cameo, [token], dedupe(sources), [], entry, nominal=True)
        pred.targets = dedupe(t for t in targets if t not in pred.sources)
        if not (pred.sources and pred.targets) and len(pred.sources) < 2:
            return None  # a nominal event needs both sides ("the offensive" alone says too little)
        if "sym" in entry.flags and (pred.targets or len(pred.sources) > 1):
            pred.symmetric = True
        return pred

    # --- sentences ---------------------------------------------------------------------------
    def predicates(self, cl: Clause) -> list[Predicate]:
        """Every coded predicate of the sentence, verbs first, then nominal events."""
        st = _State()
        preds: list[Predicate] = []
        for token in cl.sent:
            if token.pos_ in ("VERB", "AUX") and token.i not in st.used:
                pred = self.verb_predicate(cl, token, st)
                if pred is not None:
                    preds.append(pred)
        for token in cl.sent:
            if token.pos_ in ("NOUN", "PROPN") and token.i not in st.used:
                pred = self.noun_predicate(cl, token, st)
                if pred is not None:
                    preds.append(pred)
        preds = [p for p in preds if p.head.i not in st.used]
        for pred in preds:
            self._flags(cl, pred, st)
        return preds

    def _flags(self, cl: Clause, pred: Predicate, st: _State) -> None:
        """Negation, modality, reporter and addressee of a predicate."""
        head = pred.head
        clause = head if not pred.nominal else _governor(head)
        pred.negated = negated(head) or (pred.nominal and negated(clause))
        pred.hypothetical = hypothetical(clause) or unrealized(clause)
        if pred.nominal and _excluding(clause):
            pred.negated, pred.hypothetical = not negated(clause), negated(clause)
        if head.i in st.forced:
            neg, hypo, mode = st.forced[head.i]
            pred.negated = pred.negated or neg
            pred.hypothetical = pred.hypothetical or hypo
            pred.modality = mode
        if pred.modality is None and not pred.nominal and future(head):
            pred.code, pred.modality = _frames.future(pred.code)
        pred.reported_by = reporter(cl, head)
        pred.addressed_to = addressee(cl, head)
        speaker = pred.reported_by
        denied = pred.negated and not pred.sources and _agentless(head)
        if denied and speaker is not None and all(not _same(speaker, t) for t in pred.targets):
            # "X told CNN that no drones had been delivered to Russia": X's denial
            pred.sources = [speaker]
            pred.modality = pred.modality or "denial"
        if not pred.targets and "addressed" in pred.entry.flags:
            other = pred.addressed_to or pred.reported_by
            if other is not None and all(_same(other, s) is False for s in pred.sources):
                pred.targets = [other]


def _participle_with_agent(verb: Token) -> bool:
    """A past participle clause with a "by" agent and no subject of its own (passive)."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("advcl", "acl", "conj") or agent(verb) is None:
        return False
    return not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _one_per_country(mentions: list[Mention]) -> list[Mention]:
    """Without places that only repeat another mention's country ("the German city of
    Hamburg": Germany once, not Germany and Hamburg)."""
    codes = {m.actor.code for m in mentions if m.actor.kind != "place"}
    return [m for m in mentions if m.actor.kind != "place" or m.actor.code not in codes]


def _excluding(verb: Token) -> bool:
    """Whether the verb rules out what it governs ("ruled out arms deals")."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
    return (lemma(verb), particle) in EXCLUDING_VERBS


def _agentless(verb: Token) -> bool:
    """A passive clause that names no agent ("no drones had been delivered")."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    return passive and agent(verb) is None


def _shares_clause(token: Token) -> bool:
    """Whether a verb takes its time and place from the verb it hangs on: a conjunct ("held
    talks in late June and agreed to meet") or a participle clause ("…, mediated by Turkey")."""
    if token.dep_ == "conj":
        return token.head.pos_ in ("VERB", "AUX")
    participle = token.tag_ in ("VBN", "VBG") and token.dep_ == "advcl"
    return participle and not any(c.dep_ in ("mark", "aux") for c in token.children)


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
    while where is None and _shares_clause(cur):
        cur = cur.head
        where = place(cl, cur)
    return where


def _governor(token: Token) -> Token:
    """The verb a noun hangs from ("held talks" → held), else the noun itself."""
    cur = token
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return token


def _same(a: Mention, b: Mention) -> bool:
    """Whether two mentions stand for one actor (CODEBOOK: source and target must differ)."""
    if a.actor.name == b.actor.name:
        return True
    return a.actor.code is not None and a.actor.code == b.actor.code


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
    times = _adapters.find_times(sent, published)
    heads = {p.head.i: p for p in preds}
    time_of: dict[int, _adapters.TimeRef] = {}
    clause_time: dict[int, _adapters.TimeRef] = {}  # the first verb above each time expression
    for ref in times:
        token = next((t for t in sent if t.idx <= ref.start < t.idx + len(t.text) + 1), None)
        if ref.anchor is not None and sent.start <= ref.anchor < sent.end:
            token = sent.doc[ref.anchor]
        cur = token
        while cur is not None:
            if cur.pos_ in ("VERB", "AUX"):
                clause_time.setdefault(cur.i, ref)
            if cur.i in heads and cur.i not in time_of:
                time_of[cur.i] = ref
                break
            cur = cur.head if cur.head.i != cur.i else None
    for pred in preds:  # "held talks in late June and agreed to meet": the same June
        cur = pred.head
        while pred.head.i not in time_of and _shares_clause(cur):
            cur = cur.head
            shared = time_of.get(cur.i) or clause_time.get(cur.i)
            if shared is not None:
                time_of[pred.head.i] = shared
    events: list[Event] = []
    seen: set[tuple[str | None, str | None, str]] = set()
    for pred in preds:
        trigger, t_start, t_end = _trigger(text, pred.tokens)
        where = _where(cl, pred)
        participants = {m.actor.country for m in [*pred.sources, *pred.targets]}
        code = pred.code
        third = where is not None and where[1] is not None and where[1] not in participants
        if pred.symmetric and code == "040" and third:
            code = "044"  # a meeting in a third country
        info = cameo(code)
        when = time_of.get(pred.head.i)
        for source, target in _pairs(pred):
            if source is not None and target is not None and _same(source, target):
                continue
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
            _date(event, when, published)
            if where is not None:
                event.location_text = where[0]
                event.location = _adapters.geocode(where[0], where[1])
            events.append(event)
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


def _date(event: Event, ref: _adapters.TimeRef | None, published: date | None) -> None:
    """The event's own date from its clause's time expression, else the publication date."""
    if ref is not None:
        event.date, event.date_precision = ref.date, ref.precision if ref.date else None
        event.date_source, event.date_text = "text", ref.text
    elif published is not None:
        event.date, event.date_precision, event.date_source = (
            published.isoformat(),
            "day",
            "publication",
        )
