"""Quotations: direct quotes in marks, scare quotes and reported speech, with cue and speaker.

:func:`find_quotes` reads one parsed spaCy ``Doc`` (no second parse) and returns
:class:`QuoteSpan` records whose offsets point into ``doc.text``. It finds *speaker spans*
("Putin", "he", "the Kremlin"); resolving them to actors is the actor module's job.

1. **Marks** are paired on the characters, paragraph by paragraph: curly (“ ” ‘ ’), straight
   (" '), doubled (``''`` as NYT archives write “ ”), « » and „. A straight mark opens or
   closes by its neighbours (space before and a letter after: opens), else by alternation.
   ’ and ' are apostrophes unless a single quote is open and no letter follows (don't,
   Erdoğan's, Workers' stay words); single quotes inside double ones are nested, not reported.
   A quote still open at a paragraph's end runs on when the next paragraph opens with a mark
   (the convention for quotes over several paragraphs); otherwise it closes at the paragraph
   end (``closed=False``). A paragraph broken mid-sentence (next line lower case) is one.
2. **Direct quotes.** Candidate cues are verbs outside the marks in the quote's sentence, a
   short "he said." fragment right after it, or a lead-in ending in ":" or "," right before.
   Best first: a reporting verb beside the quote ("“…,” he said", "said Lavrov", "he said:
   “…”"); one governing it in the parse ("said that … “…”", "called it “…”"); a parenthetical
   one; a near one that reports nothing else; any verb beside the quote with a person as
   subject ("“…,” she shot back"). The speaker is the cue's subject (through "saying"/
   "adding" participles, coordination, "who" and "in saying"), the object of "according
   to", or, when the parse has none, the name next to the cue ("“…,” Flynn, an aide, said").
   Without a cue: "Clinton: “…”" headlines and ":" lead-ins give the speaker; a partial quote
   takes the subject of the verb above it when that is a name, a person pronoun or a title;
   a quote opening its sentence inherits the speaker of the paragraph's previous quote
   ("“A,” he said. “B.”"), or of the previous paragraph when that ends with a quote and this
   one is only a quote. Nothing else: the speaker stays None.
3. **Reported speech.** A reporting verb outside quotes with a complement clause ("said
   Türkiye will …", "warned that …", "told reporters that …"), an object ("announced his
   candidacy"), "called for …", a parenthetical ("…, he said, …") or "according to X" gives
   an ``indirect`` quote whose content is that clause; skipped when direct quotes already
   make up half of it (then the direct quote carries the attribution).

**Scare quotes.** A quote of at most :data:`SCARE_MAX_WORDS` words is a label, not a
statement (``kind="scare"``), unless it fills its clause next to a cue ("“Never,” he said";
"he replied: “Not yet”"): so "who he called his “dear friend”", "a “special” relationship"
and "praised the “great significance” of" are scare quotes whatever verb governs them. So
are capitalized titles inside a sentence or without a cue ("Fox and Friends", "War On
Drugs"). A scare quote keeps a cue and speaker only when a verb governs it in the parse.
"""

from __future__ import annotations

# The public names (``__all__``), and the tuning constants at their old address: each is read
# from the module that uses it, so change it there (setting it here changes nothing).
from detente.annotate.quotes._classify import INDIRECT_MIN_WORDS as INDIRECT_MIN_WORDS
from detente.annotate.quotes._classify import INHERIT_ACROSS as INHERIT_ACROSS
from detente.annotate.quotes._classify import OBJECT_VERBS as OBJECT_VERBS
from detente.annotate.quotes._classify import SCARE_MAX_WORDS as SCARE_MAX_WORDS
from detente.annotate.quotes._classify import TITLE_MAX_WORDS as TITLE_MAX_WORDS
from detente.annotate.quotes._classify import find_quotes
from detente.annotate.quotes._context import FRAGMENT_MAX_TOKENS as FRAGMENT_MAX_TOKENS
from detente.annotate.quotes._cues import ADJACENT_ONLY_VERBS as ADJACENT_ONLY_VERBS
from detente.annotate.quotes._cues import CUE_MAX_DISTANCE as CUE_MAX_DISTANCE
from detente.annotate.quotes._cues import LABEL_VERBS
from detente.annotate.quotes._marks import paragraphs, quote_marks
from detente.annotate.quotes._parse import PLATFORMS as PLATFORMS
from detente.annotate.quotes._span import QuoteSpan
from detente.annotate.quotes._speakers import REPORTING_VERBS
from detente.annotate.quotes._speakers import TITLE_NOUNS as TITLE_NOUNS

__all__ = [
    "LABEL_VERBS",
    "REPORTING_VERBS",
    "QuoteSpan",
    "find_quotes",
    "paragraphs",
    "quote_marks",
]
