"""The actor resolver: phrases out of context (``lookup``) and every mention in a document."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from detente.annotate.actors._base import ResolverBase
from detente.annotate.actors._document import DocumentWalk
from detente.annotate.actors._phrase import is_igo
from detente.annotate.actors._tables import compose
from detente.annotate.actors._text import fold
from detente.model import Actor, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc


class ActorResolver(ResolverBase):
    """Resolve names, titles, demonyms, capitals and pronouns to actors with CAMEO-style codes.

    Build one per process (the tables and matchers are built once) and reuse it across articles.
    ``dictionaries`` are user files in the documented format; their entries override built-in
    ones with the same name.
    """

    # --- phrases ---------------------------------------------------------------------------
    def lookup(self, text: str, *, on: date | None = None, context: str = "") -> Actor | None:
        """The actor a phrase out of context names ("Russian Foreign Minister Sergei Lavrov").

        ``context`` (a country or demonym, e.g. "Mexico") fills the country when the phrase has
        none. None when the phrase names no known actor, country or role.
        """
        on = on or date.today()
        texts = [t.text for t in self._tokenizer(text.strip())]
        norms = [fold(t) for t in texts]
        matches = self._gaz.scan(norms, texts, case=False)
        actor = self._from_evidence(self._gather(norms, texts, matches), on, texts)
        if context and (actor is None or (actor.country is None and not is_igo(actor))):
            hint = self.lookup(context, on=on)
            if hint is not None and hint.country is not None:
                if actor is None:
                    ev = self._gather(norms, texts, matches)
                    if ev.name is None:
                        return None
                    return Actor(ev.name, hint.country, hint.country, None, "organization")
                return Actor(
                    actor.name,
                    compose(hint.country, actor.role),
                    hint.country,
                    actor.role,
                    actor.kind,
                    actor.title,
                )
        return actor

    # --- documents -------------------------------------------------------------------------

    # --- documents -------------------------------------------------------------------------
    def resolve(self, doc: Doc, *, on: date | None = None) -> list[Mention]:
        """Every actor mention in ``doc`` (offsets into ``doc.text``), in text order."""
        return titled(DocumentWalk(self).run(doc, on or date.today()), doc.text)


def titled(mentions: list[Mention], text: str) -> list[Mention]:
    """A title written right before a dictionary name that has no role of its own makes that
    name a person holding the office ("Bree Prime Minister Romendacil", the name a user's
    dictionary gives only a country: BREGOV), as an unknown name after a title is."""
    out: list[Mention] = []
    for mention in mentions:
        prev = out[-1] if out else None
        if prev is None or not _holds(prev.actor, mention.actor, text[prev.end : mention.start]):
            out.append(mention)
            continue
        title, named = prev.actor, mention.actor
        country = title.country or named.country
        actor = Actor(
            named.name, compose(country, title.role), country, title.role, "person", title.title
        )
        out[-1] = Mention(
            prev.start, mention.end, text[prev.start : mention.end], actor, mention.via
        )
    return out


def _holds(title: Actor, named: Actor, between: str) -> bool:
    """Whether ``title`` (a title mention) is the office of ``named`` written right after it."""
    if between.strip() or title.title is None or title.role is None or named.role is not None:
        return False
    if named.kind in ("person", "country", "place") or is_igo(named):
        return False
    return named.country is None or title.country in (None, named.country)
