"""Which office a title names: "the Russian president", "the Turkish leader", "NATO chief"."""

from __future__ import annotations

from detente.annotate.actors._tables import RoleWord
from detente.annotate.actors._text import fold, words

#: Countries whose head of government, not their president, is "the leader" (parliamentary
#: republics in the news); monarchies below rank their king or emir first.
PARLIAMENTARY = words(
    "ISR DEU ITA IND PAK HUN ARM GEO AUT GRC CZE SVK EST LVA LTU IRQ BGD NPL ALB MLT SGP "
    "BGR HRV SVN IRL PRT POL FIN LBN ETH XKX SRB MNE MKD MDA BIH"
)
ABSOLUTE_MONARCHIES = words("SAU QAT KWT OMN BHR BRN SWZ JOR MAR")
LEADER_WORDS = frozenset({"leader", "head of state", "ruler", "head", "chief"})
_FOREIGN_WORDS = frozenset(
    {"foreign minister", "foreign secretary", "secretary of state", "minister of foreign affairs"}
)
_DEFENCE_WORDS = frozenset(
    {
        "defence minister",
        "defense minister",
        "defence secretary",
        "defense secretary",
        "secretary of defense",
        "secretary of war",
        "minister of defence",
        "minister of defense",
    }
)


#: Words for someone running for office; they fit any candidate's or nominee's title.
CANDIDATE_WORDS = frozenset(
    {
        "candidate",
        "presidential candidate",
        "nominee",
        "presidential nominee",
        "front-runner",
        "frontrunner",
        "hopeful",
        "presidential hopeful",
    }
)


def runs_for_office(title: str | None) -> bool:
    """Whether an office title is a candidacy ("Democratic presidential nominee")."""
    t = fold(title or "")
    return "candidate" in t or "nominee" in t


def leader_rank(title: str, country: str | None) -> int | None:
    """How strongly an office reads as "the leader" of its country; None: not a leader."""
    t = fold(title)
    if t == "supreme leader":
        return 0
    monarch = t in ("king", "queen", "emir", "sultan")
    if monarch:
        return 1 if country in ABSOLUTE_MONARCHIES else 6
    if t in ("president", "acting president"):
        return 4 if country in PARLIAMENTARY else 2
    if t in ("prime minister", "premier", "chancellor", "caretaker prime minister"):
        return 3
    if t.startswith(("secretary general", "secretary-general", "president of the")):
        return 2
    return None


def title_fits(office_title: str | None, word: RoleWord, country: str | None) -> bool:
    """Whether someone holding ``office_title`` can be called ``word`` ("the Russian president")."""
    if not office_title:
        return False
    t, w = fold(office_title), word.phrase
    if w in LEADER_WORDS:
        return leader_rank(office_title, country) is not None
    if w == "president":
        return t in ("president", "acting president") or t.startswith("president of the")
    if w in ("prime minister", "premier", "pm"):
        return "prime minister" in t or t == "premier"
    if w in _FOREIGN_WORDS:
        return "foreign" in t or t == "secretary of state"
    if w in _DEFENCE_WORDS:
        return "defen" in t or "armed forces" in t
    if w in CANDIDATE_WORDS:
        return runs_for_office(t)
    if w in ("secretary general", "secretary-general"):
        return "secretary" in t and "general" in t
    return t == w or t.startswith(w + " of ")  # "the governor": Governor of Michigan
