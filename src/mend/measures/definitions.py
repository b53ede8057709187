"""Instrument definition files: the schema, a strict loader and the registry of instruments.

A definition file holds everything needed to present and score one questionnaire version.
Files ship as package data under ``mend/measures/instruments``; an organisation can add its own
(for example a scale it holds a licence for) through ``MEND_INSTRUMENTS_DIR``.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    ValidationError,
    model_validator,
)

ENV_VAR = "MEND_INSTRUMENTS_DIR"
MEAN_DECIMALS = 2
"""Mean scores are rounded to this many decimals; bands on mean scales step by one such unit."""

# Strict: YAML turns `yes` into True, and True must not pass as the code 1.
Number = StrictInt | StrictFloat
Direction = Literal["higher_is_worse", "higher_is_better"]
Severity = Literal["review", "high", "critical"]
ClinicalSide = Literal["at_or_above", "at_or_below"]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]


class DefinitionError(ValueError):
    """A definition file is unreadable or breaks the schema; the message names file and field."""


class UnknownInstrumentError(LookupError):
    def __init__(self, instrument_id: str, known: Iterable[str]) -> None:
        self.instrument_id = instrument_id
        super().__init__(
            f"unknown instrument {instrument_id!r} (known: {', '.join(sorted(known)) or 'none'})"
        )

    def __str__(self) -> str:
        # LookupError would otherwise print the repr of the message.
        return str(self.args[0])


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Option(_Model):
    code: StrictInt
    label: str | None = None
    """None where the printed form labels only some points (e.g. SCS-SF end points)."""
    loinc: str | None = None


class Item(_Model):
    id: Identifier
    number: StrictInt = Field(ge=1)
    text: str = Field(min_length=1)
    options: str
    reverse: bool = False
    loinc: str | None = None


class Band(_Model):
    min: Number
    max: Number
    label: str = Field(min_length=1)
    rank: StrictInt = Field(ge=0)
    """Severity rank: 0 is the least concerning band."""


class Licence(_Model):
    summary: str = Field(min_length=1)
    text: str = Field(min_length=1)
    conditions: tuple[str, ...] = ()


class Loinc(_Model):
    panel: str | None = None
    total: str | None = None
    answer_list: str | None = None


class MissingRule(_Model):
    max_missing: StrictInt = Field(ge=0)
    """More missing answers than this leave the score empty; fewer are prorated."""


class Scoring(_Model):
    method: Literal["sum", "mean", "asq"]
    missing: MissingRule
    total: bool = True
    """False for instruments scored only by subscale (ProQOL 5)."""
    range: tuple[Number, Number] | None = None
    percentage: bool = False
    """Also report the total rescaled to 0-100 (WHO-5's percentage score)."""


class Subscale(_Model):
    id: Identifier
    name: str = Field(min_length=1)
    items: tuple[StrictInt, ...] = Field(min_length=1)
    """Item numbers."""
    method: Literal["sum", "mean"]
    range: tuple[Number, Number]
    apply_reverse: bool = True
    """False where the published subscale uses answers as printed (SCS-SF)."""
    direction: Direction | None = None
    """Overrides the instrument's direction for this subscale."""
    bands: tuple[Band, ...] | None = None


class Cutoff(_Model):
    value: Number
    clinical_side: ClinicalSide
    label: str = Field(min_length=1)
    meaning: str = Field(min_length=1)


class Condition(_Model):
    min: StrictInt | None = None
    max: StrictInt | None = None

    @model_validator(mode="after")
    def _needs_a_bound(self) -> Self:
        if self.min is None and self.max is None:
            raise ValueError("a condition needs min or max")
        return self

    def matches(self, code: int) -> bool:
        return (self.min is None or code >= self.min) and (self.max is None or code <= self.max)


class CriticalItem(_Model):
    item: StrictInt
    """Item number."""
    condition: Condition
    severity: Severity
    message: str = Field(min_length=1)
    official: bool
    """False where the rule is clinical convention or local policy rather than the author's."""
    basis: str = Field(min_length=1)


class ClusterRule(_Model):
    """A symptom-count rule over subscales, e.g. the PCL-5 provisional DSM-5 diagnosis."""

    key: Identifier
    endorse_min: StrictInt
    required: dict[str, StrictInt]
    meaning: str = Field(min_length=1)


class ChangeParams(_Model):
    sd: float = Field(gt=0)
    reliability: float = Field(gt=0, lt=1)
    reference: str = Field(min_length=1)
    criterion: Literal["cutoff", "c"]
    """How "recovered" is decided: the published cut-off, or Jacobson-Truax criterion c."""
    clinical_mean: float | None = None
    clinical_sd: float | None = Field(default=None, gt=0)
    normal_mean: float | None = None
    normal_sd: float | None = Field(default=None, gt=0)

    def criterion_c(self) -> float | None:
        if None in (self.clinical_mean, self.clinical_sd, self.normal_mean, self.normal_sd):
            return None
        assert self.clinical_mean is not None and self.clinical_sd is not None
        assert self.normal_mean is not None and self.normal_sd is not None
        return (self.clinical_sd * self.normal_mean + self.normal_sd * self.clinical_mean) / (
            self.clinical_sd + self.normal_sd
        )


class Instrument(_Model):
    id: Identifier
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    version: str = Field(min_length=1)
    source: str = Field(min_length=1)
    licence: Licence
    copyright: str | None = None
    instructions: str | None = None
    timeframe: str | None = None
    loinc: Loinc | None = None
    direction: Direction
    options: dict[str, tuple[Option, ...]]
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: Scoring
    subscales: tuple[Subscale, ...] = ()
    bands: tuple[Band, ...] | None = None
    cutoff: Cutoff | None = None
    critical_items: tuple[CriticalItem, ...] = ()
    cluster_rule: ClusterRule | None = None
    change: ChangeParams | None = None
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        for check in (
            _check_options,
            _check_items,
            _check_scoring,
            _check_subscales,
            _check_bands,
            _check_cutoff,
            _check_critical_items,
            _check_cluster_rule,
            _check_change,
        ):
            check(self)
        return self

    def item_by_number(self, number: int) -> Item:
        return self.items[number - 1]

    def option_codes(self, item: Item) -> tuple[int, ...]:
        return tuple(option.code for option in self.options[item.options])

    def reversed_code(self, item: Item, code: int) -> int:
        codes = self.option_codes(item)
        return min(codes) + max(codes) - code if item.reverse else code

    def subscale_direction(self, subscale: Subscale) -> Direction:
        return subscale.direction or self.direction


# --- cross-field checks (each raises ValueError naming the offending field) ---


def _check_options(inst: Instrument) -> None:
    for name, options in inst.options.items():
        if not options:
            raise ValueError(f"options.{name}: an option set needs at least one option")
        codes = [option.code for option in options]
        if len(set(codes)) != len(codes):
            raise ValueError(f"options.{name}: duplicate answer codes {codes}")
        if sorted(codes) != list(range(min(codes), max(codes) + 1)):
            # Reversal maps code c to min+max-c, which is only right for consecutive codes.
            raise ValueError(f"options.{name}: codes must be consecutive integers, got {codes}")


def _check_items(inst: Instrument) -> None:
    ids = [item.id for item in inst.items]
    if len(set(ids)) != len(ids):
        raise ValueError(f"items: duplicate item ids in {ids}")
    for index, item in enumerate(inst.items):
        where = f"items[{index}] ({item.id})"
        if item.number != index + 1:
            raise ValueError(f"{where}.number: expected {index + 1}, got {item.number}")
        if item.options not in inst.options:
            known = ", ".join(sorted(inst.options)) or "none"
            raise ValueError(
                f"{where}.options: unknown option set {item.options!r} (defined: {known})"
            )


def _score_range(inst: Instrument, numbers: Sequence[int], method: str) -> tuple[Number, Number]:
    lows = [min(inst.option_codes(inst.item_by_number(n))) for n in numbers]
    highs = [max(inst.option_codes(inst.item_by_number(n))) for n in numbers]
    if method == "sum":
        return sum(lows), sum(highs)
    return _mean(lows), _mean(highs)


def _mean(values: Sequence[int]) -> float:
    return float(round(Decimal(sum(values)) / Decimal(len(values)), MEAN_DECIMALS))


def _check_scoring(inst: Instrument) -> None:
    scoring = inst.scoring
    if scoring.method == "asq":
        _check_asq(inst)
        return
    if not scoring.total:
        if scoring.range is not None or scoring.percentage:
            raise ValueError("scoring: range/percentage make no sense when total is false")
        if not inst.subscales:
            raise ValueError("scoring.total: false needs at least one subscale")
        return
    if scoring.range is None:
        raise ValueError("scoring.range: required when the instrument has a total")
    expected = _score_range(inst, [item.number for item in inst.items], scoring.method)
    if tuple(scoring.range) != expected:
        raise ValueError(
            f"scoring.range: {list(scoring.range)} does not match the items' answer codes "
            f"({list(expected)})"
        )


def _check_asq(inst: Instrument) -> None:
    if len(inst.items) != 5:
        raise ValueError("scoring.method: asq needs exactly 5 items")
    for item in inst.items:
        if set(inst.option_codes(item)) != {0, 1}:
            raise ValueError(f"items ({item.id}).options: asq items are yes=1 / no=0")
    if inst.scoring.range is None or tuple(inst.scoring.range) != (0, 4):
        raise ValueError("scoring.range: asq counts yes answers to items 1-4, so it is [0, 4]")
    if inst.bands is not None or inst.subscales:
        raise ValueError("bands/subscales: asq derives its result from its screening rules")


def _check_subscales(inst: Instrument) -> None:
    ids = [subscale.id for subscale in inst.subscales]
    if len(set(ids)) != len(ids):
        raise ValueError(f"subscales: duplicate ids in {ids}")
    for subscale in inst.subscales:
        where = f"subscales ({subscale.id})"
        unknown = [n for n in subscale.items if not 1 <= n <= len(inst.items)]
        if unknown:
            raise ValueError(
                f"{where}.items: no item numbered {unknown} (items are 1-{len(inst.items)})"
            )
        if len(set(subscale.items)) != len(subscale.items):
            raise ValueError(f"{where}.items: an item is listed twice")
        expected = _score_range(inst, subscale.items, subscale.method)
        if tuple(subscale.range) != expected:
            raise ValueError(
                f"{where}.range: {list(subscale.range)} does not match its items ({list(expected)})"
            )
        if subscale.bands is not None:
            _check_band_list(f"{where}.bands", subscale.bands, subscale.range, subscale.method)


def _check_bands(inst: Instrument) -> None:
    if inst.bands is None:
        return
    if inst.scoring.range is None:
        raise ValueError("bands: an instrument without a total cannot have total bands")
    _check_band_list("bands", inst.bands, inst.scoring.range, inst.scoring.method)


def _check_band_list(
    where: str, bands: Sequence[Band], score_range: tuple[Number, Number], method: str
) -> None:
    """Bands must tile the score range exactly: no gaps, no overlaps, in ascending order."""
    if not bands:
        raise ValueError(f"{where}: empty; omit the key instead")
    step = Decimal(1) if method == "sum" else Decimal(1).scaleb(-MEAN_DECIMALS)
    low, high = (Decimal(str(bound)) for bound in score_range)
    if Decimal(str(bands[0].min)) != low:
        raise ValueError(f"{where}[0].min: {bands[0].min} should be the range minimum {low}")
    if Decimal(str(bands[-1].max)) != high:
        raise ValueError(f"{where}[-1].max: {bands[-1].max} should be the range maximum {high}")
    for index, band in enumerate(bands):
        if band.min > band.max:
            raise ValueError(f"{where}[{index}]: min {band.min} is above max {band.max}")
        if index == 0:
            continue
        previous = bands[index - 1]
        gap = Decimal(str(band.min)) - Decimal(str(previous.max))
        if gap < step:
            raise ValueError(
                f"{where}[{index}] ({band.label}): overlaps {previous.label!r} "
                f"(min {band.min} <= previous max {previous.max})"
            )
        if gap > step:
            raise ValueError(
                f"{where}[{index}] ({band.label}): gap after {previous.label!r} "
                f"(previous max {previous.max}, min {band.min}, step {step})"
            )
    labels = [band.label for band in bands]
    if len(set(labels)) != len(labels):
        raise ValueError(f"{where}: duplicate labels in {labels}")


def _check_cutoff(inst: Instrument) -> None:
    if inst.cutoff is None:
        return
    if not inst.scoring.total:
        raise ValueError("cutoff: an instrument without a total cannot have a total cut-off")
    expected: ClinicalSide = "at_or_above" if inst.direction == "higher_is_worse" else "at_or_below"
    low, high = inst.scoring.range or (inst.cutoff.value, inst.cutoff.value)
    if not low <= inst.cutoff.value <= high:
        raise ValueError(f"cutoff.value: {inst.cutoff.value} is outside the score range")
    if inst.cutoff.clinical_side != expected:
        raise ValueError(
            f"cutoff.clinical_side: {inst.cutoff.clinical_side} contradicts direction "
            f"{inst.direction} (expected {expected})"
        )


def _check_critical_items(inst: Instrument) -> None:
    for index, critical in enumerate(inst.critical_items):
        where = f"critical_items[{index}]"
        if not 1 <= critical.item <= len(inst.items):
            raise ValueError(f"{where}.item: no item numbered {critical.item}")
        codes = inst.option_codes(inst.item_by_number(critical.item))
        if not any(critical.condition.matches(code) for code in codes):
            raise ValueError(f"{where}.condition: matches none of the item's codes {list(codes)}")


def _check_cluster_rule(inst: Instrument) -> None:
    rule = inst.cluster_rule
    if rule is None:
        return
    known = {subscale.id for subscale in inst.subscales}
    unknown = sorted(set(rule.required) - known)
    if unknown:
        raise ValueError(f"cluster_rule.required: unknown subscales {unknown}")


def _check_change(inst: Instrument) -> None:
    change = inst.change
    if change is None:
        return
    if not inst.scoring.total:
        raise ValueError("change: needs a total score")
    if change.criterion == "cutoff" and inst.cutoff is None:
        raise ValueError("change.criterion: 'cutoff' needs a cutoff section")
    if change.criterion == "c" and change.criterion_c() is None:
        raise ValueError(
            "change.criterion: 'c' needs clinical_mean, clinical_sd, normal_mean and normal_sd"
        )


# --- loading ---


def load_instrument(path: str | os.PathLike[str] | Traversable) -> Instrument:
    """Read and validate one definition file; any problem raises DefinitionError."""
    source: Traversable = Path(path) if isinstance(path, str | os.PathLike) else path
    try:
        raw: Any = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DefinitionError(f"{source}: cannot read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{source}: not valid YAML: {_yaml_problem(exc)}") from exc
    if not isinstance(raw, dict):
        raise DefinitionError(f"{source}: expected a mapping at the top level")
    try:
        instrument = Instrument.model_validate(raw)
    except ValidationError as exc:
        raise DefinitionError(f"{source}: {_describe(exc)}") from exc
    stem = source.name.rsplit(".", 1)[0]
    if instrument.id != stem:
        raise DefinitionError(f"{source}: id: {instrument.id!r} must match the file name {stem!r}")
    return instrument


def _yaml_problem(exc: yaml.YAMLError) -> str:
    # PyYAML's own message spans several lines; keep the problem and its position on one.
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    return str(exc).replace("\n", " ")


def _describe(exc: ValidationError) -> str:
    problems = []
    for error in exc.errors():
        field = ".".join(str(part) for part in error["loc"])
        # Cross-field checks raise without a location; their message starts with the field.
        message = str(error["msg"]).removeprefix("Value error, ")
        problems.append(f"{field}: {message}" if field else message)
    return "; ".join(problems)


def builtin_dir() -> Traversable:
    return resources.files("mend.measures").joinpath("instruments")


def _definition_files(directory: Traversable) -> Iterator[Traversable]:
    entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
    for entry in entries:
        if entry.is_file() and entry.name.endswith((".yaml", ".yml")):
            yield entry


class InstrumentRegistry:
    """Instruments by id. Ids must be unique across all directories: an extra directory adds
    instruments, it never silently replaces a built-in one."""

    def __init__(self, instruments: Iterable[Instrument] = ()) -> None:
        self._by_id: dict[str, Instrument] = {}
        for instrument in instruments:
            if instrument.id in self._by_id:
                raise DefinitionError(f"duplicate instrument id {instrument.id!r}")
            self._by_id[instrument.id] = instrument

    @classmethod
    def from_directories(
        cls,
        extra_dirs: Sequence[str | os.PathLike[str]] = (),
        *,
        include_builtin: bool = True,
    ) -> InstrumentRegistry:
        directories: list[Traversable] = [builtin_dir()] if include_builtin else []
        for extra in extra_dirs:
            path = Path(extra)
            if not path.is_dir():
                raise DefinitionError(f"{path}: instruments directory does not exist")
            directories.append(path)
        loaded: dict[str, Traversable] = {}
        instruments: list[Instrument] = []
        for directory in directories:
            for file in _definition_files(directory):
                instrument = load_instrument(file)
                if instrument.id in loaded:
                    first = loaded[instrument.id]
                    raise DefinitionError(
                        f"{file}: id: {instrument.id!r} is already defined by {first}"
                    )
                loaded[instrument.id] = file
                instruments.append(instrument)
        return cls(instruments)

    def get(self, instrument_id: str) -> Instrument:
        try:
            return self._by_id[instrument_id]
        except KeyError:
            raise UnknownInstrumentError(instrument_id, self._by_id) from None

    def all(self) -> tuple[Instrument, ...]:
        return tuple(self._by_id[key] for key in sorted(self._by_id))

    def __contains__(self, instrument_id: object) -> bool:
        return instrument_id in self._by_id

    def __len__(self) -> int:
        return len(self._by_id)


def extra_dirs_from_env(environ: dict[str, str] | None = None) -> list[str]:
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    return [part for part in value.split(os.pathsep) if part.strip()]


@functools.cache
def default_registry() -> InstrumentRegistry:
    """Built-in instruments plus those in MEND_INSTRUMENTS_DIR (os.pathsep-separated).

    Cached for the process; call ``default_registry.cache_clear()`` after changing the variable.
    """
    return InstrumentRegistry.from_directories(extra_dirs_from_env())
