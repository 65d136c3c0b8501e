"""The types of okpi's results: TypedDicts generated from the call layer's JSON Schema
(``schema/okpi.schema.json``) by ``bindings/python/tools/gen_types.py``. Do not edit: regenerate.

A date is a ``datetime.date`` where the schema says ``format: date``. A key the schema does not always write is
``NotRequired``. Use them to annotate: ``ev: okpi.types.Evaluation = model.evaluate(day)``.
"""

# fmt: off
from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, Dict, List, Literal, Optional, Tuple, TypedDict, Union

if TYPE_CHECKING:  # read by type checkers only: the TypedDicts hold their types as text
    from typing_extensions import NotRequired

#: The schema these types were generated from (its title).
SCHEMA_TITLE = "okpi 0.2.0 call layer"

Agg = Literal["sum", "count", "avg", "min", "max", "last"]
"""How a simple metric aggregates its measure."""

AlertDirection = Literal["higher_is_better", "lower_is_better"]
"""Which way a metric is good. For `higher_is_better` a fall is the bad direction, for `lower_is_better` a rise."""

AlertLevel = Literal["ok", "no_data", "pending", "firing"]
"""The worst state of the alert rules watching a KPI's metric × scope at as_of, best first."""

AlertSeverity = Literal["warning", "critical"]
"""Severity of an alert."""

AlertStatus = Literal["normal", "pending", "firing", "no_data"]
"""Where an alert is in its life."""

AlignmentMode = Literal["contributes", "supports"]
"""Whether an alignment counts in the parent's roll-up."""

Answer = Optional[Union["Evaluation", "Explanation", List["CheckInRecord"], "QueryResult", "ScoreReport", "ScorecardReport", "AlertReport", "SeriesAnswer", "Diagnosis", "StrategyView", "Advice", "Portfolio", "FilteredReport", "Document"]]
"""What a [`crate::api::Call`] answers. Its JSON form is the result's own (untagged)."""

Call = Dict[str, Any]
"""One operation on a model. Its JSON form is internally tagged by `op`."""

Code = Literal["E_PARSE", "E_SCHEMA_VERSION", "E_DUPLICATE_ID", "E_UNKNOWN_ID", "E_MISSING_FIELD", "E_FIELD_NOT_ALLOWED", "E_NOT_FINITE", "E_START_EQUALS_TARGET", "E_DIRECTION", "E_NEGATIVE_WEIGHT", "E_ALL_ZERO_WEIGHTS", "E_CONFIDENCE_RANGE", "E_DATE_OUTSIDE_CYCLE", "E_CYCLE_DATES", "E_CYCLE", "E_LINKED_ANCESTOR", "E_BY_VALUE_MIXED", "E_INVALID_VALUE", "E_VERSION", "E_CHECK_IN_REFUSED", "E_SETTINGS", "E_ALERT_RULE", "E_EXPRESSION", "E_WEIGHTS_SUM", "E_TARGET_LOCKED", "E_DUPLICATE_OBSERVATION", "E_TARGET_NOT_POSITIVE", "E_PRIVATE_ALIGNMENT", "E_LIMIT"]
"""Stable machine codes. They are part of the public API: never renamed, never reused."""

Condition = Union[Literal["above", "below", "outside", "inside"], Dict[str, Any]]
"""What is measured and how it breaches (DOMAIN.md §7 table). Written as `"above"` or, with settings,"""

ConfidenceBand = Literal["low", "medium", "high"]
"""Confidence band (WorkBoard's 40/70 %)."""

Curve = Union[Dict[str, Any], Literal["binary"]]
"""A scoring curve: achievement (or raw value) → score in percent."""

Direction = Union[Literal["higher_is_better", "lower_is_better"], Dict[str, Any]]
"""Which way is good."""

ErrorKind = Literal["parse", "invalid", "settings", "argument", "limit"]
"""Why a call failed, in the words every binding uses."""

EventKind = Literal["pending", "firing", "severity_changed", "resolved", "no_data"]
"""The kind of an event."""

Evidence = Optional[Union[bool, int, float, datetime.date, str, List["Evidence"], Dict[str, "Evidence"]]]
"""One value quoted as evidence: a number, a text, a date, a list or a record of them, or null."""

FilteredReport = Union["Evaluation", Optional["Explanation"], "QueryResult", "ScoreReport", "ScorecardReport", "AlertReport", "Diagnosis", "StrategyView", List["CheckInRecord"], "Advice", "Portfolio", List[Dict[str, Any]]]
"""A report filtered by [`filter_report`], one variant per kind; its JSON is the report's own."""

Flag = Literal["no_check_in", "no_sources", "definition_changed", "by_value_fallback", "baseline_from_check_in", "no_data"]
"""Facts about a result worth a second look."""

Formula = Literal["inverse", "complement"]
"""How lower-is-better achievement is computed."""

Grain = Literal["day", "week", "month", "quarter", "year"]
"""Time grains (weeks are ISO weeks, starting on Monday)."""

HealthBand = Literal["poor", "fair", "good", "excellent"]
"""Perdoo's health bands."""

KrKind = Literal["increase", "decrease", "stay_above", "stay_below", "milestone", "linked"]
"""The six kinds of key result (names as in Viva Goals / Quantive / Tability)."""

Lifecycle = Literal["incubation", "growth", "mature", "transformation"]
"""Where a business line is in its life."""

Light = Literal["green", "amber", "red", "grey"]
"""The colour of a supporting KPI or of a support roll-up."""

LinkWindow = Literal["cycle_to_date", "latest_grain"]
"""Which slice of a metric a linked key result reads."""

MetricKind = Literal["simple", "ratio", "derived", "cumulative"]
"""The kind of a metric."""

NoDataPolicy = Literal["no_data", "alerting", "ok", "keep_last"]
"""What a missing observation means."""

ObjectiveKind = Literal["committed", "aspirational"]
"""Google's two kinds of objective: committed ones are expected at 1.0, aspirational ones at about 0.7."""

ObjectiveStatusRule = Literal["worst_kr", "from_progress"]
"""How an objective's status is found."""

Outcome = Dict[str, Any]
"""What `call_json` writes: `{"ok": answer}` or `{"error": {...}}`."""

Overshoot = Union[Literal["clamp"], Dict[str, Any]]
"""How far progress may go past the target."""

Owner = Dict[str, Any]
"""Who owns an objective: an org unit or a person."""

PrivateRollup = Literal["share", "exclude"]
"""Whether private objectives count in their parents' roll-ups (DOMAIN.md §9)."""

ProgressFrom = Literal["key_results", "children", "both", "manual"]
"""Where an objective's progress comes from."""

Quadrant = Literal["stable_operations", "exploration", "lean_experiment", "restructuring"]
"""The article's four quadrants."""

Quantity = Literal["progress", "expected", "status", "confidence", "score"]
"""Which number of a result to explain."""

Recommendation = Literal["kpi", "okr", "hybrid", "fix_process_first", "build_foundations_first"]
"""The management model recommended."""

Role = Literal["employee", "manager", "hr_admin", "executive"]
"""A role a person holds (DOMAIN.md §9)."""

Rollup = Literal["weighted", "by_value"]
"""How an objective rolls up its key results."""

Scope = Dict[str, Any]
"""The scope of a target or scorecard: an org unit (with its subtree) or a person."""

ScoreBand = Literal["red", "yellow", "green"]
"""Colour of a score (Google re:Work)."""

Severity = Literal["info", "warning", "error"]
"""How serious a finding is."""

SourceKind = Literal["key_result", "objective"]
"""What an objective's progress was averaged from."""

Status = Literal["off_track", "at_risk", "not_started", "on_track", "done"]
"""Status of a key result or objective, worst first."""

ToDate = Literal["week_to_date", "month_to_date", "quarter_to_date", "year_to_date"]
"""Grain-to-date accumulation of a cumulative metric."""

Visibility = Literal["public", "team", "private"]
"""Who may see an objective (DOMAIN.md §9)."""

AccessSettings = TypedDict(
    "AccessSettings",
    {
        "min_group_size": "NotRequired[int]",
    },
)
"""Settings of access decisions."""

Advice = TypedDict(
    "Advice",
    {
        "id": "str",
        "matrix": "Recommendation",
        "next_steps": "List[Note]",
        "pilot": "NotRequired[Optional[Pilot]]",
        "quadrant": "Quadrant",
        "reasons": "List[Note]",
        "recommendation": "Recommendation",
    },
)
"""The advice for one business line."""

AdviceText = TypedDict(
    "AdviceText",
    {
        "en": "str",
        "zh": "str",
    },
)
"""Advice in English and Chinese."""

AdvisorSettings = TypedDict(
    "AdvisorSettings",
    {
        "high": "NotRequired[float]",
        "low": "NotRequired[float]",
        "split": "NotRequired[float]",
        "weak": "NotRequired[float]",
    },
)
"""The advisor's thresholds."""

AlertObservation = TypedDict(
    "AlertObservation",
    {
        "date": "datetime.date",
        "value": "NotRequired[Optional[float]]",
    },
)
"""One evaluation's input: the metric's value at a date; `None` is missing data."""

AlertReport = TypedDict(
    "AlertReport",
    {
        "alerts": "List[AlertResult]",
        "from": "datetime.date",
        "to": "datetime.date",
    },
)
"""All rules' outcomes, sorted by rule id."""

AlertResult = TypedDict(
    "AlertResult",
    {
        "events": "List[Event]",
        "metric": "str",
        "metric_version": "str",
        "rule": "str",
        "series": "List[AlertObservation]",
        "state": "State",
    },
)
"""One rule's outcome over the range."""

Alignment = TypedDict(
    "Alignment",
    {
        "child": "str",
        "mode": "NotRequired[AlignmentMode]",
        "parent": "str",
        "weight": "NotRequired[float]",
    },
)
"""A child → parent edge of the alignment graph."""

Band = TypedDict(
    "Band",
    {
        "min_a": "float",
        "score": "float",
    },
)
"""One band of a `bands` curve."""

BusinessProfile = TypedDict(
    "BusinessProfile",
    {
        "failure_tolerance": "float",
        "headcount": "NotRequired[float]",
        "id": "str",
        "lifecycle": "Lifecycle",
        "manager_coaching": "float",
        "name": "NotRequired[str]",
        "readiness": "Readiness",
        "self_drive": "float",
        "standardization": "float",
        "transparency": "float",
        "uncertainty": "float",
    },
)
"""A business line as the advisor sees it. Every score is in [0, 1]."""

Cell = TypedDict(
    "Cell",
    {
        "group": "NotRequired[Dict[str, str]]",
        "period_end": "datetime.date",
        "period_start": "datetime.date",
        "undefined": "NotRequired[Optional[str]]",
        "value": "NotRequired[Optional[float]]",
        "version": "str",
        "withheld": "NotRequired[Optional[str]]",
    },
)
"""One cell: a period and a group, with a value or the reason it is undefined."""

CheckIn = TypedDict(
    "CheckIn",
    {
        "confidence": "NotRequired[Optional[float]]",
        "date": "datetime.date",
        "key_result": "str",
        "note": "NotRequired[Optional[str]]",
        "value": "NotRequired[Optional[float]]",
    },
)
"""A dated measurement of a key result, with the owner's confidence."""

CheckInRecord = TypedDict(
    "CheckInRecord",
    {
        "confidence": "NotRequired[Optional[float]]",
        "date": "datetime.date",
        "derived": "bool",
        "key_result": "str",
        "metric": "NotRequired[Optional[str]]",
        "metric_version": "NotRequired[Optional[str]]",
        "note": "NotRequired[Optional[str]]",
        "value": "NotRequired[Optional[float]]",
    },
)
"""One check-in as okpi sees it: entered by a person, or derived from a KPI metric's observations."""

Checkpoint = TypedDict(
    "Checkpoint",
    {
        "date": "datetime.date",
        "expected": "float",
    },
)
"""A point of a phased pace: by `date` the expected progress is `expected`."""

Cycle = TypedDict(
    "Cycle",
    {
        "end": "datetime.date",
        "id": "str",
        "parent": "NotRequired[Optional[str]]",
        "start": "datetime.date",
    },
)
"""A time box, both ends inclusive. An annual cycle may hold quarters through `parent`."""

DefinitionInForce = TypedDict(
    "DefinitionInForce",
    {
        "bound": "NotRequired[Optional[float]]",
        "effective": "NotRequired[Optional[datetime.date]]",
        "start": "NotRequired[Optional[float]]",
        "target": "NotRequired[Optional[float]]",
    },
)
"""The definition of a key result in force at as_of."""

DiagnoseSettings = TypedDict(
    "DiagnoseSettings",
    {
        "bunching_min": "NotRequired[int]",
        "bunching_p": "NotRequired[float]",
        "bunching_width": "NotRequired[float]",
        "disabled": "NotRequired[List[str]]",
        "flat_confidence_check_ins": "NotRequired[int]",
        "freshness_days": "NotRequired[int]",
        "max_key_results": "NotRequired[int]",
        "mechanical_check_ins": "NotRequired[int]",
        "mechanical_pace_distance": "NotRequired[float]",
        "mechanical_step_cv": "NotRequired[float]",
        "pull_forward_days": "NotRequired[int]",
        "pull_forward_dip": "NotRequired[float]",
        "pull_forward_ratio": "NotRequired[float]",
        "sandbag_cycles": "NotRequired[int]",
        "sandbag_done_share": "NotRequired[float]",
        "sandbag_score": "NotRequired[float]",
        "single_metric_share": "NotRequired[float]",
        "source_tolerance": "NotRequired[float]",
        "stale_days": "NotRequired[int]",
        "surge_confidence_rise": "NotRequired[float]",
        "surge_flat_share": "NotRequired[float]",
        "surge_progress_rise": "NotRequired[float]",
        "surge_window": "NotRequired[float]",
    },
)
"""Thresholds of the rules (defaults from DOMAIN.md §10) and the rules switched off."""

Diagnosis = TypedDict(
    "Diagnosis",
    {
        "findings": "List[Finding]",
        "health": "Health",
    },
)
"""Findings and health of one model at one date."""

Distribution = TypedDict(
    "Distribution",
    {
        "min_group_size": "NotRequired[int]",
        "shares": "List[Share]",
    },
)
"""A forced distribution (e.g. 20/70/10)."""

Document = TypedDict(
    "Document",
    {
        "alert_rules": "NotRequired[List[Rule]]",
        "alignments": "NotRequired[List[Alignment]]",
        "check_ins": "NotRequired[List[CheckIn]]",
        "cycles": "NotRequired[List[Cycle]]",
        "key_results": "NotRequired[List[KeyResult]]",
        "measures": "NotRequired[List[Measure]]",
        "metrics": "NotRequired[List[Metric]]",
        "objectives": "NotRequired[List[Objective]]",
        "observations": "NotRequired[List[Observation]]",
        "org_units": "NotRequired[List[OrgUnit]]",
        "people": "NotRequired[List[Person]]",
        "schema_version": "int",
        "scorecards": "NotRequired[List[Scorecard]]",
        "targets": "NotRequired[List[Target]]",
    },
)
"""Everything a host hands in: the organisation, its cycles, goals and check-ins."""

ErrorBody = TypedDict(
    "ErrorBody",
    {
        "kind": "ErrorKind",
        "message": "str",
        "problems": "List[Problem]",
    },
)
"""A failed call."""

Evaluation = TypedDict(
    "Evaluation",
    {
        "as_of": "datetime.date",
        "key_results": "List[KrResult]",
        "objectives": "List[ObjectiveResult]",
        "settings": "Settings",
    },
)
"""Everything [`crate::evaluate`] computes for one as-of date. Lists are sorted by id."""

Event = TypedDict(
    "Event",
    {
        "band": "NotRequired[Optional[List[float]]]",
        "date": "datetime.date",
        "explanation": "str",
        "measure": "NotRequired[Optional[float]]",
        "rule": "str",
        "severity": "NotRequired[Optional[AlertSeverity]]",
        "threshold": "NotRequired[Optional[float]]",
        "type": "EventKind",
        "value": "NotRequired[Optional[float]]",
    },
)
"""Something that happened at an evaluation."""

Explanation = TypedDict(
    "Explanation",
    {
        "formula": "str",
        "id": "str",
        "inputs": "Dict[str, Evidence]",
        "quantity": "Quantity",
        "settings": "Dict[str, Any]",
        "value": "Any",
    },
)
"""How one number came to be."""

Finding = TypedDict(
    "Finding",
    {
        "advice": "AdviceText",
        "code": "str",
        "evidence": "Dict[str, Evidence]",
        "severity": "Severity",
        "subjects": "List[str]",
    },
)
"""One finding of one rule."""

GradeBand = TypedDict(
    "GradeBand",
    {
        "grade": "str",
        "min": "float",
    },
)
"""A grade band: `grade` when total ≥ `min`."""

Health = TypedDict(
    "Health",
    {
        "band": "HealthBand",
        "partial": "NotRequired[bool]",
        "penalty": "float",
        "score": "float",
    },
)
"""The organisation's health: 0–100 and its band."""

ItemResult = TypedDict(
    "ItemResult",
    {
        "score": "NotRequired[Optional[float]]",
        "target": "str",
        "version": "str",
        "weight": "float",
    },
)
"""One scored item."""

KeyResult = TypedDict(
    "KeyResult",
    {
        "bound": "NotRequired[Optional[float]]",
        "id": "str",
        "inclusive": "NotRequired[Optional[bool]]",
        "kind": "KrKind",
        "link": "NotRequired[Optional[KpiLink]]",
        "linked_objective": "NotRequired[Optional[str]]",
        "objective": "str",
        "pace": "NotRequired[List[Checkpoint]]",
        "start": "NotRequired[Optional[float]]",
        "steps": "NotRequired[List[Step]]",
        "target": "NotRequired[Optional[float]]",
        "title": "NotRequired[str]",
        "unit": "NotRequired[Optional[str]]",
        "versions": "NotRequired[List[KrVersion]]",
        "weight": "NotRequired[float]",
    },
)
"""A key result: the measurable part of an objective. Which fields apply depends on `kind`."""

KpiLink = TypedDict(
    "KpiLink",
    {
        "lag_days": "NotRequired[int]",
        "metric": "str",
        "scope": "Scope",
        "window": "NotRequired[LinkWindow]",
    },
)
"""A key result's link to a KPI metric × scope: its check-ins are derived from observations."""

KrResult = TypedDict(
    "KrResult",
    {
        "compliance": "NotRequired[Optional[float]]",
        "confidence": "NotRequired[Optional[float]]",
        "confidence_band": "NotRequired[Optional[ConfidenceBand]]",
        "current": "NotRequired[Optional[float]]",
        "definition": "DefinitionInForce",
        "expected": "float",
        "flags": "NotRequired[List[Flag]]",
        "id": "str",
        "kind": "KrKind",
        "link": "NotRequired[Optional[LinkResult]]",
        "objective": "str",
        "progress": "float",
        "progress_original": "NotRequired[Optional[float]]",
        "score": "float",
        "score_band": "ScoreBand",
        "status": "Status",
        "weight": "float",
    },
)
"""One evaluated key result."""

KrVersion = TypedDict(
    "KrVersion",
    {
        "bound": "NotRequired[Optional[float]]",
        "effective": "datetime.date",
        "reason": "NotRequired[str]",
        "start": "NotRequired[Optional[float]]",
        "target": "NotRequired[Optional[float]]",
        "weight": "NotRequired[Optional[float]]",
    },
)
"""A change of a key result's definition, in force from `effective` on. Nothing is overwritten."""

LinkResult = TypedDict(
    "LinkResult",
    {
        "check_ins": "int",
        "cut_off": "datetime.date",
        "lag_days": "int",
        "last_check_in": "NotRequired[Optional[datetime.date]]",
        "metric": "str",
        "metric_version": "str",
        "scope": "Scope",
        "window": "LinkWindow",
    },
)
"""Where the check-ins of a key result linked to a KPI metric came from (DOMAIN.md §8), so a reader can tell"""

ManualUpdate = TypedDict(
    "ManualUpdate",
    {
        "date": "datetime.date",
        "note": "NotRequired[Optional[str]]",
        "progress": "float",
    },
)
"""A manual progress update of an objective whose `progress_from` is `manual`."""

Measure = TypedDict(
    "Measure",
    {
        "id": "str",
        "name": "NotRequired[str]",
        "unit": "NotRequired[Optional[str]]",
    },
)
"""A raw quantity that observations measure (orders, revenue, tickets …)."""

Metric = TypedDict(
    "Metric",
    {
        "agg": "NotRequired[Optional[Agg]]",
        "changes": "NotRequired[List[MetricChange]]",
        "denominator": "NotRequired[Optional[str]]",
        "direction": "NotRequired[Direction]",
        "expression": "NotRequired[Optional[str]]",
        "grain": "NotRequired[Grain]",
        "id": "str",
        "kind": "MetricKind",
        "measure": "NotRequired[Optional[str]]",
        "metric": "NotRequired[Optional[str]]",
        "numerator": "NotRequired[Optional[str]]",
        "to_date": "NotRequired[Optional[ToDate]]",
        "unit": "NotRequired[Optional[str]]",
        "window": "NotRequired[Optional[int]]",
    },
)
"""A metric definition: one definition, one number."""

MetricChange = TypedDict(
    "MetricChange",
    {
        "on": "datetime.date",
        "previous_version": "NotRequired[Optional[str]]",
        "reason": "NotRequired[Optional[str]]",
    },
)
"""One past change of a metric's definition. okpi computes every period with the current definition (as dbt"""

MixEntry = TypedDict(
    "MixEntry",
    {
        "headcount": "float",
        "lines": "int",
        "recommendation": "Recommendation",
        "share": "float",
    },
)
"""One recommendation's share of the company."""

Note = TypedDict(
    "Note",
    {
        "code": "str",
        "en": "str",
        "zh": "str",
    },
)
"""A reason or next step: a stable code and its English and Chinese text."""

Objective = TypedDict(
    "Objective",
    {
        "cycle": "str",
        "id": "str",
        "kind": "NotRequired[ObjectiveKind]",
        "manual_updates": "NotRequired[List[ManualUpdate]]",
        "owner": "NotRequired[Optional[Owner]]",
        "pace": "NotRequired[List[Checkpoint]]",
        "progress_from": "NotRequired[ProgressFrom]",
        "rollup": "NotRequired[Optional[Rollup]]",
        "title": "NotRequired[str]",
        "visibility": "NotRequired[Visibility]",
    },
)
"""An objective: a qualitative direction, measured by its key results or its children."""

ObjectiveResult = TypedDict(
    "ObjectiveResult",
    {
        "confidence": "NotRequired[Optional[float]]",
        "confidence_band": "NotRequired[Optional[ConfidenceBand]]",
        "cycle": "str",
        "expected": "float",
        "expected_score": "float",
        "flags": "NotRequired[List[Flag]]",
        "id": "str",
        "kind": "ObjectiveKind",
        "progress": "float",
        "rollup": "Rollup",
        "score": "float",
        "score_band": "ScoreBand",
        "score_final": "bool",
        "sources": "List[Source]",
        "status": "Status",
    },
)
"""One evaluated objective."""

Observation = TypedDict(
    "Observation",
    {
        "date": "datetime.date",
        "dims": "NotRequired[Dict[str, str]]",
        "measure": "str",
        "source": "NotRequired[Optional[str]]",
        "value": "float",
    },
)
"""One raw observation `(measure, date, value, dims, source)`."""

OkrComponent = TypedDict(
    "OkrComponent",
    {
        "objective": "str",
        "weight": "NotRequired[float]",
    },
)
"""The OKR component of a scorecard."""

OrgUnit = TypedDict(
    "OrgUnit",
    {
        "id": "str",
        "manager": "NotRequired[Optional[str]]",
        "name": "NotRequired[str]",
        "parent": "NotRequired[Optional[str]]",
    },
)
"""A unit of the org tree (company, department, team)."""

Person = TypedDict(
    "Person",
    {
        "id": "str",
        "name": "NotRequired[str]",
        "roles": "NotRequired[List[Role]]",
        "unit": "NotRequired[Optional[str]]",
    },
)
"""A person, member of one unit."""

Pilot = TypedDict(
    "Pilot",
    {
        "model": "Recommendation",
        "scope": "str",
    },
)
"""A pilot: try `model` in one team before the whole line."""

Portfolio = TypedDict(
    "Portfolio",
    {
        "lines": "List[Advice]",
        "mix": "List[MixEntry]",
    },
)
"""The company-wide mix of many business lines."""

Problem = TypedDict(
    "Problem",
    {
        "code": "Code",
        "column": "NotRequired[Optional[int]]",
        "id": "NotRequired[Optional[str]]",
        "line": "NotRequired[Optional[int]]",
        "message": "str",
        "path": "str",
    },
)
"""One problem found in an input: what (code), where (JSON path), which item (id) and why (message)."""

Query = TypedDict(
    "Query",
    {
        "filters": "NotRequired[Dict[str, str]]",
        "from": "datetime.date",
        "grain": "NotRequired[Optional[Grain]]",
        "group_by": "NotRequired[List[str]]",
        "metric": "str",
        "to": "datetime.date",
    },
)
"""What to compute."""

QueryResult = TypedDict(
    "QueryResult",
    {
        "cells": "List[Cell]",
        "filters": "NotRequired[Dict[str, str]]",
        "grain": "Grain",
        "metric": "str",
        "unit_subtrees": "NotRequired[bool]",
        "version": "str",
    },
)
"""The answer to a [`Query`]."""

Readiness = TypedDict(
    "Readiness",
    {
        "communication_cadence": "float",
        "data_reliability": "float",
        "goal_design": "float",
    },
)
"""The article's three readiness questions, each answered in [0, 1]."""

Rule = TypedDict(
    "Rule",
    {
        "condition": "Condition",
        "critical": "NotRequired[Optional[Threshold]]",
        "direction": "NotRequired[Optional[AlertDirection]]",
        "for": "NotRequired[int]",
        "grain": "Grain",
        "id": "str",
        "keep_firing_for": "NotRequired[int]",
        "metric": "str",
        "no_data": "NotRequired[NoDataPolicy]",
        "scope": "str",
        "warning": "NotRequired[Optional[Threshold]]",
    },
)
"""An alert rule: metric × scope × grain, a condition, per-severity thresholds, `for`, `keep_firing_for` and"""

ScoreReport = TypedDict(
    "ScoreReport",
    {
        "as_of": "datetime.date",
        "targets": "List[TargetResult]",
    },
)
"""Every target's score at `as_of`, sorted by id."""

Scorecard = TypedDict(
    "Scorecard",
    {
        "decimals": "NotRequired[Optional[int]]",
        "grades": "NotRequired[Optional[List[GradeBand]]]",
        "group": "NotRequired[Optional[str]]",
        "id": "str",
        "items": "NotRequired[List[ScorecardItem]]",
        "okr": "NotRequired[Optional[OkrComponent]]",
        "subject": "Scope",
    },
)
"""A scorecard for a person or unit."""

ScorecardItem = TypedDict(
    "ScorecardItem",
    {
        "target": "str",
        "weight": "float",
    },
)
"""One weighted target in a scorecard."""

ScorecardReport = TypedDict(
    "ScorecardReport",
    {
        "as_of": "datetime.date",
        "scorecards": "List[ScorecardResult]",
        "warnings": "NotRequired[List[str]]",
    },
)
"""All scorecards, sorted by id."""

ScorecardRequest = TypedDict(
    "ScorecardRequest",
    {
        "as_of": "datetime.date",
        "distribution": "NotRequired[Optional[Distribution]]",
    },
)
"""What to compute for the scorecards."""

ScorecardResult = TypedDict(
    "ScorecardResult",
    {
        "forced_grade": "NotRequired[Optional[str]]",
        "grade": "NotRequired[Optional[str]]",
        "id": "str",
        "items": "List[ItemResult]",
        "okr_score": "NotRequired[Optional[float]]",
        "rank": "NotRequired[Optional[int]]",
        "subject": "Scope",
        "total": "NotRequired[Optional[float]]",
        "undefined": "NotRequired[Optional[str]]",
        "warnings": "NotRequired[List[str]]",
        "withheld": "NotRequired[Optional[str]]",
    },
)
"""One scorecard's result."""

SeriesAnswer = TypedDict(
    "SeriesAnswer",
    {
        "events": "List[Event]",
        "state": "State",
    },
)
"""One rule over one series: the state to store and the events, in date order."""

Settings = TypedDict(
    "Settings",
    {
        "allow_negative": "NotRequired[bool]",
        "at_risk_tolerance": "NotRequired[float]",
        "confidence_high": "NotRequired[float]",
        "confidence_low": "NotRequired[float]",
        "not_started_days": "NotRequired[int]",
        "objective_status": "NotRequired[ObjectiveStatusRule]",
        "on_track_tolerance": "NotRequired[float]",
        "overshoot": "NotRequired[Overshoot]",
        "private_rollup": "NotRequired[PrivateRollup]",
        "rollup": "NotRequired[Rollup]",
    },
)
"""Everything an evaluation may be tuned by. Defaults are DOMAIN.md's."""

Share = TypedDict(
    "Share",
    {
        "grade": "str",
        "percent": "float",
    },
)
"""One grade's share of a forced distribution."""

Source = TypedDict(
    "Source",
    {
        "id": "str",
        "kind": "SourceKind",
        "normalized_weight": "float",
        "progress": "float",
        "weight": "float",
    },
)
"""One term of an objective's roll-up."""

State = TypedDict(
    "State",
    {
        "breaches": "NotRequired[int]",
        "history": "NotRequired[List[Optional[float]]]",
        "quiet": "NotRequired[int]",
        "severity": "NotRequired[Optional[AlertSeverity]]",
        "status": "AlertStatus",
    },
)
"""Everything an alert carries between evaluations. It serialises, so a host can store it and resume:"""

Step = TypedDict(
    "Step",
    {
        "done_on": "NotRequired[Optional[datetime.date]]",
        "title": "NotRequired[str]",
        "weight": "NotRequired[float]",
    },
)
"""One step of a milestone's checklist."""

StrategyKr = TypedDict(
    "StrategyKr",
    {
        "id": "str",
        "progress": "float",
        "status": "Status",
        "support": "Support",
        "supports": "List[SupportingKpi]",
        "title": "str",
    },
)
"""One key result of a top objective and the KPIs that support it."""

StrategyObjective = TypedDict(
    "StrategyObjective",
    {
        "cycle": "str",
        "id": "str",
        "key_results": "List[StrategyKr]",
        "progress": "float",
        "score": "float",
        "status": "Status",
        "support": "Support",
        "title": "str",
    },
)
"""One top objective (aligned to no parent)."""

StrategySettings = TypedDict(
    "StrategySettings",
    {
        "evaluation": "NotRequired[Settings]",
        "health_amber": "NotRequired[float]",
        "health_green": "NotRequired[float]",
        "support_red_below": "NotRequired[float]",
    },
)
"""Everything the strategy view may be tuned by; `{}` gives the defaults."""

StrategyView = TypedDict(
    "StrategyView",
    {
        "as_of": "datetime.date",
        "objectives": "List[StrategyObjective]",
        "settings": "StrategySettings",
    },
)
"""The front office and the back office in one view: "is the back office carrying the front office?"."""

Support = TypedDict(
    "Support",
    {
        "amber": "int",
        "green": "int",
        "grey": "int",
        "health": "NotRequired[Optional[float]]",
        "light": "NotRequired[Optional[Light]]",
        "partial": "NotRequired[bool]",
        "red": "int",
    },
)
"""How the KPIs supporting a key result or objective are doing, by light."""

SupportingKpi = TypedDict(
    "SupportingKpi",
    {
        "achievement": "NotRequired[Optional[float]]",
        "actual": "NotRequired[Optional[float]]",
        "alert": "NotRequired[Optional[AlertLevel]]",
        "cycle": "str",
        "id": "str",
        "light": "Light",
        "metric": "str",
        "metric_version": "str",
        "scope": "Scope",
        "score": "NotRequired[Optional[float]]",
        "undefined": "NotRequired[Optional[str]]",
    },
)
"""One KPI target supporting a key result, as the KPI scoring code sees it at as_of."""

Target = TypedDict(
    "Target",
    {
        "changes": "NotRequired[List[TargetChange]]",
        "curve": "NotRequired[Curve]",
        "cycle": "str",
        "decimals": "NotRequired[Optional[int]]",
        "formula": "NotRequired[Formula]",
        "id": "str",
        "locked_at": "NotRequired[Optional[datetime.date]]",
        "metric": "str",
        "scope": "Scope",
        "stretch": "NotRequired[Optional[float]]",
        "supports": "NotRequired[List[str]]",
        "target": "float",
        "threshold": "NotRequired[Optional[float]]",
        "weight": "NotRequired[float]",
    },
)
"""A target: metric × scope × cycle."""

TargetChange = TypedDict(
    "TargetChange",
    {
        "on": "datetime.date",
        "reason": "NotRequired[Optional[str]]",
        "stretch": "NotRequired[Optional[float]]",
        "target": "NotRequired[Optional[float]]",
        "threshold": "NotRequired[Optional[float]]",
    },
)
"""A dated change of a target's values; after `locked_at` it needs a reason and is kept as an audit entry."""

TargetResult = TypedDict(
    "TargetResult",
    {
        "achievement": "NotRequired[Optional[float]]",
        "actual": "NotRequired[Optional[float]]",
        "audit": "NotRequired[List[TargetChange]]",
        "cap": "float",
        "cycle": "str",
        "id": "str",
        "metric": "str",
        "scope": "Scope",
        "score": "NotRequired[Optional[float]]",
        "stretch": "NotRequired[Optional[float]]",
        "target": "float",
        "threshold": "NotRequired[Optional[float]]",
        "undefined": "NotRequired[Optional[str]]",
        "version": "str",
        "withheld": "NotRequired[Optional[str]]",
    },
)
"""One target's score at an as-of date."""

Threshold = TypedDict(
    "Threshold",
    {
        "hi": "NotRequired[Optional[float]]",
        "lo": "NotRequired[Optional[float]]",
        "recovery": "NotRequired[Optional[float]]",
        "value": "NotRequired[Optional[float]]",
    },
)
"""One severity's threshold. Conditions on a number use `value` (and optionally `recovery`); `outside` and"""

ViewRequest = TypedDict(
    "ViewRequest",
    {
        "person": "str",
        "roles": "NotRequired[Optional[List[Role]]]",
        "settings": "NotRequired[AccessSettings]",
    },
)
"""A viewer and the access settings as one JSON object, the form the Python and C bindings take:"""

__all__ = ["AccessSettings", "Advice", "AdviceText", "AdvisorSettings", "Agg", "AlertDirection", "AlertLevel", "AlertObservation", "AlertReport", "AlertResult", "AlertSeverity", "AlertStatus", "Alignment", "AlignmentMode", "Answer", "Band", "BusinessProfile", "Call", "Cell", "CheckIn", "CheckInRecord", "Checkpoint", "Code", "Condition", "ConfidenceBand", "Curve", "Cycle", "DefinitionInForce", "DiagnoseSettings", "Diagnosis", "Direction", "Distribution", "Document", "ErrorBody", "ErrorKind", "Evaluation", "Event", "EventKind", "Evidence", "Explanation", "FilteredReport", "Finding", "Flag", "Formula", "GradeBand", "Grain", "Health", "HealthBand", "ItemResult", "KeyResult", "KpiLink", "KrKind", "KrResult", "KrVersion", "Lifecycle", "Light", "LinkResult", "LinkWindow", "ManualUpdate", "Measure", "Metric", "MetricChange", "MetricKind", "MixEntry", "NoDataPolicy", "Note", "Objective", "ObjectiveKind", "ObjectiveResult", "ObjectiveStatusRule", "Observation", "OkrComponent", "OrgUnit", "Outcome", "Overshoot", "Owner", "Person", "Pilot", "Portfolio", "PrivateRollup", "Problem", "ProgressFrom", "Quadrant", "Quantity", "Query", "QueryResult", "Readiness", "Recommendation", "Role", "Rollup", "Rule", "Scope", "ScoreBand", "ScoreReport", "Scorecard", "ScorecardItem", "ScorecardReport", "ScorecardRequest", "ScorecardResult", "SeriesAnswer", "Settings", "Severity", "Share", "Source", "SourceKind", "State", "Status", "Step", "StrategyKr", "StrategyObjective", "StrategySettings", "StrategyView", "Support", "SupportingKpi", "Target", "TargetChange", "TargetResult", "Threshold", "ToDate", "ViewRequest", "Visibility"]
_ = datetime
