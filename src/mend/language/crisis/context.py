"""Reads the words around a rule's match and decides whether, and at what level, it counts.

A match is set aside when it is negated ("I'd never kill myself"), about someone else ("my
friend said she wants to die", a quoted line, a character in a film), a figure of speech
("killed myself studying"), a safety-plan hypothetical ("if I ever feel like ..."), or, for
thoughts or acts, framed as long past or resolved ("when I was fifteen I wanted to die"; "I
tried years ago and I'm glad I'm here"). Humour lowers `urgent` to `concern` but never
further, because a joke often carries a real message. Every decision names the cue that
made it, so the result can be shown to a clinician.

Everything here is regex work on one sentence and its neighbours; nothing is allocated per
call beyond the few strings a match needs, and none of it runs unless a rule matched.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass
from typing import Literal

from mend.language.crisis import rules as cues
from mend.language.crisis.gate import required_fragments
from mend.language.crisis.rules import Level, Rule


def compiled(pattern: str, *, lower_case_text: bool = False) -> re.Pattern[str]:
    """Compile a rule or cue pattern; a space stands for any white space and " ?" for optional
    white space.

    Cues ignore case. Rule patterns run on every save, so they are matched against a
    lower-cased copy of the text instead: IGNORECASE stops the regex engine from skipping
    ahead to the possible first characters, which makes it several times slower.
    """
    regex = pattern.replace(" ?", r"\s?").replace(" ", r"\s+")
    if not lower_case_text:
        return re.compile(regex, re.IGNORECASE)
    if re.search(r"(?<!\\)[A-Z]", re.sub(r"\\[A-Za-z]", "", regex)):
        raise ValueError(f"a rule pattern must be lower case: {pattern[:60]}")
    return re.compile(regex)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: Rule
    regex: re.Pattern[str]
    # Fragments of which every match contains one (see gate.py); None: always run.
    fragments: frozenset[str] | None
    context: re.Pattern[str] | None
    unless_after: re.Pattern[str] | None
    unless_near: re.Pattern[str] | None

    @classmethod
    def of(cls, rule: Rule) -> CompiledRule:
        regex = compiled(rule.pattern, lower_case_text=True)
        return cls(
            rule,
            regex,
            required_fragments(regex.pattern),
            compiled(rule.context) if rule.context else None,
            compiled(rule.unless_after) if rule.unless_after else None,
            compiled(rule.unless_near) if rule.unless_near else None,
        )


_SENTENCE_END = compiled(cues.SENTENCE_END)
_CLAUSE = compiled(cues.CLAUSE_BOUNDARY)
_PHRASE = compiled(cues.PHRASE_BOUNDARY)
_NEGATION = compiled(cues.NEGATION)
_NEGATION_EXCEPT_AFTER = compiled(cues.NEGATION_EXCEPT_AFTER)
_NEGATION_EXCEPT_CUE = compiled(cues.NEGATION_EXCEPT_CUE)
_DENIAL_AFTER = compiled(cues.DENIAL_AFTER)
_NEW_SUBJECT = compiled(cues.NEW_SUBJECT)
_SPEECH = compiled(cues.SPEECH_VERB)
_QUOTE_INTRO = compiled(cues.QUOTE_INTRO)
_MEDIA = compiled(cues.MEDIA)
_HYPOTHETICAL = compiled(cues.HYPOTHETICAL)
_NOT_A_CONDITION = compiled(cues.NOT_A_CONDITION)
_HYPOTHETICAL_MARK = compiled(cues.HYPOTHETICAL_MARK)
_CONSEQUENCE = compiled(cues.CONSEQUENCE)
_DISTANT = compiled(cues.DISTANT_PAST)
_RECENT = compiled(cues.RECENT)
_RESOLVED = compiled(cues.RESOLVED)
_ONGOING = compiled(cues.ONGOING)
_ACUTE = compiled(cues.ACUTE)
_JOKE = compiled(cues.JOKE)
_OWN_CLAUSE = compiled(cues.OWN_CLAUSE)
_TO_ME = re.compile(r"\s+(?:to\s+)?me\b", re.IGNORECASE)
_NAMES_WRITER = re.compile(r"\b(?:i|i'm|im|i've|i'd|i'll|me|my|myself|mine)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|&|\+")
_DOUBLE_QUOTE = '"'
_SINGLE_QUOTE = re.compile(r"(?:(?<=^)|(?<=[\s(\[:]))'(?=\w)|(?<=[\w.!?,])'(?=[\s.,!?;:)]|$)")
_IRREALIS = compiled(cues.IRREALIS)

Guard = Literal[
    "no-context", "figurative", "quoted", "reported", "other-person", "negated",
    "hypothetical", "past", "not-an-act",
]  # fmt: skip
# Guards whose verdict is worth showing beside the text; the others are silent because a more
# specific rule reports the same words or because the words were never a disclosure.
SILENT: frozenset[str] = frozenset({"no-context", "not-an-act"})
GUARD_DESCRIPTIONS: dict[str, str] = {
    "figurative": "a figure of speech, an accident or an everyday meaning, not a risk",
    "quoted": "someone else's words (quoted)",
    "reported": "someone else's words or opinion, reported by the writer",
    "other-person": "about someone other than the writer",
    "negated": "denied by the writer",
    "hypothetical": "a condition about the future (e.g. a safety plan), not a disclosure",
    "past": "described as long past or resolved",
}


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the context made of one match: the level it counts at (None: set aside), a note on
    any adjustment, and for a set-aside match the guard and the cue that decided it."""

    level: Level | None
    note: str = ""
    guard: Guard | None = None
    cue: str = ""


class Sentences:
    """Sentence spans of one text, computed only when a rule has matched."""

    __slots__ = ("_ends", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._ends = [m.end() for m in _SENTENCE_END.finditer(text)]
        if not self._ends or self._ends[-1] < len(text):
            self._ends.append(len(text))

    def index(self, position: int) -> int:
        for i, end in enumerate(self._ends):
            if position < end:
                return i
        return len(self._ends) - 1

    def span(self, index: int) -> tuple[int, int]:
        if index < 0 or index >= len(self._ends):
            return (0, 0)
        return (self._ends[index - 1] if index else 0, self._ends[index])


def _last(regex: re.Pattern[str], text: str) -> re.Match[str] | None:
    found = deque(regex.finditer(text), maxlen=1)
    return found[0] if found else None


def _after_last(regex: re.Pattern[str], text: str) -> str:
    last = _last(regex, text)
    return text[last.end() :] if last else text


def _before_first(regex: re.Pattern[str], text: str) -> str:
    found = regex.search(text)
    return text[: found.start()] if found else text


def subject_of(left: str, *, noun_headed: bool = False) -> Literal["first", "other"] | None:
    """Who the words right after `left` are about, scanning back over `left`.

    "first": the writer ("I", "me"); "other": a pronoun, a person, a name, or a noun phrase
    standing right before the verb ("that comment cut deep"); None: nobody named, which in a
    private journal means the writer ("want to die.").
    """
    tokens = _WORD.findall(left)
    first_content = True
    for position in range(len(tokens) - 1, -1, -1):
        token = tokens[position]
        low = token.lower()
        if low in cues.FIRST_PERSON:
            return "first"
        if low in cues.OTHER_PERSON:
            return "other"
        if low in cues.DEMONSTRATIVES and (
            position + 1 < len(tokens)
            and tokens[position + 1].lower() in cues.VERBS_AFTER_DEMONSTRATIVE
        ):
            return "other"
        if low in cues.CONJUNCTIONS:
            first_content = False  # "... and cut": the subject is the earlier clause's
            continue
        if low in cues.SKIP_WORDS or low.endswith("ly"):
            continue
        if token[0].isupper() and position > 0:
            return "other"  # a name in mid-sentence
        if (
            first_content
            and not noun_headed
            and position > 0
            and tokens[position - 1].lower() in cues.DETERMINERS
        ):
            return "other"  # "that comment | cut deep", "his words | cut deep"
        first_content = False
    return None


def _quote_start(left_sentence: str) -> int | None:
    """Where the quotation containing the end of `left_sentence` opens, if it is inside one."""
    if left_sentence.count(_DOUBLE_QUOTE) % 2:
        return left_sentence.rfind(_DOUBLE_QUOTE)
    opened: int | None = None
    for mark in _SINGLE_QUOTE.finditer(left_sentence):
        is_opening = mark.end() < len(left_sentence) and left_sentence[mark.end()].isalnum()
        if opened is None and is_opening:
            opened = mark.start()
        elif opened is not None and not is_opening:
            opened = None
    return opened


def _speaker_is_other(before: str, verbs: re.Pattern[str]) -> str | None:
    """The speech verb in `before` whose subject is someone other than the writer, if any.

    A verb with no subject named is the writer's ("Wrote letters to ..."), and a speech verb
    followed by a new clause of the writer's own ("... my texts to him, I want to die") does
    not govern what follows.
    """
    verb = _last(verbs, before)
    if verb is None or _OWN_CLAUSE.search(before, verb.end()):
        return None
    subject = subject_of(before[: verb.start()])
    if subject == "other" or (subject is None and _TO_ME.match(before, verb.end())):
        return verb.group(0)  # "she said ...", "Ana texted me ..."
    return None


def _negation(clause_left: str) -> str | None:
    cue = _last(_NEGATION, clause_left)
    if cue is None:
        return None
    gap = clause_left[cue.end() :]
    if len(_WORD.findall(gap)) > cues.NEGATION_WINDOW or _NEW_SUBJECT.search(gap):
        return None
    if _NEGATION_EXCEPT_AFTER.match(gap) or _NEGATION_EXCEPT_CUE.search(clause_left[: cue.end()]):
        return None
    return cue.group(0)


def _condition(phrase_left: str, tail: str) -> tuple[str, bool] | None:
    """If the match sits inside an if-clause, the condition word and whether it is a pure
    hypothetical about the future ("if I ever ...", "in case the urges come back")."""
    condition = None
    for found in _HYPOTHETICAL.finditer(phrase_left):
        if not _NOT_A_CONDITION.search(phrase_left, 0, found.start()):
            condition = found
    if condition is None:
        return None
    between = phrase_left[condition.end() :]
    if _CONSEQUENCE.search(between):
        return None  # the match is the consequence: "if he leaves I'll kill myself"
    word = condition.group(0)
    marked = _HYPOTHETICAL_MARK.search(word + between + tail)
    return word, word.lower() == "in case" or marked is not None


def _nearest(regexes: tuple[re.Pattern[str], ...], text: str, start: int, end: int) -> int | None:
    """Index of the regex whose match lies nearest to [start, end) in `text`, if any."""
    best: tuple[int, int] | None = None
    for index, regex in enumerate(regexes):
        for found in regex.finditer(text):
            distance = max(found.start() - end, start - found.end(), 0)
            if best is None or distance < best[0]:
                best = (distance, index)
    return None if best is None else best[1]


@dataclass(frozen=True, slots=True)
class _Around:
    """The pieces of text around one match that the checks below read."""

    text: str
    start: int
    end: int
    sentence_index: int
    sentence: tuple[int, int]
    left_sentence: str  # from the sentence start to the match
    right_sentence: str  # from the match to the sentence end
    clause_left: str  # from the last clause break (comma, "but", ...) to the match
    phrase_left: str  # from the last phrase break ("but", ";" - not a comma) to the match
    phrase: str  # the phrase around the match, its own words blanked out

    @classmethod
    def of(cls, sentences: Sentences, start: int, end: int) -> _Around:
        text = sentences.text
        index = sentences.index(start)
        s_start, s_end = sentences.span(index)
        left_sentence = text[s_start:start]
        right_sentence = text[end:s_end]
        phrase_left = _after_last(_PHRASE, left_sentence)
        # The matched words are blanked so that they cannot serve as their own time cue.
        phrase = phrase_left + " " * (end - start) + _before_first(_PHRASE, right_sentence)
        clause_left = _after_last(_CLAUSE, left_sentence)
        return cls(
            text, start, end, index, (s_start, s_end), left_sentence, right_sentence,
            clause_left, phrase_left, phrase,
        )  # fmt: skip


def judge(compiled_rule: CompiledRule, sentences: Sentences, start: int, end: int) -> Verdict:
    """Decide how one match of `compiled_rule` at [start, end) counts, given its context."""
    around = _Around.of(sentences, start, end)
    return _set_aside(compiled_rule, sentences, around) or _counted(compiled_rule.rule, around)


def _set_aside(rule: CompiledRule, sentences: Sentences, around: _Around) -> Verdict | None:
    """The verdict for a match the context rules out, or None if it stands."""
    text, start, end = around.text, around.start, around.end
    if rule.context is not None:
        # Two sentences either side: "I'm giving my things away. ... I won't need them."
        index = around.sentence_index
        w_start = sentences.span(max(index - 2, 0))[0]
        w_end = max(sentences.span(i)[1] for i in (index, index + 1, index + 2))
        if not rule.context.search(text[w_start:start] + " " + text[end:w_end]):
            return Verdict(None, guard="no-context")
    for benign in (
        rule.unless_after.match(around.right_sentence) if rule.unless_after else None,
        rule.unless_near.search(text, *around.sentence) if rule.unless_near else None,
    ):
        if benign:
            return Verdict(None, guard="figurative", cue=benign.group(0).strip())
    if rule.rule.kind == "act" and _IRREALIS.search(around.clause_left):
        return Verdict(None, guard="not-an-act")

    quote = _quote_start(around.left_sentence)
    if quote is not None:
        before = around.left_sentence[:quote]
        media = _MEDIA.search(before)
        speaker = _speaker_is_other(before, _QUOTE_INTRO)
        if media or speaker or subject_of(before) == "other":
            cue = media.group(0) if media else speaker or "quotation marks"
            return Verdict(None, guard="quoted", cue=cue)
    elif reported := _speaker_is_other(around.phrase_left, _SPEECH):
        return Verdict(None, guard="reported", cue=reported)
    if rule.rule.subject and not _NAMES_WRITER.search(text, start, end):
        head = _WORD.match(text, start)
        noun_headed = head is not None and head.group(0).lower() in cues.NOUN_HEADS
        if subject_of(around.clause_left, noun_headed=noun_headed) == "other":
            return Verdict(None, guard="other-person", cue=around.clause_left.strip()[-40:])

    if negation := _negation(around.clause_left):
        return Verdict(None, guard="negated", cue=negation)
    if denial := _DENIAL_AFTER.match(text, end):
        return Verdict(None, guard="negated", cue=denial.group(0).strip())
    return None


def _counted(rule: Rule, around: _Around) -> Verdict:
    """The level a standing match counts at, and why if it differs from the rule's; or a
    set-aside verdict for a safety-plan hypothetical or a long-past thought."""
    level: Level = rule.level
    note = ""
    if condition := _condition(around.phrase_left, around.text[around.start : around.sentence[1]]):
        word, hypothetical = condition
        if hypothetical:
            return Verdict(None, guard="hypothetical", cue=word)
        if level == "urgent" and rule.kind == "thought":
            # "If I kill myself, mum would ...": weighing it up, not stating an intention.
            level = "concern"
            note = f"Lowered to concern: said as a condition ('{word}'), not an intention."
    phrase = around.phrase
    if rule.kind == "thought":
        past = _DISTANT.search(phrase) or _RESOLVED.search(phrase)
        if past and not _ONGOING.search(phrase):
            return Verdict(None, guard="past", cue=past.group(0))
    elif rule.kind == "act" and _is_history(around):
        # A past attempt is a risk factor the clinician already records in the history; in
        # today's writing, told as long ago or resolved, it is not today's crisis. It stays
        # visible as a match set aside.
        return Verdict(None, guard="past", cue="long ago or resolved")
    if rule.escalates and (acute := _ACUTE.search(phrase)):
        level = "urgent"
        note = f"Urgent because the writer says it is happening now ('{acute.group(0)}')."
    s_start, s_end = around.sentence
    if level == "urgent" and (joke := _JOKE.search(around.text, s_start, s_end + 12)):
        level = "concern"
        note = (
            f"Lowered to concern because of a joking marker ('{joke.group(0)}'); humour often "
            "masks real intent, so it still counts."
        )
    return Verdict(level, note=note)


def _is_history(around: _Around) -> bool:
    """An act framed as long ago or resolved: the time cue nearest the match decides ("years
    after I stopped, I cut again last night" is recent); with none in the phrase, a distant or
    resolved cue in the next sentence ("I tried once. That was years ago.") counts."""
    at = len(around.phrase_left)
    nearest = _nearest((_RECENT, _DISTANT, _RESOLVED), around.phrase, at,
                       at + around.end - around.start)  # fmt: skip
    if nearest is None:
        following = around.text[around.sentence[1] : around.sentence[1] + 200]
        following = _before_first(_SENTENCE_END, following.lstrip()) if following else ""
        return bool(_DISTANT.search(following) or _RESOLVED.search(following))
    return nearest != 0
