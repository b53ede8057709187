"""Word patterns that point to a thinking trap, each with how strongly and why.

Rules give the suggester its explanations: every hit names the words it matched and a reason a
clinician (or client) can read. Their weights are Mend's own judgement of how often the pattern
means the trap, 0..1, not fitted to any data set: 0.8 for unmistakable wording ("I'm a failure"),
around 0.5 for strong hints, 0.3 or less for words that only lean one way ("again"). The
statistical model in ``traps_model`` covers what the patterns miss; ``traps.suggest`` combines
the two.

Patterns run case-insensitively on the thought as written (curly apostrophes straightened one
for one), so the matched span can be quoted back exactly as the client typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    trap: str
    pattern: re.Pattern[str]
    weight: float
    why: str


@dataclass(frozen=True, slots=True)
class RuleHit:
    """One rule that matched: the trap, the client's own words, and the reason."""

    trap: str
    words: str
    why: str
    weight: float


# Shared word lists. Kept as alternations inside larger patterns, so each is one group.
_I_AM = r"(?:i'?m|i\s+am|i\s+was|i'?ve\s+(?:always\s+)?been|i\s+must\s+be|i\s+will\s+always\s+be)"
_INTENSIFIER = (
    r"(?:(?:so|such|just|really|totally|completely|utterly|such\s+a|a|an|the|the\s+biggest|"
    r"a\s+complete|a\s+total|an\s+absolute|nothing\s+but\s+a|basically\s+a|a\s+huge|a\s+big)\s+)*"
)
_HARSH_WORD = (
    r"(?:failure|loser|idiot|moron|fool|stupid|dumb|worthless|useless|pathetic|hopeless|"
    r"unlovable|unloveable|ugly|disgusting|gross|fat|lazy|weak|weak-willed|boring|dull|"
    r"incompetent|inadequate|defective|broken|damaged(?:\s+goods)?|crazy|insane|psycho|freak|"
    r"weirdo|weird|needy|clingy|selfish|burden|disappointment|embarrassment|mess|wreck|fraud|"
    r"fake|joke|nobody|nothing|monster|coward|screw-?up|f\*?ck-?up|waste\s+of\s+space|"
    r"bad\s+person|terrible\s+person|horrible\s+person|awful\s+person|pig|trash|garbage|"
    r"jerk|liar|bitch|bastard|narcissist|psychopath|manipulative|unattractive|repulsive|"
    r"unwanted|unworthy|a\s+mistake|hopeless\s+case|lost\s+cause|worthless\s+person|"
    r"(?:bad|terrible|horrible|awful|useless|rubbish|lousy|shit|crap|failed)\s+"
    r"(?:\w+\s+)?(?:mother|mum|mom|father|dad|parent|friend|wife|husband|partner|girlfriend|"
    r"boyfriend|daughter|son|sister|brother|person|employee|student|writer|worker|human|"
    r"human\s+being|teacher|boss|lover|cook|driver))"
)
_SOMEONE = (
    r"(?:he|she|they|people|everyone|everybody|others|other\s+people|you|we|"
    r"(?:my|our|his|her|their|the)\s+(?:\w+\s+)?\w+|\w+'s\s+\w+)"
)
_JUDGEMENT = (
    r"(?:stupid|worthless|useless|pathetic|hopeless|ugly|disgusting|fat|lazy|weak|boring|"
    r"incompetent|inadequate|a\s+failure|a\s+loser|a\s+burden|a\s+fraud|a\s+mess|a\s+bad|"
    r"a\s+terrible|a\s+horrible|a\s+disappointment|unlovable|unwanted|unwelcome|invisible|"
    r"not\s+good\s+enough|not\s+enough|too\s+much|crazy|dirty|broken|trapped|helpless|"
    r"powerless|guilty|ashamed|responsible|to\s+blame|like\s+an?\s+\w+|an?\s+idiot|"
    r"an\s+outsider|the\s+odd\s+one\s+out|unworthy|undeserving|defeated|doomed|fake|"
    r"a\s+nobody|no\s+one|nothing|alone|abandoned|rejected|betrayed)"
)
_BAD_OUTCOME = (
    r"(?:fail|flunk|mess|screw|ruin|lose|losing|lost|leave|dump|reject|hate|laugh|be\s+alone|"
    r"end\s+up|get\s+fired|get\s+sacked|be\s+fired|be\s+sacked|break\s+up|go\s+wrong|go\s+badly|"
    r"be\s+(?:a\s+)?(?:disaster|awful|terrible|horrible|a\s+nightmare|embarrass\w*|humiliat\w*|"
    r"rejected|ignored|alone|lonely|stuck|miserable|unhappy|single|laughed\s+at|judged|awkward)|"
    r"make\s+a\s+fool|embarrass|humiliate|panic|freeze|forget|die|disappoint|cheat|abandon|"
    r"drop|ignore|think\s+i'?m|say\s+no|refuse|never|not\s+\w+|never\s+\w+|regret|hurt)"
)
_ACHIEVEMENT = (
    r"(?:passed|got|won|finished|managed|did|made|achieved|succeeded|promot\w+|praise\w*|"
    r"complimen\w+|thank\w*|invit\w+|hired|accepted|chosen|picked|liked|loved|proud)"
)


def _rule(trap: str, pattern: str, weight: float, why: str) -> Rule:
    return Rule(trap, re.compile(pattern, re.IGNORECASE), weight, why)


RULES: tuple[Rule, ...] = (
    # --- all-or-nothing: extremes with no middle ---
    _rule(
        "all-or-nothing",
        r"\b(?:complete|total|utter|absolute)(?:ly)?\s+(?:failure|disaster|waste|mess|loser|"
        r"idiot|wreck|fraud|joke|nothing|worthless|useless|hopeless|ruined|over)\b",
        0.6,
        "an all-out word turns one outcome into a total verdict",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:completely|totally|entirely|utterly|absolutely|100\s*%|100\s+percent)\b",
        0.3,
        "an all-out word leaves no room for the in-between",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:perfect|perfectly|perfection|flawless(?:ly)?)\b",
        0.4,
        "anything short of perfect is being treated as a failure",
    ),
    _rule(
        "all-or-nothing",
        r"\beither\b.{1,60}\bor\b",
        0.35,
        "'either ... or' offers only two extremes",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:everything|anything)\s+(?:is|was|'s|has\s+been|about\s+me\s+is)\s+"
        r"(?:ruined|wrong|over|pointless|lost|a\s+mess|worthless|gone)\b"
        r"|\b(?:ruined|wrecked|spoiled|lost|blew|ruins|ruin)\s+everything\b",
        0.5,
        "one setback is being counted as the loss of everything",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:the\s+)?whole\s+(?:thing|day|evening|night|weekend|trip|holiday|week|year|"
        r"life|relationship|report|project|point|of\s+me)\b",
        0.3,
        "one part is standing in for the whole",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:no\s+point|what'?s\s+the\s+point|pointless|might\s+as\s+well\s+give\s+up)\b",
        0.35,
        "if it isn't all, it's nothing",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:can'?t|cannot|never)\s+do\s+anything\s+right\b|\bnothing\s+(?:i\s+do\s+)?"
        r"(?:is\s+)?(?:ever\s+)?(?:good\s+enough|right|works?)\b|\bnot\s+\w+\s+at\s+all\b",
        0.5,
        "nothing counts unless it is completely right",
    ),
    _rule(
        "all-or-nothing",
        r"\b(?:i'?m|i\s+am)\s+(?:nothing|worthless)\s+(?:without|unless|if)\b"
        r"|\b(?:all\s+or\s+nothing|black\s+and\s+white|back\s+to\s+square\s+one)\b",
        0.55,
        "one condition decides everything",
    ),
    # --- overgeneralizing: one event becomes a rule ---
    _rule(
        "overgeneralizing",
        # "I'll never ..." predicts the future (fortune telling); overgeneralizing reads a rule
        # out of what has happened, so future forms are left to the fortune-telling rules.
        r"(?<!will\s)(?<!'ll\s)(?<!\bill\s)(?<!won't\s)(?<!wont\s)(?<!going\sto\s)"
        r"\b(?:always|never|constantly)\b(?!\s+(?:again|going\s+to|gonna|will))",
        0.4,
        "'always' or 'never' turns what happened into a rule",
    ),
    _rule(
        "overgeneralizing",
        r"\b(?:every\s*(?:one|body)|no\s*(?:one|body)|every\s+(?:single\s+)?time|whenever|"
        r"all\s+the\s+time|every\s+\w+\s+i\b|all\s+(?:my|of\s+my)\s+\w+|every\s+"
        r"(?:relationship|friend|man|woman|guy|girl|job|partner|person|one\s+of))\b",
        0.4,
        "a sweeping word turns one person or moment into everyone and every time",
    ),
    _rule(
        "overgeneralizing",
        r"\bnothing\s+(?:ever|good|goes|works|ever\s+goes)\b|\bnever\s+(?:get|gets|do|does|goes|"
        r"works?|happen|happens)\b",
        0.5,
        "one disappointment is being read as how things always go",
    ),
    _rule(
        "overgeneralizing",
        r"\b(?:again|yet\s+again|once\s+again|another\s+one|like\s+(?:i|it|they|he|she)\s+"
        r"always|same\s+(?:thing|way|story)|as\s+usual|keep\s+(?:getting|being|failing|messing|"
        r"ruining|losing|making|choosing|attracting))\b",
        0.25,
        "'again' can turn a few events into a pattern",
    ),
    # --- mental filter: one detail fills the view ---
    _rule(
        "mental-filter",
        r"\ball\s+(?:i\s+(?:can|could)\s+)?(?:think\s+(?:about|of)|see|focus\s+on|remember|"
        r"notice|hear|heard|noticed|saw)\b",
        0.65,
        "one detail is filling the whole picture",
    ),
    _rule(
        "mental-filter",
        r"\b(?:the\s+)?only\s+(?:thing|part|bit|one)\s+(?:i|that|which)\s+"
        r"(?:can\s+)?(?:think|remember|see|notice|hear|focus|took|matters?|stuck|stays)"
        r"|\bonly\s+(?:ever\s+)?(?:notice|remember|see|focus\s+on|think\s+about|hear)\b",
        0.65,
        "one part is all that's being noticed",
    ),
    _rule(
        "mental-filter",
        r"\b(?:can'?t|cannot)\s+stop\s+(?:thinking|dwelling|focusing|obsessing)|\bcan'?t\s+get\s+"
        r"past\b|\bkeep\s+(?:replaying|going\s+(?:back|over)|thinking\s+about|dwelling|"
        r"fixating|staring\s+at|focusing)|\b(?:fixat|dwell|obsess|ruminat)\w*\b",
        0.5,
        "the mind keeps returning to one painful detail",
    ),
    _rule(
        "mental-filter",
        r"\b(?:spoiled|tainted|ruined)\s+(?:for\s+me\s+)?(?:by|because\s+of)\s+(?:that|one|the\s+one)"
        r"|\bexcept\s+(?:for\s+)?(?:the|that)\s+(?:one|moment|bit)\b",
        0.5,
        "one moment colours everything else",
    ),
    # --- discounting the positive ---
    _rule(
        "discounting-positive",
        r"\b(?:doesn'?t|does\s+not|didn'?t|won'?t|wouldn'?t)\s+(?:really\s+)?(?:count|matter|mean\s+"
        r"(?:anything|much|a\s+thing))\b|\bmeans?\s+nothing\b|\bnot\s+(?:an\s+achievement|a\s+"
        r"(?:big\s+deal|real|skill)|real\s+friends|something\s+to\s+be\s+proud)",
        0.55,
        "something good is being set aside as not counting",
    ),
    _rule(
        "discounting-positive",
        r"\b(?:only|just)\s+(?:because|being\s+(?:nice|polite|kind)|(?:being\s+)?polite|lucky|"
        r"luck|out\s+of\s+(?:pity|obligation|politeness)|saying\s+that|said\s+that|to\s+be\s+nice)"
        r"|\b(?:fluke|by\s+chance|pure\s+luck|got\s+lucky|was\s+lucky|sheer\s+luck)\b",
        0.55,
        "a good thing is being explained away",
    ),
    _rule(
        "discounting-positive",
        r"\b(?:felt|feel|feels)\s+sorry\s+for\s+me\b|\bout\s+of\s+pity\b|\b(?:has|have|had|paid|"
        r"obliged|supposed)\s+to\s+say\s+(?:that|so|it)\b|\b(?:anyone|anybody)\s+could\s+"
        r"(?:have|do)\b|\b(?:the\s+)?least\s+i\s+could\s+do\b|\bit\s+was\s+(?:an?\s+)?easy\b",
        0.6,
        "kindness or success is being put down to something other than you",
    ),
    _rule(
        "discounting-positive",
        r"\b" + _ACHIEVEMENT + r"\b[^.!?]{0,60}\bbut\b[^.!?]{0,40}\b(?:only|just|anyone|luck|"
        r"lucky|easy|nothing|doesn'?t|didn'?t|won'?t|not|still|too)\b",
        0.4,
        "'but' takes back the good thing that came before it",
    ),
    _rule(
        "discounting-positive",
        r"\b(?:they|he|she|people)\s+(?:just\s+)?(?:don'?t|doesn'?t)\s+(?:really\s+)?know\s+"
        r"(?:me|the\s+real\s+me)\b|\bhaven'?t\s+noticed\s+(?:my|how)\b|\bwon'?t\s+last\b",
        0.4,
        "praise is being dismissed as a mistake",
    ),
    # --- mind reading ---
    _rule(
        "mind-reading",
        # Someone else's opinion of you. The look-behinds leave out "I think I'm ...", which
        # is the client's own view (labeling, if anything), not a guess at someone else's.
        r"(?<!\bi\s)(?<!\bi\sjust\s)(?<!\bi\sreally\s)(?<!\bi\salways\s)(?<!\bi\sstill\s)"
        r"\b(?:think|thinks|thought|believe|believes|consider|considers|see|sees|saw|view|views)"
        r"\s+(?:that\s+)?(?:i'?m|i\s+am|i\s+was|i'?ve|i\s+(?:have|can'?t|don'?t|will|should|"
        r"need)|of\s+me|me\s+as|my\s+\w+\s+(?:is|was))\b"
        r"|\b(?:finds?|found)\s+me\s+(?:so\s+|too\s+|really\s+|a\s+bit\s+)?(?:boring|annoying|"
        r"dull|weird|strange|ugly|unattractive|attractive|stupid|irritating|exhausting|"
        r"difficult|needy|clingy|too\s+much|pathetic|disgusting|repulsive|embarrassing)\b",
        0.7,
        "a guess about what someone thinks of you, stated as a fact",
    ),
    _rule(
        "mind-reading",
        r"\b(?:hates?|hated|resents?|despises?|can'?t\s+stand|doesn'?t\s+(?:like|love|want|care\s+"
        r"about|respect|trust)|don'?t\s+(?:like|love|want|care\s+about|respect|trust))\s+me\b"
        r"|\b(?:judging|laughing\s+at|talking\s+about|looking\s+down\s+on|pitying|avoiding|"
        r"tired\s+of|sick\s+of|bored\s+(?:of|with)|fed\s+up\s+with|disappointed\s+(?:in|with)|"
        r"annoyed\s+(?:with|by)|angry\s+(?:with|at)|mad\s+at|ashamed\s+of|disgusted\s+by|"
        r"relieved\s+when|upset\s+with)\s+me\b",
        0.5,
        "how someone feels about you is being assumed",
    ),
    _rule(
        "mind-reading",
        r"\b(?:must|probably|obviously|clearly|secretly)\s+(?:be\s+|have\s+been\s+|find\s+me\s+|"
        r"think\s+)?(?:angry|mad|annoyed|upset|disappointed|bored|tired\s+of|sick\s+of|"
        r"disgusted|ashamed|regret|hate|resent|judg\w+|laugh\w*|talk\w*\s+about|think|want)\w*"
        r"|\b(?:i\s+can\s+tell|i\s+just\s+know|i\s+know\s+(?:what\s+)?(?:they|he|she|people|"
        r"what)|i\s+bet\s+(?:they|he|she|people)|i'?m\s+sure\s+(?:they|he|she|people))\b",
        0.5,
        "someone's inner thoughts are being read from the outside",
    ),
    _rule(
        "mind-reading",
        r"\b(?:pretending|putting\s+up\s+with\s+me|only\s+(?:keeps?|keep|puts?)\s+(?:me|up)|"
        r"hiding\s+something|(?:could|can)\s+(?:see|tell)\s+(?:i|how|that)|noticed\s+(?:my|how\s+i|"
        r"that\s+i))\b",
        0.45,
        "what others privately think is being filled in",
    ),
    # --- fortune telling ---
    _rule(
        "fortune-telling",
        r"\b(?:i'?ll|i\s+will|will|won'?t|going\s+to|gonna)\s+(?:\w+\s+){0,2}?"
        r"(?:never|ever|forever|always)\b|\bnever\s+going\s+to\b|\bnever\s+gonna\b",
        0.6,
        "a painful future is being predicted as certain",
    ),
    _rule(
        "fortune-telling",
        r"\b(?:i'?ll|(?:i|he|she|they|it|this|that|we|you|people|everyone|nobody|no\s+one)\s+will|"
        r"(?:he|she|they|it|we|you)'ll|going\s+to|gonna|(?:is|are|am)\s+bound\s+to)\s+"
        r"(?:\w+\s+){0,2}?" + _BAD_OUTCOME,
        0.5,
        "a bad outcome is being predicted before it has happened",
    ),
    _rule(
        "fortune-telling",
        r"\bwon'?t\s+(?:ever|be\s+able|work|get|want|like|forgive|accept|last|come|reply|"
        r"answer|call|hire|pick|choose|care|change|improve|help|recover|understand|matter)\b"
        r"|\b(?:doomed|no\s+chance|no\s+hope|hopeless\s+future|there'?s\s+no\s+future)\b",
        0.45,
        "the future is being written off in advance",
    ),
    _rule(
        "fortune-telling",
        r"\b(?:probably|definitely|certainly|for\s+sure|surely|i\s+know|bound\s+to|"
        r"eventually|sooner\s+or\s+later)\b[^.!?]{0,40}\b(?:will|'ll|going\s+to|gonna)\b"
        r"|\b(?:will|'ll|going\s+to)\b[^.!?]{0,40}\b(?:for\s+sure|eventually|i\s+know\s+it)\b",
        0.45,
        "a guess about the future is being treated as a certainty",
    ),
    _rule(
        "fortune-telling",
        r"\bif\s+i\s+\w+[^.!?]{0,50}\b(?:they'?ll|he'?ll|she'?ll|it'?ll|i'?ll|"
        r"(?:they|he|she|it|i|everyone|people)\s+will)\b",
        0.3,
        "'if ..., then ...' is predicting how it will go",
    ),
    # --- catastrophizing ---
    _rule(
        "catastrophizing",
        r"\b(?:disaster|disastrous|catastroph\w*|nightmare|unbearable|unsurvivable|"
        r"end\s+of\s+(?:the\s+world|everything|my\s+\w+|us|our\s+\w+)|"
        r"(?:life|world|career|future|everything)\s+(?:is|was|would\s+be|will\s+be)\s+"
        r"(?:over|ruined|destroyed|finished)|falling\s+apart|fall\s+apart)\b",
        0.65,
        "something hard is being pictured as the worst it could be",
    ),
    _rule(
        "catastrophizing",
        r"\b(?:can'?t|cannot|couldn'?t|won'?t\s+be\s+able\s+to|unable\s+to)\s+(?:cope|bear|take|"
        r"handle|stand|survive|function|live|go\s+on|get\s+through|deal)\b|\bwon'?t\s+survive\b"
        r"|\b(?:never|not)\s+(?:recover|get\s+over|survive)\b",
        0.55,
        "a painful thing is being felt as impossible to live through",
    ),
    _rule(
        "catastrophizing",
        r"\b(?:ruin|ruined|ruins|ruining|destroy|destroyed|destroys|wreck|wrecked)\s+"
        r"(?:my|our|her|his|their|the\s+rest\s+of|everything|me|us)\b"
        r"|\b(?:heart\s+attack|cancer|tumou?r|serious\s+(?:illness|disease)|murdered|burn\s+down|"
        r"(?:going\s+to|gonna|will)\s+kill\s+me|homeless|on\s+the\s+street|lose\s+my\s+mind|"
        r"never\s+(?:see|speak\s+to|talk\s+to|forgive)\s+(?:me|him|her|them|us)\s+again|"
        r"lose\s+(?:all\s+)?my\s+friends|"
        r"go(?:ing)?\s+crazy|lose\s+everything|lose\s+my\s+(?:job|house|home|flat|kids|children)|"
        r"get(?:ting)?\s+(?:fired|sacked)|be\s+(?:fired|sacked))\b",
        0.45,
        "the worst possible outcome is being pictured",
    ),
    _rule(
        "catastrophizing",
        r"\b(?:worst|terrible|awful|horrible|horrific|dreadful|devastat\w*|humiliat\w*|"
        r"the\s+most\s+\w+\s+thing|something\s+(?:terrible|awful|bad|serious|wrong))\b",
        0.3,
        "strong words can make a hard moment feel like the worst",
    ),
    _rule(
        "catastrophizing",
        r"\bwhat\s+if\b",
        0.45,
        "'what if' runs ahead to the worst that could happen",
    ),
    # --- emotional reasoning ---
    _rule(
        "emotional-reasoning",
        r"\bi\s+(?:just\s+|really\s+|still\s+|always\s+|often\s+)?feel\s+(?:so\s+|like\s+|as\s+"
        r"(?:though|if)\s+|that\s+|really\s+|completely\s+|totally\s+)*(?:i'?m\s+|i\s+am\s+|i\s+)?"
        + _JUDGEMENT,
        0.6,
        "a feeling about yourself is being taken as the truth about you",
    ),
    _rule(
        "emotional-reasoning",
        r"\bi\s+(?:just\s+|really\s+|still\s+|always\s+)?feel\s+(?:like|as\s+(?:though|if))\b",
        0.45,
        "'I feel like' is treating a feeling as a fact",
    ),
    _rule(
        "emotional-reasoning",
        r"\b(?:feel|feels|felt|feeling)\b[^.!?]{0,50}\b(?:so|which\s+(?:means|proves)|that\s+"
        r"(?:means|proves)|therefore)\s+(?:it|i|he|she|they|this|that|something|my)\b[^.!?]{0,30}"
        r"\b(?:must|is|am|are|was|means|proves)\b"
        r"|\b(?:because|since)\s+i\s+feel\b|\bit\s+feels\s+(?:like|as\s+if|hopeless|wrong|"
        r"true|real)\b|\bsomething\s+feels\s+(?:off|wrong)\b|\bmy\s+gut\s+(?:says|tells)\b",
        0.6,
        "a feeling is being used as the evidence",
    ),
    # --- should statements ---
    _rule(
        "should-statements",
        r"\b(?:should|shouldn'?t|should\s+not|ought\s+to|oughtn'?t|must\s+never|must\s+always|"
        r"mustn'?t)\s+(?:have|be|always|never|know|feel|need|get|do|be\s+able)\b",
        0.7,
        "a strict rule about how things should be",
    ),
    _rule(
        "should-statements",
        r"\b(?:i|you|he|she|they|we|people|everyone|my\s+\w+)\s+(?:really\s+)?"
        r"(?:should(?:n'?t)?|ought\s+to|must(?!\s+(?:have|be|think|feel|hate|know|find))|"
        r"mustn'?t|(?:am|is|are)\s+supposed\s+to)\b",
        0.45,
        "'should' or 'must' sets a rule that's hard to live up to",
    ),
    _rule(
        "should-statements",
        r"\b(?:i|you|we)\s+(?:have|need|has|needs)\s+to\s+(?:be\s+(?:perfect|liked|strong|"
        r"the\s+best|happy|in\s+control)|make\s+everyone|please\s+everyone|always|never)\b"
        r"|\b(?:a\s+)?(?:good|real|proper|normal)\s+(?:\w+\s+)?(?:mother|mum|mom|father|dad|"
        r"parent|friend|wife|husband|partner|daughter|son|person|man|woman|employee)\s+"
        r"(?:would|should|wouldn'?t|never|always|does|doesn'?t|is|spends?|knows?)\b",
        0.55,
        "a rule about how a person is supposed to be",
    ),
    # --- labeling ---
    _rule(
        "labeling",
        r"\b" + _I_AM + r"\s+(?:not\s+)?" + _INTENSIFIER + _HARSH_WORD + r"\b",
        0.8,
        "one harsh word is summing up the whole of you",
    ),
    _rule(
        "labeling",
        r"\b(?:he|she|they|you|he'?s|she'?s|they'?re|you'?re|my\s+\w+|(?:he|she|it)\s+is|"
        r"(?:they|you)\s+are|[a-z]+\s+is)\s+(?:is\s+|are\s+|was\s+|were\s+)?"
        + _INTENSIFIER
        + r"(?:idiot|moron|jerk|liar|bitch|bastard|narcissist|psychopath|monster|fake|loser|"
        r"selfish|manipulative|trash|garbage|useless|stupid|lazy|boring|horrible|evil|toxic|"
        r"crazy|psycho|incompetent|pathetic|cruel|heartless|idiots|losers|liars|fakes)\b",
        0.6,
        "one harsh word is summing up a whole person",
    ),
    _rule(
        "labeling",
        r"\b(?:i'?m|i\s+am)\s+(?:not\s+)?(?:smart|good|pretty|clever|attractive|interesting|"
        r"thin|strong|talented|lovable|loveable|worthy)\s+enough\b|\bsuch\s+an?\s+(?:idiot|"
        r"loser|failure|mess|fool|moron|burden|disappointment|embarrassment)\b",
        0.55,
        "one verdict is being passed on the whole of you",
    ),
    _rule(
        "labeling",
        r"\b(?:i'?m|i\s+am)\s+(?:too|so)\s+(?:sensitive|needy|emotional|much|stupid|ugly|fat|"
        r"lazy|weak|boring|dramatic|difficult)\b",
        0.45,
        "a trait is being made into who you are",
    ),
    # --- personalizing ---
    _rule(
        "personalizing",
        r"\b(?:my\s+(?:own\s+)?fault|because\s+of\s+me|(?:it'?s|it\s+is|that'?s|that\s+is|"
        r"it\s+was)\s+(?:all\s+)?(?:on|down\s+to)\s+me|i'?m\s+(?:the\s+(?:reason|problem|cause)|"
        r"to\s+blame|responsible)|i\s+(?:am|was)\s+(?:the\s+(?:reason|problem|cause)|to\s+blame"
        r"|responsible)|i\s+feel\s+responsible|i\s+caused|blame\s+myself)\b",
        0.75,
        "you are taking on all of the blame for something with many causes",
    ),
    _rule(
        "personalizing",
        r"\b(?:what|something)\s+(?:did\s+)?i\s+(?:did|do|said|say|done)\b|\bi\s+must\s+have\s+"
        r"(?:done|said|made|upset|annoyed|given)|\b(?:it'?s|was|is)\s+(?:probably\s+)?"
        r"(?:something|because)\s+(?:i|of\s+something\s+i)\b|\bi\s+(?:made|make)\s+(?:it|things|"
        r"everything|everyone|him|her|them)\s+(?:awkward|worse|uncomfortable|leave|upset|angry|"
        r"sad)|\bi\s+(?:ruined|spoiled|spoilt|killed|wrecked)\s+(?:it|the|everything|the\s+mood)"
        r"|\bi\s+always\s+(?:kill|ruin|spoil|cause|mess)|\bbecause\s+i\s+(?:was|am|'m|wasn'?t|"
        r"didn'?t|did|said|chose)\b",
        0.5,
        "you are treating yourself as the cause of what happened",
    ),
    _rule(
        "personalizing",
        r"\b(?:at|about|with)\s+me\b|\bif\s+(?:only\s+)?i\s+(?:had|hadn'?t|was|wasn'?t|were|"
        r"weren'?t|'?d)\b|\bi\s+should\s+have\s+(?:noticed|known|seen|stopped|prevented|been\s+"
        r"there|done\s+more|helped|fixed|been\s+able)",
        0.25,
        "someone else's mood or action is being read as being about you",
    ),
    # --- blaming ---
    _rule(
        "blaming",
        r"\b(?:his|her|their|your|its|(?:\w+)'s)\s+fault\b|\bbecause\s+of\s+(?:him|her|them|you|"
        r"my\s+\w+|his|her|their|the\s+\w+)\b|\b(?:he|she|they|you|it|my\s+\w+)\s+(?:is|are|was|"
        r"were|'s|'re)\s+(?:the\s+reason|to\s+blame|responsible\s+for|why)\b|\bblame\s+"
        r"(?:him|her|them|you|my|the|everyone)\b",
        0.7,
        "the whole cause is being placed with someone else",
    ),
    _rule(
        "blaming",
        # People only: "the test makes me nervous" describes a feeling, not a blame.
        r"\b(?:he|she|they|you|my\s+\w+|(?:his|her|their)\s+\w+|everyone|people)\s+"
        r"(?:\w+\s+)?(?:made|makes|make|making)\s+me\s+(?:feel|so|lose|do|this|like|the\s+way|"
        r"what|be|\w+)"
        r"|\b(?:ruined|ruins|destroyed|destroys|wrecked|wrecks|wasted|wastes|took|stole|screwed"
        r"(?:\s+me)?|messed\s+up)\s+(?:up\s+)?(?:my|me\s+over|everything\s+for\s+me|years\s+of)\b",
        0.55,
        "how you feel is being put in someone else's hands",
    ),
    _rule(
        "blaming",
        r"\bif\s+(?:only\s+)?(?:he|she|they|you|my\s+\w+|(?:his|her|their)\s+\w+)\s+(?:had|"
        r"hadn'?t|had\s+not|didn'?t|wasn'?t|weren'?t|would|'d)\b"
        r"|\b(?:let\s+me\s+down|turned\s+\w+\s+against\s+me|set\s+me\s+up|abandoned\s+me|"
        r"betrayed\s+me|failed\s+me|screwed\s+me|used\s+me|never\s+loved\s+me|"
        r"never\s+(?:supported|helped|cared\s+about)\s+me)\b",
        0.45,
        "someone else is being held responsible for how things turned out",
    ),
    # --- comparing ---
    _rule(
        "comparing",
        r"\b(?:\w+er|more\s+\w+|better|worse|less\s+\w+)\s+than\s+(?:me|i\b|i\s+am|i'?ll|i\s+"
        r"will|i\s+do|mine|us)\b|\bthan\s+(?:me|i)\s+(?:in\s+every|at\s+everything)\b",
        0.75,
        "you are being measured against someone else",
    ),
    _rule(
        "comparing",
        r"\b(?:compared?\s+(?:to|with)|comparison|not\s+as\s+\w+\s+as|as\s+(?:good|smart|pretty|"
        r"successful|happy|confident|interesting|fun|thin|clever|attractive)\s+as|like\s+"
        r"(?:everyone|everybody|other\s+people|others|my\s+(?:sister|brother|friends?|cousin|"
        r"colleagues?|coworkers?)))\b",
        0.6,
        "you are being measured against someone else",
    ),
    _rule(
        "comparing",
        r"\b(?:everyone|everybody|all\s+my\s+friends|my\s+friends|others|other\s+(?:people|"
        r"couples|mums|moms|parents|women|men|girls|guys|families))\s+(?:else\s+)?(?:\w+\s+)?"
        r"(?:has|have|had|is|are|seems?|gets?|got|can|earn|earns|do|does|manage|cope|make)\b"
        r"[^.!?]{0,60}\b(?:and|but|while|except|whereas)\s+(?:i|me|mine|what\s+do\s+i)\b"
        r"|\beveryone\s+else\b|\bexcept\s+(?:for\s+)?me\b",
        0.5,
        "other people's lives are being used as the yardstick for yours",
    ),
    _rule(
        "comparing",
        r"\bthe\s+(?:least|worst|only\s+one|slowest|ugliest|dumbest|last)\b[^.!?]{0,30}\b(?:in|of|"
        r"among)\s+(?:my|the|our|us|them)\b|\b(?:favourite|favorite|golden\s+child)\b|\b(?:behind|"
        r"ahead\s+of)\s+(?:me|everyone|my|others|them)\b|\bwhy\s+can'?t\s+i\s+be\s+(?:like|as)\b",
        0.5,
        "you are being ranked against other people",
    ),
)


def normalise(thought: str) -> str:
    """Straighten curly apostrophes, one character for one, so spans still match the original."""
    return thought.translate(_APOSTROPHES)


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def match(thought: str) -> list[RuleHit]:
    """Every rule that matches, once per rule (the first match is the evidence shown)."""
    text = normalise(thought)
    hits: list[RuleHit] = []
    for rule in RULES:
        found = rule.pattern.search(text)
        if found is not None:
            hits.append(
                RuleHit(rule.trap, thought[found.start() : found.end()], rule.why, rule.weight)
            )
    return hits
