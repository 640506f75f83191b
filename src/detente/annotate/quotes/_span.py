"""The :class:`QuoteSpan` record: one quotation's content, cue and speaker as offsets."""

from __future__ import annotations

from dataclasses import dataclass

from detente.model import Mention, Quote


@dataclass(slots=True)
class QuoteSpan:
    """One quotation: content, cue and speaker spans as character offsets into ``doc.text``."""

    start: int  # offsets of the quoted content (inside the marks for direct quotes)
    end: int
    text: str
    direct: bool
    kind: str  # "statement" | "scare" | "indirect"
    cue: str | None = None  # the reporting verb or phrase as written
    cue_start: int | None = None
    cue_end: int | None = None
    speaker_start: int | None = None  # the speaker's noun phrase as written ("he", "Putin")
    speaker_end: int | None = None
    addressee: str | None = None  # who it was said to: "CNN" in "told CNN"
    sentence_start: int = 0  # the sentence(s) holding the quote
    sentence_end: int = 0
    inherited: bool = False  # speaker taken from an earlier quote, not found beside this one
    closed: bool = True  # False when the closing mark was missing (direct quotes only)

    def speaker_text(self, text: str) -> str | None:
        """The speaker span as written in ``text`` (the document's text), or None."""
        if self.speaker_start is None or self.speaker_end is None:
            return None
        return text[self.speaker_start : self.speaker_end]

    def to_quote(self, speaker: Mention | None = None) -> Quote:
        """The :class:`~detente.model.Quote` record, given the resolved speaker mention."""
        return Quote(
            start=self.start,
            end=self.end,
            text=self.text,
            direct=self.direct,
            kind=self.kind,
            speaker=speaker,
            cue=self.cue,
            addressee=self.addressee,
            sentence_start=self.sentence_start,
            sentence_end=self.sentence_end,
        )
