"""The safety plan's pure rules: the starting content per locale, entry checks, diffs,
and the section-by-section merge of two people's edits."""

from __future__ import annotations

import pytest

from mend.platform.errors import Invalid
from mend.safety import plans
from mend.safety.plans import CALL_ONLY, CALL_OR_TEXT, TEXT_ONLY, Entry


def test_sections_follow_the_method_in_order() -> None:
    assert plans.SECTION_IDS == (
        "warning_signs",
        "coping",
        "distractions",
        "helpers",
        "professionals",
        "safe_environment",
        "reasons",
    )
    kinds = {s.id: s.kind for s in plans.SECTIONS}
    assert {s for s, k in kinds.items() if k == plans.CONTACT} == {
        "distractions",
        "helpers",
        "professionals",
    }
    for spec in plans.SECTIONS:
        assert spec.title and len(spec.prompt) > 60


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        (
            "US",
            [
                ("988", CALL_OR_TEXT, "tel:988", "sms:988"),
                ("741741", TEXT_ONLY, None, "sms:741741"),
                ("911", CALL_ONLY, "tel:911", None),
            ],
        ),
        (
            "GB",
            [
                ("116 123", CALL_ONLY, "tel:116123", None),
                ("85258", TEXT_ONLY, None, "sms:85258"),
                ("111", CALL_ONLY, "tel:111", None),
                ("999", CALL_ONLY, "tel:999", None),
            ],
        ),
        ("XX", [("988", CALL_OR_TEXT, "tel:988", "sms:988")]),  # unknown: the default, not nothing
    ],
)
def test_new_plans_start_with_the_locales_crisis_lines(
    locale: str, expected: list[tuple[str, str, str | None, str | None]]
) -> None:
    content = plans.starter_content(locale)
    professionals = content["professionals"]
    got = [(e.phone, e.reach, e.call_href, e.sms_href) for e in professionals]
    assert got[: len(expected)] == expected
    assert professionals[-1].text.startswith("Emergency services")
    assert all(not entries for s, entries in content.items() if s != "professionals")
    # Prefilled entries obey the same rules as typed ones, so they can be saved as they are.
    assert plans.check_content(content)[1] == []


@pytest.mark.parametrize(
    ("phone", "ok"),
    [
        ("988", True),
        ("+1 (555) 010-0199", True),
        ("07700 900123", True),
        ("12", False),  # too few digits to call
        ("1" * 21, False),  # too many
        ("call me", False),
        ("555#123", False),
        ("555.0199", False),
    ],
)
def test_phone_numbers(phone: str, ok: bool) -> None:
    spec = plans.SPECS["helpers"]
    entry, problems = plans.make_entry(spec, 0, "Sam", phone)
    assert (entry is not None) == ok
    assert bool(problems) != ok
    if not ok:
        assert problems[0].field == "phone" and problems[0].field_id == "helpers-0-phone"


def test_entry_rules() -> None:
    text_spec, contact_spec = plans.SPECS["reasons"], plans.SPECS["helpers"]
    assert plans.make_entry(text_spec, 0, "   ") == (None, [])
    assert plans.make_entry(text_spec, 0, "  my   dog  ")[0] == Entry("my dog")
    assert plans.make_entry(text_spec, 0, "x" * 300)[0] is not None
    assert plans.make_entry(text_spec, 2, "x" * 301)[1][0].field_id == "reasons-2-text"
    # A number in a text-only section is not kept; a number needs a name.
    assert plans.make_entry(text_spec, 0, "walk", "555 0100")[0] == Entry("walk")
    assert plans.make_entry(contact_spec, 0, "", "555 0100")[1][0].field == "text"
    assert plans.make_entry(contact_spec, 0, "Sam", "555 0100", "fax")[1][0].field == "reach"
    # Without a number, how to reach it means nothing and does not count as a change.
    assert plans.make_entry(contact_spec, 0, "Library", "", TEXT_ONLY)[0] == Entry("Library")


def test_too_many_entries_is_a_problem_for_the_section() -> None:
    content = {"coping": tuple(Entry(f"thing {n}") for n in range(13))}
    _, problems = plans.check_content(content)
    assert [p.field_id for p in problems] == ["section-coping"]
    assert plans.check_content({"coping": content["coping"][:12]})[1] == []


def test_unknown_sections_are_refused() -> None:
    with pytest.raises(Invalid):
        plans.check_content({"secrets": (Entry("x"),)})


def test_links_keep_a_leading_plus_and_drop_punctuation() -> None:
    entry = Entry("Sam", "+1 (555) 010-0199")
    assert (entry.call_href, entry.sms_href) == ("tel:+15550100199", "sms:+15550100199")
    assert Entry("Text line", "741741", TEXT_ONLY).call_href is None
    assert Entry("Helpline", "116 123", CALL_ONLY).sms_href is None
    assert Entry("Walk").call_href is None


def test_diff_lists_added_and_removed_entries() -> None:
    a, b, c = Entry("a"), Entry("b"), Entry("c")
    assert plans._diff((a, b), (b, c)) == ([c], [a])
    assert plans._diff((a, a), (a,)) == ([], [a])
    assert plans._diff((a, b), (b, a)) == ([], [])  # reordered only


def test_merge_takes_each_sides_sections_and_finds_real_conflicts() -> None:
    base = plans.empty_content()
    mine = {**base, "coping": (Entry("walk"),)}
    theirs = {**base, "reasons": (Entry("my sister"),)}
    merged, conflicts = plans._merge(base, mine, theirs)
    assert conflicts == []
    assert merged["coping"] == (Entry("walk"),) and merged["reasons"] == (Entry("my sister"),)
    same = {**base, "coping": (Entry("walk"),)}
    assert plans._merge(base, mine, same)[1] == []  # both made the same change
    other = {**base, "coping": (Entry("run"),)}
    merged, conflicts = plans._merge(base, mine, other)
    assert conflicts == ["coping"]
    assert merged["coping"] == (Entry("walk"),)  # the editor's words, for them to review


def test_longer_plans_print_smaller_so_they_fit_one_page() -> None:
    from mend.safety.plan_pages import sheet_density

    def sheet(entries: int, chars: int) -> list[plans.SectionView]:
        content = {s: tuple(Entry("x" * chars) for _ in range(entries)) for s in plans.SECTION_IDS}
        return plans.section_views(content)

    assert sheet_density(sheet(3, 40)) == ""
    assert sheet_density(sheet(3, 120)) == "compact"
    assert sheet_density(sheet(8, 90)) == "dense"


@pytest.mark.parametrize(
    ("before", "after", "new"),
    [
        ({}, {"coping": ("walk",)}, [("coping", "walk")]),
        ({"coping": ("walk",)}, {"coping": ("walk",)}, []),
        # Only spacing changed: the same words, already screened.
        ({"coping": ("walk  outside",)}, {"coping": (" walk outside ",)}, []),
        ({"coping": ("walk",)}, {"coping": ("walk", "music")}, [("coping", "music")]),
        # The same words moved to another section are screened there.
        ({"coping": ("walk",)}, {"reasons": ("walk",)}, [("reasons", "walk")]),
        ({}, {"coping": ("  ",)}, []),
    ],
)
def test_new_words_are_what_a_save_adds(
    before: dict[str, tuple[str, ...]],
    after: dict[str, tuple[str, ...]],
    new: list[tuple[str, str]],
) -> None:
    def content(texts: dict[str, tuple[str, ...]]) -> plans.Content:
        return {s: tuple(Entry(t) for t in texts.get(s, ())) for s in plans.SECTION_IDS}

    assert [(s, t.strip()) for s, t in plans.new_words(content(before), content(after))] == new


def _professionals(*phones: str) -> plans.Content:
    content = plans.empty_content()
    content["professionals"] = tuple(
        next(
            (
                e
                for code in ("US", "GB", "CA", "AU")
                for e in plans.crisis_entries(code)
                if e.phone == p
            ),
            Entry(f"Dr Lane ({p})", p),
        )
        for p in phones
    )
    return content


def _phones(content: plans.Content) -> list[str]:
    return [e.phone or "" for e in content["professionals"]]


@pytest.mark.parametrize(
    ("phones", "locale", "shown"),
    [
        # A US plan after the organisation moved to the United Kingdom.
        (("988", "741741", "911"), "GB", ["116 123", "85258", "111", "999"]),
        # The client's own clinician stays, where they put them.
        (
            ("555 0100", "988", "741741", "911"),
            "GB",
            ["555 0100", "116 123", "85258", "111", "999"],
        ),
        (
            ("988", "741741", "911", "555 0100"),
            "GB",
            ["116 123", "85258", "111", "999", "555 0100"],
        ),
        # To Canada: 988 and 911 work there too; the text line gives way to Canada's.
        (("988", "741741", "911"), "CA", ["988", "1-800-668-6868", "911"]),
        # Already this country's: unchanged.
        (("988", "741741", "911"), "US", ["988", "741741", "911"]),
        (("116 123", "85258", "111", "999"), "GB", ["116 123", "85258", "111", "999"]),
        # The client removed the lines: nothing is put back behind their back.
        (("555 0100",), "GB", ["555 0100"]),
    ],
)
def test_a_plan_shows_the_crisis_lines_of_the_organisations_current_country(
    phones: tuple[str, ...], locale: str, shown: list[str]
) -> None:
    content = _professionals(*phones)
    assert _phones(plans.localised(content, locale)) == shown
    # Showing it twice changes nothing more.
    assert plans.localised(plans.localised(content, locale), locale) == plans.localised(
        content, locale
    )


def test_other_sections_are_never_touched() -> None:
    content = plans.empty_content()
    content["helpers"] = (Entry("My cousin in Ohio", "911"),)
    assert plans.localised(content, "GB") == content
