"""Definition files: built-ins load and match the published facts; bad files fail clearly."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from mend.measures.definitions import (
    ENV_VAR,
    DefinitionError,
    InstrumentRegistry,
    UnknownInstrumentError,
    builtin_dir,
    default_registry,
    load_instrument,
)

from .helpers import ORG_DIR, fixture_data

BUILTIN_IDS = {
    "phq9",
    "phq2",
    "gad7",
    "gad2",
    "pcl5",
    "asq",
    "who5",
    "proqol5",
    "brs",
    "scs-sf",
    "ucla3",
    "rses",
}


def builtin_files() -> list[Path]:
    return sorted(Path(str(builtin_dir())).glob("*.yaml"))


# --- the built-in files ---


def test_builtin_directory_holds_exactly_the_shipped_instruments() -> None:
    assert {path.stem for path in builtin_files()} == BUILTIN_IDS


@pytest.mark.parametrize("path", builtin_files(), ids=lambda path: path.stem)
def test_every_builtin_file_loads_and_names_its_source(path: Path) -> None:
    instrument = load_instrument(path)
    assert instrument.id == path.stem
    assert instrument.source.strip()
    assert instrument.licence.summary.strip() and instrument.licence.text.strip()
    assert path.read_text("utf-8").startswith("# "), "a top comment naming the source"


def test_registry_ids_are_unique_and_complete(registry: InstrumentRegistry) -> None:
    ids = [instrument.id for instrument in registry.all()]
    assert len(ids) == len(set(ids))
    assert set(ids) == BUILTIN_IDS


def test_every_item_option_set_exists_and_item_ids_are_unique(
    registry: InstrumentRegistry,
) -> None:
    all_item_ids: list[str] = []
    for instrument in registry.all():
        for item in instrument.items:
            assert item.options in instrument.options, f"{instrument.id} {item.id}"
            all_item_ids.append(item.id)
    assert len(all_item_ids) == len(set(all_item_ids))


def _bands_tile(bands: Any, low: float, high: float, step: Decimal) -> bool:
    edges = [(Decimal(str(band.min)), Decimal(str(band.max))) for band in bands]
    contiguous = all(nxt[0] - cur[1] == step for cur, nxt in itertools.pairwise(edges))
    return contiguous and edges[0][0] == Decimal(str(low)) and edges[-1][1] == Decimal(str(high))


def test_all_bands_are_contiguous_and_cover_the_score_range(
    registry: InstrumentRegistry,
) -> None:
    checked = 0
    for instrument in registry.all():
        groups = [(instrument.bands, instrument.scoring.range, instrument.scoring.method)]
        groups += [(sub.bands, sub.range, sub.method) for sub in instrument.subscales]
        for bands, score_range, method in groups:
            if bands is None or score_range is None:
                continue
            step = Decimal(1) if method == "sum" else Decimal("0.01")
            assert _bands_tile(bands, *score_range, step), instrument.id
            checked += 1
    assert checked >= 8


PUBLISHED_BANDS = {
    "phq9": [
        (0, 4, "none/minimal"),
        (5, 9, "mild"),
        (10, 14, "moderate"),
        (15, 19, "moderately severe"),
        (20, 27, "severe"),
    ],
    "gad7": [(0, 4, "minimal"), (5, 9, "mild"), (10, 14, "moderate"), (15, 21, "severe")],
    "brs": [
        (1.0, 2.99, "low resilience"),
        (3.0, 4.30, "normal resilience"),
        (4.31, 5.0, "high resilience"),
    ],
    "scs-sf": [(1.0, 2.49, "low"), (2.5, 3.49, "moderate"), (3.5, 5.0, "high")],
    "ucla3": [(3, 5, "not lonely"), (6, 9, "lonely")],
}


@pytest.mark.parametrize("instrument_id", sorted(PUBLISHED_BANDS))
def test_bands_are_the_published_ones(registry: InstrumentRegistry, instrument_id: str) -> None:
    bands = registry.get(instrument_id).bands or ()
    assert [(b.min, b.max, b.label) for b in bands] == PUBLISHED_BANDS[instrument_id]


@pytest.mark.parametrize("instrument_id", ["pcl5", "rses", "phq2", "gad2", "who5", "proqol5"])
def test_instruments_without_published_total_bands_have_none(
    registry: InstrumentRegistry, instrument_id: str
) -> None:
    assert registry.get(instrument_id).bands is None


def test_proqol_subscale_bands_are_the_form_raw_score_bands(registry: InstrumentRegistry) -> None:
    for subscale in registry.get("proqol5").subscales:
        bands = [(b.min, b.max, b.label) for b in subscale.bands or ()]
        assert bands == [(10, 22, "low"), (23, 41, "moderate"), (42, 50, "high")]


@pytest.mark.parametrize(
    ("instrument_id", "reversed_items"),
    [
        ("proqol5", {1, 4, 15, 17, 29}),
        ("brs", {2, 4, 6}),
        ("scs-sf", {1, 4, 8, 9, 11, 12}),
        ("rses", {2, 5, 6, 8, 9}),
        ("phq9", set()),
        ("pcl5", set()),
        ("who5", set()),
    ],
)
def test_reverse_keys_match_the_published_keys(
    registry: InstrumentRegistry, instrument_id: str, reversed_items: set[int]
) -> None:
    items = registry.get(instrument_id).items
    assert {item.number for item in items if item.reverse} == reversed_items


@pytest.mark.parametrize(
    ("instrument_id", "cutoff", "side"),
    [
        ("phq9", 10, "at_or_above"),
        ("gad7", 10, "at_or_above"),
        ("phq2", 3, "at_or_above"),
        ("gad2", 3, "at_or_above"),
        ("pcl5", 33, "at_or_above"),
        ("who5", 12, "at_or_below"),
    ],
)
def test_published_cutoffs(
    registry: InstrumentRegistry, instrument_id: str, cutoff: int, side: str
) -> None:
    instrument = registry.get(instrument_id)
    assert instrument.cutoff is not None
    assert (instrument.cutoff.value, instrument.cutoff.clinical_side) == (cutoff, side)


def test_short_forms_reuse_the_long_form_wording_with_their_own_ids(
    registry: InstrumentRegistry,
) -> None:
    for short, long in (("phq2", "phq9"), ("gad2", "gad7")):
        short_items = registry.get(short).items
        long_items = registry.get(long).items[:2]
        assert [i.text for i in short_items] == [i.text for i in long_items]
        assert [i.loinc for i in short_items] == [i.loinc for i in long_items]
        assert {i.id for i in short_items}.isdisjoint({i.id for i in long_items})


def test_answer_codes_are_the_printed_numbers(registry: InstrumentRegistry) -> None:
    def codes(instrument_id: str) -> list[int]:
        instrument = registry.get(instrument_id)
        return list(instrument.option_codes(instrument.items[0]))

    assert codes("who5") == [5, 4, 3, 2, 1, 0]
    assert codes("rses") == [3, 2, 1, 0]
    assert codes("ucla3") == [1, 2, 3]
    assert codes("proqol5") == [1, 2, 3, 4, 5]
    assert codes("asq") == [1, 0]


def test_only_critical_items_that_are_local_policy_say_so(registry: InstrumentRegistry) -> None:
    pcl5 = registry.get("pcl5")
    assert {c.item for c in pcl5.critical_items} == {9, 16}
    assert all(not c.official and "not an official" in c.basis for c in pcl5.critical_items)
    phq9_item9 = registry.get("phq9").critical_items
    assert [(c.item, c.condition.min) for c in phq9_item9] == [(9, 1)]


@pytest.mark.parametrize(
    ("instrument_id", "has_change"),
    [("phq9", True), ("gad7", True), ("pcl5", False), ("who5", False), ("brs", False)],
)
def test_change_parameters_only_where_the_reference_supports_them(
    registry: InstrumentRegistry, instrument_id: str, has_change: bool
) -> None:
    assert (registry.get(instrument_id).change is not None) is has_change


# --- malformed files ---


def write(tmp_path: Path, data: dict[str, Any], name: str = "example-local.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def expect_error(path: Path, *fragments: str) -> str:
    with pytest.raises(DefinitionError) as excinfo:
        load_instrument(path)
    message = str(excinfo.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message
    return message


def test_fixture_file_itself_is_valid() -> None:
    assert load_instrument(ORG_DIR / "example-local.yaml").name == "EXAMPLE-LOCAL"


def test_unknown_key_is_an_error_naming_the_key(tmp_path: Path) -> None:
    data = fixture_data()
    data["items"][1]["colour"] = "blue"
    expect_error(write(tmp_path, data), "items.1.colour", "Extra inputs")


def test_unknown_option_set_is_an_error_naming_the_item(tmp_path: Path) -> None:
    data = fixture_data()
    data["items"][0]["options"] = "nonexistent"
    expect_error(write(tmp_path, data), "items[0] (example_1).options", "'nonexistent'")


def test_subscale_with_an_item_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["subscales"] = [
        {"id": "part", "name": "Part", "items": [1, 3], "method": "sum", "range": [0, 4]}
    ]
    expect_error(write(tmp_path, data), "subscales (part).items", "[3]")


def test_overlapping_bands_are_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["bands"][1]["min"] = 1
    expect_error(write(tmp_path, data), "bands[1]", "overlaps")


def test_gap_between_bands_is_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["bands"][1]["min"] = 3
    expect_error(write(tmp_path, data), "bands[1]", "gap")


def test_bands_not_reaching_the_range_maximum_are_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["bands"][1]["max"] = 3
    expect_error(write(tmp_path, data), "bands[-1].max")


def test_range_that_does_not_match_the_answer_codes_is_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["scoring"]["range"] = [0, 5]
    expect_error(write(tmp_path, data), "scoring.range", "[0, 4]")


def test_yes_as_an_answer_code_is_rejected_not_read_as_1(tmp_path: Path) -> None:
    path = tmp_path / "example-local.yaml"
    text = (ORG_DIR / "example-local.yaml").read_text("utf-8")
    path.write_text(text.replace("{code: 1, label: Giraffe}", "{code: yes, label: Giraffe}"))
    expect_error(path, "options.made_up.1.code")


def test_cutoff_contradicting_direction_is_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    data["cutoff"] = {"value": 2, "clinical_side": "at_or_below", "label": "x", "meaning": "x"}
    expect_error(write(tmp_path, data), "cutoff.clinical_side")


def test_file_name_must_match_the_id(tmp_path: Path) -> None:
    expect_error(write(tmp_path, fixture_data(), name="other.yaml"), "must match the file name")


def test_invalid_yaml_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "example-local.yaml"
    path.write_text("id: [unclosed\n", encoding="utf-8")
    expect_error(path, "not valid YAML")


def test_missing_required_field_is_an_error(tmp_path: Path) -> None:
    data = fixture_data()
    del data["licence"]
    expect_error(write(tmp_path, data), "licence", "Field required")


# --- registry and extra directories ---


def test_extra_directory_adds_an_organisation_instrument() -> None:
    registry = InstrumentRegistry.from_directories([ORG_DIR])
    assert registry.get("example-local").title.startswith("Example")
    assert "phq9" in registry
    assert len(registry) == len(BUILTIN_IDS) + 1


def test_extra_directory_cannot_replace_a_builtin_instrument(tmp_path: Path) -> None:
    data = fixture_data()
    data["id"] = "phq9"
    write(tmp_path, data, name="phq9.yaml")
    with pytest.raises(DefinitionError, match="already defined"):
        InstrumentRegistry.from_directories([tmp_path])


def test_missing_extra_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="does not exist"):
        InstrumentRegistry.from_directories([tmp_path / "nope"])


def test_default_registry_reads_the_environment_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert "example-local" not in default_registry()
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(tmp_path), str(ORG_DIR)]))
    default_registry.cache_clear()
    assert "example-local" in default_registry()


def test_unknown_id_lists_the_known_ones(registry: InstrumentRegistry) -> None:
    with pytest.raises(UnknownInstrumentError) as excinfo:
        registry.get("phq-9")
    assert str(excinfo.value).startswith("unknown instrument 'phq-9' (known: asq, brs")


def test_builtin_files_are_reachable_as_package_data() -> None:
    names = {entry.name for entry in builtin_dir().iterdir()}
    assert {"phq9.yaml", "README.md"} <= names
