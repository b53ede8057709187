"""Which literal fragments every match of a regular expression must contain.

The screener runs on every save, and most writing contains none of the words a given rule
needs, so each rule is skipped unless one of its required fragments occurs in the text: a few
substring tests instead of a regex scan. The fragments are derived from the compiled pattern
itself (its parse tree), so they stay correct whenever a rule changes; nobody maintains a
second list by hand.

A run of white space in a pattern (a `\\s+`) becomes a single space in a fragment, so fragments
can be phrases ("no one", "being here"), which are far rarer than their words. They are looked
for in `collapsed` text, where every run of white space is one space.
"""

from __future__ import annotations

from typing import Any

try:  # CPython's own regex parser; the screener works without it, only more slowly.
    from re import _constants as _sre  # type: ignore[attr-defined]
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - other Python implementations
    _sre = _sre_parser = None

# A fragment shorter than this is in nearly every text, so it would not skip anything.
_SHORTEST_USEFUL = 3
# Gluing text across alternatives multiplies the fragments; stop before there are too many.
_MOST_LEADS = 64
# Words so common in writing (or inside common words: "self" in "myself") that a fragment made
# only of them would let the rule run on almost every text.
_COMMON = frozenset(
    {
        "a", "i", "an", "am", "as", "at", "be", "by", "do", "go", "he", "if", "in", "is", "it",
        "me", "my", "no", "of", "on", "or", "so", "to", "up", "us", "we", "the", "and", "you",
        "for", "not", "are", "but", "was", "all", "any", "can", "had", "her", "him", "his", "one",
        "our", "out", "day", "get", "has", "how", "man", "new", "now", "old", "see", "two", "way",
        "who", "did", "its", "let", "put", "say", "she", "too", "use", "end", "ant", "ave", "ive",
        "ing", "ish", "own", "what", "here", "about", "would", "were", "being", "want", "feel",
        "think", "know", "need", "have", "this", "that", "with", "when", "after", "once", "today",
        "again", "keep", "been", "start", "stop", "like", "never", "should", "might", "sure",
        "care", "done", "some", "will", "them", "then", "they", "there", "where", "your", "from",
        "just", "more", "make", "made", "time", "self", "body", "ever", "even", "didn", "don",
    }
)  # fmt: skip


def required_fragments(regex: str) -> frozenset[str] | None:
    """Fragments of which every match of `regex` contains at least one, or None if no useful
    set can be derived (the rule must then always run).

    `regex` must be matched case-sensitively against lower-cased text, as the rules are.
    """
    if _sre_parser is None:  # pragma: no cover
        return None
    try:
        parsed = _sre_parser.parse(regex)
    except Exception:  # pragma: no cover - an unparsable pattern fails at compile time anyway
        return None
    fragments = _required(parsed)
    if fragments is None or min(map(len, fragments)) < _SHORTEST_USEFUL:
        return None
    return fragments


def _required(sequence: Any) -> frozenset[str] | None:
    """The best requirement of a sequence of regex elements: the element (or run of literal
    text) whose fragments are the most telling."""
    candidates: list[frozenset[str]] = []
    items = list(sequence.data)
    run: list[str] = []
    for op, argument in [*items, (None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(argument))
            continue
        if run and _is_white_space_run(op, argument):
            run.append(" ")
            continue
        if run:
            prefix = "".join(run)
            candidates.append(frozenset({prefix}))
            # The parser factors common prefixes out of alternatives ("won't|wont" becomes
            # "w" + ("on't"|"ont")), and a word is often followed by a group ("kill " +
            # "(my self|meself)"): glue the text on to whatever the group must start with.
            leads = _group_leads(op, argument)
            if leads:
                candidates.append(frozenset(prefix + lead for lead in leads))
            run = []
        requirement = _element(op, argument) if op is not None else None
        if requirement:
            candidates.append(requirement)
    if not candidates:
        return None
    return max(candidates, key=_quality)


def _quality(fragments: frozenset[str]) -> tuple[bool, int, int, int]:
    """Prefer telling fragments, then longer ones, then fewer."""
    weight = min(map(_weight, fragments))
    shortest = min(map(len, fragments))
    return (weight >= _SHORTEST_USEFUL, min(weight, 8), min(shortest, 8), -len(fragments))


def _weight(fragment: str) -> int:
    """How telling a fragment is: its uncommon letters, plus a little for each word beyond two
    (three common words in a row, "i will not", are rare)."""
    words = fragment.split()
    uncommon = sum(len(word) for word in words if len(word) >= 3 and word not in _COMMON)
    return uncommon + 3 * max(0, len(words) - 2)


def _group_leads(op: Any, argument: Any) -> frozenset[str] | None:
    """The literal text a group must start with, one string per alternative ("" when an
    alternative starts with something other than text)."""
    if op is _sre.SUBPATTERN:
        return _leads(argument[-1])
    if op is _sre.BRANCH:
        return frozenset().union(*(_leads(branch) for branch in argument[1]))
    return None


def _leads(sequence: Any) -> frozenset[str]:
    """The literal text a sequence must start with: one string per way it can start, "" for a
    way that starts with something other than text."""
    leads = frozenset({""})
    for op, argument in sequence.data:
        if op is _sre.LITERAL:
            leads = frozenset(lead + chr(argument) for lead in leads)
        elif _is_white_space_run(op, argument):
            leads = frozenset(lead + " " for lead in leads)
        elif op in (_sre.SUBPATTERN, _sre.BRANCH) and "" not in (
            group := _group_leads(op, argument) or {""}
        ):
            if len(leads) * len(group) > _MOST_LEADS:
                break
            leads = frozenset(lead + more for lead in leads for more in group)
        else:
            break
    return leads


def _is_white_space_run(op: Any, argument: Any) -> bool:
    """One or more (`\\s+`) white-space characters, which `collapsed` text turns into one."""
    return (
        op is _sre.MAX_REPEAT
        and argument[0] == 1
        and list(argument[2].data) == [(_sre.IN, [(_sre.CATEGORY, _sre.CATEGORY_SPACE)])]
    )


def _element(op: Any, argument: Any) -> frozenset[str] | None:
    if op is _sre.SUBPATTERN:
        return _required(argument[-1])
    if op is _sre.BRANCH:
        branches = [_required(branch) for branch in argument[1]]
        if any(branch is None for branch in branches):
            return None  # one alternative needs nothing, so the whole choice needs nothing
        return frozenset().union(*[b for b in branches if b is not None])
    if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and argument[0] >= 1:
        return _required(argument[2])
    return None  # optional parts, classes, anchors and look-arounds require nothing


def collapsed(text: str) -> str:
    """`text` with every run of white space made one space: what fragments are tested on."""
    return " ".join(text.split())


def may_match(collapsed_text: str, fragments: frozenset[str] | None) -> bool:
    """False only when the text lacks every fragment, so the rule cannot match."""
    return fragments is None or any(fragment in collapsed_text for fragment in fragments)
