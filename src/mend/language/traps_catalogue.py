"""The thirteen thinking traps Mend can suggest, in words written for a client on a phone.

The names and explanations are Mend's own. They are deliberately warm and non-blaming: a client
reads them right after writing down a painful thought, so each one describes a common habit of
the mind (something everyone does) rather than a fault, and each ends in a gentle question the
client can try, not an instruction.

The order of ``CATALOGUE`` is the order the thought-record form shows them in; ``TRAP_IDS`` is
the stable order of the ``scores`` in every suggestion.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Trap:
    """One thinking trap: its name, what it means, how it sounds and a question to test it."""

    id: str
    name: str
    explanation: str
    example: str
    question: str


CATALOGUE: tuple[Trap, ...] = (
    Trap(
        id="all-or-nothing",
        name="All-or-nothing thinking",
        explanation=(
            "Seeing things as all good or all bad, a total success or a total failure, "
            "when most of life happens somewhere in between."
        ),
        example="If this relationship didn't work out, I'm a complete failure at love.",
        question="Where would you put this on a scale from 0 to 100, instead of at one end?",
    ),
    Trap(
        id="overgeneralizing",
        name="Overgeneralizing",
        explanation=(
            "Taking one painful moment and treating it as proof of how things always go, "
            "with words like always, never or everyone."
        ),
        example="She didn't text back. People always end up leaving me.",
        question="Can you remember a time when this didn't happen?",
    ),
    Trap(
        id="mental-filter",
        name="Mental filter",
        explanation=(
            "Zooming in on one hurtful detail until it is all you can see, "
            "while everything else that happened fades from view."
        ),
        example="The evening was lovely, but all I can think about is the one thing he snapped.",
        question="What else happened that might be missing from the picture?",
    ),
    Trap(
        id="discounting-positive",
        name="Discounting the positive",
        explanation=(
            "Brushing good things aside as luck, kindness or 'not counting', "
            "so they never get the chance to comfort you."
        ),
        example="My friends only invited me because they felt sorry for me.",
        question="If a friend had this good thing happen, would you tell them it didn't count?",
    ),
    Trap(
        id="mind-reading",
        name="Mind reading",
        explanation=(
            "Feeling sure you know what someone else thinks of you, "
            "even though they haven't said it."
        ),
        example="They went quiet when I walked in. They must think I'm pathetic.",
        question="What do you actually know about what they're thinking, and how could you check?",
    ),
    Trap(
        id="fortune-telling",
        name="Fortune telling",
        explanation=(
            "Predicting that things will turn out badly, as if the future were already decided."
        ),
        example="I'll never find anyone who actually wants to stay.",
        question="What else could happen, and how sure can anyone be about what's coming?",
    ),
    Trap(
        id="catastrophizing",
        name="Catastrophizing",
        explanation=(
            "Jumping to the worst possible outcome, or feeling that something hard "
            "is unbearable, when it may be painful but survivable."
        ),
        example="If he leaves me, my whole life is over.",
        question="If the worst did happen, how might you get through it, and what's more likely?",
    ),
    Trap(
        id="emotional-reasoning",
        name="Emotional reasoning",
        explanation=(
            "Taking a feeling as a fact: because it feels true, it must be true. "
            "Feelings are real, but they aren't always accurate."
        ),
        example="I feel like a burden, so I must be one.",
        question="If you set the feeling aside for a moment, what do the facts say?",
    ),
    Trap(
        id="should-statements",
        name="Should statements",
        explanation=(
            "Holding yourself or others to strict rules, with should, must or ought, "
            "which can turn into guilt or resentment when life doesn't follow them."
        ),
        example="I should be over this breakup by now.",
        question="What changes if you swap 'should' for 'I'd like to' or 'it would help if'?",
    ),
    Trap(
        id="labeling",
        name="Labeling",
        explanation=(
            "Summing up a whole person, yourself or someone else, with one harsh word "
            "because of one moment or one mistake."
        ),
        example="I got dumped again. I'm just unlovable.",
        question="Does one moment really sum up a whole person? What would you say to a friend?",
    ),
    Trap(
        id="personalizing",
        name="Personalizing",
        explanation=(
            "Taking the blame, or taking it personally, for things that had many causes "
            "besides you."
        ),
        example="My parents split up because of me.",
        question="What other things, apart from you, played a part in this?",
    ),
    Trap(
        id="blaming",
        name="Blaming",
        # Many Mend clients really were harmed by someone: the explanation says so first, so
        # the trap is about where the power over today sits, not about excusing anyone.
        explanation=(
            "Others may truly have hurt you. The trap is handing them all the power "
            "over how you feel now, which can leave you feeling stuck."
        ),
        example="My ex ruined my life. I'm like this because of her.",
        question="Whatever others did, what part of this is within your power now?",
    ),
    Trap(
        id="comparing",
        name="Comparing",
        explanation=(
            "Measuring yourself against other people in a way that always leaves you "
            "coming up short."
        ),
        example="Everyone else my age is settled and happy, and I'm still on my own.",
        question="Are you comparing your inside with someone else's outside?",
    ),
)

TRAP_IDS: tuple[str, ...] = tuple(trap.id for trap in CATALOGUE)

_BY_ID = {trap.id: trap for trap in CATALOGUE}


def trap(trap_id: str) -> Trap:
    """The trap with this id; KeyError for an unknown id."""
    return _BY_ID[trap_id]
