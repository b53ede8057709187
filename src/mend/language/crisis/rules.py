"""The crisis screener's rules and context cues, kept as data so a clinician can review them.

Each `Rule` names the words it looks for (a regular expression), the level it raises, and a
description a clinician can read beside the matched words. The categories follow the concepts
of the C-SSRS screener (wish to be dead; active thoughts; method; intent; plan; suicidal
behaviour and its recency) and the NIMH ASQ (wish to be dead; others better off; thoughts of
killing oneself; past attempt; thoughts right now), as summarised in the project's instrument
reference. Only the concepts are used; no questionnaire wording is reproduced.

Pattern conventions: matching ignores case; a single space in a pattern matches any run of
white space and " ?" an optional one (`compiled` does the substitution), so patterns stay
readable; the fragments below
carry the spelling variants (``MYSELF`` accepts "my self", "myslef", ...).

The context cues at the end (negation, other people, figurative use, time, humour) are used
by `mend.language.crisis.context`; see that module for how they combine.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Level = Literal["urgent", "concern", "none"]

# "thought": words about wishes, intentions, plans or farewells; a distant-past framing
#   ("when I was fifteen I wanted to die") means they no longer count.
# "act": something the writer did (an attempt, self-harm, preparation); a distant or resolved
#   framing keeps it as history (`concern`) rather than dropping it, because a past attempt is
#   a lasting risk factor (ASQ: any past attempt screens positive; C-SSRS: behaviour more than
#   three months ago is still a moderate-risk finding).
# "history": already phrased as history (abstinence, scars); no time logic applies.
Kind = Literal["thought", "act", "history"]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    level: Level
    kind: Kind
    description: str
    pattern: str
    # The pattern names nobody (e.g. "want to die"): work out from the words before it whether
    # the writer is the one who wants it ("I", "me", or nobody named) or someone else is.
    subject: bool = False
    # Suicidal thoughts escalate from concern to urgent when the writer says they are happening
    # now (ASQ's acuity question: thoughts of killing oneself right now).
    escalates: bool = False
    # Weak euphemisms ("do it", "end it") only count when suicide or means are mentioned in the
    # same or a neighbouring sentence; this regex names what must be there.
    context: str | None = None
    # Benign readings, checked on the text right after the match ("cut myself | off") ...
    unless_after: str | None = None
    # ... and anywhere in the sentence ("so embarrassed I want to die").
    unless_near: str | None = None


# --- spelling fragments -------------------------------------------------------------------

MYSELF = r"(?:my ?self|myslef|mysefl|meself)"
KILL = r"(?:kill|kil|kll|kilk|klil)"
SUICIDE = (
    r"(?:suicide|sucide|suicid|suicde|suiside|sucid|suiscide|sewerslide|su1c1de|suicied|suicidee)"
)
SUICIDAL = r"(?:suicidal|sucidal|suicdal|suicidel|suisidal|suicidle|sewerslidal)"
# Adverbs that may sit inside a phrase without changing it ("I (really) want to die").
ADV = (
    r"(?:(?:just|really|actually|honestly|seriously|literally|genuinely|truly|kinda|kind of|"
    r"sort of|sorta|so|still|also|even|only|simply|totally|sometimes|often|lowkey|low key|"
    r"legit|definitely|probably|maybe|fr|finally|all|ever|always|completely|fucking|"
    r"desperately|badly|secretly|almost) ){0,3}"
)
# A word that is not a negation, for slots between words, so a negation can never hide inside
# a match where the negation check would not see it.
WORD = r"(?:(?!(?:not|never|no|nothing|don'?t|didn'?t|won'?t|wouldn'?t|can'?t|isn'?t)\b)[\w']+)"
I_AM = r"(?:i'?m|i am|im)"
I_WILL = r"(?:i'?ll|i will|ill|i'?m (?:going to|gonna)|im (?:going to|gonna)|i am going to)"
PILLS = (
    r"(?:pills|tablets|meds|medication|medicine|painkillers|paracetamol|tylenol|ibuprofen|"
    r"aspirin|antidepressants|sleeping pills|sleeping tablets|lithium|insulin|opioids|"
    r"oxy\w*|xanax|benzos|prescription)"
)
BODY = (
    r"(?:arms?|wrists?|thighs?|legs?|skin|stomach|hips?|hands?|chest|ankles?|forearms?|"
    r"shoulders?|belly|tummy|body)"
)
# What a suicide-related euphemism must be near to count (see Rule.context).
ANCHOR = (
    r"\b(?:die|dying|dead|death|kill\w*|suicid\w*|sucid\w*|unalive\w*|kms|overdos\w*|"
    r"pills|tablets|rope|noose|bridge|jump\w*|hang\w*|wrists?|blade|razor|gun|"
    r"end (?:it|my life)|goodbye|gone|not (?:be|being) here|alive|live anymore)\b"
)
GIVING_AWAY = (
    r"\b(?:giv(?:e|es|ing|en) (?:\w+ ){0,4}away|gave (?:\w+ ){0,4}away|giving away|gave away|"
    r"giving (?:my|all my) |gave (?:my|all my) |new home for|rehom\w*|who gets my|"
    r"left (?:my \w+ )?to|selling (?:all )?my|sold (?:all )?my)"
)
ACCIDENT = (
    r"(?: on (?:a|the|some|my|broken) (?!purpose)\w+| by accident| accidentally| while\b|"
    r" (?:cooking|shaving|chopping|slicing|baking|gardening|cleaning|playing|running|lifting|"
    r"climbing|skiing|skating|training|working out)| at (?:the )?(?:gym|work|football|practice)|"
    r" when I (?:fell|tripped|slipped))"
)

# --- the rules ----------------------------------------------------------------------------

_SELF_KILL = (
    rf"(?:{KILL}(?:ing|ed|s)? {MYSELF}|kms|k\.m\.s|"
    rf"un-?alive(?:d|ing)? {MYSELF}|off(?:ed|ing)? {MYSELF}|top(?:ped|ping)? {MYSELF}|"
    rf"end(?:ed|ing)? (?:my (?:own )?life|it all|{MYSELF})|"
    rf"tak(?:e|ing) my (?:own )?life|comm?it(?:ting)? {SUICIDE}|do {SUICIDE}|"
    rf"(?:my life will end|die|end it) (?:on my (?:own )?terms and )?by my (?:own )?hands?)"
)
_FIGURATIVE_KILLED = (
    r"^ (?:than|studying|working|revising|training|cleaning|trying|doing|getting|making|"
    r"running|laughing|for (?:a|an|the|this|that|my|them|him|her|nothing)|"
    r"at (?:work|the gym|practice)|to (?!death)\w+|with (?:work|revision|studying))"
)

RULES: tuple[Rule, ...] = (
    # --- intent: killing oneself in the writer's own voice (C-SSRS intent; ASQ acuity) ---
    Rule(
        "suicide.intent",
        "urgent",
        "thought",
        "The writer speaks of killing themselves in their own voice (a wish or intention to "
        "act, including slang such as 'kms' and 'unalive'). Treated as intent: in free text "
        "nobody can ask the follow-up question.",
        rf"\b{_SELF_KILL}\b",
        subject=True,
        unless_after=_FIGURATIVE_KILLED,
    ),
    Rule(
        "suicide.intent.euphemism",
        "urgent",
        "thought",
        "A euphemism for ending one's life ('end it', 'do it tonight') next to words about "
        "death or means.",
        rf"\b(?:(?:want|wanna|going|gonna|need|ready|decided|plan(?:ning)?|about) (?:to )?"
        rf"{ADV}end it(?! (?:with|between|for|off|all)\b)|tonight(?:'s| is) the night|"
        rf"today(?:'s| is) the day|(?:{I_WILL}|i'?m (?:going to|gonna)) {ADV}do it "
        rf"(?:tonight|today|tomorrow|this weekend|soon|after|when|once)|"
        rf"(?:tonight|tomorrow|this weekend),? {I_WILL} {ADV}do it|"
        rf"get (?:it|this|it all|this all|everything) over with|"
        rf"(?:going to|gonna|will|'ll|want to|wanna|about to|ready to) {ADV}jump\b"
        rf"(?! (?:in|into|on|at|over|up|around|for|ship|the gun|to conclusions|through|back)\b))",
        subject=True,
        context=ANCHOR,
    ),
    # --- ready to die, wanting to be dead now: intent-like readiness ---
    Rule(
        "suicide.ready",
        "urgent",
        "thought",
        "The writer says they are ready to die or have decided to die.",
        r"\b(?:ready|prepared|decided|made up my mind) to die\b",
        subject=True,
    ),
    # --- plan (C-SSRS: plan with intent) ---
    Rule(
        "suicide.plan",
        "urgent",
        "thought",
        "The writer says they have a plan, a date, a place or know how they would do it, "
        "next to words about death or means.",
        r"\b(?:(?:have|got|made|making|had|came up with) (?:a|the|my) (?:\w+ )?plan\b"
        r"(?! (?:for|to (?:see|go|get|meet|visit|leave|move|tell|talk|call))\b)|"
        r"(?:have|had|got) it (?:all )?planned|planned (?:it|how|when|where) |"
        r"(?:picked|chose|chosen|set) (?:a|the) (?:date|day|time|place|spot)|"
        r"know (?:exactly )?(?:how|when|where) (?:i'?d|i would|i'?ll|i will|i'?m going to) "
        r"do it)",
        context=ANCHOR,
    ),
    Rule(
        "suicide.plan.named",
        "urgent",
        "act",
        "A suicide plan or note written or named by the writer (preparation).",
        rf"\b(?:my (?:{SUICIDE}) (?:plan|note|letter)|(?:wrote|write|writing|written|drafted|"
        rf"draft(?:ing)?|started|finished|left|leaving|have|had) (?:\w+ ){{0,3}}{SUICIDE} "
        rf"(?:note|letter)s?)\b",
        subject=True,
    ),
    # --- method (C-SSRS: thoughts with a method) ---
    Rule(
        "suicide.method",
        "urgent",
        "thought",
        "A specific method of suicide in the writer's own plans or thoughts (hanging, "
        "jumping, overdose, cutting wrists, drowning, firearm, vehicle, train).",
        rf"\b(?:hang(?:ing)? {MYSELF}|shoot(?:ing)? {MYSELF}(?! in the (?:foot|leg))|"
        rf"drown(?:ing)? {MYSELF}|electrocut\w* {MYSELF}|gas(?:sing)? {MYSELF}|"
        rf"poison(?:ing)? {MYSELF}|"
        rf"(?:put|putting|held|holding|aim(?:ed|ing)?|press(?:ed|ing)?|point(?:ed|ing)?) "
        rf"(?:a |the |my |his |her )?(?:gun|it|barrel|pistol|revolver) (?:to|at|against|in) my "
        rf"(?:head|temple|chest|mouth)|"
        rf"(?:pick up|picking up|pull|pulling) the (?:gun|trigger)|"
        rf"(?:slit|slash|slice|open)(?:ting|ing)? (?:my|both my|both) (?:wrists?|throat|veins)|"
        rf"(?:throw|throwing|threw|jump|jumping|step|stepping|walk|walking|lie|lying|lay) "
        rf"(?:{MYSELF} )?(?:in front of|under) (?:a|the|an|some) (?:\w+ )?"
        rf"(?:train|bus|truck|lorry|car|tube|tram|subway)|"
        rf"jump(?:ing)? (?:off|from) (?:a |the |my |our |that |this )?(?:\w+ ){{0,4}}"
        rf"(?:bridge|roof|rooftop|building|balcony|cliff|tower|car park|parking (?:garage|lot|"
        rf"structure|deck)|multi-storey|ledge|window|overpass|flyover)|"
        rf"overdos(?:e|ing)\b(?! on (?:chocolate|sugar|caffeine|coffee|tea|netflix|tv|films?|"
        rf"movies?|sad|cake|candy|sweets|carbs|junk|pizza|ice cream|love|drama|cuteness|"
        rf"nostalgia|sunshine|memes|tiktok|music|books?|romance|self-care))|"
        rf"tak(?:e|ing) (?:all|every one|the (?:whole|lot)) (?:of )?(?:my |the |these |those |"
        rf"her |his )?(?:\w+ )?(?:{PILLS} )?(?:at once|in one go|together|tonight)|"
        rf"swallow(?:ing)? (?:all|every|everything|the whole|a (?:bottle|bunch|handful|box))|"
        rf"(?:drive|driving|crash|crashing|steer|steering) (?:my |the )?(?:car )?"
        rf"(?:into|off) (?:a|the) (?:\w+ )?(?:wall|tree|barrier|river|lake|sea|cliff|bridge|"
        rf"pole|lorry|truck|traffic|oncoming)|"
        rf"(?:walk|walking|swim|swimming) (?:into|out into) the (?:sea|ocean|lake|river|water)|"
        rf"(?:us(?:e|ing)|turn(?:ing)?) (?:it|that|the \w+|a \w+|my \w+) on {MYSELF}|"
        rf"(?:which|what) (?:bridge|building|cliff|roof) (?:is )?(?:the )?(?:highest|tallest))",
        subject=True,
        unless_after=r"^ (?:into the (?:water|lake|sea|pool|river)|for fun|with (?:my )?friends)",
    ),
    # --- preparation (C-SSRS behaviour: preparatory acts) ---
    Rule(
        "suicide.preparation",
        "urgent",
        "act",
        "Preparing means (saving pills, getting a rope, a blade against the skin) or "
        "researching how to die.",
        rf"\b(?:(?:sav(?:e|ed|ing)|stockpil\w*|hoard\w*|collect(?:ed|ing)?|stash\w*|hid|hiding|"
        rf"count(?:ed|ing)) (?:up )?(?:all )?(?:of )?(?:my |the |some |enough |her |his )?"
        rf"(?:\w+ )?{PILLS}|"
        rf"{PILLS} (?:\w+ )?(?:saved|stashed|hidden|stockpiled|hoarded|collected) ?(?:up|away)?|"
        rf"(?:have|got|bought|buy|buying|ordered|tied|tying|made|making|tie|make) (?:a |the |some |"
        rf"my )?(?:rope|noose)\b(?! (?:for|swing|ladder|bridge course)\b)|"
        rf"(?:got|have|had|laid out|lined up|put out) (?:the|my|all the|all my|all of my) "
        rf"(?:\w+ )?(?:{PILLS}|rope|blades?|razors?|gun|knife) (?:\w+ )?(?:ready|lined up|"
        rf"counted|waiting)|"
        rf"(?:blade|razor|knife|gun) (?:against|to|on) my (?:wrists?|arms?|skin|throat|neck|"
        rf"head|thighs?)|"
        rf"(?:googl\w*|look(?:ed|ing)? up|search(?:ed|ing)?(?: for)?|research(?:ed|ing)?|"
        rf"read(?:ing)? (?:up )?(?:on|about)|spent \w+ \w+ research\w*) (?:\w+ ){{0,3}}"
        rf"(?:how (?:many|much)|painless ways?|ways to|the (?:best|quickest|easiest) way|"
        rf"how to|methods?|lethal dose)(?=[^.!?\n]{{0,80}}?\b(?:die|dying|kill\w*|suicid\w*|"
        rf"overdos\w*|{PILLS}|lethal|hang\w*|noose|painless|end (?:it|my life)|take)\b)|"
        rf"(?:wrote|written|writing|updated|finished|made|sorted out|sorted) my will|"
        rf"(?:put|putting|getting) my affairs in order|"
        rf"prepar(?:e|ed|ing) (?:for )?my (?:own )?(?:death|funeral|suicide|exit))",
        subject=True,
        unless_near=r"\b(?:solicitor|lawyer|notary|baby|mortgage|married|wedding|surgery|"
        r"operation|estate planning|pharmacist|prescription pick ?up)\b",
    ),
    Rule(
        "suicide.preparation.giving-away",
        "urgent",
        "act",
        "Giving away possessions or pets because the writer will not need them or will not "
        "be around.",
        r"\b(?:i (?:won'?t|will not|wont) (?:need|be needing) (?:it|them|anything|any of (?:it|"
        r"this|them)|my \w+|anyone|someone|these|those|that|this)|where i'?m going|"
        r"i (?:won'?t|will not|wont) be(?: (?:here|around))?(?=\s*[.!,;]|$)|"
        r"i (?:won'?t|will not|wont) be (?:here|around) (?:to|for|much|long|soon|anymore))",
        context=GIVING_AWAY,
    ),
    # --- farewell (a goodbye that signals leaving life) ---
    Rule(
        "suicide.farewell",
        "urgent",
        "thought",
        "A farewell that reads as leaving life: a goodbye to everyone or the world, a last "
        "entry, 'by the time you read this', an apology for what the writer is about to do.",
        r"\b(?:this is (?:my |a |the )?(?:final |last )?goodbye\b(?! to (?!every|you|all|the "
        r"world))|goodbye (?:cruel )?world|goodbye,? (?:everyone|everybody|all|forever)\b"
        r"(?! (?:at|from|in|on)\b)|(?:my|a) (?:final|last) goodbye\b(?! to (?!every|you|all))|"
        r"this (?:is|will be) (?:my|the) (?:last|final) (?:journal )?(?:entry|post|note|"
        r"message|page)\b(?! (?:for|before|of the|until|till|on|about|in)\b)|"
        r"(?:the )?last thing i(?:'ll| will)? (?:ever )?(?:write|say)\b|"
        r"(?:by the time|when|once|after) (?:you|anyone|everyone|someone|they|people|u|the "
        r"police|my \w+) (?:read|reads|find|finds|see|sees|get|gets) this,? "
        r"(?:i(?:'ll| will|'d| would)? (?:already )?(?:be )?(?:gone|dead)|i(?:'m| am) "
        r"(?:already )?(?:gone|dead))|"
        r"sorry for what i(?:'m| am) (?:about|going) to do|"
        r"(?:nobody|no one|you|they|everyone) (?:will|won'?t|wont) (?:have to|need to) "
        r"(?:put up with|deal with|worry about|see|hear from) me (?:after|anymore|any more|"
        r"again|much longer|soon)|"
        r"(?:after|once) (?:i'?m|i am) (?:gone|dead)\b(?! (?:on|for|to|abroad|away|travel\w*|"
        r"camping)\b)|"
        r"i (?:won'?t|will not) be (?:here|around|alive) (?:much longer|for (?:much )?long|"
        r"next week|tomorrow|anymore|any more|by \w+|soon))",
        subject=True,
        unless_near=r"\b(?:visit\w*|trip|holiday|vacation|conference|travel\w*|flight|"
        r"retreat|camp|abroad|moving|move out|leaving (?:the|this) (?:job|city|country|house))\b",
    ),
    # --- attempt (C-SSRS behaviour; ASQ past attempt) ---
    Rule(
        "suicide.attempt",
        "urgent",
        "act",
        "A suicide attempt by the writer (including interrupted or aborted attempts). Recent "
        "or undated: urgent. Described as long ago or resolved: set aside (shown, not counted).",
        rf"\b(?:(?:tried|attempted|attempt) (?:to )?(?:{KILL} {MYSELF}|end (?:my (?:own )?life|"
        rf"it all|it|things|{MYSELF})|take my (?:own )?life|commit {SUICIDE}|hang {MYSELF}|"
        rf"drown {MYSELF}|overdose|un-?alive {MYSELF}|off {MYSELF}|jump|die)|"
        rf"(?:tried|attempted) (?:{KILL}ing {MYSELF}|ending (?:my (?:own )?life|it all|it)|"
        rf"taking my (?:own )?life|hanging {MYSELF}|drowning {MYSELF}|overdosing|od'?ing|"
        rf"poisoning {MYSELF}|jumping)|"
        rf"made (?:a|an|my) (?:\w+ ){{0,2}}attempt\b(?! (?:at|to|of|on)\b)|"
        rf"(?:i|i'?ve|i have|i had) attempted\b(?! (?:to|a|an|the|it|this|that|my)\b)|"
        rf"attempted (?:twice|once|\w+ times|before|in the past)|"
        rf"attempts? on my (?:own )?life|"
        rf"attempted {SUICIDE}|{SUICIDE} attempts?|survived (?:an|my|the) attempt|"
        rf"overdosed\b(?! on (?:chocolate|sugar|caffeine|coffee|tea|netflix|tv|films?|movies?|"
        rf"sad|cake|candy|sweets|carbs|junk|pizza|love|drama|memes|music|books?))|od'd|"
        rf"took an overdose|"
        rf"(?:took|taken|swallowed|downed|necked) (?:a (?:whole )?(?:bunch|handful|load|lot|"
        rf"bottle|box|packet|pack|fistful|strip)|too many|(?:all|every one) (?:of )?"
        rf"(?:my|the|her|his) (?:\w+ )?{PILLS} (?:at once|in one go|together)|the lot|"
        rf"(?:\d{{2,}}|twenty|thirty|forty|fifty|dozens)) (?:of )?(?:my |the |her |his )?"
        rf"(?:\w+ )?{PILLS}|"
        rf"(?:stood|standing|sat|sitting|climbed) (?:on|at|over) (?:the )?(?:edge|ledge|railing|"
        rf"rail|side)(?: of)? (?:the |a )?(?:platform|bridge|roof|building|cliff|balcony|"
        rf"tracks)[^.!?]{{0,60}}\b(?:jump\w*|train|end it|die)|"
        rf"(?:almost|nearly) (?:jumped|stepped (?:off|out|in front)|killed {MYSELF}|"
        rf"ended it|went through with it)(?=\s*(?:[.!,;]|$|off|from|in front|last|tonight|"
        rf"yesterday))|"
        rf"(?:went|go|going|drove|walked|headed|got) to the (?:bridge|roof|cliff|tracks|station|"
        rf"car park|lake|river|sea|edge) (?:\w+ ){{0,5}}to (?:jump|end it|die|do it|end my life)|"
        rf"(?:had|held|holding) the {PILLS} in my hand)",
        subject=True,
    ),
    Rule(
        "suicide.attempt.mentioned",
        "urgent",
        "act",
        "An attempt mentioned without saying what was attempted ('my last attempt', 'two "
        "failed attempts'), next to words about suicide or means.",
        r"\b(?:my|this|that|the|one|two|three|several|multiple|previous|past|failed|botched) "
        r"(?:(?:first|second|third|last|previous|latest|failed|botched|recent) )?attempts?\b"
        r"(?! (?:at|to|of|on (?!my (?:part|life)))\b)",
        context=ANCHOR,
    ),
    # --- access to lethal means (SAFE-T risk factor; a clinician asks about it) ---
    Rule(
        "means.firearm",
        "concern",
        "act",
        "The writer has, or is getting, a firearm: access to lethal means is a risk factor "
        "a clinician should ask about (SAFE-T, step 1).",
        r"\b(?:(?:i|i'?ve|we) (?:\w+ )?(?:have|own|got|bought|ordered|keep) (?:a |an |my |the |"
        r"some )?(?:\w+ )?(?:gun|guns|firearm|pistol|handgun|shotgun|rifle|revolver)|"
        r"(?:buy|buying|bought|get|getting|order|ordering|ordered) (?:a |an |my |some )?"
        r"(?:gun|firearm|pistol|handgun|shotgun|revolver)|"
        r"(?:there'?s|there is) (?:a |an )?(?:gun|firearm|pistol|handgun|shotgun|rifle) in "
        r"(?:the|my|our) (?:house|flat|home|apartment|car|room|drawer)|"
        r"my (?:dad'?s|father'?s|mum'?s|mom'?s|parents'?|husband'?s|partner'?s|brother'?s) "
        r"(?:gun|guns|firearm|pistol|shotgun|rifle))\b",
        subject=True,
        unless_near=r"\b(?:hunting|shooting range|range day|clay|target practice|nerf|water "
        r"gun|glue gun|toy|video game|paintball|airsoft)\b",
    ),
    # --- self-harm acts (recent self-harm is urgent per the requirement) ---
    Rule(
        "self-harm.act",
        "urgent",
        "act",
        "Self-harm by the writer (cutting, burning, scratching, hitting). Recent or undated: "
        "urgent. Described as long ago or resolved: set aside (shown, not counted).",
        rf"\b(?:(?:cut|cutting|cuts|slashed|sliced|carved|carving|burn(?:ed|t|ing)?|"
        rf"scratch(?:ed|ing)|hit(?:ting)?|punch(?:ed|ing)|bit|biting|stab(?:bed|bing)|"
        rf"hurt(?:ing)?|harm(?:ed|ing)?|starv(?:ed|ing)|strangl\w*|choked?|choking) "
        rf"{MYSELF}|"
        rf"(?:cut|cutting|slit|slashed|sliced|carved|burn(?:ed|t)|burning|scratch(?:ed|ing)|"
        rf"punch(?:ed)?|hit) (?:my|both my|both) {BODY}|"
        rf"self[- ]?harm(?:ed)?\b|self[- ]?harming|self[- ]?injur(?:ed|ing)|"
        rf"(?:cut|cutting) (?:again|deeper|too deep|deep|so deep|tonight|last night|today)|"
        rf"(?:been|started|start|keep|kept|can'?t stop|couldn'?t stop|began|begun|used to|"
        rf"would) (?:cutting|cut|burning|scratching)\b|"
        rf"(?:my|the) cutting (?:makes|made|is|was|has|got|gets|started|helps|helped)\b|"
        rf"(?:drinking|crying|starving) and cutting\b|"
        rf"cut (?:to (?:relieve|feel|cope|numb|punish|release|calm|forget)|"
        rf"when i (?:feel|get|am|'m)|because i|so i (?:can|could|don'?t))|"
        rf"relapsed(?: (?:on|with|into))?(?: (?:self[- ]?harm|sh|cutting|the cutting))?"
        rf"(?= and (?:cut|hurt|burn))|relapsed (?:on|with|into) (?:self[- ]?harm|sh|cutting)|"
        rf"(?:fresh|new) (?:cuts|scratches|burns|wounds)\b(?! (?:of|from the)\b)|"
        rf"(?:cuts|scratches|burns|wounds) (?:on my \w+ )?(?:are|were|look|still) (?:still )?"
        rf"fresh|"
        rf"(?:bang|bash|hit|slam)(?:ed|med|ing|ming)? my head (?:against|on|into) (?:the |a )?"
        rf"(?:wall|floor|door|desk)|"
        rf"(?:blade|razor|knife|scissors|compass)\b[^.!?]{{0,60}}?\band (?:cut|burned)\b)",
        subject=True,
        unless_after=(
            rf"^(?: (?:off|some slack|a break|loose|out|short|free|in on)\b|"
            rf" (?:her|him|them)sel(?:f|ves)\b|{ACCIDENT}|"
            rf" (?:by (?!cutting|burning)\w+ing|more than|emotionally|so badly by|trying|"
            rf"wondering|over (?:and over )?(?:this|it|why)|to understand|figuring))"
        ),
    ),
    Rule(
        "self-harm.intent",
        "urgent",
        "thought",
        "The writer says they are going to self-harm.",
        rf"\b(?:{I_WILL}|going to|gonna|about to|plan(?:ning)? to) {ADV}(?:cut|hurt|harm|burn) "
        rf"(?:{MYSELF}|tonight|again)\b",
        subject=True,
        unless_after=rf"^(?: (?:off|some slack|a break|loose)\b|{ACCIDENT})",
    ),
    # --- self-harm thoughts or urges, not acted on (concern) ---
    Rule(
        "self-harm.urge",
        "concern",
        "thought",
        "Thoughts of, or urges to, self-harm that the writer has not acted on.",
        rf"\b(?:urges?|urging|tempt\w*|crav\w*|itch\w*|want(?:ed|ing)?|wanna|need(?:ed)?|"
        rf"feel(?:ing)? like|felt like|close to|almost|nearly|think(?:ing)? (?:about|of)|"
        rf"thought (?:about|of)|thoughts (?:of|about)|fantasi[sz]\w* about) {ADV}(?:to )?"
        rf"(?:cut(?:ting)?|self[- ]?harm(?:ing)?|(?:hurt|harm|burn|punish|punch|hit)"
        rf"(?:ing)? {MYSELF}|scratch(?:ing)?(?: (?:{MYSELF}|my {BODY}))?)",
        subject=True,
        unless_after=rf"^(?:(?: {MYSELF})? (?:off|some slack|a break|loose|ties|back|out|down|in|"
        rf"class|school|corners|it out)\b| (?:the|her|his|your|their) \w+|"
        rf" my (?!{BODY})\w+)",
    ),
    # --- history of self-harm kept as concern (abstinence implies a history) ---
    Rule(
        "self-harm.history",
        "concern",
        "history",
        "Self-harm named as history: time since last self-harm, 'clean' streaks, scars.",
        rf"\b(?:(?:haven'?t|have not|hadn'?t|didn'?t|did not|went \w+ \w+ without|managed not "
        rf"to|stopped|quit) (?:\w+ ){{0,2}}(?:cut(?:ting)?|self[- ]?harm(?:ed|ing)?|"
        rf"(?:hurt|harmed|burned|burnt) {MYSELF})\b|(?:clean|free) (?:from|of) "
        rf"(?:self[- ]?harm|sh|cutting)|(?:self[- ]?harm|sh|cutting)[- ](?:free|clean)|"
        rf"(?:self[- ]?harm|cutting) scars|scars (?:from|of) (?:self[- ]?harm|cutting)|"
        rf"(?:was|used to be|i'?m|am) (?:a |an )?(?:\w+ )?cutter\b)",
        subject=True,
    ),
    # --- active suicidal thoughts without method or intent (C-SSRS non-specific thoughts) ---
    Rule(
        "suicide.thoughts",
        "concern",
        "thought",
        "Thoughts about suicide without a stated method, plan or intent (C-SSRS: non-specific "
        "active thoughts; ASQ: thoughts of killing oneself). Urgent when the writer says the "
        "thoughts are happening right now.",
        rf"\b(?:(?:my|having|had|have|get|getting|got|experienc\w*|fight\w*|battl\w*|"
        rf"struggl\w* with|dealing with|deal with|cope with|coping with) (?:{WORD} )?"
        rf"{SUICIDAL} (?:thoughts?|ideation|urges?|feelings?|idea\w*)|"
        rf"{SUICIDAL} (?:thoughts?|ideation|urges?|feelings?) (?:are|have been|came|come|keep|"
        rf"kept|started|were|is|was|got|get|won'?t|wont) (?:back|coming|returning|getting|"
        rf"worse|stronger|strong|loud|louder|bad|constant|every|always|go away|stop|so|really)|"
        rf"(?:{KILL}ing {MYSELF}|ending (?:my (?:own )?life|it all)|taking my (?:own )?life) "
        rf"(?:would|wouldn'?t|will|won'?t|is|isn'?t|seems|feels|sounds|could|might|may|has|"
        rf"was|wasn'?t)\b|"
        rf"(?:thoughts?|think\w*|thought|consider\w*|contemplat\w*|obsess\w*|fantasi[sz]\w*|"
        rf"dream\w*) (?:(?:about|of|over) )?(?:{SUICIDE}|{KILL}(?:ing)? {MYSELF}|ending (?:my "
        rf"(?:own )?life|it all|it|everything|things)\b(?! (?:with|between)\b)|taking my (?:own )?"
        rf"life|un-?aliv\w* {MYSELF})|"
        rf"(?:scared|afraid|brave enough|strong enough|courage|guts|balls|nerve|strength|"
        rf"coward) (?:\w+ )?to (?:\w+ ){{0,3}}(?:end it|end my life|{KILL} {MYSELF}|do it|go "
        rf"through with it|pull the trigger|jump|swallow|use the (?:gun|rope))\b(?! (?:with|"
        rf"for|to)\b)|"
        rf"(?:haven'?t|have not|didn'?t|did not|hasn'?t) (?:{KILL}ed {MYSELF}|ended (?:it|my "
        rf"life)|done it|gone through with it) yet|"
        rf"(?:would|'d) (?:{ADV})?have (?:{KILL}ed {MYSELF}|comm?itted {SUICIDE}|ended (?:it|my "
        rf"(?:own )?life)|taken my (?:own )?life|done it) (?:by now|already|long ago|years ago))",
        subject=True,
        escalates=True,
    ),
    Rule(
        "suicide.feeling",
        "concern",
        "thought",
        "The writer describes feeling suicidal. Urgent when they say it is right now.",
        rf"\b(?:{I_AM}|feel(?:ing|s)?|felt|been|get(?:ting)?|got|was|am|being|become|"
        rf"became) (?:{WORD} ){{0,2}}{SUICIDAL}\b|"
        # Only so that the negation check can show "not suicidal" as set aside.
        rf"(?<=\bnot\s){SUICIDAL}\b",
        subject=True,
        escalates=True,
    ),
    # --- passive death wish (C-SSRS wish to be dead; ASQ wished you were dead) ---
    Rule(
        "death-wish.passive",
        "concern",
        "thought",
        "A wish to be dead or not to wake up, without a stated plan (passive death wish).",
        rf"\b(?:(?:want(?:ed|ing)?|wanna|wish(?:ed|ing)?|long(?:ed|ing)?|hop(?:e|ed|ing)|"
        rf"pray(?:ed|ing)?) {ADV}(?:to |that )?(?:i (?:could |would |might )?)?{ADV}(?:die|"
        rf"be dead|were dead|was dead)\b|want(?:ed)? (?:is|was) to die|"
        rf"wish(?:ed|ing)? (?:that )?i(?:'d| would| could)? {ADV}(?:die|be dead)|"
        rf"(?:should|deserve to|ought to|might as well) {ADV}die\b|"
        rf"part of me (?:wants|wanted|wishes) to die|"
        rf"when (?:i'?m|i am) (?:gone|dead)\b(?! (?:on|for|to|abroad|away|travel\w*|camping)\b)|"
        rf"(?:urges?|desire|longing|craving|need) to (?:die|be dead|not exist)|"
        rf"(?:feel|feeling|felt) like (?:dying|being dead|not existing)\b|"
        rf"(?:wish|wished|wishing|want|wanted) (?:i was|i were|to be|i could be) un-?alive|"
        rf"better off dead|rather (?:be dead|die than (?:live|go on|keep (?:living|going)|be "
        rf"alive|wake up|face))|"
        rf"(?:(?:don'?t|do not|didn'?t|no longer|never|doesn'?t) {ADV}(?:want|wanna|wish) to|"
        rf"not (?:sure|certain) (?:if |whether |that )?i (?:want|wanna) to|"
        rf"not wanting to|don'?t know if i want to) {ADV}(?:live|be alive|exist|be here|"
        rf"go on|keep (?:living|going|existing)|be around)\b(?! (?:in|at|with|near|without|on|"
        rf"through|for|like that|here|there|this way|that way|with)\b)|"
        rf"(?:(?:don'?t|do not|no longer) {ADV}(?:want|wanna) to|hope i (?:don'?t|never|won'?t)|"
        rf"pray (?:that )?i (?:don'?t|never|won'?t)|wish i (?:wouldn'?t|didn'?t|won'?t|don'?t)|"
        rf"(?:could|to) {ADV}not|(?:and|then) {ADV}(?:never|not|don'?t)|"
        rf"if i (?:never|didn'?t|don'?t)|about not|of not) {ADV}wak(?:e|ing) up\b"
        rf"(?! (?:early|at|for|before|in time|on time|to)\b)|"
        rf"if i never woke up|sleep (?:forever|for ever|and never wake)|"
        rf"(?:hop\w*|wish\w*|pray\w*)\b[^.!?\n]{{0,40}}?\bi (?:{ADV}(?:would |'d |will )?)"
        rf"(?:won'?t|wont|don'?t|never|wouldn'?t|didn'?t) wake up\b|"
        rf"not (?:existing|being alive|being here|waking up) (?:would|will|'d) be (?:so |really )?"
        rf"(?:nice|better|easier|a relief|peaceful|great|good)|"
        rf"rather (?:be dead|die|{KILL} {MYSELF}|end it) than (?:live|go on|keep (?:living|going)|"
        rf"be alive|wake up|face)|"
        rf"(?:wouldn'?t|would not) mind (?:dying|being dead|if i (?:died|didn'?t wake|was dead|"
        rf"were dead|never woke|wasn'?t here)|not waking up)|"
        rf"(?:wish|want(?:ed)?|hope|wishing|hoping) (?:that )?(?:i could )?{ADV}(?:to )?"
        rf"(?:stop|cease|not) (?:to )?(?:exist|existing|being alive|be alive|being here)|"
        rf"(?:wish|if|wishing) (?:that )?i {ADV}(?:didn'?t|did not|never|don'?t) (?:exist|existed)|"
        rf"(?:wish|wished) i(?:'d| had)? never (?:been born|existed)|never been born|"
        rf"(?:hope|wish|pray)\w* (?:that )?(?:a|the|some) (?:\w+ )?(?:car|bus|truck|lorry|"
        rf"train|plane) (?:would |will )?(?:hit|hits|crash(?:es)? into|run(?:s)? over|kill) me|"
        rf"(?:wish|hope|want|wanted|pray)\w* (?:someone|somebody|something|anyone) "
        rf"(?:would |will |to |could )?{ADV}(?:kill|shoot|end) me|"
        rf"(?:fantasi[sz]\w*|dream\w*|daydream\w*|think\w*) about (?:being dead|dying|my (?:own )?"
        rf"(?:death|funeral)|not (?:being here|being alive|existing|waking up))|"
        rf"(?:rather|prefer to|like to|want to|just) not (?:be|being) (?:here|alive|around)\b"
        rf"(?! (?:at|in|for|with|when)\b)|"
        rf"(?:relief|better|easier|nice|peaceful) (?:\w+ ){{0,3}}(?:not to|to not) (?:be alive|"
        rf"exist|wake up|be here))",
        subject=True,
        unless_after=r"^ (?:of|from) (?:embarrass\w*|shame|laugh\w*|boredom|cringe|cuteness|"
        r"happiness|excitement)",
        unless_near=r"\b(?:embarrass\w*|cringe\w*|mortif\w*|\w+ (?:me|us) laugh|(?:at|in) "
        r"(?:this|that|my|the) (?:job|city|town|house|flat|school|class|office|company|group|"
        r"party|relationship|marriage|country|team|place))\b",
    ),
    Rule(
        "death-wish.disappear",
        "concern",
        "thought",
        "Wanting to disappear or stop existing for good (not just to withdraw for a while).",
        r"\b(?:want\w*|wanna|wish\w*|like|need) (?:\w+ ){0,3}(?:to )?(?:disappear|vanish|fade "
        r"away|cease to exist|be erased)(?: \w+){0,6}? (?:forever|for good|permanently|for "
        r"ever|from (?:this|the) (?:world|earth|planet)|from existence|and never come back)\b|"
        r"\b(?:want\w*|wanna|wish\w*) (?:\w+ ){0,3}to (?:stop existing|not exist)\b",
        subject=True,
    ),
    # --- hopelessness about living ---
    Rule(
        "hopelessness.living",
        "concern",
        "thought",
        "Hopelessness about living: no reason or point in living, life not worth living, "
        "cannot go on.",
        rf"\b(?:no (?:reason|point|purpose) (?:to|in|of|for) (?:live|living|go on|going on|keep "
        rf"(?:on )?going|being alive|be alive|life|exist|existing|stay alive|staying alive|carry "
        rf"on|carrying on|being here|me being here)|"
        rf"what(?:'s| is) the (?:point|use) (?:of|in) (?:living|life|being alive|going on|"
        rf"existing|being here|me)\b|"
        rf"nothing (?:left )?to live for|"
        rf"(?:life|living|existence) (?:\w+ )?(?:(?:is|'s|was|feels|seems) (?:not|never|no longer) "
        rf"|isn'?t |isnt |wasn'?t |aint |ain'?t |doesn'?t (?:feel|seem) |does not (?:feel|seem) |"
        rf"no longer (?:feels|seems) )(?:\w+ )?worth (?:living|it)\b|"
        rf"(?:life|living|existence) (?:is|feels|seems) (?:\w+ )?pointless|not worth living|"
        rf"(?:can'?t|cannot|can not|don'?t think i can|not sure i can|unable to) {ADV}(?:keep "
        rf"(?:living|going on|existing)|go on|carry on|keep going)"
        rf"(?=\s*(?:living|like this|anymore|any more|much longer|[.!?,;]|$))|"
        rf"(?:lost|losing|no|don'?t have|haven'?t got) (?:the |my |any )?will to live|"
        rf"why (?:am i|do i|was i) (?:even |still )?(?:alive|exist|born|living)|"
        rf"(?:don'?t|do not) care (?:if|whether) i (?:live|die)|"
        rf"(?:done|finished) (?:with )?(?:life|living|being alive|existing)\b|"
        rf"(?:give|giving|gave) up on (?:life|living)|"
        rf"(?:tired|sick|exhausted|weary) of (?:living|being alive|life|existing|being here)\b"
        rf"(?! (?:being|as|revolving|in|with|without|like)\b)|"
        rf"(?:can'?t|cannot) (?:picture|imagine|see) (?:myself )?(?:being )?(?:alive|here|"
        rf"around) (?:in|at|by|next)|"
        rf"want (?:it all|everything|my life|all of it|this life|life) to (?:end|be over|stop))",
        unless_near=r"\b(?:game|match|season|episode|show|series|book|project|job)\b",
    ),
    # --- burden / others better off (ASQ: others better off if you were dead) ---
    Rule(
        "burden.better-off",
        "concern",
        "thought",
        "Others would be better off without the writer, or the writer is a burden (perceived "
        "burdensomeness; ASQ: others better off if you were dead).",
        rf"\b(?:(?:would|'d|will|'ll|be|is|are|were) (?:{WORD} ){{0,4}}(?:better|easier|happier|"
        rf"relieved|lighter|fine|okay|ok|free)(?: \w+){{0,3}} without me\b(?! (?:at|for|on|to|"
        rf"tonight|today|this)\b)|"
        rf"(?:better|easier|happier|relieved|a relief|lighter|simpler) (?:\w+ ){{0,4}}"
        rf"(?:if|when|once) i (?:{ADV}(?:was|were|'m|am|wasn'?t|weren'?t) (?:gone|dead|not "
        rf"(?:here|around|alive)|here|around|alive|in the picture)|{ADV}(?:died|disappeared|"
        rf"didn'?t exist|never existed|wasn'?t born|weren'?t born|never woke up|killed {MYSELF}))|"
        rf"(?:{I_AM}|i feel|feel|feeling|being|i was|always) (?:like )?(?:{WORD} ){{0,2}}"
        rf"(?:a|such a|just a|nothing but a|the) burden\b|"
        rf"(?:no one|nobody|noone|no-one|not one person)(?: \w+){{0,2}} (?:(?:would|will|'d|"
        rf"even|ever) )?(?:even )?(?:miss|notice|care|cry|mourn)\b(?: me\b|[^.!?]{{0,40}}?\bif "
        rf"i (?:died|was gone|were gone|disappeared|wasn'?t here|weren'?t here|killed {MYSELF}|"
        rf"was dead|were dead|didn'?t exist|left this world))|"
        rf"(?:no one|nobody|noone|no-one)(?: \w+){{0,2}} (?:cares?|cared) (?:if|whether) i "
        rf"(?:live|lived|die|died|was dead|disappeared)|"
        rf"if i (?:died|was dead|were dead|killed {MYSELF})\b(?=[^.!?]{{0,60}}\b(?:care|notice|"
        rf"miss|cry|funeral|anyone|anybody|nobody|no one|would they|who would)\b))",
        subject=True,
    ),
)

# --- context cues ---------------------------------------------------------------------------

# Negations that scope over the words right after them ("I'd never kill myself"). Not "no
# one"/"nobody" ("no one would care if I died" is the risk, not its denial).
NEGATION = (
    r"\b(?:never|not|no(?![ -]?(?:one|body|matter|doubt|wonder|idea)\b)|nothing|nor|"
    r"cannot|without|refuse[sd]?|(?:do|did|does|would|could|should|will|wo|ca|is|are|was|"
    r"were|have|has|had|ai|must|might|need)n'?t|dont|didnt|doesnt|wouldnt|couldnt|"
    r"shouldnt|wont|cant|isnt|arent|wasnt|werent|havent|hasnt|hadnt|aint|no longer|"
    r"at no point|no way)\b"
)
# How many words may sit between a negation and the match it negates.
NEGATION_WINDOW = 6
# Negations that do not deny what follows: "can't stop thinking about", "never thought I'd",
# "don't know why I", "nothing stopping me", "why don't I just".
NEGATION_EXCEPT_AFTER = (
    r"^\W*(?:stop|help|wait|know|knew|remember|understand|imagine|believe|explain|tell|"
    r"seem to|even know|care (?:if|whether)|think straight|get (?:over|rid|out)|shake|"
    r"escape|take it|bear|handle|cope|deal|stopping|to stop|keeping|holding|more than|"
    r"so much as|one|other than|else|(?:have|had|has|got) (?:the )?(?:guts|courage|balls|nerve|"
    r"strength)|brave enough|strong enough)\b"
)
NEGATION_EXCEPT_CUE = (
    r"(?:(?:didn'?t|did not|never) (?:think|thought|expect\w*|imagine\w*|realis\w*|realiz\w*)|"
    r"\bwhy (?:not|don'?t|dont|shouldn'?t|wouldn'?t|can'?t))$"
)
# A negation before a new subject belongs to another clause ("if Sam doesn't come back I will
# ..."), except after verbs of thinking or saying ("I don't think I want to die").
NEW_SUBJECT = (
    r"\b(?!(?:think|thought|say|saying|said|feel|felt|believe|mean|know|sure|that|guess|"
    r"suppose|pretend|pretending|claim|claiming|did|do|does|would|could|should|will|can|"
    r"have|had|has|am|was|were|is|are|shall|might|must|ever)\b)[\w']+ (?:i|i'm|im|i'll|i've|"
    r"i'd)\b"
)
# "Kill myself? No." — a rhetorical question answered with a denial.
DENIAL_AFTER = r"\s*\?+\s*(?:no|nope|never|not (?:really|a chance|ever)|of course not|nah)\b"

# Clause boundaries: negation and subject are looked for only inside the match's clause.
CLAUSE_BOUNDARY = (
    r",(?!\s*(?:ever|never|not|no)\b)|;|:|\s[-–—]+\s|\(|\)|"
    r"\b(?:but|yet|although|though|however|except|whereas|which|cause|because|cuz|so that|"
    r"even though|while)\b|"
    r"\band\b(?=\s+(?:now\s+|then\s+|so\s+|yet\s+|still\s+|just\s+)?(?:i|i'm|im|i've|ive|i'd|"
    r"it|this|that|now|then|honestly|tonight|today)\b)"
)
# Coarser boundaries for reported speech and conditions: a comma does not end "she said, ...".
PHRASE_BOUNDARY = (
    r";|\s[-–—]+\s|\b(?:but|yet|although|though|however|whereas|even though)\b|"
    r"\band\b(?=\s+(?:now\s+|then\s+|so\s+)?(?:i|i'm|im|i've|ive|i'd|it|this|that)\b)"
)
SENTENCE_END = r"[.!?]+(?=\s|$|[\"')\]])|\n+"

# Words that say who the subject is, scanning back from the match.
FIRST_PERSON = frozenset({"i", "i'm", "im", "i've", "ive", "i'd", "i'll", "me", "myself"})
OTHER_PERSON = frozenset(
    {
        # pronouns and indefinites
        "he", "she", "they", "we", "you", "he's", "she's", "they're", "we're", "you're",
        "he'd", "she'd", "they'd", "we'd", "you'd", "he'll", "she'll", "they'll", "we'll",
        "you'll", "hes", "shes", "theyre", "youre", "youve", "you've", "youd", "youll",
        "theyve", "they've", "theyd", "weve", "we've", "him", "her", "them", "us", "u", "ur",
        "someone", "somebody", "everyone", "everybody", "anyone", "anybody", "people",
        "person", "nobody", "who", "whoever", "others", "one", "your", "his", "their",
        "yourself", "yourselves", "himself", "herself", "themselves", "ourselves",
        # third-person verb forms that give the subject away
        "wants", "needs", "keeps", "says", "thinks", "tries", "feels", "hopes", "wishes",
        "talks", "starts", "seems", "plans", "decides", "likes", "tells", "threatens",
        "threatened", "posts", "writes", "sings", "admits", "claims", "jokes",
        # people
        "friend", "friends", "sister", "brother", "sis", "bro", "mum", "mom", "mother",
        "dad", "father", "parent", "parents", "cousin", "aunt", "uncle", "gran", "nan",
        "grandma", "grandpa", "grandmother", "grandfather", "son", "daughter", "kid", "kids",
        "child", "children", "boy", "boys", "girl", "girls", "guy", "guys", "man", "woman",
        "men", "women", "partner", "boyfriend", "girlfriend", "husband", "wife", "ex",
        "roommate", "flatmate", "housemate", "colleague", "coworker", "classmate", "teacher",
        "boss", "manager", "neighbour", "neighbor", "client", "patient", "student", "teen",
        "teenager", "member", "stranger", "bf", "gf", "bestie", "bff", "family", "baby",
        "therapist", "doctor", "nurse", "counsellor", "counselor", "mate", "mates", "team",
        # stories and media
        "character", "characters", "protagonist", "narrator", "hero", "heroine", "villain",
        "author", "singer", "rapper", "artist", "actor", "actress", "celebrity", "song",
        "songs", "movie", "film", "show", "book", "novel", "series", "episode", "poem", "play",
        "story", "article", "video", "post", "lyrics", "lyric", "documentary", "podcast",
        "game", "meme", "news", "user", "op",
    }
)  # fmt: skip
# Words to step over when looking for the subject: auxiliaries, modals, negations, adverbs,
# and the verbs of wanting and thinking that sit between a subject and what they want.
SKIP_WORDS = frozenset(
    {
        "am", "is", "are", "was", "were", "be", "been", "being", "do", "does", "did", "have",
        "has", "had", "will", "would", "shall", "should", "can", "could", "may", "might",
        "must", "'d", "'ll", "gonna", "wanna", "gotta", "going", "ima", "imma", "don't",
        "dont", "didn't", "didnt", "can't", "cant", "won't", "wont", "wouldn't", "wouldnt",
        "couldn't", "couldnt", "shouldn't", "not", "never", "no", "ever", "to", "about", "of",
        "like", "want", "wanted", "wanting", "wish", "wished", "wishing", "need",
        "needed", "keep", "kept", "keeps", "start", "started", "starting", "began", "begin",
        "try", "tried", "trying", "decided", "decide", "plan", "planning", "planned", "ready",
        "think", "thinking", "thought", "thoughts", "talk", "talking", "talked", "dream",
        "dreaming", "feel", "feeling", "felt", "hope", "hoping", "pray", "praying", "know",
        "mean", "just", "really", "actually", "honestly", "seriously", "literally",
        "genuinely", "truly", "kinda", "kind", "sort", "sorta", "so", "still", "also", "even",
        "only", "simply", "totally", "sometimes", "often", "lowkey", "legit", "definitely",
        "probably", "maybe", "fr", "finally", "all", "always", "completely", "fucking",
        "desperately", "badly", "secretly", "almost", "lot", "lots", "few", "couple", "bunch",
        "load", "loads", "ton", "tons", "again", "today", "tonight", "now",
        "lately", "recently", "yesterday", "tomorrow", "ugh", "god", "omg", "lol", "lmao",
        "fuck", "fuckin", "man", "well", "oh", "yeah", "yes", "ok", "okay", "some", "days",
        "nights", "sure", "pretty", "very", "quite", "bit", "a", "little", "more", "much",
        "and", "or", "then", "&", "+", "get", "got", "getting", "make", "makes", "made",
        "making", "let", "help", "spent", "spend", "considering", "considered", "realised",
        "realized", "admit", "admitted", "confess", "say", "said", "tell", "told", "write",
        "wrote", "writing", "journal", "journaling", "type", "typing", "as", "cos", "cuz",
        "part", "most", "half", "every", "day", "night", "week", "morning", "evening",
        "afternoon", "hour", "hours", "minute", "the", "this", "in", "at", "by", "for",
        "with", "on", "up", "out", "back", "ago", "last", "first", "once", "twice",
    }
)  # fmt: skip
CONJUNCTIONS = frozenset({"and", "or", "then", "&", "+"})
# A match that starts with one of these nouns is itself the noun phrase ("this constant | urge
# to die"), so the words before it are its modifiers, not a subject.
NOUN_HEADS = frozenset(
    {"urge", "urges", "desire", "longing", "craving", "need", "thought", "thoughts", "wish",
     "part", "suicidal", "fresh", "new"}
)  # fmt: skip
# "That is self-harming": a demonstrative right before a verb is the subject, not a determiner.
DEMONSTRATIVES = frozenset({"that", "this", "it's", "that's", "thats"})
VERBS_AFTER_DEMONSTRATIVE = frozenset(
    {"is", "was", "would", "will", "could", "can", "might", "must", "seems", "sounds", "feels",
     "makes", "made", "isn't", "wasn't", "counts", "means"}
)  # fmt: skip
DETERMINERS = frozenset(
    {"the", "a", "an", "that", "this", "those", "these", "his", "her", "their", "your", "our",
     "my", "its", "whose", "every", "each", "some"}
)  # fmt: skip

# Someone else's words: a speech or belief verb whose subject is not the writer, before the
# match ("they told me to ...", "she texted 'I want to die'", "people assume I ...").
_SPEECH_WORDS = (
    r"said|says|say|saying|told|tell|tells|telling|wrote|writes|posted|posts|commented|"
    r"comments|texted|texts|messaged|typed|yelled|shouted|screamed|whispered|called me|"
    r"calls me|assume[sd]?|assuming|think|thinks|thought|believes?|believed|suggested|"
    r"joked|jokes|asked|asks|asking|want(?:s|ed)? me to"
)
SPEECH_VERB = rf"\b(?:{_SPEECH_WORDS})\b"
# After a speech verb, a clause break and a new first-person subject ends the report.
OWN_CLAUSE = r"[,;:]\s*(?:(?:and|so|but|now|honestly|just)\s+)?(?:i|i'm|im|i've|ive|i'd)\b"
# Verbs that introduce a quotation but mean something else without one ("work went badly").
QUOTE_INTRO = (
    rf"\b(?:{_SPEECH_WORDS}|goes|went|sang|sings|sung|reads?|captioned|titled|called|named|"
    rf"quote[sd]?|quoting)\b"
)
MEDIA = (
    r"\b(?:movie|film|show|series|episode|book|novel|song|lyrics?|album|character|"
    r"protagonist|narrator|play|poem|story|article|documentary|podcast|news|video|tiktok|"
    r"anime|manga|game|meme|quote|caption|title)\b"
)

# Before an act ("cut myself"), words that make it a wish or possibility, not something done
# (the thought rules read those); "tried to", "used to" and "managed to" still report an act.
IRREALIS = (
    r"(?:(?<!tried\s)(?<!used\s)(?<!managed\s)\bto|\b(?:could|would|should|might|may|will|"
    r"gonna|wanna|about|of|like|urge|tempted|almost|nearly|'ll|'d))\s*$"
)
# A condition about the future that names no present wish: "if I ever feel like ...",
# "in case the urges come back" (a safety plan, not a disclosure).
HYPOTHETICAL = r"\b(?:if|in case|should i ever)\b"
# ... unless it is a question or doubt rather than a condition ("what if I just ...").
NOT_A_CONDITION = r"\b(?:what|wonder|wondering|sure|know|see|ask|asked|asking|matter|care) $"
HYPOTHETICAL_MARK = r"\b(?:ever|start(?:s|ing)? (?:to|having|feeling)|begin|comes? back|returns?)\b"
# Inside a condition, a second subject with a modal starts the consequence ("if he leaves I'll
# kill myself" is a conditional threat, not a hypothetical).
CONSEQUENCE = (
    r"(?:,|\bthen\b|\bi(?:'ll| will|'m going to|'m gonna| am going to|'d| would| shall|"
    r" must| have to| need to)\b|\bim (?:going to|gonna)\b|\bill\b)"
)

# Time framing.
_NUMBER = (
    r"(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|few|"
    r"several|many|some|a couple(?: of)?|couple(?: of)?)"
)
_AGE = (
    r"(?:\d{1,2}|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"twenty\w*|thirty\w*)"
)
DISTANT_PAST = (
    rf"\b(?:{_NUMBER} (?:years?|decades?) (?:ago|back|earlier|before)|years (?:ago|back|earlier)|"
    rf"a (?:long )?time ago|long ago|ages ago|decades? ago|last year|the year before|"
    rf"(?:when|while) i was (?:a |an |in |at |still |only |just )?(?:kid|child|teen|teenager|"
    rf"young|younger|little|small|{_AGE}|high school|school|uni|university|college|"
    rf"middle school|secondary|(?:a |my )?(?:student|teens|twenties))|"
    rf"as a (?:kid|child|teen|teenager|young \w+|student)|"
    rf"at (?:age )?{_AGE}\b(?!\s*(?:am|pm|o'?clock|:|%))|aged {_AGE}|"
    rf"in (?:high school|middle school|secondary school|college|uni|university|my teens|"
    rf"my (?:early |late )?(?:twenties|thirties|20s|30s)|year \d+|grade \d+)|"
    rf"back (?:in|then|when)|in (?:19|20)\d\d|used to|in the past|those days|"
    rf"the old days|(?:my|that|those|the) old (?:self|life|thoughts|days)|remember (?:when|"
    rf"wishing|wanting|feeling|thinking))\b"
)
RECENT = (
    r"\b(?:last night|yesterday|today|tonight|this (?:morning|afternoon|evening|week|"
    r"weekend|month)|just now|earlier|an hour ago|(?:a|one|two|three|four|five|six|few|"
    r"couple(?: of)?|\d+) (?:hours?|days?|weeks?) ago|last (?:week|weekend|month|monday|"
    r"tuesday|wednesday|thursday|friday|saturday|sunday)|(?:on )?(?:monday|tuesday|"
    r"wednesday|thursday|friday|saturday|sunday)|again|relapsed|relapse|fresh|recently|"
    r"this time|right now|lately)\b"
)
RESOLVED = (
    r"\b(?:(?:much|a lot|so much|far) better place|in a (?:much |far )?better place|better "
    r"(?:now|these days)|doing (?:well|"
    r"better|okay|ok|fine|good|great)|(?:i'?m|i am) (?:okay|ok|fine|safe|well|good|happy) now|"
    r"(?:glad|grateful|thankful|happy) (?:i'?m|i am|to be) (?:still )?(?:alive|here)|"
    r"(?:glad|grateful|thankful) (?:i|it) (?:survived|failed|didn'?t work)|recovered|"
    r"in recovery|healed|(?:haven'?t|have not|hasn'?t) (?:\w+ ){0,3}(?:since|again|in years)|"
    r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|many) (?:years?|months?) "
    r"(?:clean|free|sober)|clean for|behind me|long gone|over now|is over|survivor|"
    r"therapy helped|got help|got better|don'?t feel that way)\b"
)
# Present framing that overrides a distant-past cue for thoughts ("used to ... and still do").
ONGOING = r"\b(?:still|again|lately|these days|coming back|came back|are back|is back|returned)\b"
# The writer says the thoughts are happening now (ASQ acuity).
ACUTE = (
    r"\b(?:right now|tonight|at this (?:very )?moment|this (?:very )?(?:moment|minute|second)|"
    r"as i (?:write|type) this|as we speak)\b"
)
# Humour markers: masked intent is common, so they lower urgent to concern but never to none.
JOKE = r"(?:\b(?:lol+|lmf?ao+|rofl|haha\w*|jk|jking|just kidding|kidding|joking)\b|😂|🤣|💀|🙃)"
