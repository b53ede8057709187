"""Scoring against the published rules. Expected bands are copied from the instrument reference,
not read from the definition files, so a wrong definition makes these tests fail."""

from __future__ import annotations

import pytest

from mend.measures.definitions import InstrumentRegistry
from mend.measures.scoring import InvalidAnswers, score

from .helpers import build, fill, fixture_data

# (instrument, total, expected band) -- lower and upper boundary of every published band.
SUM_BAND_BOUNDARIES = [
    ("phq9", 0, "none/minimal"),
    ("phq9", 4, "none/minimal"),
    ("phq9", 5, "mild"),
    ("phq9", 9, "mild"),
    ("phq9", 10, "moderate"),
    ("phq9", 14, "moderate"),
    ("phq9", 15, "moderately severe"),
    ("phq9", 19, "moderately severe"),
    ("phq9", 20, "severe"),
    ("phq9", 27, "severe"),
    ("gad7", 0, "minimal"),
    ("gad7", 4, "minimal"),
    ("gad7", 5, "mild"),
    ("gad7", 9, "mild"),
    ("gad7", 10, "moderate"),
    ("gad7", 14, "moderate"),
    ("gad7", 15, "severe"),
    ("gad7", 21, "severe"),
    ("ucla3", 3, "not lonely"),
    ("ucla3", 5, "not lonely"),
    ("ucla3", 6, "lonely"),
    ("ucla3", 9, "lonely"),
]

CODE_RANGES = {"phq9": (0, 3), "gad7": (0, 3), "ucla3": (1, 3)}


@pytest.mark.parametrize(("instrument_id", "total", "band"), SUM_BAND_BOUNDARIES)
def test_sum_total_falls_in_published_band_at_each_boundary(
    registry: InstrumentRegistry, instrument_id: str, total: int, band: str
) -> None:
    instrument = registry.get(instrument_id)
    low, high = CODE_RANGES[instrument_id]
    result = score(instrument, fill(total, len(instrument.items), low, high))
    assert result.total == total
    assert result.band == band
    assert result.complete is True


def test_phq9_band_ranks_increase_with_severity(registry: InstrumentRegistry) -> None:
    phq9 = registry.get("phq9")
    ranks = [score(phq9, fill(total, 9, 0, 3)).band_rank for total in (0, 5, 10, 15, 20)]
    assert ranks == [0, 1, 2, 3, 4]


# --- cut-off-only screens ---


@pytest.mark.parametrize(
    ("instrument_id", "answers", "total", "cutoff_met"),
    [
        ("phq2", [1, 1], 2, False),
        ("phq2", [2, 1], 3, True),
        ("gad2", [0, 2], 2, False),
        ("gad2", [3, 0], 3, True),
        ("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 1], 9, False),
        ("phq9", [1, 1, 1, 1, 1, 1, 1, 1, 2], 10, True),
        ("gad7", [3, 3, 3, 0, 0, 0, 0], 9, False),
        ("gad7", [3, 3, 3, 1, 0, 0, 0], 10, True),
    ],
)
def test_cutoff_met_at_or_above_published_cutoff(
    registry: InstrumentRegistry,
    instrument_id: str,
    answers: list[int],
    total: int,
    cutoff_met: bool,
) -> None:
    result = score(registry.get(instrument_id), answers)
    assert result.total == total
    assert result.extra["cutoff_met"] is cutoff_met


def test_phq2_and_gad2_have_no_band_only_a_screen_result(registry: InstrumentRegistry) -> None:
    assert score(registry.get("phq2"), [3, 3]).band is None
    assert score(registry.get("gad2"), [3, 3]).band is None


def test_phq2_never_flags_suicidality(registry: InstrumentRegistry) -> None:
    assert score(registry.get("phq2"), [3, 3]).flags == ()


# --- WHO-5 ---


@pytest.mark.parametrize(
    ("answers", "total", "percentage", "poor"),
    [
        ([0, 0, 0, 0, 0], 0, 0, True),
        ([5, 5, 2, 0, 0], 12, 48, True),
        ([5, 5, 3, 0, 0], 13, 52, False),
        ([5, 5, 5, 5, 5], 25, 100, False),
    ],
)
def test_who5_raw_total_percentage_and_poor_wellbeing_at_12_or_less(
    registry: InstrumentRegistry, answers: list[int], total: int, percentage: int, poor: bool
) -> None:
    result = score(registry.get("who5"), answers)
    assert result.total == total
    assert result.extra["percentage"] == percentage
    assert result.extra["cutoff_met"] is poor


def test_who5_rejects_code_6_and_accepts_printed_codes_5_to_0(
    registry: InstrumentRegistry,
) -> None:
    with pytest.raises(InvalidAnswers, match="item 2"):
        score(registry.get("who5"), [5, 6, 5, 5, 5])


# --- PCL-5 ---


def test_pcl5_total_and_cluster_subscales(registry: InstrumentRegistry) -> None:
    answers = [1] * 5 + [2] * 2 + [3] * 7 + [4] * 6
    result = score(registry.get("pcl5"), answers)
    assert result.total == 5 + 4 + 21 + 24
    assert {key: sub.score for key, sub in result.subscales.items()} == {
        "intrusion": 5,
        "avoidance": 4,
        "negative_cognition_mood": 21,
        "arousal_reactivity": 24,
    }
    assert result.band is None


@pytest.mark.parametrize(("total", "above"), [(32, False), (33, True)])
def test_pcl5_cutoff_33_without_severity_band(
    registry: InstrumentRegistry, total: int, above: bool
) -> None:
    answers = fill(total, 20, 0, 4)
    result = score(registry.get("pcl5"), answers)
    assert result.total == total
    assert result.extra["cutoff_met"] is above
    assert result.band is None
    assert result.band_rank is None


def test_pcl5_dsm5_rule_needs_an_endorsed_avoidance_item(registry: InstrumentRegistry) -> None:
    pcl5 = registry.get("pcl5")
    endorsed = [2] * 20
    without_avoidance = [4] * 5 + [1, 1] + [4] * 13
    assert score(pcl5, endorsed).extra["dsm5_provisional_ptsd"] is True
    result = score(pcl5, without_avoidance)
    assert result.extra["cutoff_met"] is True
    assert result.extra["dsm5_provisional_ptsd"] is False


@pytest.mark.parametrize(("answer", "fires"), [(1, False), (2, True), (4, True)])
def test_pcl5_item16_review_flag_from_moderately_and_marked_not_official(
    registry: InstrumentRegistry, answer: int, fires: bool
) -> None:
    answers = [0] * 20
    answers[15] = answer
    flags = score(registry.get("pcl5"), answers).flags
    assert [flag.item for flag in flags] == (["pcl5_16"] if fires else [])
    if fires:
        assert flags[0].severity == "review"
        assert flags[0].official is False


# --- PHQ-9 item 9 ---


@pytest.mark.parametrize("answer", [1, 2, 3])
def test_phq9_item9_any_answer_above_zero_raises_a_high_flag(
    registry: InstrumentRegistry, answer: int
) -> None:
    result = score(registry.get("phq9"), [0] * 8 + [answer])
    assert [(flag.item, flag.number, flag.answer) for flag in result.flags] == [
        ("phq9_9", 9, answer)
    ]
    assert result.flags[0].severity == "high"


def test_phq9_item9_zero_raises_no_flag_even_when_severe(registry: InstrumentRegistry) -> None:
    result = score(registry.get("phq9"), [3] * 8 + [0])
    assert result.band == "severe"
    assert result.flags == ()


def test_phq9_item9_flag_still_fires_when_another_answer_is_missing(
    registry: InstrumentRegistry,
) -> None:
    result = score(registry.get("phq9"), [0, None, 0, 0, 0, 0, 0, 0, 2])
    assert result.total is None
    assert [flag.item for flag in result.flags] == ["phq9_9"]


# --- ASQ pathways ---


@pytest.mark.parametrize("item5", [None, 0])
def test_asq_all_no_is_negative_and_item5_not_asked_counts_as_zero(
    registry: InstrumentRegistry, item5: int | None
) -> None:
    result = score(registry.get("asq"), [0, 0, 0, 0, item5])
    assert result.band == "negative"
    assert result.band_rank == 0
    assert result.total == 0
    assert result.complete is True
    assert result.missing == ()
    assert result.item_scores == (0, 0, 0, 0, 0)
    assert result.flags == ()


@pytest.mark.parametrize(
    ("answers", "total"),
    [([1, 0, 0, 0, 0], 1), ([0, 0, 0, 1, 0], 1), ([1, 1, 1, 1, 0], 4)],
)
def test_asq_any_yes_to_items_1_to_4_with_item5_no_is_non_acute_positive(
    registry: InstrumentRegistry, answers: list[int], total: int
) -> None:
    result = score(registry.get("asq"), answers)
    assert result.band == "non-acute positive"
    assert result.band_rank == 1
    assert result.total == total
    assert {flag.severity for flag in result.flags} == {"high"}


def test_asq_yes_to_item5_after_a_yes_is_acute_positive_with_critical_flag(
    registry: InstrumentRegistry,
) -> None:
    result = score(registry.get("asq"), [0, 0, 1, 0, 1])
    assert result.band == "acute positive"
    assert result.band_rank == 2
    assert [(flag.item, flag.severity) for flag in result.flags] == [
        ("asq_3", "high"),
        ("asq_5", "critical"),
    ]


def test_asq_item5_yes_after_four_no_answers_is_rejected(registry: InstrumentRegistry) -> None:
    with pytest.raises(InvalidAnswers, match="item 5"):
        score(registry.get("asq"), [0, 0, 0, 0, 1])


def test_asq_refused_screen_item_makes_the_screen_positive(registry: InstrumentRegistry) -> None:
    result = score(registry.get("asq"), [None, 0, 0, 0, 0])
    assert result.band == "non-acute positive"
    assert result.total is None
    assert result.complete is False
    assert result.missing == (1,)


def test_asq_positive_without_item5_has_no_result_but_keeps_flags(
    registry: InstrumentRegistry,
) -> None:
    result = score(registry.get("asq"), [1, 0, 0, 0, None])
    assert result.band is None
    assert result.missing == (5,)
    assert [flag.item for flag in result.flags] == ["asq_1"]


def test_asq_rejects_code_2(registry: InstrumentRegistry) -> None:
    with pytest.raises(InvalidAnswers, match="item 1"):
        score(registry.get("asq"), [2, 0, 0, 0, 0])


# --- ProQOL 5 ---


def test_proqol_has_no_total_and_reverses_burnout_items(registry: InstrumentRegistry) -> None:
    proqol = registry.get("proqol5")
    reversed_items = {1, 4, 15, 17, 29}
    # "Never" to the reversed burnout items (happy, connected...) and "Very Often" to all others.
    answers = [1 if number in reversed_items else 5 for number in range(1, 31)]
    result = score(proqol, answers)
    assert result.total is None
    assert result.band is None
    burnout = result.subscales["burnout"]
    assert burnout.score == 50  # would be 30 without reversal
    assert burnout.band == "high"
    assert result.subscales["compassion_satisfaction"].score == 50
    assert result.subscales["secondary_traumatic_stress"].score == 50


def test_proqol_all_never_gives_low_cs_moderate_burnout_low_sts(
    registry: InstrumentRegistry,
) -> None:
    result = score(registry.get("proqol5"), [1] * 30)
    summary = {key: (sub.score, sub.band) for key, sub in result.subscales.items()}
    assert summary == {
        "compassion_satisfaction": (10, "low"),
        "burnout": (30, "moderate"),
        "secondary_traumatic_stress": (10, "low"),
    }


CS_ITEMS = [3, 6, 12, 16, 18, 20, 22, 24, 27, 30]


@pytest.mark.parametrize(
    ("cs_total", "band", "rank"),
    [(10, "low", 2), (22, "low", 2), (23, "moderate", 1), (41, "moderate", 1), (42, "high", 0)],
)
def test_proqol_compassion_satisfaction_band_boundaries(
    registry: InstrumentRegistry, cs_total: int, band: str, rank: int
) -> None:
    answers = [3] * 30
    for number, answer in zip(CS_ITEMS, fill(cs_total, 10, 1, 5), strict=True):
        answers[number - 1] = answer
    cs = score(registry.get("proqol5"), answers).subscales["compassion_satisfaction"]
    assert (cs.score, cs.band, cs.band_rank) == (cs_total, band, rank)


def test_proqol_missing_answer_empties_only_its_subscale(registry: InstrumentRegistry) -> None:
    answers: list[int | None] = [3] * 30
    answers[1] = None  # item 2: secondary traumatic stress
    result = score(registry.get("proqol5"), answers)
    assert result.subscales["secondary_traumatic_stress"].score is None
    assert result.subscales["burnout"].score == 30
    assert result.missing == (2,)


# --- BRS (mean, reversed 2/4/6) ---


@pytest.mark.parametrize(
    ("answers", "mean", "band"),
    [
        ([5, 1, 5, 1, 5, 1], 5.0, "high resilience"),  # raw mean 3.0: reversal matters
        ([1, 5, 1, 5, 1, 5], 1.0, "low resilience"),
        ([3, 3, 3, 3, 3, 3], 3.0, "normal resilience"),
        ([3, 3, 3, 3, 3, 4], 2.83, "low resilience"),  # 17/6, highest score below 3.00
        ([5, 2, 4, 2, 4, 2], 4.17, "normal resilience"),  # 25/6, highest score up to 4.30
        ([5, 1, 4, 2, 4, 2], 4.33, "high resilience"),  # 26/6, lowest score from 4.31
    ],
)
def test_brs_mean_after_reversal_and_band(
    registry: InstrumentRegistry, answers: list[int], mean: float, band: str
) -> None:
    result = score(registry.get("brs"), answers)
    assert result.total == mean
    assert result.band == band


def test_brs_item_scores_show_reversal(registry: InstrumentRegistry) -> None:
    result = score(registry.get("brs"), [4, 4, 4, 4, 4, 4])
    assert result.item_scores == (4, 2, 4, 2, 4, 2)


# --- SCS-SF (total mean reversed; subscales unreversed) ---

SCS_NEGATIVE = {1, 4, 8, 9, 11, 12}


def scs_answers(positive: list[int], negative: list[int]) -> list[int]:
    """Answers from per-group lists in item order (positive: 2,3,5,6,7,10; negative: the rest)."""
    pos, neg = iter(positive), iter(negative)
    return [next(neg) if n in SCS_NEGATIVE else next(pos) for n in range(1, 13)]


@pytest.mark.parametrize(
    ("positive", "negative", "mean", "band"),
    [
        ([1] * 6, [5] * 6, 1.0, "low"),
        ([1] * 6, [3, 2, 2, 2, 2, 2], 2.42, "low"),  # 29/12
        ([1] * 6, [2] * 6, 2.5, "moderate"),  # 30/12: boundary shared by two published ranges
        ([1, 2, 2, 2, 2, 2], [1] * 6, 3.42, "moderate"),  # 41/12
        ([2] * 6, [1] * 6, 3.5, "high"),  # 42/12: boundary shared by two published ranges
        ([5] * 6, [1] * 6, 5.0, "high"),
    ],
)
def test_scs_sf_total_mean_after_reversing_negative_items(
    registry: InstrumentRegistry, positive: list[int], negative: list[int], mean: float, band: str
) -> None:
    result = score(registry.get("scs-sf"), scs_answers(positive, negative))
    assert result.total == mean
    assert result.band == band


def test_scs_sf_subscales_use_answers_unreversed(registry: InstrumentRegistry) -> None:
    answers = scs_answers([2] * 6, [4] * 6)
    result = score(registry.get("scs-sf"), answers)
    scores = {key: sub.score for key, sub in result.subscales.items()}
    assert scores == {
        "self_kindness": 2.0,
        "self_judgment": 4.0,
        "common_humanity": 2.0,
        "isolation": 4.0,
        "mindfulness": 2.0,
        "over_identification": 4.0,
    }
    assert result.total == 2.0  # (6 * 2 + 6 * (6 - 4)) / 12


def test_scs_sf_rounds_mean_to_two_decimals(registry: InstrumentRegistry) -> None:
    result = score(registry.get("scs-sf"), scs_answers([1, 1, 1, 1, 1, 2], [5] * 6))
    assert result.total == 1.08  # 13/12 = 1.0833...


# --- RSES ---


def test_rses_reverses_items_2_5_6_8_9_from_printed_codes(registry: InstrumentRegistry) -> None:
    rses = registry.get("rses")
    all_strongly_agree = score(rses, [3] * 10)
    assert all_strongly_agree.total == 15
    assert all_strongly_agree.item_scores == (3, 0, 3, 3, 0, 0, 3, 0, 0, 3)
    # Strongly agree with the positive items, strongly disagree with the negative ones.
    best = score(rses, [3, 0, 3, 3, 0, 0, 3, 0, 0, 3])
    assert best.total == 30
    assert best.band is None


def test_rses_rejects_code_4(registry: InstrumentRegistry) -> None:
    with pytest.raises(InvalidAnswers, match="item 10"):
        score(registry.get("rses"), [3] * 9 + [4])


# --- generic validation and missing answers ---


@pytest.mark.parametrize("count", [8, 10, 0])
def test_wrong_number_of_answers_is_rejected(registry: InstrumentRegistry, count: int) -> None:
    with pytest.raises(InvalidAnswers, match=f"needs 9 answers, got {count}"):
        score(registry.get("phq9"), [0] * count)


@pytest.mark.parametrize("bad", [4, -1, True])
def test_code_not_among_item_options_is_rejected(registry: InstrumentRegistry, bad: int) -> None:
    answers: list[int | None] = [0] * 9
    answers[2] = bad
    with pytest.raises(InvalidAnswers, match="item 3") as excinfo:
        score(registry.get("phq9"), answers)
    assert "\n" not in str(excinfo.value)


def test_ucla3_rejects_code_0_because_codes_start_at_1(registry: InstrumentRegistry) -> None:
    with pytest.raises(InvalidAnswers, match="allowed: 1, 2, 3"):
        score(registry.get("ucla3"), [0, 1, 1])


def test_missing_answer_leaves_total_and_band_empty(registry: InstrumentRegistry) -> None:
    result = score(registry.get("gad7"), [3, 3, None, 3, 3, 3, 3])
    assert result.total is None
    assert result.band is None
    assert result.complete is False
    assert result.missing == (3,)
    assert result.item_scores == (3, 3, None, 3, 3, 3, 3)
    assert result.extra["cutoff_met"] is None


def test_definition_allowing_one_missing_answer_prorates_the_sum() -> None:
    data = fixture_data()
    data["scoring"]["missing"] = {"max_missing": 1}
    instrument = build(data)
    assert score(instrument, [2, None]).total == 4
    assert score(instrument, [1, None]).total == 2
    assert score(instrument, [None, None]).total is None


def test_to_json_dict_has_the_documented_keys(registry: InstrumentRegistry) -> None:
    data = score(registry.get("pcl5"), [2] * 20).to_json_dict()
    assert data["instrument"] == "pcl5"
    assert data["total"] == 40
    assert data["band"] is None
    assert data["subscales"]["avoidance"] == {"score": 4, "band": None, "band_rank": None}
    assert [flag["item"] for flag in data["flags"]] == ["pcl5_9", "pcl5_16"]
    assert score(registry.get("phq9"), [0] * 9).to_json_dict()["subscales"] == {}
