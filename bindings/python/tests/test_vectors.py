"""Every shared vector, run through the Python API with the Rust runner's logic."""

from __future__ import annotations

from typing import Any

import pytest

from vectors import (
    cases,
    run_access_case,
    run_advisor_case,
    run_alert_case,
    run_diagnose_case,
    run_error_case,
    run_hybrid_case,
    run_kpi_case,
    run_okr_case,
)

OKR = cases("okr")
ADVISOR = cases("advisor")


def test_okr_vectors_exist() -> None:
    assert OKR, "no OKR vectors found under tests/vectors/okr"


@pytest.mark.parametrize("name,case", OKR, ids=[n for n, _ in OKR])
def test_okr_vector(name: str, case: Any) -> None:
    problems = run_okr_case(case)
    assert not problems, f"{name} ({case.get('name')}):\n" + "\n".join(problems)


@pytest.mark.skipif(not ADVISOR, reason="no advisor vectors (tests/vectors/advisor is missing or empty)")
@pytest.mark.parametrize("name,case", ADVISOR or [("none", {})], ids=[n for n, _ in ADVISOR] or ["none"])
def test_advisor_vector(name: str, case: Any) -> None:
    problems = run_advisor_case(case)
    assert not problems, f"{name} ({case.get('name')}):\n" + "\n".join(problems)


RUNNERS = {
    "kpi": run_kpi_case,
    "alerts": run_alert_case,
    "diagnose": run_diagnose_case,
    "hybrid": run_hybrid_case,
    "access": run_access_case,
    "errors": run_error_case,
}
OTHER = [(area, name, case) for area in RUNNERS for name, case in cases(area)]


@pytest.mark.parametrize("area", sorted(RUNNERS))
def test_area_has_vectors(area: str) -> None:
    assert cases(area), f"no vectors under tests/vectors/{area}"


@pytest.mark.parametrize("area,name,case", OTHER, ids=[f"{a}/{n}" for a, n, _ in OTHER])
def test_vector(area: str, name: str, case: Any) -> None:
    problems = RUNNERS[area](case)
    assert not problems, f"{area}/{name} ({case.get('name')}):\n" + "\n".join(problems)


def test_error_catalog_has_40_cases() -> None:
    assert len(cases("errors")) >= 40
