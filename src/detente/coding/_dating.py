"""Event dates: which time expression a predicate takes, and when backstory takes none.

CODEBOOK "Dates": an event is dated by the time expression of its clause, or of the phrase
that governs it ("an announcement in September that Washington was prepared to …"); what the
story tells of earlier acts (pluperfect, "since …", "after …", relative clauses about past
acts, "eight years after backing Obama", "killed in the 2012 attack") gets the year or month
the text proves, or no date; the publication day is the fallback only for the news of the day.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.quotes import REPORTING_VERBS
from detente.coding import _adapters
from detente.coding._coder import Predicate, _governor, _same
from detente.coding._statements import cue_of
from detente.model import Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# --- tuning constants (re-run tests/test_coding.py, `detente eval events` for the own-gold date
# accuracy and `detente eval dates` after changing any) -------------------------------------
#: Adverbs of a repeated or standing act ("has repeatedly promised"): no day of its own.
HABITUAL_ADVERBS = frozenset(
    {"repeatedly", "often", "frequently", "routinely", "regularly", "consistently", "long"}
    | {"still", "continually", "constantly", "increasingly"}
)
#: Adjectives on an event noun that place it before the news or make it a series ("recent
#: attacks", "his previous visit", "repeated calls").
HABITUAL_ADJECTIVES = frozenset(
    {"recent", "previous", "earlier", "past", "prior", "repeated", "frequent", "ongoing"}
)
#: Verbs of aspect whose complement is an ongoing act ("has begun to attack Trump").
ASPECT_VERBS = frozenset({"begin", "start", "continue", "keep"})
#: Spans of time that make an act a standing one ("in recent months", "for years").
HABITUAL_SPANS = frozenset({"months", "years", "decades", "weeks"})
#: Conjunctions of a clause that tells what happened before the news ("since Russia imposed …").
BACKSTORY_MARKS = frozenset({"since"})
#: Conjunctions and prepositions that put their clause or noun at another time than the news
#: ("after Russia imposed sanctions", "before meeting Putin", "until the 2014 annexation").
OTHER_TIME_MARKS = frozenset({"after", "before", "until", "till", "since", "once"})
#: Prepositions of a verb whose gerund tells the act it answers, done before it ("criticized
#: the officer for killing him", "accused Russia of meddling").
REASON_PREPS = frozenset({"for", "of"})
#: Adverbs that make a present perfect tell a past act, not the news ("has already met",
#: "has previously accused", "has twice visited").
EARLIER_ADVERBS = frozenset({"already", "before", "ever", "previously", "once", "twice", "earlier"})
#: Forms of "have" that make a perfect.
PERFECT_FORMS = ("had", "'d", "has", "have", "'ve")
#: Dependencies of a verb that opens a clause of its own: a time expression inside it dates that
#: clause, never a predicate above it ("Westmacott, who will retire soon, praised …").
OWN_CLAUSE_DEPS = frozenset({"relcl", "acl", "ccomp", "csubj", "parataxis", "pcomp"})
#: Conjunctions of an adverbial clause whose time is its own ("after they met on Monday, …").
OWN_TIME_MARKS = OTHER_TIME_MARKS | {"because", "although", "though", "if", "unless", "whereas"}
#: Prepositions whose time is the end of a span, not the date of the act above it.
BOUND_PREPS = frozenset({"until", "till", "by"})
#: Prepositions of what is talked of: a time on their object's noun is that thing's.
TOPIC_PREPS = frozenset({"of", "about", "over", "for", "against"})
#: A thing's or a person's age ("a 25-year-old file"): timexpr dates its origin, no act.
AGE = re.compile(r"\bold\b", re.IGNORECASE)
#: A dateline's place before its date ("ANKARA, ", "WASHINGTON, D.C. ") and what ends it.
DATELINE_PLACE = re.compile(r"\s*[A-Z][A-Z.' -]*,?\s*(?:[A-Z][A-Za-z.]*,?\s*)?")
DATELINE_END = re.compile(r"\s*[-–—(]")
#: Dependencies of a time that modifies a noun ("a 25-year-old file", "Thursday's debate").
MODIFIER_DEPS = frozenset({"amod", "compound", "nummod", "poss"})
#: Dependencies climbed from a predicate to the phrase that governs it, for its time.
GOVERNED_DEPS = frozenset({"conj", "xcomp", "acomp", "ccomp"})
#: Dependencies of a clause on a noun whose time it takes ("an announcement in September that
#: …", "a sign on Friday that read …", "last November, when F-16s downed a Su-24").
NOUN_CLAUSE_DEPS = frozenset({"relcl", "acl", "ccomp", "advcl", "appos"})
#: Prepositions whose object's year dates the predicate ("killed in the 2012 attack").
YEAR_PREPS = frozenset({"in", "during"})
#: CAMEO roots of acts done by saying them (statements, appeals, intents, demands,
#: disapproval, rejections, threats): told by their speaker, they happen when it is said.
SPEECH_ROOTS = frozenset({"01", "02", "03", "10", "11", "12", "13"})
#: Sentences looked back for the time of a quote whose own sentence has none.
QUOTE_LOOKBACK = 3
#: Numbers written as words, for "eight years after backing Obama".
NUMBER_WORDS = {
    **{"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6},
    **{"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12},
    **{"fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50},
}


def _habitual(verb: Token) -> bool:
    """Whether a clause tells a repeated or standing act, not one happening ("has repeatedly
    promised", "in recent months … have called off"): no single day to date it by."""
    if verb.dep_ == "xcomp" and verb.head.lemma_ in ASPECT_VERBS:
        return True  # "has begun to attack", "continued to criticize": no single day
    aux = {c.lower_ for c in verb.children if c.dep_ == "aux"}
    if verb.tag_ == "VBG" and "been" in aux and aux & {"has", "have", "had", "'ve"}:
        return True  # "have been seeking investors": a standing act
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in HABITUAL_ADVERBS:
            return True
        if child.dep_ == "prep" and child.lower_ in ("in", "for", "over"):
            words = {t.lower_ for t in child.subtree}
            if words & HABITUAL_SPANS and words & {"recent", "past", "years", "decades", "the"}:
                return True
    return False


def _perfect(verb: Token, forms: tuple[str, ...]) -> bool:
    """Whether ``verb`` is a perfect with one of the ``forms`` of "have" ("had met")."""
    aux = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    return verb.tag_ == "VBN" and any(a.lower_ in forms for a in aux)


def _present(verb: Token) -> bool:
    """Whether a clause is told in the present ("is sizing up", "says", "has")."""
    if verb.tag_ in ("VBZ", "VBP"):
        return True
    return any(c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP") for c in verb.children)


def _earlier_clause(verb: Token) -> bool:
    """Whether a verb's clause tells an act before (or apart from) the news: "after/before/
    until/since …" ("after Russia imposed sanctions", "before meeting Putin"), a relative clause
    in a perfect ("who had met Putin", "which has accused Ankara"), or in the past beside a main
    clause in the present ("Cuban, who backed Obama, is sizing up the field")."""
    if verb.dep_ == "pcomp" and verb.head.lower_ in OTHER_TIME_MARKS:
        return True  # "after backing Obama", "before meeting Putin"
    prep = verb.head
    if verb.dep_ == "pcomp" and prep.lower_ in REASON_PREPS and prep.head.pos_ == "VERB":
        return True  # "criticized the officer for killing him", "accused Russia of meddling"
    if verb.dep_ == "advcl" and any(
        c.dep_ == "mark" and c.lower_ in OTHER_TIME_MARKS for c in verb.children
    ):
        return True
    if verb.dep_ != "relcl":
        return False
    if _perfect(verb, PERFECT_FORMS):
        return True
    main = verb.sent.root
    return verb.tag_ == "VBD" and main.i != verb.i and _present(main)


def backstory(pred: Predicate) -> bool:
    """Whether a predicate tells what had happened before the story (CODEBOOK dates: never
    the publication day): a past perfect ("had imposed"), a clause opened by "since", "after",
    "before" or "until", a relative clause about an earlier act, a present perfect of a past
    act ("has already met"), or a repeated act ("has repeatedly promised", "in recent months")."""
    cur = pred.head if not pred.nominal else _governor(pred.head)
    if _habitual(cur):
        return True
    if _perfect(cur, PERFECT_FORMS) and any(
        c.dep_ == "prep" and c.lower_ == "since" for c in cur.children
    ):
        return True  # "has backed Clinton since her 2008 bid": a standing act
    if pred.nominal and any(
        c.dep_ == "amod" and c.lower_ in HABITUAL_ADJECTIVES for c in pred.head.children
    ):
        return True  # "the recent attacks on Turkish posts", "his previous visit"
    if pred.nominal and pred.head.dep_ == "pobj" and pred.head.head.lower_ in OTHER_TIME_MARKS:
        return True  # "after the invasion of Crimea", "since the annexation"
    walk = cur
    for _ in range(4):
        if _perfect(walk, PERFECT_FORMS) and any(
            c.dep_ == "advmod" and c.lower_ in EARLIER_ADVERBS for c in walk.children
        ):
            return True  # "has already met", "said he had previously accused"
        if _earlier_clause(walk):
            return True  # reported or not: "said Turkey apologized after Russia imposed …"
        if walk.dep_ not in ("conj", "xcomp") or walk.head.i == walk.i:
            break
        walk = walk.head
    if pred.reported_by is not None:
        return False  # "the Kremlin said Turkey had apologized": reported speech backshifts
    for _ in range(4):
        if _perfect(cur, ("had", "'d")):
            return True
        if any(c.dep_ == "mark" and c.lower_ in BACKSTORY_MARKS for c in cur.children):
            return True
        if cur.dep_ not in ("conj", "xcomp") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def _year_on(noun: Token, published: date | None) -> _adapters.TimeRef | None:
    """A year written on a noun ("the 2008 invasion"), if it is not after publication."""
    for child in noun.children:
        text = child.text
        if child.dep_ in ("nummod", "compound", "amod") and len(text) == 4 and text.isdigit():
            year = int(text)
            if year >= 1900 and (published is None or year <= published.year):
                return _adapters.TimeRef(
                    child.idx, child.idx + 4, text, f"{year:04d}", "year", child.i
                )
    return None


def year_of(pred: Predicate, published: date | None) -> _adapters.TimeRef | None:
    """A year on the event noun ("Putin's 2008 invasion of Georgia") or on the event the
    predicate happened in ("four Americans killed in the 2012 attack")."""
    if pred.nominal:
        found = _year_on(pred.head, published)
        if found is not None:
            return found
    for prep in pred.head.children:
        if prep.dep_ == "prep" and prep.lower_ in YEAR_PREPS:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "NOUN":
                    found = _year_on(pobj, published)
                    if found is not None:
                        return found
    return None


def years_before(pred: Predicate, published: date | None) -> _adapters.TimeRef | None:
    """The year or month of an act a span of time before the news: "eight years after backing
    Obama, Cuban is sizing up the field" (the backing: eight years before publication)."""
    head = pred.head
    if published is None or head.dep_ not in ("pcomp", "pobj") or head.head.lower_ != "after":
        return None
    after = head.head
    if not _present(after.head):
        return None  # "two years after the war, they signed": not counted from today
    for unit in after.children:
        if unit.dep_ != "npadvmod" or unit.lower_ not in ("years", "year", "months", "month"):
            continue
        count = next((c for c in unit.children if c.dep_ in ("nummod", "det")), None)
        if count is None:
            continue
        n = int(count.text) if count.text.isdigit() else NUMBER_WORDS.get(count.lower_)
        if n is None:
            continue
        start, end = min(count.idx, unit.idx), after.idx + len(after.text)
        text = head.doc.text[start:end]
        if unit.lower_.startswith("year"):
            return _adapters.TimeRef(start, end, text, f"{published.year - n:04d}", "year")
        months = published.year * 12 + published.month - 1 - n
        month = f"{months // 12:04d}-{months % 12 + 1:02d}"
        return _adapters.TimeRef(start, end, text, month, "month")
    return None


def _token_at(sent: Span, ref: _adapters.TimeRef) -> Token | None:
    """The token a time expression attaches to (its anchor), else its first token."""
    if ref.anchor is not None and sent.start <= ref.anchor < sent.end:
        return sent.doc[ref.anchor]
    return next((t for t in sent if t.idx <= ref.start < t.idx + len(t.text) + 1), None)


def _infinitive(verb: Token) -> bool:
    """Whether a verb is a to-infinitive ("prepared to boost", "a prosecutor to oversee")."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


def _past(ref: _adapters.TimeRef, published: date | None) -> bool:
    """Whether a time is wholly before the publication day ("in February", "in 2014")."""
    if ref.date is None or published is None:
        return False
    return ref.date < published.isoformat()[: len(ref.date)]


def _own_clause(verb: Token, nominal: set[int], past: bool) -> bool:
    """Whether a verb opens a clause whose times are its own: a relative, complement or
    "after …" clause ("who walked off the job in mid-April", "remarks made last summer"), or a
    to-infinitive of a time not yet past ("prepared to boost the number in fiscal 2016",
    "plans to visit next week"), unless it only describes a nominal event above it ("the visit
    that took place in May"). A past time in an infinitive ("asked for $1.9 billion to fight
    Zika in February") and a time in a present participle ("the speech outlining her vision
    on July 15") are the verb's above: the parse often hangs that verb's time on them."""
    if verb.pos_ not in ("VERB", "AUX"):
        return False
    if _infinitive(verb) and verb.dep_ in ("xcomp", "acl", "advcl"):
        return not past and verb.head.i not in nominal
    if verb.dep_ in ("relcl", "acl"):
        participle = verb.dep_ == "acl" and verb.tag_ == "VBG"
        return not participle and verb.head.i not in nominal
    if verb.dep_ == "advcl":
        return any(c.dep_ == "mark" and c.lower_ in OWN_TIME_MARKS for c in verb.children)
    if (
        verb.dep_ == "ccomp"
        and verb.tag_ == "VB"
        and not any(c.dep_ == "aux" for c in verb.children)
    ):
        return False  # a bare infinitive shares its time: "helped the party route payments"
    if verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        return True  # "did not endorse until …, but followed suit in October": the second's
    if verb.dep_ == "ccomp":  # "said Turkey attacked on Monday", not a misparsed conjunct
        told = verb.head.lemma_ in REPORTING_VERBS
        return told or any(c.dep_ == "mark" for c in verb.children)
    return verb.dep_ in OWN_CLAUSE_DEPS


def _dateline(sent: Span, ref: _adapters.TimeRef) -> bool:
    """Whether a time is the story's dateline ("ANKARA, March 3, 2021 - …"): the day it was
    filed, not of the events it tells."""
    text = sent.doc.text
    before, after = text[sent.start_char : ref.start], text[ref.end : ref.end + 6]
    return DATELINE_PLACE.fullmatch(before) is not None and DATELINE_END.match(after) is not None


def _bound(sent: Span, ref: _adapters.TimeRef, heads: set[int]) -> bool:
    """Whether a time dates no act above it: the end of a span ("until the convention in
    July", "by 2025"), or a modifier of what is talked of ("the meaning of Thursday's debate",
    "angry about last week's vote"); not of where an act happened ("met at Sunday's summit",
    "the most forceful figure at Saturday's debate, mocking Rubio")."""
    tokens = [t for t in sent if ref.start <= t.idx < ref.end]
    root = next((t for t in tokens if not ref.start <= t.head.idx < ref.end), None)
    if root is None:
        return False
    for up in (root, *root.ancestors):
        if up.i in heads:
            break
        if up.dep_ == "prep" and up.lower_ in BOUND_PREPS:
            return True  # "vowed to stay until the convention in July"
        if up.pos_ in ("VERB", "AUX"):
            break
    noun = root.head
    if root.dep_ not in MODIFIER_DEPS or noun.pos_ not in ("NOUN", "PROPN") or noun.i in heads:
        return False
    return noun.dep_ == "pobj" and noun.head.lower_ in TOPIC_PREPS


def shares_clause(token: Token) -> bool:
    """Whether a verb takes its time and place from the verb it hangs on: a conjunct ("held
    talks in late June and agreed to meet") or a participle clause ("…, mediated by Turkey")."""
    if token.dep_ == "conj":
        return token.head.pos_ in ("VERB", "AUX")
    participle = token.tag_ in ("VBN", "VBG") and token.dep_ == "advcl"
    return participle and not any(c.dep_ in ("mark", "aux") for c in token.children)


class Times:
    """The time expressions of one sentence, attached to its predicates."""

    def __init__(
        self,
        sent: Span,
        preds: Sequence[Predicate],
        times: Sequence[_adapters.TimeRef],
        published: date | None,
    ) -> None:
        heads = {p.head.i for p in preds}
        nominal = {p.head.i for p in preds if p.nominal}
        self.of: dict[int, _adapters.TimeRef] = {}  # predicate head -> its time
        self.clause: dict[int, _adapters.TimeRef] = {}  # the first verb above each time
        self.at: dict[int, _adapters.TimeRef] = {}  # the token each time attaches to
        self.inside: dict[int, _adapters.TimeRef] = {}  # the tokens of each time
        for ref in times:
            if AGE.search(ref.text):
                continue  # "a 31-year-old volunteer", "a 25-year-old court file": no event's
            if _dateline(sent, ref):
                continue  # "ANKARA, March 3, 2021 - Erdogan visited Moscow on Tuesday"
            for tok in sent:
                if ref.start <= tok.idx < ref.end:
                    self.inside.setdefault(tok.i, ref)
            cur = _token_at(sent, ref)
            past = _past(ref, published)
            if cur is not None:
                self.at.setdefault(cur.i, ref)
            if _bound(sent, ref, heads):
                continue  # "until the convention in July", "a 25-year-old court file"
            while cur is not None:
                if cur.pos_ in ("VERB", "AUX"):
                    self.clause.setdefault(cur.i, ref)
                if cur.i in heads and cur.i not in self.of:
                    self.of[cur.i] = ref
                    break
                if sent.start <= cur.i < sent.end and _own_clause(cur, nominal, past):
                    break  # "Westmacott, who will retire soon, praised …": not the praise's
                cur = cur.head if cur.head.i != cur.i else None
        for pred in preds:  # "held talks in late June and agreed to meet": the same June
            if pred.head.i not in self.of:
                shared = self.shared(pred.head)
                if shared is not None:
                    self.of[pred.head.i] = shared

    def shared(self, token: Token) -> _adapters.TimeRef | None:
        """The time of the clause ``token`` shares (conjuncts, participles), if any."""
        cur = token
        while shares_clause(cur):
            cur = cur.head
            found = self.of.get(cur.i) or self.clause.get(cur.i)
            if found is not None:
                return found
        return None

    def of_verb(self, token: Token) -> _adapters.TimeRef | None:
        """The time of a verb's own clause, or of the clause it shares."""
        return self.clause.get(token.i) or self.shared(token)

    def telling(self, pred: Predicate) -> _adapters.TimeRef | None:
        """The time of the reporting verb, for what the speaker says of their own (or their
        country's) intent or judgement: saying it is the act ("we will visit Ohio," Sanders
        said Thursday; "Erdogan said on Thursday that Turkey will send troops")."""
        speaker = pred.reported_by
        if speaker is None or pred.code[:2] not in SPEECH_ROOTS:
            return None
        country = speaker.actor.country
        if not any(
            _same(source, speaker) or (country is not None and source.actor.country == country)
            for source in pred.sources
        ):
            return None  # "Erdogan said Russia threatened Turkey": Russia's act, told later
        cue = cue_of(pred.head)
        return self.of_verb(cue) if cue is not None else None

    def governing(self, pred: Predicate) -> _adapters.TimeRef | None:
        """The time of the noun phrase that governs a predicate's clause ("an announcement in
        September that the United States was prepared to …", "last November, when …")."""
        cur = pred.head
        for _ in range(6):
            up = cur.head
            if up.i == cur.i:
                return None
            if cur.dep_ in NOUN_CLAUSE_DEPS and up.pos_ in ("NOUN", "PROPN"):
                return self.at.get(up.i) or self.inside.get(up.i)
            if cur.dep_ not in GOVERNED_DEPS:
                return None
            cur = up
        return None


def quote_time(
    sents: Sequence[Span],
    at: int,
    speaker: Mention,
    mentions: Sequence[Mention],
    published: date | None,
) -> _adapters.TimeRef | None:
    """The time of a quote's reporting verb at offset ``at`` ("'…,' she said on Sunday"), or,
    when its sentence has no time at all, the time on the main verb of the nearest sentence
    before with one, if the speaker is the subject of it and of every sentence between ("In
    his statement Saturday, Sanders went further. '…,' he said.")."""
    where = next((i for i, s in enumerate(sents) if s.start_char <= at < s.end_char), None)
    if where is None or published is None:
        return None
    sent = sents[where]
    refs = _adapters.find_times(sent, published)
    if refs:
        cue = next((t for t in sent if t.idx <= at < t.idx + len(t.text)), None)
        return Times(sent, [], refs, published).of_verb(cue) if cue is not None else None
    for before in reversed(sents[max(0, where - QUOTE_LOOKBACK) : where]):
        said = [c for c in before.root.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not any(m.start <= c.idx < m.end and _same(m, speaker) for c in said for m in mentions):
            return None  # the sentence before is not the speaker's
        found = _adapters.find_times(before, published)
        if found:
            dated = [r for r in found if _main_time(before, r)]
            day = dated[0].date if len(dated) == 1 else None
            return dated[0] if day is not None and day <= published.isoformat() else None
    return None


def _main_time(sent: Span, ref: _adapters.TimeRef) -> bool:
    """Whether a time reaches the main verb through nouns and prepositions only ("In his
    statement Saturday, Sanders went further"), not through another clause."""
    cur = _token_at(sent, ref)
    while cur is not None and cur.i != sent.root.i:
        if cur.pos_ in ("VERB", "AUX"):
            return False
        cur = cur.head if cur.head.i != cur.i else None
    return cur is not None


def date_event(event: Event, ref: _adapters.TimeRef | None, published: date | None) -> None:
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
