"""Cut a client's text into the pieces the sentence encoder reads one at a time.

Why pieces and not the whole text: one sentence of risk buried in a long, ordinary entry
("...made pasta. I've been saving my pills for Friday. Dentist at nine...") is diluted in an
embedding of the whole entry, but stands out on its own. Phone writing often has no full
stops, so besides sentence ends and line breaks a long run of words is cut at commas and
joining words, and failing those every `MAX_WORDS` words. Spans are character offsets into
the original text, so a clinician is shown the client's own words.
"""

from __future__ import annotations

import re

MAX_WORDS = 28
_END = re.compile(r"[.!?…]+[\"')\]]*(?=\s)|\n+|(?<=\S)\s+-\s+(?=\S)|;")
_SOFT = re.compile(r",\s+|\s+(?=(?:and|but|so|because|cause|cuz|then|or)\s)", re.IGNORECASE)
_WORD = re.compile(r"\S+")


def split(text: str) -> list[tuple[int, int]]:
    """Character spans of the pieces of `text`, in order, each with at least one letter or
    digit, trimmed of surrounding white space."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        spans.extend(_limit(text, start, match.end()))
        start = match.end()
    spans.extend(_limit(text, start, len(text)))
    return [s for s in (_trim(text, a, b) for a, b in spans) if s is not None]


def _limit(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) into pieces of at most MAX_WORDS words, preferring soft breaks."""
    words = list(_WORD.finditer(text, start, end))
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    pieces: list[tuple[int, int]] = []
    piece_start = start
    count = 0
    last_soft: int | None = None
    for word in words:
        count += 1
        tail = text[word.end() : word.end() + 2]
        if count >= MAX_WORDS // 2 and _SOFT.match(text, word.end()) and tail:
            last_soft = word.end()
        if count >= MAX_WORDS:
            cut = last_soft if last_soft is not None else word.end()
            pieces.append((piece_start, cut))
            piece_start = cut
            count = len(_WORD.findall(text, cut, word.end()))
            last_soft = None
    pieces.append((piece_start, end))
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \t\r\n,;-":
        start += 1
    while end > start and text[end - 1] in " \t\r\n-":
        end -= 1
    if not any(c.isalnum() for c in text[start:end]):
        return None
    return (start, end)
