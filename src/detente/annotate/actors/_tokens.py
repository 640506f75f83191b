"""Token tests of the document walk: which words can be part of a name, which modify a title."""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.annotate.actors._text import fold, words

if TYPE_CHECKING:
    from spacy.tokens import Token

    from detente.annotate.actors._coref import _DocState

#: Lowercase particles inside names: "Bashar al-Assad", "Ursula von der Leyen".
_NAME_PARTICLES = words("al el bin ibn abu ben de da del della der van von la le du di dos")


def _name_token(st: _DocState, token: Token) -> bool:
    """A proper noun, or a capitalised noun standing where a name does: inside a sentence, or
    opening one before its verb or a possessive ("Sanders goes", "Sanders’ decision")."""
    if token.pos_ == "PROPN":
        return True
    if token.pos_ != "NOUN" or not token.text.istitle():
        return False
    if token.i != st.sentence_starts[st.sentence_of[token.i]]:
        return True
    following = token.nbor() if token.i + 1 < len(st.doc) else None
    return following is not None and (
        following.pos_ in ("VERB", "AUX") or following.text in ("’", "'", "’s", "'s")
    )


def _name_word(text: str) -> bool:
    """Whether a token can be part of a person's name."""
    return text[:1].isupper() or fold(text) in _NAME_PARTICLES or not text[:1].isalpha()


def _modifier(token: Token) -> bool:
    """A lowercase word modifying a title: "infrastructure" in "infrastructure minister"."""
    return (
        token.text[:1].islower()
        and token.pos_ in ("NOUN", "ADJ")
        and token.dep_ in ("compound", "amod")
    )


#: Words in an organisation's name that tell its sector ("Golden Nugget Casino", "Fox News").
_SECTOR_WORDS = {
    "BUS": words(
        "inc inc. corp corp. corporation co co. company companies llc ltd ltd. plc bank banks "
        "airlines airways motors holdings industries energy oil petroleum pharmaceuticals "
        "casino casinos resort resorts hotel hotels capital partners group brands foods stores"
    ),
    "MED": words(
        "news times post journal tribune herald press media tv television radio magazine "
        "images network daily gazette broadcasting channel observer guardian telegraph "
        "chronicle wire report reports politics"
    ),
    "EDU": words("university college school academy"),
    "HLH": words("hospital clinic"),
    "REL": words("church mosque diocese synagogue"),
}


def organisation_role(norms: list[str]) -> str:
    """The role of an organisation no table knows, from its name's words; else ``CVL``: a
    named group of people with no office ("Judicial Watch", "Black Lives Matter")."""
    for role, sector in _SECTOR_WORDS.items():
        if any(norm in sector for norm in norms):
            return role
    return "CVL"
