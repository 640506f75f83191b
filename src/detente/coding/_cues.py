"""Cues the sentence coder reads around a predicate: poll holders, poll figures, questions."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from detente.coding._syntax import subject

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

#: Verbs (with their particle) that exclude what they govern: "ruled out arms deals" denies the
#: deals, "would not rule out arms deals" leaves them possible.
#: Who holds an opinion rather than acts: voters and poll shares backing, wanting or opposing
#: a candidate are a poll, not an event (issue 17: "43% of Ohio voters support Strickland").
OPINION_HOLDERS = frozenset(
    {
        *("voter", "voters", "respondent", "respondents", "electorate", "constituent"),
        *("constituents", "caucusgoer", "caucusgoers", "percent", "%", "poll", "polls"),
        *("survey", "surveys", "electorates", "public", "third", "thirds", "half", "quarter"),
        *("majority", "minority", "plurality", "fifth", "tenth"),
    }
)
#: Words of a poll's figures.
POLL_WORDS = frozenset({"percent", "%", "points", "poll", "polls", "polling", "survey"})


def _opinion(verb: Token) -> bool:
    """Whether the verb's subject holds an opinion (voters, a poll share), not an actor acting."""
    holder, passive = subject(verb)
    if holder is None or passive:
        return False
    return any((t.lemma_ or t.lower_).lower() in OPINION_HOLDERS for t in holder.subtree)


def _polled(sent: Span) -> bool:
    """Whether a sentence tells poll figures (percent, points, a poll)."""
    return any(t.lower_ in POLL_WORDS for t in sent)


def _question(verb: Token) -> bool:
    """Whether "ask" reports a question ("asked if …", "asked whether …", "'…?' he asked"),
    not a request of someone."""
    for child in verb.children:
        if child.dep_ in ("ccomp", "advcl") and any(
            g.dep_ == "mark" and g.lower_ in ("if", "whether") for g in child.children
        ):
            return True
    left = [t for t in verb.sent if t.i < verb.i]
    return any(t.text == "?" for t in left[-4:])


#: Who asks as their trade: a journalist's or moderator's question is an interview, not an
#: appeal to anyone ("The moderator asked Clinton to respond": no 020).
INTERVIEWERS = frozenset(
    {
        *("anchor", "anchors", "moderator", "moderators", "reporter", "reporters", "journalist"),
        *("journalists", "interviewer", "interviewers", "correspondent", "correspondents"),
        *("columnist", "columnists", "co-host", "panelist", "panelists", "pollster"),
    }
)


def _interview(verb: Token) -> bool:
    """Whether the one asking is a journalist or moderator ("CNN anchor Jake Tapper asked …")."""
    holder, passive = subject(verb)
    if holder is None or passive:
        return False
    return any(t.lower_ in INTERVIEWERS for t in holder.subtree)


#: Subjects that are figures, trends or weather, never actors: "unemployment hit Ohio hard",
#: "turnout hit a record high", "the storm struck the coast" are no force.
NON_ACTORS = frozenset(
    {
        *("unemployment", "turnout", "inflation", "price", "prices", "recession", "rate", "rates"),
        *("sale", "sales", "rating", "ratings", "number", "numbers", "support", "approval"),
        *("storm", "hurricane", "drought", "flood", "floods", "wildfire", "earthquake", "heat"),
        *("economy", "market", "markets", "stock", "stocks", "crisis", "downturn", "debt"),
    }
)


def _figure(verb: Token) -> bool:
    """Whether a verb's subject is a figure, a trend or the weather, not an actor."""
    holder, passive = subject(verb)
    if holder is None or passive:
        return False
    return (holder.lemma_ or holder.lower_).lower() in NON_ACTORS


def poss_of(noun: Token) -> list[Token]:
    """The possessor of a noun ("Pence's endorsement")."""
    return [c for c in noun.children if c.dep_ == "poss"]


# --- tone: words that blame or praise whoever they are said of (quotes, "called X Y") ---
#: Words that blame whoever they are said of.
BLAME_WORDS = frozenset(
    {
        *("wrong", "shame", "shameful", "disgrace", "disgraceful", "gutless", "scam", "fraud"),
        *("lie", "lies", "lied", "liar", "liars", "lying", "failed", "failure", "weak"),
        *("dangerous", "terrible", "horrible", "disaster", "disastrous", "incompetent"),
        *("corrupt", "outrageous", "unacceptable", "ridiculous", "pathetic", "stupid", "nasty"),
        *("crooked", "dishonest", "reckless", "irresponsible", "hypocrite", "hypocrisy"),
        *("absurd", "appalling", "despicable", "deplorable", "racist", "bigot", "bigoted"),
        *("sexist", "unfit", "unqualified", "resign", "scandal", "betrayal", "betrayed", "phony"),
        *("fake", "cheated", "cheating", "criminal", "scapegoating", "blame", "blamed", "coward"),
        *("cowardly", "demagogue", "extreme", "extremist", "radical", "unhinged", "clueless"),
        *("chaos", "weakness", "liability", "insult", "insulting", "worst", "cynical"),
        *("disappointing", "patronizing", "misguided", "foolish", "arrogant", "hateful"),
        *("divisive", "ignorant", "bully", "bullying", "loser", "losers", "embarrassment"),
        *("embarrassing", "inexcusable", "offensive", "disgracefully", "shamefully", "lousy"),
        *("hypocritical", "smear", "slander", "idiot", "moron", "puppet", "traitor", "treason"),
        *("incompetence", "corruption", "lawless", "disgusting", "vile", "awful", "deceptive"),
        *("misleading", "hoax", "rigged", "mess", "nonsense", "scapegoat", "irresponsibly"),
    }
)
#: Words that praise whoever they are said of.
PRAISE_WORDS = frozenset(
    {
        *("great", "wonderful", "excellent", "terrific", "fantastic", "admire", "admired"),
        *("respect", "respected", "proud", "thank", "thanks", "grateful", "congratulate"),
        *("congratulations", "friend", "brilliant", "honor", "honored", "tremendous"),
        *("amazing", "incredible", "outstanding", "courageous", "courage", "best", "decent"),
        *("champion", "leader", "qualified", "smart", "trust", "trusted", "love", "loved"),
        *("remarkable", "fond", "affection", "hero", "heroes", "heroic", "admirable"),
        *("applaud", "commend", "appreciate", "extraordinary", "superb", "principled"),
        *("integrity", "exceptional", "inspiring", "gracious"),
    }
)
#: The codes a quote's tone gives.
CRITICIZE, PRAISE = "111", "051"
_WORD = re.compile(r"[a-z']+")
#: Words that turn the tone word after them around ("not a great leader", "not wrong").
NEGATORS = frozenset({"not", "never", "no", "hardly", "nor"})
#: How many words before a tone word a negator reaches.
_NEGATION_REACH = 4


def _negated(words: Sequence[str], at: int) -> bool:
    return any(w in NEGATORS or w.endswith("n't") for w in words[max(0, at - _NEGATION_REACH) : at])


def _tone_of(words: Sequence[str]) -> tuple[bool, bool]:
    """(blames, praises) of a run of words: praise denied blames ("would not be a great
    leader"); blame denied says nothing ("he is not a liar")."""
    blame = praise = False
    for at, word in enumerate(words):
        if word in BLAME_WORDS and not _negated(words, at):
            blame = True
        elif word in PRAISE_WORDS:
            if _negated(words, at):
                blame = True
            else:
                praise = True
    return blame, praise


def tone(text: str) -> str | None:
    """111 when ``text``'s words only blame, 051 when they only praise, else None (neither, or
    both: not a clear statement toward anyone). After a "but", what follows has the last word
    ("great at the one-liners, but a chaos candidate" blames)."""
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    if "but" in words:
        last = len(words) - 1 - words[::-1].index("but")
        blame, praise = _tone_of(words[last + 1 :])
        if blame != praise:
            return CRITICIZE if blame else PRAISE
    blame, praise = _tone_of(words)
    if blame == praise:
        return None
    return CRITICIZE if blame else PRAISE


#: Verbs that name their object something ("called Trump dangerous", "branded him a liar").
NAMING_VERBS = frozenset({"call", "label", "brand", "dub"})


def naming(verb: Token) -> tuple[str, Token] | None:
    """(111 or 051, the label) when a naming verb calls its object something that only blames
    or only praises it: the subject's criticism or praise of the object."""
    if verb.lemma_ not in NAMING_VERBS or not any(c.dep_ == "dobj" for c in verb.children):
        return None
    label = next((c for c in verb.children if c.dep_ in ("oprd", "xcomp", "acomp", "attr")), None)
    code = tone(" ".join(t.text for t in label.subtree)) if label is not None else None
    return (code, label) if code is not None and label is not None else None


#: What one actor puts to another, whose author a "from" names ("rejected an appeal from
#: Gbagbo"; not "a refuge from Hollywood").
OFFER_NOUNS = frozenset(
    {
        *("appeal", "appeals", "call", "calls", "proposal", "proposals", "offer", "offers"),
        *("request", "requests", "plea", "pleas", "demand", "demands", "invitation"),
        *("invitations", "ultimatum", "warning", "warnings", "overture", "overtures"),
    }
)
