"""Regular-expression pieces of time expressions: months, weekdays, edges, unresolved times."""

from __future__ import annotations

import re

_NUM = r"(?:\d{1,4}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_VAGUE = r"(?:a\s+few|a\s+couple(?:\s+of)?|several|some|many|few|couple\s+of)"
_MON = (
    r"(?P<mon>january|february|march|april|may|june|july|august|september|october|november|"
    r"december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept\.?|sep\.?|oct\.?|"
    r"nov\.?|dec\.?)(?![\w])"
)
_DAY = (
    r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tues\.?|tue\.?|thurs\.?|thur\.?|thu\.?|fri\.?|sat\.|sun\.|mon\.|wed\.)(?![\w])"
)
_ORD = r"(?:st|nd|rd|th)?"
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_EDGE = r"(?:early|mid|late|(?:the\s+)?(?:beginning|start|end|middle)\s+of)"
_DASH = r"\s*(?:-|–|—|to|through|thru|until|till)\s*"

_UNRESOLVED = "|".join(
    (
        r"(?:the\s+)?(?:(?:early|mid|late)[\s-]+)?(?:1[89]|20)\d0s|'\d0s",
        r"(?:(?:early|late|mid|last|next|this|past)[\s-]+)?(?:the\s+)?"
        r"(?:spring|summer|autumn|fall|winter)(?:\s+(?:of\s+)?\d{4})?",
        r"(?:(?:last|this|next|during|the)\s+)?(?:ramadan|eid(?:\s+al-\w+)?|christmas(?:\s+(?:day|eve))?"
        r"|easter|thanksgiving|new\s+year(?:'s)?(?:\s+(?:day|eve))?|nowruz|hanukkah|passover"
        r"|diwali|yom\s+kippur|lent|independence\s+day|victory\s+day)",
        r"(?:the\s+)?(?:first|second|latter|last)\s+half\s+of\s+(?:the\s+year|last\s+year"
        r"|this\s+year|\d{4})",
        r"recently(?!\s+as\b)|lately|soon|in\s+recent\s+(?:days|weeks|months|years|decades|times)",
        r"(?:in|over|during)\s+the\s+(?:past|last|coming|next)\s+(?:(?:few|several|two|three|four"
        r"|five|six|ten|\d+)\s+)?(?:days|weeks|months|years|decades)",
        r"over\s+the\s+(?:years|decades|months)|for\s+(?:years|decades)",
        r"(?:the\s+)?(?:day|week|month|year)\s+(?:before|after|earlier|later)",
        r"(?:that|the\s+same|the\s+next|the\s+following|the\s+previous)\s+(?:day|night|morning"
        r"|evening|week|weekend|month)|at\s+the\s+time",
    )
)

_TIME_PREP = re.compile(r"\b(?:in|since|until|till|by|of|from|during)\s+$", re.IGNORECASE)
_RANGE_GAP = re.compile(r"\s*(?:-|–|—|to|through|thru|until|till|and)\s*$", re.IGNORECASE)
_RANGE_OPEN = re.compile(r"\b(?:from|between)\s+$", re.IGNORECASE)
_FUTURE_TEXT = re.compile(
    r"\b(?:will|shall|won't|wo\s+n't)\b|'ll\b|\b(?:is|are|am)\s+(?:(?:due|set|scheduled|"
    r"expected|going|planning)\s+)?to\s+(?!be\s+\w+ed\b)\w+",
    re.IGNORECASE,
)
