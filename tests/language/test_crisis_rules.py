"""One row per hard case: the level the screener must give and the rule that must say why.

For a `none` row the rule column names the rule that matched and the guard that set it aside
(negated, about someone else, figurative, ...), or is empty when nothing may match at all.
"""

from __future__ import annotations

import pytest

from mend.language.crisis.rule_screen import screen
from mend.language.crisis.rules import RULES

# (case, text, level, rule that must be in the evidence, or for `none` rows the set-aside
# "rule/guard" or "")
CASES: list[tuple[str, str, str, str]] = [
    # --- the examples named in the requirement ---
    ("negation", "I'd never kill myself", "none", "suicide.intent/negated"),
    ("figurative: commute", "this commute is killing me", "none", ""),
    ("figurative: dead tired", "dead tired after the party", "none", ""),
    ("third person: friend", "my friend said she wants to die", "none", ""),
    ("media", "the character kills himself in the movie", "none", ""),
    (
        "resolved past attempt is set aside",
        "years ago I tried to end my life, I'm in a much better place now",
        "none",
        "suicide.attempt/past",
    ),
    ("misspelling: sucide", "i think about sucide every night", "concern", "suicide.thoughts"),
    ("misspelling: kill my self", "i want to kill my self", "urgent", "suicide.intent"),
    ("slang: kms", "honestly kms", "urgent", "suicide.intent"),
    ("euphemism: unalive", "I want to unalive myself", "urgent", "suicide.intent"),
    ("euphemism: end it all", "I'm going to end it all", "urgent", "suicide.intent"),
    (
        "euphemism: giving away a pet",
        "giving away my cat because I won't need anyone to look after her",
        "urgent",
        "suicide.preparation.giving-away",
    ),
    ("farewell", "this is my goodbye", "urgent", "suicide.farewell"),
    ("rejection, not risk", "I felt so rejected when they didn't invite me", "none", ""),
    ("disappear from a chat", "I want to disappear from this group chat", "none", ""),
    # --- urgent: intent, plan, method, preparation, farewell, behaviour ---
    ("intent", "I'm going to kill myself tonight.", "urgent", "suicide.intent"),
    ("conditional threat", "If he leaves me I will kill myself.", "urgent", "suicide.intent"),
    ("rhetorical", "Why don't I just kill myself.", "urgent", "suicide.intent"),
    ("take my own life", "I'm going to take my own life.", "urgent", "suicide.intent"),
    ("by my own hand", "I know my life will end by my own hand.", "urgent", "suicide.intent"),
    ("ready to die", "I'm ready to die.", "urgent", "suicide.ready"),
    ("plan with context", "I want to die and I have a plan.", "urgent", "suicide.plan"),
    (
        "know how, with context",
        "The thoughts about dying are louder. I know exactly how I would do it.",
        "urgent",
        "suicide.plan",
    ),
    ("named suicide note", "I wrote my suicide note last night.", "urgent", "suicide.plan.named"),
    ("method: hanging", "I keep thinking about hanging myself.", "urgent", "suicide.method"),
    ("method: bridge", "I want to jump off the bridge by the station.", "urgent", "suicide.method"),
    ("method: train", "I want to throw myself in front of a train.", "urgent", "suicide.method"),
    ("method: pills at once", "Going to take all my pills at once.", "urgent", "suicide.method"),
    ("method: gun", "I put the gun to my head last night.", "urgent", "suicide.method"),
    (
        "preparation: stockpiling",
        "I've been saving up my sleeping pills.",
        "urgent",
        "suicide.preparation",
    ),
    ("preparation: research", "Googled painless ways to die.", "urgent", "suicide.preparation"),
    ("preparation: rope", "Bought a rope today.", "urgent", "suicide.preparation"),
    ("preparation: pills saved", "I have pills saved up.", "urgent", "suicide.preparation"),
    (
        "jump, with context",
        "I'm going to jump tonight. The bridge is close.",
        "urgent",
        "suicide.intent.euphemism",
    ),
    ("jump, no context", "I'm going to jump in the pool later.", "none", ""),
    ("question to oneself", "Should I kill myself?", "urgent", "suicide.intent"),
    (
        "euphemism with means",
        "I just want to end it. I've got the pills ready.",
        "urgent",
        "suicide.intent.euphemism",
    ),
    (
        "farewell: by the time",
        "By the time you read this I'll be gone.",
        "urgent",
        "suicide.farewell",
    ),
    ("farewell: last entry", "This is my last journal entry.", "urgent", "suicide.farewell"),
    ("recent attempt", "I tried to kill myself on Tuesday.", "urgent", "suicide.attempt"),
    ("recent attempt, gerund", "Last night I tried killing myself.", "urgent", "suicide.attempt"),
    ("undated attempt taken as recent", "I tried to hang myself.", "urgent", "suicide.attempt"),
    (
        "aborted attempt",
        "I stood on the edge of the platform waiting for the train and almost jumped.",
        "urgent",
        "suicide.attempt",
    ),
    ("overdose taken", "Took too many pills and ended up in A&E.", "urgent", "suicide.attempt"),
    (
        "attempt named, with context",
        "After my last attempt I swore I'd never touch pills again.",
        "urgent",
        "suicide.attempt.mentioned",
    ),
    ("recent self-harm", "i cut myself again last night", "urgent", "self-harm.act"),
    ("self-harm, no object", "cut deeper than ever tonight", "urgent", "self-harm.act"),
    ("self-harm: burning", "I burned my arm with a lighter.", "urgent", "self-harm.act"),
    ("self-harm intent", "I'm going to cut tonight.", "urgent", "self-harm.intent"),
    ("acute thoughts", "I'm thinking about suicide right now.", "urgent", "suicide.thoughts"),
    ("suicidal right now", "I'm suicidal right now.", "urgent", "suicide.feeling"),
    # --- concern ---
    ("passive wish", "I wish I was dead.", "concern", "death-wish.passive"),
    ("passive: not wake up", "I hope I don't wake up tomorrow.", "concern", "death-wish.passive"),
    ("passive: urge to die", "There's this constant urge to die.", "concern", "death-wish.passive"),
    ("disappear forever", "I want to disappear forever.", "concern", "death-wish.disappear"),
    ("hopelessness", "There's no reason to live anymore.", "concern", "hopelessness.living"),
    ("can't go on", "I can't go on like this.", "concern", "hopelessness.living"),
    ("burden", "Everyone would be better off without me.", "concern", "burden.better-off"),
    (
        "burden: nobody would notice",
        "Nobody would even notice if I died.",
        "concern",
        "burden.better-off",
    ),
    ("burden: nobody cares", "Nobody cares if I live or die.", "concern", "burden.better-off"),
    ("passive: feel like dying", "Some nights I feel like dying.", "concern", "death-wish.passive"),
    (
        "safety plan: should I ever",
        "Should I ever feel like dying again, I'll call Sam.",
        "none",
        "death-wish.passive/hypothetical",
    ),
    (
        "suicidal thoughts",
        "I've been having suicidal thoughts again.",
        "concern",
        "suicide.thoughts",
    ),
    (
        "counterfactual",
        "If it weren't for my dog I would have killed myself by now.",
        "concern",
        "suicide.thoughts",
    ),
    ("feeling suicidal", "Been feeling suicidal since the breakup.", "concern", "suicide.feeling"),
    ("self-harm urge", "Had the urge to cut after the party.", "concern", "self-harm.urge"),
    ("self-harm near miss", "I almost cut tonight.", "concern", "self-harm.urge"),
    ("self-harm abstinence", "Didn't cut today. Day four.", "concern", "self-harm.history"),
    (
        "past self-harm is set aside",
        "I used to cut when I was in high school.",
        "none",
        "self-harm.act/past",
    ),
    ("firearm access", "I have a gun in my bedside drawer.", "concern", "means.firearm"),
    (
        "joking marker lowers, never clears",
        "forgot my lines in class, kms lol",
        "concern",
        "suicide.intent",
    ),
    (
        "condition, not intention",
        "If I kill myself, my mum would never forgive herself.",
        "concern",
        "suicide.intent",
    ),
    (
        "passive, when I'm gone",
        "Who would even remember me when I'm gone?",
        "concern",
        "death-wish.passive",
    ),
    # --- none: negation ---
    ("negated intent", "I'm not going to kill myself.", "none", "suicide.intent/negated"),
    ("never, ever", "I would never, ever hurt myself.", "none", "self-harm.act/negated"),
    ("no intention", "I have no intention of ending my life.", "none", "suicide.intent/negated"),
    (
        "negated wish",
        "I don't want to die, I want things to change.",
        "none",
        "death-wish.passive/negated",
    ),
    (
        "denial after a question",
        "Kill myself? No. But I am furious.",
        "none",
        "suicide.intent/negated",
    ),
    ("not suicidal", "I'm not suicidal, just sad.", "none", "suicide.feeling/negated"),
    # --- none: figurative and accidents ---
    (
        "figurative: killed myself studying",
        "I practically killed myself studying for that.",
        "none",
        "suicide.intent/figurative",
    ),
    (
        "figurative: cut myself off",
        "I cut myself off from the group chat.",
        "none",
        "self-harm.act/figurative",
    ),
    (
        "figurative: cut myself some slack",
        "I need to cut myself some slack.",
        "none",
        "self-harm.urge/figurative",
    ),
    ("accident: shaving", "Cut myself shaving this morning.", "none", "self-harm.act/figurative"),
    ("accident: gym", "I hurt myself at the gym.", "none", "self-harm.act/figurative"),
    ("idiom: shoot myself in the foot", "I'll shoot myself in the foot if I say that.", "none", ""),
    (
        "figurative: embarrassment",
        "I'm so embarrassed I want to die.",
        "none",
        "death-wish.passive/figurative",
    ),
    (
        "hyperbole: rather kill myself than",
        "I'd rather kill myself than go to that party.",
        "none",
        "suicide.intent/figurative",
    ),
    ("overdosed on chocolate", "Overdosed on chocolate after he cancelled.", "none", ""),
    ("comment cut deep", "That comment cut deep.", "none", "self-harm.act/other-person"),
    # --- none: someone else, quoted, reported ---
    (
        "quoted message",
        "Ana texted me 'I want to die' at 2am.",
        "none",
        "death-wish.passive/quoted",
    ),
    (
        "quoted film line",
        'The dad in the film says "I want to end it all".',
        "none",
        "suicide.intent/quoted",
    ),
    (
        "bully's words",
        "They told me to kill myself in the comments.",
        "none",
        "suicide.intent/reported",
    ),
    ("others' opinion", "People assume I must want to die.", "none", "death-wish.passive/reported"),
    (
        "third person, past",
        "My dad attempted suicide when I was a kid.",
        "none",
        "suicide.attempt/other-person",
    ),
    (
        "third person, narrator",
        "The narrator says he wants to end it all.",
        "none",
        "suicide.intent/reported",
    ),
    (
        "demonstrative subject",
        "I smoke. That is supposedly self-harming.",
        "none",
        "self-harm.act/other-person",
    ),
    (
        "advice to someone else",
        "If you're feeling suicidal, call a helpline.",
        "none",
        "suicide.feeling/other-person",
    ),
    # --- none: hypothetical, past, edges ---
    (
        "safety plan",
        "If I ever feel like hurting myself, I call Jess.",
        "none",
        "self-harm.urge/hypothetical",
    ),
    (
        "safety plan: in case",
        "In case I ever want to die again, the number is in my phone.",
        "none",
        "death-wish.passive/hypothetical",
    ),
    (
        "resolved past ideation",
        "When I was fifteen I wanted to die all the time.",
        "none",
        "death-wish.passive/past",
    ),
    (
        "don't want to be here: job",
        "I don't want to be here anymore, at this job I mean.",
        "none",
        "death-wish.passive/figurative",
    ),
    ("end it with someone", "I want to end it with her.", "none", ""),
    ("do it, no context", "Tonight I'm going to do it. I'm telling her I need space.", "none", ""),
    ("goodbye to a place", "This is goodbye to the old me.", "none", ""),
    ("last entry for a while", "This is my last entry for a while, off to a retreat.", "none", ""),
    ("generic noun phrase", "What is suicidal ideation?", "none", ""),
    ("life is worth living", "Life is worth living, even now.", "none", ""),
    ("gun for hunting", "I have a gun for hunting season.", "none", "means.firearm/figurative"),
]


@pytest.mark.parametrize(
    ("text", "level", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hard_case(text: str, level: str, expected: str) -> None:
    result = screen(text)
    explain = result.to_json_dict()
    assert result.level == level, explain
    if level != "none":
        assert expected in [e.rule for e in result.evidence], explain
    else:
        assert result.evidence == (), explain
        if expected:
            rule, guard = expected.split("/")
            assert (rule, guard) in [(s.rule, s.guard) for s in result.set_aside], explain


def test_every_rule_has_a_case_that_raises_it() -> None:
    raised = {c[3] for c in CASES if c[2] != "none"}
    assert {rule.id for rule in RULES} - raised == set()


def test_every_guard_has_a_case() -> None:
    guards = {c[3].split("/")[1] for c in CASES if "/" in c[3]}
    assert guards == {
        "negated", "figurative", "quoted", "reported", "other-person", "hypothetical", "past",
    }  # fmt: skip
