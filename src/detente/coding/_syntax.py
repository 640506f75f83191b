"""Reading one clause of the dependency parse: actors, arguments, negation, modality, place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from detente.annotate.quotes import REPORTING_VERBS
from detente.model import Actor, Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# --- tuning constants (re-run tests/test_coding.py and the plover_gsr dev figures after changing)
#: Dependencies through which a noun's actor is read ("Hungarian officials", "Russia's envoy").
ACTOR_DEPS = frozenset({"compound", "amod", "poss", "nmod", "appos"})
#: How deep below an argument's head an actor may sit ("officials of the Turkish government").
ACTOR_DEPTH = 2
#: Prepositions whose object is the counterpart of a predicate ("talks with", "fired at").
TARGET_PREPS = frozenset(
    {"with", "to", "against", "on", "toward", "towards", "at", "into", "upon", "over", "from"}
)
#: Prepositions that give a nominal event its source ("the attack by rebels").
SOURCE_PREPS = frozenset({"by"})
#: Prepositions whose object is the event's place.
PLACE_PREPS = frozenset({"in", "at", "near", "outside"})
#: Auxiliaries that make a clause a possibility, not a fact (CODEBOOK: hypothetical).
HYPOTHETICAL_AUX = frozenset({"could", "would", "may", "might", "should", "can", "must"})
#: Adverbs of speculation.
SPECULATION_ADV = frozenset({"possibly", "perhaps", "maybe", "probably", "likely", "potentially"})
#: Auxiliaries of the future tense.
FUTURE_AUX = frozenset({"will", "shall", "'ll"})
#: Verbs whose "from" complement is not done ("refrained from attacking").
REFRAINING = frozenset({"refrain", "abstain", "desist"})
#: Conjunctions that open a conditional clause.
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
#: Relative pronouns: the subject of a relative clause is the noun it modifies.
RELATIVE = frozenset({"who", "which", "that", "whom"})
#: Dependencies through which a verb takes its subject from above ("is about to restore").
CLIMB_DEPS = frozenset({"conj", "xcomp", "advcl", "pcomp", "acomp", "prep"})
#: Pronouns for a country or group that the parse does not resolve ("it refused", "they met").
PLACEHOLDER_PRONOUNS = frozenset({"it", "they"})
#: Pronouns that, inside a quotation, stand for the speaker's side ("We have not imposed …").
SPEAKER_PRONOUNS = frozenset({"we"})
#: Plural nouns that name the two sides of a pair told just before ("Ukraine and Russia …
#: the war opponents signed"), when a determiner or "two" makes them definite.
PAIR_NOUNS = frozenset(
    {
        *("side", "party", "country", "opponent", "adversary", "rival", "foe", "enemy"),
        *("belligerent", "neighbour", "neighbor", "nation", "state", "government"),
    }
)
#: Words that make a pair noun definite: "the two sides", "both parties", "the war opponents".
PAIR_MARKERS = frozenset({"the", "both", "two"})
#: Relative adverbs of a clause about a situation ("a stage where we impose …").
RELATIVE_ADVERBS = frozenset({"where", "when"})


@dataclass(slots=True)
class Clause:
    """The sentence being coded, with its mentions indexed by token."""

    sent: Span
    mentions: Sequence[Mention]
    quotes: Sequence[Quote] = ()
    previous: Sequence[Mention] = ()  # the previous sentence's subject, for "it"/"they"
    pair: Sequence[Mention] = ()  # the last two conjoined actors before, for "the two sides"
    mention_at: dict[int, Mention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Index each mention by the tokens it covers."""
        spans = [(t.i, t.idx, t.idx + len(t.text)) for t in self.sent]  # one pass over tokens
        for mention in self.mentions:
            for i, start, end in spans:
                if start < mention.end and end > mention.start:
                    self.mention_at.setdefault(i, mention)


def lemma(token: Token) -> str:
    """The token's lemma in lower case."""
    return (token.lemma_ or token.text).lower()


def usable(mention: Mention) -> bool:
    """Whether a mention can be an event's actor: it has a code, or it names a role whose
    country the text does not give ("police met community leaders": the side is kept with its
    role and no code, never as a bare ``COP``)."""
    actor = mention.actor
    return actor.code is not None or (actor.role is not None and actor.kind != "place")


def dedupe(mentions: Iterable[Mention]) -> list[Mention]:
    """Mentions without repeats of one actor, in order."""
    seen: set[tuple[str | None, str]] = set()
    out: list[Mention] = []
    for m in mentions:
        key = (m.actor.code, m.actor.name)
        if key not in seen:
            seen.add(key)
            out.append(m)
    return out


def actors(cl: Clause, token: Token | None, *, depth: int = 0) -> list[Mention]:
    """The actors an argument names, compounds included ("Russia, Iran and Turkey")."""
    if token is None:
        return []
    found: list[Mention] = []
    mention = cl.mention_at.get(token.i)
    if mention is not None and mention.actor.country is None and mention.actor.kind != "country":
        owners = [o for p in token.children if p.lower_ == "of" for o in p.children]
        # "praised Obama's presidency": the presidency of the possessor's country
        owners += [p for p in token.children if p.dep_ == "poss"]
        # "Turkish F-16 fighter jets": a demonym the model name kept apart from its noun
        owners += [p for p in token.children if p.dep_ == "amod" and p.i in cl.mention_at]
        whose = [m for o in owners for m in actors(cl, o, depth=depth + 1)]
        if whose:  # "the ambassadors of Arnor and Gondor", "Obama's presidency"
            found.extend(_owned(mention, m) for m in whose)
            mention = None
    if found:
        pass
    elif mention is not None:
        found.extend(_placed(cl, token, mention) or ([mention] if usable(mention) else []))
    elif depth < ACTOR_DEPTH:
        for child in token.children:
            if child.dep_ in ACTOR_DEPS:
                found.extend(actors(cl, child, depth=depth + 1))
            elif child.dep_ == "prep" and child.lower_ == "of":
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found.extend(actors(cl, obj, depth=depth + 1))
    head = cl.mention_at.get(token.i)
    paired = _paired(cl, token, head)
    found[:0] = paired  # written before the role noun: first-named first (CODEBOOK "Direction")
    for child in token.children:
        if child.dep_ == "conj" or (_listed(child) and not paired):
            found.extend(_sharing(head, token, child, m) for m in actors(cl, child, depth=depth))
    if not found and depth == 0 and pair_noun(token):
        found.extend(cl.pair)
    return dedupe(found)


def _paired(cl: Clause, token: Token, head: Mention | None) -> list[Mention]:
    """Countries coordinated before a role noun are each one actor of that role ("Russian and
    Turkish officials": RUSGOV beside TURGOV; "US and Russian diplomats": USAGOV, RUSGOV)."""
    if head is None or head.actor.role is None or head.actor.country is None:
        return []
    found: list[Mention] = []
    for child in token.children:
        if child.dep_ not in ("amod", "compound", "nmod") or not child.conjuncts:
            continue
        for word in (child, *child.conjuncts):
            m = cl.mention_at.get(word.i)
            if m is None or m is head or m.actor.role is not None or m.actor.country is None:
                continue
            role, country = head.actor.role, m.actor.country
            actor = Actor(m.actor.name, country + role, country, role, head.actor.kind, None)
            found.append(Mention(m.start, m.end, m.text, actor, m.via))
    return found


def _placed(cl: Clause, token: Token, mention: Mention) -> list[Mention]:
    """A role noun placed in several countries is one actor in each ("lawmakers in Chile and
    Peru": CHLLEG and PERLEG); the actor stage gives one country only."""
    actor = mention.actor
    if actor.country is not None or actor.role is None or actor.kind == "person":
        return []
    where = [w for obj in pobjs(token, frozenset({"in", "from"})) for w in (obj, *obj.conjuncts)]
    named = [cl.mention_at.get(w.i) for w in where]
    countries = [m.actor.country for m in named if m is not None and m.actor.kind == "country"]
    if len(countries) < 2:
        return []
    return [
        Mention(
            mention.start,
            mention.end,
            mention.text,
            Actor(actor.name, c + actor.role, c, actor.role, actor.kind, actor.title),
            mention.via,
        )
        for c in dict.fromkeys(c for c in countries if c is not None)
    ]


def _sharing(head: Mention | None, token: Token, conj: Token, mention: Mention) -> Mention:
    """A country written before the first of two conjoined role nouns, the second having no
    modifier of its own, is the second's too ("Danish media and government": DNKGOV)."""
    actor = mention.actor
    if head is None or head.actor.country is None or head.start >= token.idx:
        return mention
    own = any(c.dep_ in ("poss", "compound", "amod", "nmod") for c in conj.children)
    if actor.country is not None or actor.role is None or own:
        return mention
    country = head.actor.country
    if head.actor.code == country + actor.role:
        return head  # "Iraqi officials and diplomats": one actor
    shared = Actor(actor.name, country + actor.role, country, actor.role, actor.kind, actor.title)
    return Mention(mention.start, mention.end, mention.text, shared, mention.via)


def _listed(token: Token) -> bool:
    """A list the parse hung on its last item as a modifier with a conjunct of its own
    ("Fornost and the awful Gondor welcomed …": Fornost is no modifier of Gondor)."""
    return token.dep_ == "nmod" and any(c.dep_ == "conj" for c in token.children)


def pair_noun(token: Token) -> bool:
    """Whether ``token`` is a definite plural naming two sides ("the two sides", "both parties")."""
    if token.tag_ not in ("NNS", "NNPS") or lemma(token) not in PAIR_NOUNS:
        return False
    return any(c.lower_ in PAIR_MARKERS for c in token.children)


def conjoined_pairs(cl: Clause) -> list[list[Mention]]:
    """Pairs of actors joined by "and" in the sentence ("both Ukraine and Russia"), in order."""
    out: list[list[Mention]] = []
    for token in cl.sent:
        if token.dep_ == "conj" or not any(c.dep_ == "conj" for c in token.children):
            continue
        found = [m for m in actors(cl, token) if m.actor.kind in ("country", "organization")]
        if len(found) == 2:
            out.append(found)
    return out


def _owned(role: Mention, owner: Mention) -> Mention:
    """A role word given the country of its "of" phrase ("officials of Hungary" → HUNGOV)."""
    country, part = owner.actor.country, role.actor.role
    if country is None or part is None:
        return owner
    if role.actor.kind == "person":  # "King Abdullah II of Jordan": the person, placed
        held = role.actor
        actor = Actor(held.name, f"{country}{part}", country, part, "person", held.title)
    else:
        actor = Actor(f"{owner.actor.name} {role.text}", f"{country}{part}", country, part, "group")
    # the span stays the role's own words: the evidence the text gives for this side
    return Mention(role.start, role.end, role.text, actor, "role")


def pobjs(token: Token, words: frozenset[str]) -> list[Token]:
    """Objects of the token's prepositions in ``words`` ("with Putin", "against Moscow")."""
    out: list[Token] = []
    for child in token.children:
        if (child.dep_ in ("prep", "agent", "dative") and child.lower_ in words) or (
            child.dep_ == "prep" and child.lower_ == "between"
        ):
            out.extend(g for g in child.children if g.dep_ == "pobj")
    return out


def _no_object(verb: Token) -> bool:
    return not any(c.dep_ in ("dobj", "obj", "ccomp", "xcomp") for c in verb.children)


def _headline_passive(verb: Token) -> bool:
    """A headline's passive with its auxiliary left out: "Opposition leader arrested in Moscow"
    (a past participle with a subject, no auxiliary and no object)."""
    if verb.tag_ != "VBN" or not _no_object(verb):
        return False
    return not any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def subject(verb: Token) -> tuple[Token | None, bool]:
    """The verb's subject and whether it is a passive subject (through control and coordination)."""
    seen = 0
    while seen < 6:
        seen += 1
        for child in verb.children:
            if child.dep_ in ("nsubj", "csubj", "expl"):
                if child.lower_ in RELATIVE and verb.dep_ == "relcl":
                    return verb.head, False
                return child, _headline_passive(verb)
            if child.dep_ == "nsubjpass":
                if child.lower_ in RELATIVE and verb.dep_ == "relcl":
                    return verb.head, True
                return child, True
        if verb.dep_ == "relcl":
            return verb.head, False
        if verb.dep_ == "acl":  # "the deal signed in …", "O'Brien, fired on June 8,": done to
            return verb.head, verb.tag_ == "VBN" or (verb.tag_ == "VBD" and _no_object(verb))
        if verb.dep_ in CLIMB_DEPS and verb.head.i != verb.i:
            verb = verb.head
            continue
        return None, False
    return None, False


def _dateline(token: Token) -> bool:
    """Whether ``token`` is a dateline's place ("ANKARA, March 3 -"), which the parse may make
    the subject of the lead's verb, with the real subject as its apposition."""
    return (
        token.i == token.sent.start
        and token.text.isupper()
        and len(token.text) > 1
        and token.i + 1 < len(token.doc)
        and token.doc[token.i + 1].text in (",", "-", "—", "–")
    )


def subject_actors(cl: Clause, verb: Token) -> tuple[list[Mention], bool]:
    """The subject's actors and whether it is passive; "it"/"they" borrow a conjoined verb's."""
    subj, passive = subject(verb)
    if subj is not None and _dateline(subj):
        others = [c for c in subj.children if c.dep_ == "appos" and c.i in cl.mention_at]
        others += [c for c in subj.head.children if c.dep_ == "nsubj" and c.i != subj.i]
        subj = others[-1] if others else None
    found = actors(cl, subj)
    if not found and subj is not None and subj.dep_ == "nsubj":
        # "In mid-July, Russia, Iran and Turkey … came": the parse gives the verb several
        # subjects, the date first
        for sibling in subj.head.children:
            if sibling.dep_ == "nsubj" and sibling.i != subj.i:
                found = found or actors(cl, sibling)
    if not found and subj is not None and subj.lower_ in SPEAKER_PRONOUNS:
        speaker = quoted_by(cl, subj)
        if speaker is not None:
            return [speaker], passive
    if found or subj is None or subj.lower_ not in PLACEHOLDER_PRONOUNS:
        return found, passive
    cur = verb
    while cur.dep_ == "conj" and cur.head.i != cur.i:  # "Ankara delivered …, but it refused …"
        cur = cur.head
        other, _ = subject(cur)
        if other is not None and other.i != subj.i:
            found = actors(cl, other)
            if found:
                return found, passive
    speech = verb
    while speech.dep_ in ("conj", "xcomp") and speech.head.i != speech.i:
        speech = speech.head
    if reported(speech):  # "Chile said it would send aid": the speaker
        found = actors(cl, subject(speech.head)[0])
        if found:
            return found, passive
    # "It has also mediated …" after a sentence whose subject was a country or an organisation
    wanted = ("country", "organization") if subj.lower_ == "it" else ("country", "group")
    return [m for m in cl.previous if m.actor.kind in wanted], passive


def quoted_by(cl: Clause, token: Token) -> Mention | None:
    """The speaker of the quotation ``token`` sits in, if it is a usable actor."""
    for quote in cl.quotes:
        speaker = quote.speaker
        if quote.start <= token.idx < quote.end and speaker is not None and usable(speaker):
            return speaker
    return None


def agent(verb: Token) -> Token | None:
    """The object of a passive's "by" ("was shot down by Turkish jets")."""
    for child in verb.children:
        if child.dep_ == "agent":
            return next((g for g in child.children if g.dep_ == "pobj"), None)
    return None


def objects(verb: Token) -> list[Token]:
    """Direct and dative objects of a verb."""
    return [c for c in verb.children if c.dep_ in ("dobj", "dative", "obj", "iobj")]


def complement(token: Token) -> Token | None:
    """The verb of a to-complement or clause ("threatened to sever", "urged … to join")."""
    for child in token.children:
        if child.dep_ in ("xcomp", "ccomp") and child.pos_ in ("VERB", "AUX"):
            return child
    for obj in objects(token):  # "urged Turkey to join": spaCy often hangs it on the object
        for child in obj.children:
            clausal = child.dep_ in ("acl", "relcl", "xcomp", "ccomp") and child.pos_ == "VERB"
            if clausal and any(g.dep_ == "aux" and g.lower_ == "to" for g in child.children):
                return child
    return None


def negated(token: Token) -> bool:
    """Whether the clause denies its predicate ("did not", "never", "no drones were")."""
    for child in token.children:
        if child.dep_ == "neg" or child.lower_ in ("never", "not", "n't"):
            return True
        argument = child.dep_ in ("nsubj", "nsubjpass", "dobj")
        if argument and any(g.dep_ == "det" and g.lower_ == "no" for g in child.children):
            return True
    head = token.head
    if token.dep_ == "pcomp" and head.lower_ == "from" and lemma(head.head) in REFRAINING:
        return True  # "refrained from attacking his rivals": not done
    if (
        token.dep_ == "xcomp"
        and lemma(head) in ("have", "be")
        and any(c.dep_ == "advmod" and c.lower_ == "yet" for c in head.children)
    ):
        return True  # "has yet to endorse": not done
    if token.dep_ == "conj" and head.i != token.i and _shares_subject(token):
        # "did not seek or receive": a denied disjunction denies each verb ("did not attack
        # Ukraine but threatened Kyiv" denies only the first)
        either = any(c.dep_ == "cc" and c.lower_ in ("or", "nor") for c in head.children)
        if either and any(
            c.dep_ == "neg" or c.lower_ in ("never", "not", "n't") for c in head.children
        ):
            return True
    # "We have not reached a stage where we impose sanctions": the situation is denied
    if token.dep_ == "relcl" and any(c.lower_ in RELATIVE_ADVERBS for c in token.children):
        noun = token.head
        if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children):
            return True
        return noun.dep_ in ("dobj", "attr") and negated(noun.head)
    return False


def _shares_subject(verb: Token) -> bool:
    """Whether a conjoined verb has no subject of its own (it shares its head's)."""
    return not any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in verb.children)


def unrealized(token: Token) -> bool:
    """Whether the clause is a to-infinitive of purpose or of a noun ("pressure on Ankara to
    help bolster sanctions", "efforts to find a solution"): meant, not done."""
    cur = token
    for _ in range(6):
        to = any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children)
        if to and cur.dep_ in ("advcl", "acl"):
            return True
        if cur.dep_ not in ("xcomp", "conj") or cur.head.i == cur.i:
            return False
        cur = cur.head
    return False


def reported(token: Token) -> bool:
    """Whether the clause is the complement of a reporting verb ("said they would …")."""
    return token.dep_ == "ccomp" and lemma(token.head) in REPORTING_VERBS


def hypothetical(token: Token) -> bool:
    """Whether the clause is conditional or speculative (could, may, if …, possibly)."""
    for child in token.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in HYPOTHETICAL_AUX:
            if child.lower_ == "would" and reported(token):
                continue  # "said they would blockade Paris": the future of reported speech
            return True
        if child.dep_ == "mark" and child.lower_ in CONDITIONAL_MARKS:
            return True
        if child.dep_ == "advmod" and child.lower_ in SPECULATION_ADV:
            return True
        if child.dep_ == "advcl" and any(
            g.dep_ == "mark" and g.lower_ in CONDITIONAL_MARKS for g in child.children
        ):
            return True
    return False


def future(token: Token) -> bool:
    """Whether the clause is in the future tense ("will visit", "is going to visit")."""
    for child in token.children:
        if child.dep_ == "aux" and child.lower_ in FUTURE_AUX:
            return True
        if child.dep_ == "aux" and child.lower_ == "would" and reported(token):
            return True
    head = token.head
    return token.dep_ == "xcomp" and lemma(head) == "go" and head.tag_ == "VBG"


def clause_root(token: Token) -> Token:
    """The verb (or event noun) whose clause a token belongs to."""
    cur = token
    while cur.head.i != cur.i and cur.pos_ not in ("VERB", "AUX"):
        cur = cur.head
    return cur


def reporter(cl: Clause, token: Token) -> Mention | None:
    """Who the clause of ``token`` is attributed to: "X said (that) …", "…, X said", quotes."""
    speaker = quoted_by(cl, token)
    if speaker is not None:
        return speaker
    cur = token
    for _ in range(6):
        for child in cur.children:
            if child.dep_ == "parataxis" and lemma(child) in REPORTING_VERBS:
                found = actors(cl, subject(child)[0])
                if found:
                    return found[0]
            if child.dep_ == "prep" and child.lower_ == "according":
                for to in child.children:
                    for obj in to.children:
                        found = actors(cl, obj)
                        if found:
                            return found[0]
        if cur.dep_ in ("ccomp", "conj", "xcomp", "advcl", "parataxis") and cur.head.i != cur.i:
            head = cur.head
            if cur.dep_ in ("ccomp", "parataxis") and lemma(head) in REPORTING_VERBS:
                found = actors(cl, subject(head)[0])
                return found[0] if found else None
            cur = head
            continue
        break
    return None


def addressee(cl: Clause, token: Token) -> Mention | None:
    """Whom a reported clause was told to ("Putin told Erdogan that …")."""
    cur = token
    for _ in range(4):
        if cur.dep_ == "ccomp" and lemma(cur.head) in REPORTING_VERBS:
            for obj in objects(cur.head):
                found = actors(cl, obj)
                if found:
                    return found[0]
            return None
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    return None


def place(
    cl: Clause, token: Token, *, depth: int = 0, preps: frozenset[str] = PLACE_PREPS
) -> tuple[str, str | None] | None:
    """The place in the predicate's "in"/"at" phrase: (text, country hint)."""
    for child in token.children:
        if child.dep_ != "prep" or child.lower_ not in preps:
            continue
        for obj in child.children:
            if obj.dep_ != "pobj":
                continue
            found = place_named(cl, obj)
            if found is not None:
                return found
            if depth < 1:  # "at a summit in Tehran"
                inner = place(cl, obj, depth=depth + 1)
                if inner is not None:
                    return inner
    return None


def place_named(cl: Clause, token: Token) -> tuple[str, str | None] | None:
    """The place a noun names: itself ("Sochi") or its "of" phrase ("the resort of Sochi")."""
    mention = cl.mention_at.get(token.i)
    if mention is not None and mention.actor.kind in ("place", "country"):
        return mention.text, mention.actor.country
    if token.ent_type_ in ("GPE", "LOC", "FAC") and mention is None:
        ent = next((e for e in cl.sent.ents if e.start <= token.i < e.end), None)
        if ent is not None:
            return ent.text, None
    if token.pos_ == "NOUN":
        for prep in token.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    inner = cl.mention_at.get(obj.i)
                    if obj.dep_ == "pobj" and inner is not None and inner.actor.kind == "place":
                        return inner.text, inner.actor.country
    return None


def destination(cl: Clause, verb: Token) -> tuple[str, str | None] | None:
    """Where a visit goes: "travelled to (the resort of) Sochi", "visited Ankara"."""
    for obj in objects(verb):
        found = place_named(cl, obj)
        if found is not None:
            return found
    return place(cl, verb, preps=frozenset({"to"}))


def territory(cl: Clause, verb: Token, objs: list[Token]) -> list[Mention]:
    """The country a material act with no named target reaches: "sent aid to refugees in
    Liberia", "lifted a curfew in Montenegro" (a country's name, not a town's); none when the
    act's object names people ("fought Kurdish militants in Iraq": the militants, whom no
    country names, not Iraq)."""
    if any(
        t.i in cl.mention_at or t.ent_type_ in ("NORP", "PERSON", "ORG")
        for o in objs
        for t in (o, *o.children)
    ):
        return []
    reached = [verb, *objs, *pobjs(verb, frozenset({"to", "on", "against", "for"}))]
    return [
        m
        for holder in reached
        for obj in pobjs(holder, frozenset({"in", "inside"}))
        if (m := cl.mention_at.get(obj.i)) is not None and m.actor.kind == "country"
    ]


def same_actor(a: Mention, b: Mention) -> bool:
    """Whether two mentions stand for one actor (CODEBOOK: source and target must differ)."""
    if a.actor.name == b.actor.name:
        return True
    if a.actor.kind == "person" and b.actor.kind == "person":
        return False  # "Clinton criticized Sanders": two persons of one code are two actors
    return a.actor.code is not None and a.actor.code == b.actor.code
