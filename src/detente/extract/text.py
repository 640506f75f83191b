"""Plain-text cleaning: scraped article text in, article body and metadata out.

trafilatura returns nothing for plain text, and scraped text carries the page's leftovers:
cookie banners (in any language), newsletter lines, "Related article:" links, PREV/NEXT
teasers of other stories, photo credits, bylines, ads, site banners, "Original url:" footers,
headlines repeated, and paragraphs broken in the middle of a sentence. This module sorts each
line into body or boilerplate with rules and position (header, body, footer), keeps what it
dropped for auditing, and reads the title, dateline, byline, outlet and original URL it meets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from detente.extract import dates
from detente.extract.language import detect_language, language_of_line
from detente.model import Extracted

# --- tuning constants: change them, then re-run tests/test_textclean.py and tests/test_samples.py
#: A line this long (words) that ends a sentence is article body, not a header or a teaser.
BODY_MIN_WORDS = 8
#: A line this long (words) is body even without closing punctuation.
BODY_LONG_WORDS = 25
#: A line at least this long (words) that stops mid-sentence is continued by a lower-case line.
BROKEN_MIN_WORDS = 5
#: A headline is at most this many words long.
HEADLINE_MAX_WORDS = 22
#: Lines shorter than this (words) are too short for their language to be judged.
LANGUAGE_MIN_WORDS = 6
#: A line in another language is dropped when the identifier is at least this sure.
LANGUAGE_MIN_PROB = 0.95
#: Boilerplate rules only fire on lines shorter than this (words): a real paragraph that
#: happens to mention "newsletter" or "cookies" is longer than any banner line.
BOILERPLATE_MAX_WORDS = 60
#: Items of a menu or button row are at most this many words long.
MENU_ITEM_MAX_WORDS = 4
#: An outlet's name, as a header line, is at most this many words long.
OUTLET_MAX_WORDS = 5
#: Largest number of removed lines kept for auditing per document.
MAX_REMOVED = 300

#: A sentence ends with one of these marks, possibly followed by closing quotes or brackets.
_SENTENCE_END = re.compile(r"[.!?…:;][\"”’»)\]]*$")

_COOKIE = re.compile(
    r"\b(cookies?|çerez\w*|consent|datenschutz\w*|privacy (?:policy|settings|notice)"
    r"|politique de confidentialit\w*|rgpd|gdpr|kvkk|tracking technologies)\b",
    re.IGNORECASE,
)
_COOKIE_CONTEXT = re.compile(
    r"\b(site|website|browser|browsing|experience|accept|agree|allow|advert\w*|reklam\w*|"
    r"personali[sz]\w*|kullan\w*|verwenden|utilis\w*|utiliz\w*|usamos|navigat\w*|settings|"
    r"partners|analytics|izin|zustimm\w*|akzept\w*)\b",
    re.IGNORECASE,
)
_NEWSLETTER = re.compile(
    r"\b(newsletters?|subscribe\w*|subscription|sign[ -]?up|mailing[ -]list|unsubscribe|"
    r"abonn\w+|bülten\w*|inbox|e-?mail alerts?|daily briefing)\b",
    re.IGNORECASE,
)
_RELATED = re.compile(
    r"^\W*(related(?: articles?| stories| news| content| coverage)?|read (?:more|also|next)|"
    r"also read|see also|more on this(?: story)?|recommended(?: for you)?|you may also like|"
    r"most read|trending|lesen sie auch|mehr zum thema|ilgili haber\w*|à lire aussi|"
    r"lire aussi|watch|listen)\s*[:|»>\-–—]",
    re.IGNORECASE,
)
_PREV_NEXT = re.compile(
    r"^\W*(PREV(?:IOUS)?|NEXT|Previous (?:article|story|post)|Next (?:article|story|post)|"
    r"« ?Previous|Next ?»|Older post|Newer post)\b"
)
_CREDIT = re.compile(
    r"^\W*(photo|photos|photograph|image|picture|foto|fotoğraf|file photo|illustration|video)"
    r"\s*(?:credit)?\s*(?::|by|©|/)"
    r"|\((?:photo|image|picture|foto)[^)]*\)\s*$"
    r"|\*\*[^*]{2,60}\*\*\s*$"
    r"|\b(?:photo|image) credit\b"
    r"|(?:/|\|)\s*(?:AFP|Reuters|AP|Getty Images|EPA|TASS|Anadolu(?: Agency)?|kremlin\.ru|"
    r"Sputnik|Xinhua|dpa)\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^\W*(?:by|von|par|por)\s+(?P<by>[\[(]?[A-Z][^.]{1,80})$"
    r"|^\W*(?:reporting|writing|written|editing|edited|compiled|additional reporting)\s+by\s+"
    r"(?P<rep>[^.]{2,120})",
    re.IGNORECASE,
)
_ADS = re.compile(
    r"^\W*(advertisement|advertising|sponsored(?: content)?|ad|ads by \w+|anzeige|reklam|"
    r"scroll to continue(?: with content)?|story continues below(?: advertisement)?|"
    r"continue reading(?: below)?|promoted|partner content)\W*$"
    r"|^\W*(?:advertisement|advertising|sponsored(?: content)?|anzeige|reklam|paid post)\s*[-–—:|]",
    re.IGNORECASE,
)
_BANNER = re.compile(
    r"\b(join now|sign up now|subscribe now|click here|tap here|download (?:our|the) app|"
    r"follow us on|share this (?:article|story)|share on (?:facebook|twitter|x)|"
    r"all rights reserved|buy now|order now|free trial|register (?:now|free|today)|"
    r"browse (?:vacancies|jobs)|become a (?:member|subscriber)|support (?:our|us)\b|"
    r"donate (?:now|today))\b",
    re.IGNORECASE,
)
# Two or more words in capitals at the end of a line: a call to action ("REGISTER FREE TODAY").
_SHOUTED_CTA = re.compile(r"\b[A-Z]{3,}(?: [A-Z]{2,})+\W*$")
# A row of short segments split by "|" or brackets: a menu, breadcrumb or button row.
_SEGMENTS = re.compile(r"\s*\|\s*|\]\s*\[")
_SHARE = re.compile(
    r"^(?:share|tweet|print|email|e-mail|comments?|facebook|twitter|whatsapp|telegram|linkedin|"
    r"copy link|save|listen|menu|home|search|close|x|\W)+$",
    re.IGNORECASE,
)
_COPYRIGHT = re.compile(r"^\W*(?:©|\(c\)\s|copyright\b)", re.IGNORECASE)
_ORIGINAL_URL = re.compile(
    r"^\W*(?:original (?:url|article|link|source)|source (?:url|link)|canonical(?: url)?|"
    r"source|url|link)\s*:\s*(?P<url><?https?://\S+>?)?\s*$",
    re.IGNORECASE,
)
_BARE_URL = re.compile(r"^\W*<?(?P<url>https?://[^\s>]+)>?\W*$")
_OUTLET_PREFIX = re.compile(r"^\s*\((?P<outlet>[A-Z][\w .&'-]{1,30})\)\s*[-—–]\s*")
_BYLINE_SOURCE = re.compile(
    r"^\W*(?:by|von|par|por)\s+\[?(?P<name>[^\]()]+)\]?(?:\([^)]*\))?$", re.IGNORECASE
)

# neither part may hold "[" (nor an autolink "<"): each attempt then stops at the next
# opening mark, where an unbounded one scanned to the end of the line from every "[" (quadratic:
# minutes on a 200 KB line of brackets)
_MD_LINK = re.compile(r"!?\[(?P<text>[^\[\]]*)\]\((?P<href>[^)\s\[]*)\)")
_MD_AUTOLINK = re.compile(r"<(?P<url>https?://[^<>\s]+)>")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?P<inner>.+?)\1")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_WS = re.compile(r"\s+")  # every kind of space: runs of them made `\s*` patterns quadratic
# Two or more line breaks with only white space between them: one paragraph break.
_BLANK_RUN = re.compile(r"\n(?:[^\S\n]*\n)+")


@dataclass(slots=True)
class _Line:
    text: str  # markup stripped, whitespace collapsed
    raw: str  # as in the input (for the audit trail)
    kind: str = "body"  # body, title, dateline, byline, outlet, or the boilerplate rule's name
    words: int = 0

    def __post_init__(self) -> None:
        self.words = len(self.text.split())


@dataclass(slots=True)
class _Found:
    title: str | None = None
    published: str | None = None
    published_source: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    removed: list[str] = field(default_factory=list)


def strip_markup(line: str) -> str:
    """Markdown links, emphasis and heading marks removed; whitespace collapsed."""
    line = _MD_LINK.sub(lambda m: m.group("text"), line)
    line = _MD_AUTOLINK.sub(lambda m: m.group("url"), line)
    line = _MD_EMPHASIS.sub(lambda m: m.group("inner"), line)
    line = _MD_HEADING.sub("", line)
    return _WS.sub(" ", line).strip()


def _is_body_like(line: _Line) -> bool:
    """Whether a line reads like a paragraph of the article."""
    if line.words >= BODY_LONG_WORDS:
        return True
    return line.words >= BODY_MIN_WORDS and _ends_sentence(line.text)


def _headline_like(line: _Line) -> bool:
    """Short and without a closing full stop: how headlines look."""
    return line.words <= HEADLINE_MAX_WORDS and not re.search(r"[.:;,][\"”’»)\]]*$", line.text)


def _ends_sentence(text: str) -> bool:
    return _SENTENCE_END.search(text.rstrip()) is not None


def _title_case(text: str) -> bool:
    """Whether every word of four letters or more starts with a capital: how names look."""
    words = [w for w in re.findall(r"[^\W\d_]+", text) if len(w) >= 4]
    return bool(words) and all(w[0].isupper() for w in words)


def _boilerplate_rule(line: _Line) -> str | None:
    """The name of the boilerplate rule a line matches, or None."""
    text = line.text
    if not text or _SHARE.match(text) or len(text) <= 2:
        return "empty"
    if _ORIGINAL_URL.match(text):
        return "original-url"
    if _BARE_URL.match(text):
        return "url"
    if _PREV_NEXT.match(line.raw.strip()):
        return "teaser"
    if _RELATED.match(text):
        return "related"
    if line.words > BOILERPLATE_MAX_WORDS:
        return None
    if _ADS.match(text):
        return "ad"
    if _COPYRIGHT.match(text):
        return "copyright"
    if _COOKIE.search(text) and _COOKIE_CONTEXT.search(text):
        return "cookie"
    if _NEWSLETTER.search(text) and (line.words < 30 or _BANNER.search(text)):
        return "newsletter"
    if _BYLINE.match(text) and line.words <= 20:
        return "byline"
    if _CREDIT.search(line.raw.strip()) or _CREDIT.search(text):
        return "credit"
    if _BANNER.search(text) and line.words < 30:
        return "banner"
    if _SHOUTED_CTA.search(text) and " - " in text:
        return "banner"
    if _is_menu(text):
        return "menu"
    return None


def _is_menu(text: str) -> bool:
    """Whether a line is a row of short links or buttons ("World | Europe", "[Accept] [Refuse]")."""
    parts = [p.strip(" []") for p in _SEGMENTS.split(text.strip())]
    parts = [p for p in parts if p]
    return len(parts) >= 2 and all(len(p.split()) <= MENU_ITEM_MAX_WORDS for p in parts)


def _split_lines(text: str) -> list[_Line]:
    lines = []
    for raw in text.splitlines():
        raw = raw.rstrip()
        if not raw.strip():
            lines.append(_Line(text="", raw=""))  # paragraph break marker
            continue
        lines.append(_Line(text=strip_markup(raw), raw=raw))
    return lines


def _normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", " ", text).strip()


def _rejoin_broken(lines: list[_Line]) -> None:
    """Merge a line that stops mid-sentence with the lower-case line that continues it."""
    # the pieces of a merged line are joined once at the end, and only the last piece is
    # checked for a sentence end: re-joining and re-scanning the growing line on every merge
    # took minutes on a long run of broken lines (quadratic)
    previous: _Line | None = None
    texts: list[str] = []
    raws: list[str] = []

    def flush() -> None:
        if previous is not None and len(texts) > 1:
            previous.text, previous.raw = " ".join(texts), " ".join(raws)

    for line in lines:
        if line.kind == "blank":
            continue
        if (
            previous is not None
            and line.kind == "body"
            and line.text[:1].islower()
            and previous.words >= BROKEN_MIN_WORDS
            and not _ends_sentence(texts[-1])
            and not texts[-1].endswith(",")
        ):
            texts.append(line.text)
            raws.append(line.raw)
            previous.words += line.words
            line.kind = "blank"  # merged into the line above
            continue
        flush()
        previous = line if line.kind == "body" else None
        texts, raws = [line.text], [line.raw]
    flush()


def _read_header(lines: list[_Line], found: _Found) -> None:
    """Classify the lines before the first body paragraph: title, dateline, byline, outlet."""
    header: list[_Line] = []
    for line in lines:
        if line.kind == "body" and _is_body_like(line) and not _headline_like(line):
            break  # a short line without a full stop is a headline even if it ends with "?"
        if line.kind in ("body", "byline"):
            header.append(line)
    counts: dict[str, int] = {}
    for line in header:
        key = _normalize(line.text)
        counts[key] = counts.get(key, 0) + 1
    anchor = None  # index of the first dateline or byline: the title sits just above it
    for i, line in enumerate(header):
        if line.kind == "byline":
            found.author = found.author or _byline_name(line.text)
            anchor = i if anchor is None else anchor
            continue
        day = dates.parse_dateline(line.text)
        if day is not None:
            line.kind = "dateline"
            if found.published is None:
                found.published, found.published_source = day.isoformat(), "dateline"
            anchor = i if anchor is None else anchor
        elif counts[_normalize(line.text)] > 1 and _outlet_like(line):
            # a short name printed twice in the header is the outlet's name
            line.kind = "outlet"
            found.outlet = found.outlet or line.text
    candidates = [
        (i, line) for i, line in enumerate(header) if line.kind == "body" and line.words >= 2
    ]
    title: _Line | None = None
    if anchor is not None:
        above = [line for i, line in candidates if i < anchor]
        title = above[-1] if above else None
    if title is None and candidates:
        title = max((line for _, line in candidates), key=lambda line: line.words)
    if title is not None:
        title.kind = "title"
        found.title = title.text
    title_key = _normalize(title.text) if title is not None else None
    for line in header:
        if line.kind != "body":
            continue
        if _normalize(line.text) == title_key:
            line.kind = "repeat"
        elif found.outlet is None and _outlet_like(line):
            line.kind = "outlet"
            found.outlet = line.text
        else:
            line.kind = "header"  # section labels and site names above the story


def _outlet_like(line: _Line) -> bool:
    return line.words <= OUTLET_MAX_WORDS and _title_case(line.text)


def _byline_name(text: str) -> str | None:
    match = _BYLINE_SOURCE.match(text)
    if match:
        return match.group("name").strip() or None
    match = _BYLINE.match(text)
    if match and match.group("rep"):
        return match.group("rep").split(" in the ")[0].strip(" ,;:-")
    return None


def _drop_repeats(lines: list[_Line], title: str | None) -> None:
    """Drop a repeated headline and a lede that a later paragraph repeats in full."""
    seen: set[str] = set()
    title_key = _normalize(title) if title else None
    body = [line for line in lines if line.kind == "body"]
    keys = [_normalize(line.text) for line in body]
    for i, (line, key) in enumerate(zip(body, keys, strict=True)):
        if not key:
            continue
        if key == title_key or key in seen:
            line.kind = "repeat"
            continue
        seen.add(key)
        if line.words >= 5 and any(
            later != key and later.startswith(key) for later in keys[i + 1 : i + 4]
        ):
            line.kind = "repeat"


def _drop_footer(lines: list[_Line]) -> None:
    """After the last body paragraph, short lines without a full stop are page furniture."""
    body_idx = [i for i, line in enumerate(lines) if line.kind == "body" and _is_body_like(line)]
    if not body_idx:
        return
    last = body_idx[-1]
    removed_after = any(line.kind not in ("body", "blank") for line in lines[last + 1 :])
    for line in lines[last + 1 :]:
        if line.kind != "body":
            continue
        if not _ends_sentence(line.text) or (removed_after and line.words < BODY_MIN_WORDS):
            line.kind = "footer"


def _drop_other_languages(lines: list[_Line], main_language: str | None) -> None:
    if not main_language:
        return
    for line in lines:
        if line.kind != "body" or line.words < LANGUAGE_MIN_WORDS:
            continue
        lang, prob = language_of_line(line.text)
        if lang != main_language and prob >= LANGUAGE_MIN_PROB:
            line.kind = "language"


def _join_paragraphs(lines: list[_Line]) -> list[str]:
    """Body lines as paragraphs, rejoining a sentence broken across lines or paragraphs."""
    paragraphs: list[list[str]] = []  # each paragraph's lines, joined once at the end (linear)
    for line in lines:
        if line.kind != "body":
            continue
        text = line.text
        if paragraphs and text[:1].islower():
            last = paragraphs[-1][-1]
            # a list of items ends with commas too
            if not _ends_sentence(last) and not last.endswith(","):
                paragraphs[-1].append(text)
                continue
        paragraphs.append([text])
    return [" ".join(parts) for parts in paragraphs]


def clean_text(text: str, *, url: str | None = None) -> Extracted:
    """Clean scraped plain text (or Markdown): the article body and the metadata it carries."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = _BLANK_RUN.sub("\n\n", text)  # one paragraph break does; millions cost seconds
    lines = _split_lines(text)
    found = _Found(url=url)
    pending_original_url = False
    for line in lines:
        if not line.text:
            line.kind = "blank"
            continue
        if pending_original_url:
            pending_original_url = False
            match = _BARE_URL.match(line.text)
            if match:
                found.url = found.url or match.group("url")
                line.kind = "original-url"
                continue
        rule = _boilerplate_rule(line)
        if rule is None:
            continue
        line.kind = rule
        if rule == "original-url":
            match = _ORIGINAL_URL.match(line.text)
            if match and match.group("url"):
                found.url = found.url or match.group("url").strip("<>")
            else:
                pending_original_url = True
        elif rule in ("byline", "newsletter"):
            found.author = found.author or _byline_name(line.text)
    _rejoin_broken(lines)
    _read_header(lines, found)
    _drop_repeats(lines, found.title)
    _drop_footer(lines)
    body_text = " ".join(line.text for line in lines if line.kind == "body")
    language = detect_language(body_text)
    _drop_other_languages(lines, language)
    paragraphs = _join_paragraphs(lines)
    if paragraphs:
        match = _OUTLET_PREFIX.match(paragraphs[0])
        if match and not found.outlet:
            found.outlet = match.group("outlet").strip()
    if found.published is None:
        day = dates.date_from_url(found.url)
        if day is not None:
            found.published, found.published_source = day.isoformat(), "url"
    removed = [
        line.raw.strip()[:300]
        for line in lines
        if line.kind not in ("body", "blank", "title", "dateline")
    ][:MAX_REMOVED]
    return Extracted(
        text="\n\n".join(paragraphs),
        title=found.title,
        author=found.author,
        outlet=found.outlet,
        url=found.url,
        published=found.published,
        published_source=found.published_source,
        language=language,
        removed=removed,
    )
