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
        return DocumentWalk(self).run(doc, on or date.today())
