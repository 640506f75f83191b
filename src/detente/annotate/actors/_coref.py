"""Coreference in the document walk: the people named so far, and surnames, titles and pronouns."""

from __future__ import annotations

import bisect
import csv
import functools
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from detente.annotate.actors._tables import RoleWord, _data_file
from detente.annotate.actors._text import fold
from detente.annotate.actors._titles import title_fits
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from collections.abc import Iterable

    from spacy.tokens import Doc, Token

    from detente.annotate.actors._base import ResolverBase

# --- tuning constants (re-run tests/test_actors.py and the NGEC eval after changing any) -------
#: Sentences back that a pronoun may reach for its antecedent (2: this one and the one before).
PRONOUN_WINDOW = 2
#: A line of at least this many words, this share of them capitalised, is a headline.
HEADLINE_WORDS = 3
HEADLINE_SHARE = 0.7


@dataclass(slots=True)
class _Seen:
    """A person mention already resolved in the document, for later references."""

    actor: Actor
    keys: frozenset[str]  # folded names and surnames that refer back to it
    sentence: int
    subject: bool
    token: int


@dataclass(slots=True)
class _DocState:
    """Per-document working data."""

    doc: Doc
    on: date
    norms: list[str]
    texts: list[str]
    sentence_of: list[int]
    text: str  # doc.text, computed once (spaCy rebuilds it on every access)
    sentence_starts: list[int]
    mentions: list[Mention] = field(default_factory=list)
    seen: list[_Seen] = field(default_factory=list)
    latest: dict[str, _Seen] = field(default_factory=dict)  # key → last person it names
    named: dict[str, dict[str, _Seen]] = field(default_factory=dict)  # key → name → latest
    counts: Counter[str] = field(default_factory=Counter)  # person's name → mentions so far
    quoted: list[bool] | None = None  # per token: inside quotation marks (made when needed)
    genders: dict[str, str | None] = field(default_factory=dict)  # person's name → gender
    unit_at: dict[int, Any] = field(default_factory=dict)  # token → the unit that holds it

    def remember(self, seen: _Seen) -> None:
        """Add a person later text may name by one of its keys."""
        self.seen.append(seen)
        self.counts[seen.actor.name] += 1
        for key in seen.keys:
            self.latest[key] = seen
            self.named.setdefault(key, {})[seen.actor.name] = seen

    def find(self, key: str, *, gender: str | None = None) -> _Seen | None:
        """The person known by ``key`` (a folded full name or surname).

        When several people share it ("Clinton": Hillary and Bill), the one of ``gender``
        when a courtesy title gives it ("Mrs. Clinton"), else the one the article has named
        most often so far, the latest of them on a tie: a story about Hillary Clinton that
        mentions her husband once still means her by "Clinton".
        """
        people = self.named.get(key)
        if not people:
            return None
        if len(people) == 1:
            return self.latest[key]
        candidates = list(people.values())
        if gender is not None:
            fitting = [s for s in candidates if _gender(self, s.actor) != _OTHER[gender]]
            candidates = fitting or candidates
        return max(candidates, key=lambda seen: (self.counts[seen.actor.name], seen.token))


class CorefBase:
    """The document walk's record of mentions, and titles and pronouns linked to earlier people."""

    r: ResolverBase

    def _title_reference(
        self, st: _DocState, word: RoleWord, key: str | None, *, place: str | None = None
    ) -> Actor | None:
        """ "the Turkish leader": the latest such person in the text, else the office holder.

        A person fits by any office held on the article's day, not only the one their code
        shows ("the New Jersey governor" is Chris Christie while he runs for president); with
        ``place`` (the folded name of a place inside the country), an office "of" somewhere
        must be of that place.
        """
        for seen in reversed(st.seen):
            actor = seen.actor
            if key is not None and key not in (actor.country, actor.code):
                continue
            if word.phrase == "counterpart" and key is not None:
                return actor  # "his Russian counterpart": the Russian last named
            if any(
                title_fits(title, word, country) and _of_place(title, place)
                for title, country in self._titles_held(st, actor)
            ):
                return actor
        if key is None:
            return None
        holder = self.r._holder(key, word, st.on)
        return holder.actor(st.on) if holder is not None else None

    def _titles_held(self, st: _DocState, actor: Actor) -> list[tuple[str | None, str | None]]:
        """The titles (with their country) a person holds on the article's day, theirs first."""
        held = [(actor.title, actor.country)]
        entity = self.r._entities.get(fold(actor.name))
        if entity is not None and entity.kind == "person":
            held += [(o.title, o.country) for o in entity.offices if o.covers(st.on)]
        return held

    def _former_reference(self, st: _DocState, word: RoleWord, key: str | None) -> Actor | None:
        """ "the former secretary of state": the latest person named who held that office
        before the article's day (of the country ``key`` when the text gives one)."""
        for seen in reversed(st.seen):
            entity = self.r._entities.get(fold(seen.actor.name))
            if entity is None or entity.kind != "person":
                continue
            for office in entity.offices:
                if office.end is None or office.end > st.on:
                    continue
                if key is not None and key not in (office.country, office.code):
                    continue
                if title_fits(office.title, word, office.country):
                    return seen.actor
        return None

    def _subject(self, st: _DocState, start: int, end: int) -> bool:
        return any(_subject_token(st.doc[i]) for i in range(start, end))

    def _add(
        self,
        st: _DocState,
        start: int,
        end: int,
        actor: Actor,
        via: str,
        *,
        keys: frozenset[str] | None = None,
        name_start: int | None = None,
    ) -> None:
        """Record a mention of tokens ``start:end``; with ``keys``, a person later text may name."""
        first, last = st.doc[start], st.doc[end - 1]
        char_start, char_end = first.idx, last.idx + len(last.text)
        st.mentions.append(Mention(char_start, char_end, st.text[char_start:char_end], actor, via))
        if keys is not None:
            at = start if name_start is None else name_start
            subject = self._subject(st, at, end)
            st.remember(_Seen(actor, keys, st.sentence_of[at], subject, at))

    @staticmethod
    def _named_later(st: _DocState) -> None:
        """A surname met before the full name ("Clinton" in the headline, "Hillary Clinton" in
        the text): the person the article names by it, once the whole text is read."""
        for k, mention in enumerate(st.mentions):
            actor = mention.actor
            if mention.via not in ("name", "sector") or actor.code:
                continue
            headline = _headline(st.text, mention.start)
            if actor.kind == "person" and not actor.role:
                text = _strip_possessive(mention.text)
                known = st.find(fold(text))
                if known is not None and known.actor.name == actor.name:
                    known = None  # only this name itself
            elif actor.kind == "organization" and headline:
                text, known = mention.text, None  # "Clinton Rallies Voters", read as an ORG
            else:
                continue
            if known is None and " " in text and headline:
                # "Clinton Wades In: …": spaCy runs a title-cased headline's verb into the name
                text = text.split(" ", 1)[0]
                known = st.find(fold(text))
            if known is not None and known.actor.name != actor.name:
                end = mention.start + len(text)
                st.mentions[k] = Mention(mention.start, end, text, known.actor, "surname")

    @staticmethod
    def _short_names(st: _DocState) -> None:
        """ "The New York Times … the Times wrote": an organisation's last word alone, after the
        article named it in full, is that organisation (not another one the tables know by the
        word, as London's The Times, nor an unknown one). A country, a place or a person the
        article names by the word keeps its reading ("Bank of America … America")."""
        by_last: dict[str, Actor] = {}
        for k, mention in sorted(enumerate(st.mentions), key=lambda km: km[1].start):
            actor = mention.actor
            words = mention.text.split()
            if words and words[0].lower() == "the":
                words = words[1:]
            word = fold(words[0]) if len(words) == 1 and words[0][:1].isupper() else None
            known = by_last.get(word) if word is not None else None
            if (
                known is not None
                and known != actor
                and actor.kind not in ("country", "place", "person")
                and st.find(word or "") is None
            ):
                st.mentions[k] = Mention(
                    mention.start, mention.end, mention.text, known, "coreference"
                )
                continue
            name = actor.name.split()
            if actor.kind == "organization" and actor.code and len(name) >= 2 and "of" not in name:
                by_last[fold(name[-1])] = actor

    @staticmethod
    def _same_organisation(st: _DocState, start: int, role: str) -> Actor | None:
        """The organisation "the company" (role ``role``, at token ``start``) refers back to.

        Only after "the", and only to an organisation of that role with a country in this
        sentence or the two before it, the latest one; "a bank" introduces a new one.
        """
        if start == 0 or st.norms[start - 1] != "the":
            return None
        sentence = st.sentence_of[start]
        first = st.sentence_starts[max(0, sentence - 2)]
        begin = st.doc[first].idx
        for mention in reversed(st.mentions):
            if mention.start < begin:
                break
            actor = mention.actor
            if (
                actor.kind == "organization"
                and actor.role == role
                and actor.code is not None
                and mention.via in ("dictionary", "name", "role")
            ):
                return actor
        return None

    # pronouns --------------------------------------------------------------------------------
    def _pronouns(self, st: _DocState) -> None:
        """he/she (and his/her on a subject) → the most salient earlier person."""
        if not st.seen:
            return
        for i, norm in enumerate(st.norms):
            if norm not in _PRONOUNS:  # folded: a superset of the lowercase forms
                continue
            token = st.doc[i]
            if not _subject_pronoun(token):
                continue
            antecedent = self._antecedent(st, token)
            if antecedent is not None:
                self._add(st, token.i, token.i + 1, antecedent.actor, "pronoun")
                if token.dep_ in ("nsubj", "nsubjpass") and not _quoted(st, token.i):
                    # "He nodded to his finish behind Cruz. '…,' he said": the subject "he"
                    # stays the one the next sentence's pronoun means, not the last name
                    here = st.sentence_of[token.i]
                    seen = _Seen(antecedent.actor, frozenset(), here, True, token.i)
                    bisect.insort(st.seen, seen, key=lambda s: s.token)

    def _antecedent(self, st: _DocState, token: Token) -> _Seen | None:
        """The same sentence's earlier subject, else the previous sentences' subject, of the
        pronoun's gender when the text or the given name tells it ("she": not Bill Clinton)."""
        here = st.sentence_of[token.i]
        want = "female" if token.lower_ in ("she", "her") else "male"
        earlier = [
            s
            for s in st.seen
            if s.token < token.i
            and s.actor.kind == "person"
            and _gender(st, s.actor) != _OTHER[want]
        ]
        if not _quoted(st, token.i):
            # '"…Obama…," he said': the speaker is not someone the quote names
            earlier = [s for s in earlier if not _quoted(st, s.token)]
        else:  # inside a quote, only people named: a narrator's "he" is not the quote's
            earlier = [s for s in earlier if s.keys]
        same = [s for s in earlier if s.sentence == here]
        for seen in reversed(same):
            if seen.subject:
                return seen
        if same:
            return same[0]  # no subject parsed: the sentence's first person is the most salient
        for back in range(1, PRONOUN_WINDOW + 1):
            before = [s for s in earlier if s.sentence == here - back]
            subjects = [s for s in before if s.subject]
            if subjects:
                return subjects[0]
            if before:
                return before[-1]
        return None


#: Quotation marks that open, close, or do either (straight ones, and the doubled apostrophes
#: some papers use for both, toggle).
_OPENING, _CLOSING, _EITHER = (
    frozenset({"“", "``", "‘"}),
    frozenset({"”", "’"}),
    frozenset({'"', "''"}),
)


def _quoted(st: _DocState, i: int) -> bool:
    """Whether token ``i`` lies inside quotation marks (marks are paired within a paragraph)."""
    if st.quoted is None:
        flags: list[bool] = []
        inside = False
        for text in st.texts:
            if "\n" in text:
                inside = False  # a paragraph break closes what a missing mark left open
            elif text in _OPENING:
                inside = True
            elif text in _CLOSING:
                inside = False
            elif text in _EITHER:
                inside = not inside
            flags.append(inside)
        st.quoted = flags
    return st.quoted[i]


_OTHER = {"male": "female", "female": "male"}
#: Courtesy titles and words that give a person's gender where the text names them.
_GENDERED = {
    **dict.fromkeys(("mrs.", "mrs", "ms.", "ms", "miss", "madam", "lady"), "female"),
    **dict.fromkeys(("mr.", "mr", "sir", "lord"), "male"),
}


@functools.cache
def _given_names() -> dict[str, str]:
    """Given names that tell a gender in the news (``given_names.csv``, typed by us; names
    borne by men and women alike are left out)."""
    with _data_file("given_names.csv").open(encoding="utf-8") as handle:
        return {row["name"]: row["gender"] for row in csv.DictReader(handle)}


def courtesy_gender(st: _DocState, start: int) -> str | None:
    """The gender a courtesy title before token ``start`` (or at it) gives: "Mrs. Clinton"."""
    for i in (start - 1, start):
        if 0 <= i < len(st.norms) and st.norms[i] in _GENDERED:
            return _GENDERED[st.norms[i]]
    return None


def _gender(st: _DocState, actor: Actor) -> str | None:
    """A person's gender as far as the article tells it: "Mrs. Clinton", a "Mr." before one
    of their names, else their given name; None when nothing does."""
    name = actor.name
    if name not in st.genders:
        said = {
            _GENDERED[fold(m.text.split()[0])]
            for m in st.mentions
            if m.actor.name == name and " " in m.text and fold(m.text.split()[0]) in _GENDERED
        }
        first = fold(name).split()[:1]
        given = _given_names().get(first[0]) if first else None
        st.genders[name] = said.pop() if len(said) == 1 else given
    return st.genders[name]


#: The words :func:`_subject_pronoun` may accept.
_PRONOUNS = frozenset({"he", "she", "his", "her"})


def _named_person(token: Token) -> bool:
    return token.pos_ == "PROPN" and token.ent_type_ == "PERSON"


def _subject_token(token: Token) -> bool:
    """Whether a token is (in) its clause's subject.

    Two people named side by side are not in apposition: in "On another rival, Mr. Putin,
    Mr. Trump was asked …" spaCy makes Putin the subject and Trump his apposition, when the
    name next to the verb is the subject.
    """
    if token.dep_ in ("nsubj", "nsubjpass"):
        return not (
            _named_person(token)
            and any(c.dep_ == "appos" and _named_person(c) for c in token.children)
        )
    return (
        token.dep_ == "appos"
        and token.head.dep_ in ("nsubj", "nsubjpass")
        and _named_person(token)
        and _named_person(token.head)
    )


def _of_place(title: str | None, place: str | None) -> bool:
    """Whether an office "of" somewhere ("Governor of New Jersey") is of ``place`` (folded)."""
    if place is None or title is None or " of " not in title:
        return True
    return place in fold(title)


def _subject_pronoun(token: Token) -> bool:
    """he/she as a subject, or his/her on a subject ("his spokesman said")."""
    word = token.lower_
    if word in ("he", "she"):
        return token.dep_ in ("nsubj", "nsubjpass")
    if word in ("his", "her"):
        return token.dep_ == "poss" and token.head.dep_ in ("nsubj", "nsubjpass")
    return False


#: Courtesy titles that are not part of a person's name ("Mr. Pruzan" is Robert Pruzan).
_COURTESY = ("Mr. ", "Mrs. ", "Ms. ", "Dr. ", "Miss ", "Mr ", "Mrs ", "Ms ", "Dr ")


def _strip_possessive(text: str) -> str:
    """The name without a possessive ending or a courtesy title."""
    for suffix in ("'s", "’s", "'", "’"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip()
            break
    for title in _COURTESY:
        if text.startswith(title) and len(text) > len(title):
            return text[len(title) :].lstrip()
    return text


def _name_keys(names: Iterable[str]) -> frozenset[str]:
    """Folded full names and surnames a person can be referred back by."""
    keys: set[str] = set()
    for name in names:
        folded = fold(_strip_possessive(name))
        if not folded:
            continue
        keys.add(folded)
        parts = folded.replace("-", " ").split()
        if len(parts) > 1:
            keys.add(parts[-1])
            keys.add(parts[0])  # "Donald" for Donald Trump once the text has named him
            if len(parts) > 2:
                keys.add(" ".join(parts[-2:]))
    return frozenset(keys)


def _headline(text: str, at: int) -> bool:
    """Whether the line around character ``at`` is a title-cased headline."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start : end if end >= 0 else len(text)].split()
    if len(line) < HEADLINE_WORDS:
        return False
    capitalised = sum(word[:1].isupper() for word in line if word[:1].isalpha())
    return capitalised >= HEADLINE_SHARE * len(line)
