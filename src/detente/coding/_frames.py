"""Frames: the CAMEO code of "threatened to X", "vowed to X", "urged … to X", "refused to X".

The frame verb is the event; the complement X only says which sub-code (CAMEO mirrors its
cooperation codes in the intent, appeal, demand and rejection families). What is threatened,
intended, demanded or refused is not coded as having happened. Here too: the nouns and
adjectives that carry a frame ("his intention to visit", "ready to talk"), whom a demand or
threat is aimed at, and the host's side of a visit (CAMEO 042:043).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from detente.coding._syntax import Clause, lemma, objects, same_actor, subject_actors

if TYPE_CHECKING:
    from collections.abc import Sequence

    from spacy.tokens import Token

    from detente.model import Mention

#: Roles of a visitor whose visit is also its host's event (CAMEO 043): officials, not travellers.
OFFICIAL_ROLES = frozenset({"GOV", "MIL", "LEG", "JUD", "OPP", "SPY", "COP", "IGO"})
#: Verbs that rule out what they govern ("ruled out arms deals"): (lemma, particle).
EXCLUDING_VERBS = frozenset({("rule", "out"), ("exclude", "")})

#: Longest-prefix tables: complement code prefix → code of the frame event.
_INTENT = {
    "04": "036",
    "045": "039",
    "046": "036",
    "05": "032",
    "057": "030",
    "06": "031",
    "061": "0311",
    "062": "0312",
    "063": "0313",
    "064": "0314",
    "07": "033",
    "071": "0331",
    "072": "0332",
    "073": "0333",
    "074": "0334",
    "08": "035",
    "081": "0351",
    "084": "0353",
    "085": "0354",
    "086": "0355",
    "087": "0356",
    "03": "030",
}
_APPEAL = {
    "04": "026",
    "045": "028",
    "05": "022",
    "06": "021",
    "061": "0211",
    "062": "0212",
    "063": "0213",
    "064": "0214",
    "07": "023",
    "071": "0231",
    "072": "0232",
    "073": "0233",
    "074": "0234",
    "08": "025",
    "081": "0251",
    "084": "0253",
    "085": "0254",
    "086": "0255",
    "087": "0256",
}
_DEMAND = {
    "04": "108",
    "05": "102",
    "06": "101",
    "061": "1011",
    "062": "1012",
    "063": "1013",
    "064": "1014",
    "07": "103",
    "071": "1031",
    "072": "1032",
    "073": "1033",
    "074": "1034",
    "08": "105",
    "081": "1051",
    "084": "1053",
    "085": "1054",
    "086": "1055",
    "087": "1056",
    "0871": "107",
    "0872": "106",
    "0874": "106",
}
_REFUSE = {
    "04": "125",
    "045": "126",
    "057": "127",
    "06": "121",
    "061": "1211",
    "062": "1212",
    "07": "122",
    "071": "1221",
    "072": "1222",
    "073": "1223",
    "074": "1224",
    "08": "124",
    "081": "1241",
    "084": "1243",
    "085": "1244",
    "086": "1245",
    "087": "1246",
}
_THREAT = {
    "16": "131",
    "161": "1313",
    "162": "1311",
    "163": "1312",
    "164": "134",
    "165": "135",
    "166": "136",
    "17": "132",
    "175": "137",
    "173": "137",
    "14": "133",
    "18": "1383",
    "19": "138",
    "190": "1384",
    "193": "1384",
    "194": "1384",
    "195": "1384",
    "191": "1381",
    "192": "1382",
    "20": "1383",
    "204": "1385",
}
_TABLES = {
    "intent": _INTENT,
    "appeal": _APPEAL,
    "demand": _DEMAND,
    "refuse": _REFUSE,
    "threat": _THREAT,
}
#: Roots whose intended or announced doing is a threat, not an intent to cooperate.
CONFLICT_ROOTS = frozenset({"14", "15", "16", "17", "18", "19", "20"})


def _lookup(table: dict[str, str], code: str) -> str | None:
    for size in (4, 3, 2):
        if len(code) >= size and code[:size] in table:
            return table[code[:size]]
    return None


def derive(frame: str, default: str, complement: str | None) -> str:
    """The code of a ``frame`` event whose complement would code ``complement``."""
    if complement is None:
        return default
    if frame == "intent" and complement[:2] in CONFLICT_ROOTS:
        frame = "threat"  # "vowed to retaliate", "plans to impose sanctions"
        default = "130"
    table = _TABLES.get(frame)
    if table is None:
        return default
    return _lookup(table, complement) or default


def future(code: str) -> tuple[str, str]:
    """A future-tense act as its announcement: (code, modality). Cooperation is intent (03),
    material conflict a threat (13); verbal acts keep their code."""
    root = code[:2]
    if root in ("04", "05", "06", "07", "08"):
        return derive("intent", "030", code), "future"
    if root in CONFLICT_ROOTS:
        return derive("threat", "130", code), "future"
    return code, "future"


def excluding(verb: Token) -> bool:
    """Whether the verb rules out what it governs ("ruled out arms deals")."""
    particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), "")
    return (lemma(verb), particle) in EXCLUDING_VERBS


def purpose(clause: Token) -> bool:
    """A complement or purpose clause ("help defend", "to help"), not a condition ("if …")."""
    if clause.dep_ == "xcomp":
        return True
    return clause.dep_ == "advcl" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in clause.children
    )


def hosting(
    visitors: Sequence[Mention], places: Sequence[Mention]
) -> tuple[list[Mention], list[Mention]]:
    """Who hosts whom in a visit (CAMEO pairs 042 with the host's 043, as PETRARCH's dictionaries
    do): a country or government named as an actor, not only a city the visit goes to, receiving
    officials ("Putin visited Turkey": Turkey hosts Putin; not "Syrians arriving in the US")."""
    guests = [m for m in visitors if m.actor.role in OFFICIAL_ROLES]
    return [m for m in places if m.actor.kind != "place"], guests


#: Marks of a condition a threat sets ("unless Baghdad accepted").
CONDITION_MARKS = frozenset({"if", "unless"})


def addressed(
    cl: Clause, verb: Token, comp: Token | None, frame: str, sources: list[Mention]
) -> list[Mention]:
    """Whom a demand, appeal or threat is aimed at when no object names it: the subject of the
    clause demanded ("demanded that the US cancel …"), or of the condition a threat sets
    ("threatened to resume … unless Baghdad accepted", "… if the United States goes ahead")."""
    found: list[Mention] = []
    if comp is not None and comp.dep_ == "ccomp":
        found = subject_actors(cl, comp)[0]
    if not found and frame == "threat":
        clauses = [*(comp.subtree if comp is not None else ()), *verb.children]
        for clause in clauses:
            if clause.dep_ == "advcl" and any(
                g.dep_ == "mark" and g.lower_ in CONDITION_MARKS for g in clause.children
            ):
                found = subject_actors(cl, clause)[0]
                if found:
                    break
    return [t for t in found if all(not same_actor(t, s) for s in sources)]


#: Adjectives whose to-complement is what their subject means to do ("ready to talk").
FRAME_ADJECTIVES = dict.fromkeys(
    (
        *("willing", "ready", "prepared", "committed", "determined", "eager", "keen", "set"),
        *("poised", "resolved", "open"),
    ),
    "intent",
)
#: Nouns whose to-infinitive is what they announce ("affirmed his intention to make the trip").
FRAME_NOUNS = {
    **dict.fromkeys(
        (
            "intention",
            "intent",
            "plan",
            "readiness",
            "willingness",
            "desire",
            "commitment",
            "determination",
            "decision",
            "offer",
            "promise",
            "pledge",
            "wish",
            "hope",
            "bid",
            "agreement",
            "resolve",
            "vow",
        ),
        "intent",
    ),
    "threat": "threat",
    "demand": "demand",
    "call": "demand",
    "ultimatum": "threat",
    "appeal": "appeal",
    "request": "appeal",
    "refusal": "refuse",
}


def frame_noun(verb: Token) -> tuple[str, Token] | None:
    """("intent", complement) when the verb's object announces a to-infinitive."""
    for obj in objects(verb):
        frame = FRAME_NOUNS.get(lemma(obj))
        if frame is None:
            continue
        for child in obj.children:
            if child.dep_ in ("acl", "relcl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                return frame, child
    return None


def frame_adjective(verb: Token) -> tuple[str, Token] | None:
    """("intent", complement) for "is willing/ready/committed to X"."""
    if lemma(verb) != "be":
        return None
    for adj in verb.children:
        if adj.dep_ != "acomp" or adj.lower_ not in FRAME_ADJECTIVES:
            continue
        for child in adj.children:
            if child.dep_ == "xcomp" and child.pos_ in ("VERB", "AUX"):
                return FRAME_ADJECTIVES[adj.lower_], child
            if child.dep_ == "prep" and child.lower_ == "to":  # "committed to opening up"
                for comp in child.children:
                    if comp.dep_ == "pcomp" and comp.pos_ == "VERB":
                        return FRAME_ADJECTIVES[adj.lower_], comp
    return None
