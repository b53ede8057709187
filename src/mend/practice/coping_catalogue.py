"""The coping toolkit's exercises: every word the client reads, and every step, in one
place. All text is Mend's own; where an exercise follows a known method, the method is
named in a comment with its source, and no published script is reproduced.

Pure data plus a few pure functions that build steps (the calm-place steps weave in the
client's own words). No database, no web.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

StepKind = Literal["text", "pacer", "muscle"]
ToolKind = Literal["breathing", "steps", "calm_place"]


@dataclass(frozen=True)
class Phase:
    """One part of a breath: in, hold, out, or rest, and how many seconds it lasts."""

    kind: Literal["in", "hold", "out", "rest"]
    label: str
    seconds: int


@dataclass(frozen=True)
class BreathingPattern:
    id: str  # also the CSS animation name suffix: coping.css has one set per pattern
    phases: tuple[Phase, ...]

    @property
    def cycle_seconds(self) -> int:
        return sum(p.seconds for p in self.phases)

    @property
    def summary(self) -> str:
        """ "In for 4, hold for 7, out for 8" — the pattern in words, for everyone."""
        words = {"in": "in", "hold": "hold", "out": "out", "rest": "hold"}
        return ", ".join(f"{words[p.kind]} for {p.seconds}" for p in self.phases).capitalize()


@dataclass(frozen=True)
class Step:
    """One screen of an exercise.

    `words` are the client's own (calm place only), shown as a quotation between
    `text` and `after`; `jot` labels an optional box that never leaves the phone."""

    id: str
    title: str
    text: tuple[str, ...] = ()
    kind: StepKind = "text"
    words: str | None = None
    words_lead: str = ""
    after: tuple[str, ...] = ()
    jot: str | None = None


@dataclass(frozen=True)
class Tool:
    id: str
    family: str
    name: str
    description: str  # one line, for the toolkit page
    kind: ToolKind
    intro: tuple[str, ...]
    steps: tuple[Step, ...] = ()
    pattern: BreathingPattern | None = None
    caution: str | None = None


@dataclass(frozen=True)
class Family:
    id: str
    title: str


FAMILIES: tuple[Family, ...] = (
    Family("breathing", "Slow your breathing"),
    Family("present", "Come back to the here and now"),
    Family("calm", "Find some calm"),
    Family("kindness", "Be kind to yourself"),
)

# --- paced breathing ---
#
# Slow breathing, especially with a longer out-breath, is linked with calmer
# physiological arousal in healthy adults (Zaccaro et al. 2018, "How breath-control can
# change your life: a systematic review on psycho-physiological correlates of slow
# breathing", Frontiers in Human Neuroscience 12:353). The client text says only that it
# helps many people; it makes no promise.

IN, HOLD, OUT = "Breathe in", "Hold", "Breathe out"

LONG_EXHALE = BreathingPattern(
    "long-exhale",
    (Phase("in", IN, 4), Phase("out", OUT, 6)),
)
BOX = BreathingPattern(
    "box",
    (Phase("in", IN, 4), Phase("hold", HOLD, 4), Phase("out", OUT, 4), Phase("rest", HOLD, 4)),
)
# "4-7-8" as popularised by Andrew Weil; the counts are the method's, the words Mend's.
FOUR_SEVEN_EIGHT = BreathingPattern(
    "478",
    (Phase("in", IN, 4), Phase("hold", HOLD, 7), Phase("out", OUT, 8)),
)
PATTERNS: tuple[BreathingPattern, ...] = (LONG_EXHALE, BOX, FOUR_SEVEN_EIGHT)

_BREATHING_START = (
    "Sit or lie comfortably and let your shoulders drop a little. When you press Start, "
    "Mend shows you when to breathe in, hold and breathe out. Follow it gently: there is "
    "no need to get it perfect.",
)
_LIGHTHEADED = (
    "If you feel light-headed or short of breath, let the counts go and breathe "
    "normally. You can stop at any time."
)

# --- 5-4-3-2-1 grounding ---
#
# A widely used sensory grounding exercise (no single published originator): naming
# things through each sense in turn draws attention to the present moment.


def _jot(sense: str) -> str:
    return f"Jot down what you {sense}, if you like (optional)"


GROUNDING_STEPS: tuple[Step, ...] = (
    Step(
        "see",
        "Five things you can see",
        (
            "Look around you, slowly. Find five things you can see.",
            "They can be small and ordinary: a mark on the wall, the colour of a cup, "
            "light on the floor. Name each one to yourself.",
        ),
        jot=_jot("see"),
    ),
    Step(
        "feel",
        "Four things you can feel",
        (
            "Now notice four things you can feel or touch.",
            "Your feet on the floor, the fabric of your clothes, the weight of your body "
            "on the chair, the air on your skin. If you like, reach out and touch "
            "something near you and notice its texture.",
        ),
        jot=_jot("feel"),
    ),
    Step(
        "hear",
        "Three things you can hear",
        (
            "Listen for three sounds.",
            "Some will be close, some far away: traffic, a fridge humming, your own "
            "breathing. You don't have to like them; just notice them.",
        ),
        jot=_jot("hear"),
    ),
    Step(
        "smell",
        "Two things you can smell",
        (
            "Notice two things you can smell.",
            "If nothing comes, that's fine: smell your sleeve, a cup, your hands, or "
            "think of two smells you like.",
        ),
        jot=_jot("smell"),
    ),
    Step(
        "taste",
        "One thing you can taste",
        (
            "Notice one thing you can taste.",
            "It might be the last thing you ate or drank, or just the taste of your own "
            "mouth. A sip of water works too.",
        ),
        jot=_jot("taste"),
    ),
    Step(
        "arrived",
        "You're here",
        (
            "You've just noticed fifteen things around you, right here and now.",
            "Take one slow breath, and notice how you feel at this moment.",
        ),
    ),
)

# --- self-compassion break ---
#
# Three parts, after Neff's three components of self-compassion: mindfulness, common
# humanity and self-kindness (Neff 2003, "Self-compassion: an alternative
# conceptualization of a healthy attitude toward oneself", Self and Identity 2:85-101).
# The wording here is Mend's own; no published script is reproduced.

SELF_COMPASSION_STEPS: tuple[Step, ...] = (
    Step(
        "notice",
        "Notice that this is hard",
        (
            "Bring to mind what is hurting right now. You don't need to relive it; just "
            "let yourself know it is there.",
            "Say to yourself, in words that fit you: “This is really hard right now.” "
            "or “This hurts.”",
            "You're not making it bigger or smaller than it is. You're simply noticing "
            "that you are in pain.",
        ),
    ),
    Step(
        "not-alone",
        "You're not the only one",
        (
            "Feeling rejected, left out or let down is one of the most human things "
            "there is. Many, many people have felt something like this.",
            "Try saying to yourself: “Other people feel this way too.” or “I'm not "
            "alone in this, even if it feels that way.”",
        ),
    ),
    Step(
        "kindness",
        "Offer yourself some kindness",
        (
            "If it feels right, rest a hand somewhere comforting: over your heart, on "
            "your cheek, or one hand holding the other.",
            "Think of what you might say to a good friend who was going through this, "
            "and say it to yourself. Perhaps: “I'm here for you.” or “You're doing the "
            "best you can.” or “It's okay to be gentle with myself.”",
            "If kind words feel out of reach today, that's all right. Wishing to be "
            "kinder to yourself is already a start.",
        ),
    ),
)

# --- progressive muscle relaxation ---
#
# Tensing and then releasing one muscle group at a time, after Jacobson's progressive
# relaxation in the shortened form of Bernstein & Borkovec (1973, "Progressive
# relaxation training: a manual for the helping professions"). That manual holds each
# tension for about 5-7 seconds and each release for 30-40; Mend guides a shorter
# ~5 s / ~10 s cycle (TENSE_SECONDS / RELEASE_SECONDS) and invites the client to rest
# longer between groups if they like.

TENSE_SECONDS = 5
RELEASE_SECONDS = 10


def _muscle(step_id: str, title: str, how: str) -> Step:
    return Step(
        step_id,
        title,
        (how,),
        kind="muscle",
        after=(
            "When you let go, notice the difference between tension and ease. Rest for as "
            "long as you like before moving on.",
        ),
    )


MUSCLE_STEPS: tuple[Step, ...] = (
    _muscle("hands", "Hands and forearms", "Make both hands into fists and squeeze."),
    _muscle(
        "upper-arms",
        "Upper arms",
        "Bend your elbows and tighten the muscles at the front of your upper arms.",
    ),
    _muscle("shoulders", "Shoulders", "Lift your shoulders up towards your ears."),
    _muscle(
        "face",
        "Forehead and eyes",
        "Raise your eyebrows high, then scrunch your eyes closed.",
    ),
    _muscle("jaw", "Mouth and jaw", "Press your lips together and gently clench your teeth."),
    _muscle(
        "neck",
        "Neck",
        "Gently press the back of your head into the chair or pillow, or tuck your chin "
        "a little towards your chest. Keep this one soft.",
    ),
    _muscle(
        "chest-back",
        "Chest and back",
        "Take a deep breath and hold it, and draw your shoulder blades back together.",
    ),
    _muscle("stomach", "Stomach", "Pull your stomach in tight, as if bracing for a nudge."),
    _muscle("legs", "Thighs and bottom", "Squeeze your thigh and buttock muscles together."),
    _muscle(
        "feet",
        "Calves and feet",
        "Point your toes up towards your face, then curl them down.",
    ),
    Step(
        "whole-body",
        "Your whole body",
        (
            "Let your whole body be heavy and supported. Scan from your feet to your face "
            "and let any tension that has crept back soften.",
            "Take a few slow breaths here before you get up.",
        ),
    ),
)

# --- calm place ---
#
# A calm or safe place imagined in the client's own detail, as used to build a sense of
# safety in trauma-focused work (e.g. the "calm/safe place" exercise of EMDR's
# preparation phase: Shapiro 2018, "Eye Movement Desensitization and Reprocessing (EMDR)
# Therapy", 3rd ed.). Mend's prompts are its own.

MAX_PLACE_CHARS = 300


@dataclass(frozen=True)
class PlaceField:
    id: str
    label: str
    hint: str


PLACE_FIELDS: tuple[PlaceField, ...] = (
    PlaceField(
        "name",
        "What do you call your place?",
        "A few words just for you: “the beach at dawn”, “Gran's kitchen”, “a place I made up”.",
    ),
    PlaceField("sights", "What can you see there?", "Colours, light, shapes, near and far."),
    PlaceField("sounds", "What can you hear?", "Or is it quiet? Quiet counts too."),
    PlaceField(
        "touch",
        "What can you feel?",
        "The ground under you, the air on your skin, the temperature, something you hold.",
    ),
    PlaceField("smells", "Is there a smell or taste there?", "Leave this blank if none comes."),
    PlaceField(
        "cue",
        "A word or image that brings you back",
        "Something short you can say or picture to return here: “tide”, “warm light”.",
    ),
)
PLACE_FIELD_IDS: tuple[str, ...] = tuple(f.id for f in PLACE_FIELDS)

CALM_PLACE_CAUTION = (
    "Choose somewhere that feels only calm, real or imagined, and not linked with anyone "
    "who has hurt you. If anything in your place starts to feel uneasy, open your eyes, "
    "notice the room around you, and stop. You can change your place whenever you like."
)


def calm_place_steps(words: Mapping[str, str]) -> tuple[Step, ...]:
    """The guided visit, with the client's own words where they gave them and a gentle
    general prompt where they didn't."""

    def own(key: str) -> str | None:
        value = (words.get(key) or "").strip()
        return value or None

    name = own("name")
    cue = own("cue")
    return (
        Step(
            "arrive",
            "Arriving",
            (
                "Find a position that feels comfortable. Close your eyes if that feels "
                "okay, or let your gaze rest softly on one spot.",
                "Take a few slow breaths, letting each breath out be a little longer "
                "than the breath in.",
                "When you're ready, let yourself arrive at your place.",
            ),
            words=name,
            words_lead="Your place:",
        ),
        Step(
            "see",
            "What you see",
            ("Look around slowly. Let your eyes rest on whatever is there.",),
            words=own("sights"),
            words_lead="You described it like this:",
            after=("Notice the colours, the light, and how far you can see.",),
        ),
        Step(
            "hear",
            "What you hear",
            ("Now listen.",),
            words=own("sounds"),
            words_lead="You told Mend you can hear:",
            after=("Let the sounds come and go. There is nothing you need to do.",),
        ),
        Step(
            "feel",
            "What you feel",
            ("Notice what you can feel in this place.",),
            words=own("touch"),
            words_lead="In your words:",
            after=("Let your body be supported here, wherever you are resting.",),
        ),
        Step(
            "smell",
            "Smell and taste",
            ("Breathe in gently through your nose.",),
            words=own("smells"),
            words_lead="You remembered:",
            after=("If nothing comes, that's fine. Just enjoy the air of this place.",),
        ),
        Step(
            "rest",
            "Resting here",
            (
                "Notice how your body feels, being here. Perhaps your shoulders soften, "
                "or your breathing slows a little.",
                "Stay as long as you like. This place is yours.",
            ),
        ),
        Step(
            "cue",
            "Your word to come back",
            (
                (
                    "Bring your word or image to mind, and say it slowly to yourself, "
                    "linking it with how this place feels."
                )
                if cue
                else (
                    "You might choose a word or image that brings you back here. You can "
                    "add one when you change your place."
                ),
            ),
            words=cue,
            words_lead="Your word:",
            after=(
                ("Whenever you need a little of this calm, you can use it to come back.",)
                if cue
                else ()
            ),
        ),
        Step(
            "return",
            "Coming back",
            (
                "When you're ready, let the place fade gently. It will still be there next time.",
                "Feel your feet on the floor and the seat beneath you. Notice a few "
                "things in the room, then open your eyes.",
            ),
        ),
    )


# --- the toolkit ---

TOOLS: tuple[Tool, ...] = (
    Tool(
        "long-exhale-breathing",
        "breathing",
        "Long out-breath",
        "Breathe in for 4 and out for 6: the gentlest way to slow down.",
        "breathing",
        (
            *_BREATHING_START,
            "Breathe in through your nose for a count of four, then out slowly, through "
            "your nose or softly parted lips, for a count of six.",
        ),
        pattern=LONG_EXHALE,
        caution=_LIGHTHEADED,
    ),
    Tool(
        "box-breathing",
        "breathing",
        "Box breathing",
        "In, hold, out, hold: four counts each, like tracing the sides of a box.",
        "breathing",
        (
            *_BREATHING_START,
            "Breathe in for four, hold for four, breathe out for four, and hold for four "
            "again. If holding your breath feels uncomfortable, the long out-breath has no "
            "holds at all.",
        ),
        pattern=BOX,
        caution=_LIGHTHEADED,
    ),
    Tool(
        "4-7-8-breathing",
        "breathing",
        "4-7-8 breathing",
        "In for 4, hold for 7, out for 8: a long, slow rhythm for winding down.",
        "breathing",
        (
            *_BREATHING_START,
            "Breathe in quietly through your nose for four, hold for seven, and breathe "
            "out through your mouth for eight. If the hold feels too long, the long "
            "out-breath is a gentler place to start.",
        ),
        pattern=FOUR_SEVEN_EIGHT,
        caution=_LIGHTHEADED,
    ),
    Tool(
        "grounding",
        "present",
        "5-4-3-2-1 grounding",
        "Notice five things you see, four you feel, three you hear, two you smell, one you taste.",
        "steps",
        (
            "When feelings or memories pull you somewhere else, your senses can bring you "
            "back to where you are now.",
            "Go one step at a time, at your own pace. There are no wrong answers.",
        ),
        steps=GROUNDING_STEPS,
    ),
    Tool(
        "calm-place",
        "calm",
        "My calm place",
        "Visit a place you describe yourself, guided by your own words.",
        "calm_place",
        (
            "This exercise takes you, in your imagination, to a place where you feel calm "
            "and safe, using the words you chose to describe it.",
        ),
        caution=CALM_PLACE_CAUTION,
    ),
    Tool(
        "muscle-relaxation",
        "calm",
        "Muscle relaxation",
        "Tense and release one part of your body at a time, letting tension go.",
        "steps",
        (
            "You'll work through your body one area at a time: tense the muscles for about "
            f"{TENSE_SECONDS} seconds, then let go and rest for about {RELEASE_SECONDS}.",
            "Tense firmly but never to the point of pain.",
        ),
        steps=MUSCLE_STEPS,
        caution=(
            "Skip any area that hurts or is injured, and go gently with your neck and back. "
            "If a health condition affects your muscles or joints, check with your doctor "
            "first."
        ),
    ),
    Tool(
        "self-compassion",
        "kindness",
        "Self-compassion break",
        "Three short steps to meet a painful moment with kindness instead of blame.",
        "steps",
        (
            "When something hurts, many of us are hardest on ourselves. This short break "
            "offers another way to respond, in three steps.",
        ),
        steps=SELF_COMPASSION_STEPS,
    ),
)
TOOL_IDS: tuple[str, ...] = tuple(t.id for t in TOOLS)
MAX_TOOL_ID = 40  # the column's width
BY_ID: dict[str, Tool] = {t.id: t for t in TOOLS}


def tool(tool_id: str) -> Tool | None:
    return BY_ID.get(tool_id)


def exercise_steps(chosen: Tool, place: Mapping[str, str] | None = None) -> tuple[Step, ...]:
    """Every screen of an exercise before the closing rating, in order: a first screen
    to settle in, then the exercise itself."""
    start = Step("start", "Before you begin", chosen.intro)
    if chosen.kind == "breathing":
        return (start, Step("breathe", "Breathe along", kind="pacer"))
    if chosen.kind == "calm_place":
        return (start, *calm_place_steps(place or {}))
    return (start, *chosen.steps)


def name_of(tool_id: str) -> str:
    """A tool's name; an id no longer in the catalogue is shown as it was stored."""
    found = BY_ID.get(tool_id)
    return found.name if found else tool_id


@dataclass(frozen=True)
class FamilyTools:
    family: Family
    tools: tuple[Tool, ...] = field(default_factory=tuple)


def by_family() -> list[FamilyTools]:
    return [FamilyTools(f, tuple(t for t in TOOLS if t.family == f.id)) for f in FAMILIES]
