"""spaCy token helpers: lemmas, verbs, "according to", noun-phrase and cue bounds, quote tops."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Tuning constants: after changing one, run tests/test_quotes.py and score PolNeAR train/dev
# (detente.evaluation.quotes.evaluate_polnear(root, split="dev")); never tune on test.

#: Platforms that extend a cue as written: "wrote on Twitter", "said on X".
PLATFORMS = frozenset({"twitter", "x", "facebook", "telegram", "instagram", "social", "truth"})

_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod", "predet"})


def _lemma(token: Token) -> str:
    """Lower-case lemma, falling back to the lower-case form."""
    return (token.lemma_ or token.lower_).lower()


def _is_verb(token: Token) -> bool:
    """Whether spaCy tagged the token as a verb (any VB* tag)."""
    return token.tag_.startswith("VB")


def _is_according(token: Token) -> bool:
    """The "according" of "according to X"."""
    doc = token.doc
    return (
        token.lower_ == "according" and token.i + 1 < len(doc) and doc[token.i + 1].lower_ == "to"
    )


def _is_break(token: Token) -> bool:
    """A whitespace token holding a line break (spaCy sentences may run over paragraphs)."""
    return token.is_space and "\n" in token.text


def _np_bounds(head: Token) -> tuple[int, int]:
    """Token range [start, end) of the noun phrase headed by ``head``, without clauses."""
    doc = head.doc
    left = right = head.i
    for child in reversed(list(head.lefts)):
        if child.dep_ not in _LEFT_DEPS:
            break
        left = child.left_edge.i
    for child in head.rights:
        if child.i != right + 1 and child.left_edge.i != right + 1:
            break
        if child.dep_ in ("compound", "flat", "nummod", "case"):
            right = child.right_edge.i
        elif (
            child.dep_ == "prep"
            and child.lower_ in ("of", "for", "to", "at")
            and (head.tag_ in ("NN", "NNS"))
        ):
            right = child.right_edge.i
            break
        else:
            break
    for i in range(head.i - 1, left - 1, -1):
        if _is_break(doc[i]):
            left = i + 1
            break
    for i in range(head.i + 1, right + 1):
        if _is_break(doc[i]):
            right = i - 1
            break
    while right > left and (doc[right].is_punct or doc[right].is_space):
        right -= 1
    while left < right and (doc[left].is_punct or doc[left].is_space):
        left += 1
    return left, right + 1


def _passive_participle(verb: Token) -> bool:
    """A participle clause without a subject: "Asked about it, …" (not "after he had warned")."""
    if verb.tag_ != "VBN" or verb.dep_ not in ("advcl", "acl"):
        return False
    if any(child.dep_ in ("nsubj", "aux") for child in verb.children):
        return False
    # "Romney, the 2012 nominee, tweeted in response: “…”": a past tense read as a participle
    # on the name before it, since nothing after it is the clause's verb
    after = verb.right_edge.i + 1
    return not (
        verb.dep_ == "acl"
        and verb.head.i < verb.i
        and after < len(verb.doc)
        and verb.doc[after].text == ":"
    )


def _cue_bounds(cue: Token) -> tuple[int, int]:
    """Token range [start, end) of the cue as written: "said", "pointed out", "wrote on X"."""
    doc = cue.doc
    if _is_according(cue):
        return cue.i, cue.i + 2
    end = cue.i + 1
    if end < len(doc) and doc[end].dep_ == "prt" and doc[end].head.i == cue.i:
        end += 1
    if (
        end + 1 < len(doc)
        and doc[end].lower_ == "on"
        and doc[end].head.i == cue.i
        and doc[end + 1].lower_ in PLATFORMS
    ):
        end += 2
        if end < len(doc) and doc[end].lower_ == "media" and doc[end - 1].lower_ == "social":
            end += 1
    return cue.i, end


def _has_complement(cue: Token, inside: list[int]) -> bool:
    """Whether a verb has a complement clause of its own outside quotation marks."""
    return any(c.dep_ == "ccomp" and inside[c.i] < 0 for c in cue.children)


def _tops(quote: Span) -> list[Token]:
    """Tokens of the quote whose syntactic head lies outside it."""
    return [tok for tok in quote if not quote.start <= tok.head.i < quote.end]
