"""Statements are events (CODEBOOK): a speaker who reports a hostile act of another actor
accuses that actor.

"Ankara claimed that the Russian jet had violated its airspace" codes the violation (RUS → TUR,
``reported_by`` Ankara) and, beside it, Ankara's accusation of Russia (TUR → RUS, 112). A report
is an accusation when

- its cue is a verb of allegation ("claimed", "alleged", "charged", "insisted") and the act it
  reports is conflictual (CAMEO roots 11-20), or
- the act is violence or a breach of norms (roots 17-20, or 128) done to the speaker itself or
  its country by name ("Kyiv said Russian drones struck its power plants").

A neutral report of a fact ("the Kremlin said the talks lasted three hours", "the military said
rebels attacked a convoy" told by a third party) stays only the reported act. Negated or
hypothetical acts accuse no one ("officials said Russia had not violated …").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.quotes import REPORTING_VERBS
from detente.coding._syntax import lemma
from detente.coding.ontology import cameo
from detente.model import Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Token

#: Cues that present what they report as an allegation.
ALLEGATION_CUES = frozenset(
    {"claim", "allege", "charge", "insist", "assert", "contend", "complain", "accuse"}
)
#: CAMEO roots of conflict: an alleged one is an accusation.
CONFLICT_ROOTS = frozenset({"11", "12", "13", "14", "15", "16", "17", "18", "19", "20"})
#: Roots of harm done to a victim, who accuses by reporting it.
HARM_ROOTS = frozenset({"17", "18", "19", "20"})
#: The accusation's code (CAMEO 112: accuse, not specified below).
ACCUSE_CODE = "112"


def cue_of(head: Token) -> Token | None:
    """The reporting verb whose complement holds ``head`` ("X claimed that …", "…, X said")."""
    cur = head
    for _ in range(6):
        for child in cur.children:
            if child.dep_ == "parataxis" and lemma(child) in REPORTING_VERBS:
                return child
        if cur.head.i == cur.i:
            return None
        if cur.dep_ in ("ccomp", "parataxis") and lemma(cur.head) in REPORTING_VERBS:
            return cur.head
        if cur.dep_ not in ("conj", "xcomp", "advcl", "ccomp"):
            return None
        cur = cur.head
    return None


def _side(mention: Mention | None) -> str | None:
    if mention is None:
        return None
    return mention.actor.country or mention.actor.code


def accuses(event: Event, cue: str | None) -> bool:
    """Whether reporting ``event`` accuses its source (the rules in the module doc)."""
    speaker, source = event.reported_by, event.source
    if speaker is None or source is None or event.negated or event.hypothetical:
        return False
    if event.modality is not None:  # a threat, demand or plan told is not an act done
        return False
    mine = _side(speaker)
    if mine is None or _side(source) == mine or source.actor.name == speaker.actor.name:
        return False
    root = event.cameo[:2]
    if cue in ALLEGATION_CUES and root in CONFLICT_ROOTS:
        return True
    harmful = root in HARM_ROOTS or event.cameo.startswith("128")
    target = event.target
    if not harmful or target is None:
        return False
    # the victim is the speaker, or the speaker's country by name ("Turkey said Russia …
    # Turkey"); a group of its people ("Thai villagers") may be any third party's report
    return target.actor.code == speaker.actor.code or (
        target.actor.kind == "country" and target.actor.country == speaker.actor.country
    )


def accusation(event: Event, cue: Token | None, text: str) -> Event:
    """The speaker's accusation of the reported act's source, told by the same sentence."""
    assert event.reported_by is not None and event.source is not None
    info = cameo(ACCUSE_CODE)
    start, end = (
        (cue.idx, cue.idx + len(cue.text))
        if cue is not None
        else (
            event.trigger_start,
            event.trigger_end,
        )
    )
    return Event(
        source=event.reported_by,
        target=event.source,
        cameo=info.code,
        plover=info.plover,
        plover_mode=info.plover_mode,
        quad_class=info.quad_class,
        goldstein=info.goldstein,
        trigger=text[start:end],
        trigger_start=start,
        trigger_end=end,
        sentence_start=event.sentence_start,
        sentence_end=event.sentence_end,
        confidence=round(max(0.05, event.confidence - 0.1), 2),
        coder=event.coder,
    )
