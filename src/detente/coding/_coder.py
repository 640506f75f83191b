"""The sentence coder: predicates from the parse, actors from the mentions (events: _sentence)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from detente.annotate.quotes import REPORTING_VERBS
from detente.coding import _frames
from detente.coding._cues import (
    OFFER_NOUNS,
    _figure,
    _interview,
    _opinion,
    _polled,
    _question,
    naming,
    poss_of,
)
from detente.coding._lexicon import Entry, Lexicon
from detente.coding._syntax import (
    SOURCE_PREPS,
    TARGET_PREPS,
    Clause,
    actors,
    addressee,
    agent,
    complement,
    dedupe,
    future,
    hypothetical,
    lemma,
    negated,
    objects,
    pobjs,
    reporter,
    same_actor,
    subject,
    subject_actors,
    territory,
    unrealized,
)
from detente.model import Mention

_same = same_actor  # the name the other coder modules import

if TYPE_CHECKING:
    from spacy.tokens import Token

LOGGER = logging.getLogger(__name__)

#: The coder's registered name: every event it makes carries it.
CODER = "rules.v1"

# --- tuning constants (re-run tests/test_coding.py and the dev figures of
# ``python -m detente.evaluation.events`` after changing any) -------------------------------
#: Prepositions of a nominal event whose object is its target ("sanctions against Moscow").
NOMINAL_TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "into", "for"}
)
#: Roots of material acts whose target may be the country they reach (:func:`territory`):
#: aid, yielding, force posture, coercion, assault, fighting, mass violence.
TERRITORY_ROOTS = frozenset({"07", "08", "15", "17", "18", "19", "20"})
#: Frames whose event is not the complement's (the threat, the demand … is the event).
OWN_EVENT_FRAMES = frozenset({"threat", "intent", "demand", "appeal", "refuse"})
#: The code of a frame noun's event when its complement codes nothing ("made a demand").
FRAME_DEFAULT_CODES = {
    "intent": "030",
    "threat": "130",
    "demand": "100",
    "appeal": "020",
    "refuse": "120",
}
#: Frames whose target may be told only by the clause they govern (:func:`addressed`).
ADDRESSED_FRAMES = frozenset({"demand", "appeal", "threat"})
#: Conjunctions of the condition a threat sets ("… unless Baghdad accepts").
#: Auxiliaries that make a reported clause a demand ("… said Libya must hand over …").
DEMAND_AUX = frozenset({"must"})
#: Verbs coded as statements (010) when statements are asked for.
STATEMENT_VERBS = REPORTING_VERBS | frozenset({"speak", "address", "comment", "admit", "reiterate"})
#: Nouns that are a poll's figure when the sentence counts percent or points.
POLL_NOUNS = frozenset({"support", "approval", "backing", "rating", "favorability", "lead"})
#: The CAMEO roots a poll is told with: intent, support, demand, disapproval, rejection.
OPINION_ROOTS = frozenset({"03", "05", "10", "11", "12"})
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
        named = naming(token)  # "called Trump dangerous": criticism of Trump
        if named is not None:
            said = Entry(lemma(token), "verb", (), named[0], frozenset())
            label = Predicate(token, named[0], [token, named[1]], [], [], said, specific=True)
            self._arguments(cl, token, label)
            return label if label.targets else None  # "called the holiday a celebration"
        entry = self.lexicon.match(token, "verb")
        fnoun = _frames.frame_noun(token)
        own = entry is not None and entry.cameo is not None and "light" not in entry.flags
        if fnoun is not None and not own and (entry is None or entry.frame is None):
            # "issued an ultimatum to …", "said …": the noun's frame; "accepted demands" is
            # the verb's own event (083), not a demand
            frame, comp = fnoun
            code = FRAME_DEFAULT_CODES.get(frame, "030")  # "issued an ultimatum": a threat
            entry = Entry(lemma(token), "verb", (), code, frozenset({frame}))
            return self._frame(cl, token, entry, st, comp=comp)
        adjective = _frames.frame_adjective(token)
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
        if "given" in entry.flags:
            # "Cruz received the endorsement of Pence": Pence endorsed Cruz
            givers = [
                m
                for obj in objects(token)
                for holder in [*pobjs(obj, frozenset({"of", "from"})), *poss_of(obj)]
                for m in actors(cl, holder)
            ]
            givers += [m for obj in pobjs(token, frozenset({"from"})) for m in actors(cl, obj)]
            if not givers:
                return None  # "received support": from whom is not said
            pred.sources, pred.targets = givers, pred.sources
        if not pred.targets and entry.cameo[:2] == "11":
            # "protested that Clinton aides were disingenuous": the clause's subject is blamed
            clause = next((c for c in token.children if c.dep_ == "ccomp"), None)
            if clause is not None:
                blamed, _ = subject_actors(cl, clause)
                pred.targets = [m for m in blamed if m not in pred.sources]
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
        held: Token | None = None  # the event noun a frame governs ("called for a boycott")
        if inner is None:  # "agreed a ceasefire", "rejected Russia's proposal"
            for obj in [*objects(token), *pobjs(token, frozenset({"on", "to", "for"}))]:
                noun = self.lexicon.match(obj, "noun")
                if noun is not None and noun.cameo is not None:
                    inner, held = (noun.cameo, noun, [obj]), obj if obj.dep_ == "pobj" else None
                    st.used.add(obj.i)
                    break
        code = _frames.derive(frame, entry.cameo or "010", inner[0] if inner else None)
        tokens = [token, *(inner[2] if inner else [])]
        pred = Predicate(token, code, tokens, [], [], entry, specific=inner is not None)
        pred.modality = FRAME_MODALITY.get(frame)
        if frame == "intent" and code[:2] == "13":
            pred.modality = "threat"  # "vowed to retaliate"
        self._arguments(cl, token, pred, extra=held)
        if not pred.targets and comp is not None:
            pred.targets = self._reached(cl, comp, inner, code, entry, pred.sources)
        if not pred.targets and frame in ADDRESSED_FRAMES:
            pred.targets = _frames.addressed(cl, token, comp, frame, pred.sources)
        if inner is not None and "sym" in inner[1].flags and not pred.targets:
            pred.symmetric = len(pred.sources) > 1
        if "weak" in entry.flags and not pred.sources and subject(token)[0] is None:
            return None  # "Want more updates from Amanda?": nobody wants anything
        if "weak" in entry.flags and inner is None and not pred.targets and not pred.symmetric:
            # "sought to broaden the discussion": a wish, no act toward anyone ("plans to
            # impose restrictions" announces one)
            return None
        return pred

    def _reached(
        self,
        cl: Clause,
        comp: Token,
        inner: tuple[str, Entry, list[Token]] | None,
        code: str,
        entry: Entry,
        sources: list[Mention],
    ) -> list[Mention]:
        """Whom a frame's complement reaches: "threatened to sever relations with Moscow", by
        the complement's own act ("ready to contribute troops to a force in Liberia": a material
        act reaches the country it is done in) and through its purpose or own complement
        ("willing to send material to help defend Saudi Arabia")."""
        extra = inner[2][-1] if inner and len(inner[2]) > 1 else None
        verb: Token | None = comp
        for _ in range(3):
            if verb is None:
                break
            probe = Predicate(verb, inner[0] if inner else code, [], [], [], entry)
            self._arguments(cl, verb, probe, extra=extra)
            found = [t for t in probe.targets if all(not _same(t, s) for s in sources)]
            if found:
                return found
            extra, verb = None, next((c for c in verb.children if _frames.purpose(c)), None)
        return []

    def _arguments(
        self, cl: Clause, verb: Token, pred: Predicate, *, extra: Token | None = None
    ) -> None:
        """Fill the sources and targets of a verb predicate from its subject, objects, preps."""
        sources, passive = subject_actors(cl, verb)
        targets: list[Mention] = []
        if not passive and _participle_with_agent(verb):
            passive = True  # "…signed an agreement, mediated by the UN": the UN mediated
        if passive:
            subj = subject(verb)[0]
            doer = self._doer(cl, subj) if subj is not None else []
            targets, sources = doer or sources, actors(cl, agent(verb))
        objs = [o for o in objects(verb) if extra is None or o.i != extra.i]
        datives = [o for o in objs if o.dep_ == "dative"]
        for obj in datives or objs:
            targets.extend(self._doer(cl, obj) or actors(cl, obj))
        holders = [extra] if extra is not None else []
        holders += objs
        # "imposed a series of sanctions against Turkey": the noun inside a quantity's "of"
        holders += [o for h in objs for o in pobjs(h, frozenset({"of"})) if o not in holders]
        if not targets:
            for holder in holders:  # "restore ties with Gondor", "held talks with Putin"
                if self._victim_of(holder, pred.code):
                    continue  # "condemned the attack on Ukraine": Ukraine was not condemned
                for obj in pobjs(holder, NOMINAL_TARGET_PREPS):
                    targets.extend(actors(cl, obj))
        if not targets:  # "rejected calls by Kofi Annan", "an appeal from Gbagbo"; the parse
            # may hang an active verb's "by" on the verb ("rejected the proposal by Kyiv")
            made = [c for o in objs for c in o.children if c.dep_ == "acl" and c.tag_ == "VBN"]
            for holder in [*objs, *made, *([verb] if objs and not passive else [])]:  # "sent by"
                offer = holder in objs and holder.lower_ in OFFER_NOUNS
                for obj in pobjs(holder, SOURCE_PREPS | {"from"} if offer else SOURCE_PREPS):
                    found = actors(cl, obj)
                    targets.extend(t for t in found if all(not _same(t, x) for x in sources))
        if not targets:  # "went after Trump", "took aim at Cruz": the entry's own preposition
            wanted = frozenset(w for key, ws in pred.entry.when if key == "prep" for w in ws)
            wanted -= {"*", "-"}
            targets = [
                m for h in (verb, *objs) for obj in pobjs(h, wanted) for m in actors(cl, obj)
            ]
        if all(t.actor.country is None and t.actor.kind != "organization" for t in targets):
            # "bought fighter jets from France": a countryless role in the goods is no target
            counterparts = [m for obj in pobjs(verb, TARGET_PREPS) for m in actors(cl, obj)]
            targets = counterparts or targets
        if not targets and pred.code[:2] in TERRITORY_ROOTS:
            targets = territory(cl, verb, objs)  # "lifted a curfew in Montenegro"
        if not targets and pred.code[:3] == "057":  # "signed an accord to supply Peru with …"
            deals = [c for h in objs for c in h.children if c.dep_ == "acl" and c.tag_ == "VB"]
            ends = [o for d in deals for o in [*objects(d), *pobjs(d, frozenset({"to"}))]]
            targets = [m for o in ends for m in actors(cl, o)]
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
            if (
                governor.pos_ in ("VERB", "AUX")
                and governor.i != token.i
                and self._carrier(governor)
            ):
                # "Russia launched an attack on …": the subject of a verb that only carries
                # the noun; "France condemned the attack on …" did not attack
                sources = actors(cl, subject(governor)[0])
        pred = Predicate(token, entry.cameo, [token], dedupe(sources), [], entry, nominal=True)
        pred.targets = dedupe(t for t in targets if t not in pred.sources)
        if not (pred.sources and pred.targets) and len(pred.sources) < 2:
            return None  # a nominal event needs both sides ("the offensive" alone says too little)
        if "sym" in entry.flags and (pred.targets or len(pred.sources) > 1):
            pred.symmetric = True
        return pred

    def _doer(self, cl: Clause, noun: Token) -> list[Mention]:
        """The doer of an event noun told with its possessor ("condemned Russia's annexation of
        Crimea": Russia, not Crimea)."""
        entry = self.lexicon.match(noun, "noun")
        if entry is None or entry.cameo is None or cl.mention_at.get(noun.i) is not None:
            return []
        return [m for c in noun.children if c.dep_ == "poss" for m in actors(cl, c)]

    def _victim_of(self, noun: Token, code: str) -> bool:
        """Whether ``noun`` is violence (roots 18-20) whose prepositional object is its victim,
        under a verbal act ("condemned the attack on …"; "launched an attack on …" carries it)."""
        if code[:2] >= "14":
            return False
        entry = self.lexicon.match(noun, "noun")
        return entry is not None and entry.cameo is not None and entry.cameo[:2] >= "18"

    def _carrier(self, verb: Token) -> bool:
        """Whether a verb only carries the event noun it governs ("launched an attack", "held
        talks"): a light verb, or one the lexicon codes nothing for."""
        entry = self.lexicon.match(verb, "verb")
        return entry is None or entry.cameo is None or "light" in entry.flags

    # --- sentences ---------------------------------------------------------------------------
    @staticmethod
    def _told(cl: Clause, pred: Predicate) -> bool:
        """Whether a predicate says enough to be an event. A "dyad" verb told without one of
        its sides is an everyday act when it is a passive with no agent ("was asked": no one
        asking) or about a topic ("talked about the economy"); objects that make a verb
        everyday ("released a video", "met the deadline") are the lexicon's."""
        if pred.code[:2] in OPINION_ROOTS and not pred.nominal and _opinion(pred.head):
            return False
        if pred.nominal and lemma(pred.head) in POLL_NOUNS and _polled(cl.sent):
            return False  # "Clinton's support against Trump differs … by four points": a poll
        if not pred.nominal and lemma(pred.head) == "ask":
            if _question(pred.head):  # "Asked if he thought …", "'Do you want …?' he asked"
                return False
            if _interview(pred.head):  # "The moderator asked Clinton to respond"
                return False
        if pred.code[:2] in ("18", "19", "20") and not pred.nominal and _figure(pred.head):
            return False  # "Unemployment hit Ohio hard": a figure, not force
        if "dyad" not in pred.entry.flags or pred.nominal:
            return True
        if (pred.sources and pred.targets) or (pred.symmetric and len(pred.sources) > 1):
            return True
        verb = pred.head
        if any(c.dep_ == "nsubjpass" for c in verb.children) and agent(verb) is None:
            return False
        return not any(c.dep_ == "prep" and c.lower_ == "about" for c in verb.children)

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
        preds = [p for p in preds if p.head.i not in st.used and self._told(cl, p)]
        for pred in preds:
            self._flags(cl, pred, st)
        for pred in [p for p in preds if p.code == "042"]:  # the host's side (CAMEO 042:043)
            hosts, guests = _frames.hosting(pred.sources, pred.targets)
            if hosts and guests:
                preds.append(replace(pred, code="043", sources=hosts, targets=guests))
        return preds

    def _flags(self, cl: Clause, pred: Predicate, st: _State) -> None:
        """Negation, modality, reporter and addressee of a predicate."""
        head = pred.head
        clause = head if not pred.nominal else _governor(head)
        pred.negated = negated(head) or (pred.nominal and negated(clause))
        pred.hypothetical = hypothetical(clause) or unrealized(clause)
        if pred.nominal and _frames.excluding(clause):
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
        if (
            not pred.targets
            and speaker is not None
            and pred.sources
            and _owned_by_speaker(head)
            and all(not _same(speaker, s) for s in pred.sources)
        ):  # "Ankara said the Russian jet had violated its airspace": its = the speaker's
            pred.targets = [speaker]
        if not pred.targets and "addressed" in pred.entry.flags:
            other = pred.addressed_to or pred.reported_by
            if other is not None and all(_same(other, s) is False for s in pred.sources):
                pred.targets = [other]


#: Possessive pronouns that, in reported speech, stand for the speaker's side.
SPEAKER_POSSESSIVES = frozenset({"its", "their", "our"})


def _owned_by_speaker(verb: Token) -> bool:
    """Whether the verb's object belongs to a pronoun ("violated its airspace", "struck their
    power plants"); the caller knows the clause is reported."""
    return any(
        c.dep_ == "poss" and c.lower_ in SPEAKER_POSSESSIVES
        for o in objects(verb)
        for c in o.children
    )


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


def _agentless(verb: Token) -> bool:
    """A passive clause that names no agent ("no drones had been delivered")."""
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    return passive and agent(verb) is None


def _governor(token: Token) -> Token:
    """The verb a noun hangs from ("held talks" → held), else the noun itself."""
    cur = token
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
            return cur
        cur = cur.head
    return token
