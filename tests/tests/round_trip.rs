//! Round trips: `Document → JSON → Document` and `Document → YAML → Document` lose nothing (property tests over
//! generated documents with Chinese and YAML-looking text, extreme floats such as 1e308 and 5e-324, dates across
//! chrono's whole calendar, and empty optional fields), and evaluation results survive JSON too.
//!
//! "Lose nothing" is checked twice: the document read back equals the original, and writing it again gives
//! the same text (so a −0.0 that came back as 0.0, which `==` cannot see, would still fail).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use okpi::alert;
use okpi::model::*;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;

/// Text a YAML writer could get wrong: empty, Chinese, YAML keywords and numbers, indicators, quotes, line
/// breaks, any Unicode.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-z][a-z0-9_.]{0,8}",
        "[\u{4e00}-\u{9fa5}]{1,8}",
        prop::sample::select(vec![
            "yes",
            "no",
            "null",
            "~",
            "true",
            "1.0",
            "0x1F",
            "1e3",
            ".inf",
            "-.nan",
            "- item",
            "a: b",
            "#c",
            "'q'",
            "\"d\"",
            " lead",
            "trail ",
            "multi\nline",
            "tab\there",
            "2026-01-01",
            "@at",
            "%p",
            "&anchor",
            "*alias",
            "!tag",
            "|",
            ">",
            "{x}",
            "[y]",
            "提升 Growth 增长: 50%",
        ])
        .prop_map(String::from),
        any::<String>(),
    ]
}

/// Finite floats, the extremes among them.
fn float() -> impl Strategy<Value = f64> {
    prop_oneof![
        prop::sample::select(vec![
            0.0,
            -0.0,
            1e308,
            -1e308,
            5e-324,
            -5e-324,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            0.1,
            1e-7,
            1e21,
            123_456_789.123_456_79,
            2.5e-310,
            9_007_199_254_740_993.0,
        ]),
        any::<f64>().prop_filter("finite", |f| f.is_finite()),
        (-1000i32..1000i32).prop_map(f64::from),
    ]
}

/// Any day a document can hold (`YYYY-MM-DD`: the years 0001 to 9999), with a bias to ordinary years.
fn date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap().num_days_from_ce();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap().num_days_from_ce();
    let any_day = (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap());
    let recent =
        (0i32..3000).prop_map(|n| NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Days::new(n as u64));
    prop_oneof![recent, any_day]
}

use chrono::Datelike;

fn cycle() -> impl Strategy<Value = Cycle> {
    (text(), date(), date(), option::of(text())).prop_map(|(id, start, end, parent)| Cycle {
        id,
        start,
        end,
        parent,
    })
}

fn org_unit() -> impl Strategy<Value = OrgUnit> {
    (text(), text(), option::of(text()), option::of(text())).prop_map(|(id, name, parent, manager)| OrgUnit {
        id,
        name,
        parent,
        manager,
    })
}

fn person() -> impl Strategy<Value = Person> {
    let role = prop::sample::select(vec![
        Role::Employee,
        Role::Manager,
        Role::HrAdmin,
        Role::Executive,
    ]);
    (text(), text(), option::of(text()), vec(role, 0..3)).prop_map(|(id, name, unit, roles)| Person {
        id,
        name,
        unit,
        roles,
    })
}

fn checkpoint() -> impl Strategy<Value = Checkpoint> {
    (date(), float()).prop_map(|(date, expected)| Checkpoint { date, expected })
}

fn objective() -> impl Strategy<Value = Objective> {
    let owner = option::of(prop_oneof![
        text().prop_map(Owner::Unit),
        text().prop_map(Owner::Person)
    ]);
    let kind = prop::sample::select(vec![ObjectiveKind::Committed, ObjectiveKind::Aspirational]);
    let visibility = prop::sample::select(vec![Visibility::Public, Visibility::Team, Visibility::Private]);
    let from = prop::sample::select(vec![
        ProgressFrom::KeyResults,
        ProgressFrom::Children,
        ProgressFrom::Both,
        ProgressFrom::Manual,
    ]);
    let rollup = option::of(prop::sample::select(vec![Rollup::Weighted, Rollup::ByValue]));
    let update = (date(), float(), option::of(text())).prop_map(|(date, progress, note)| ManualUpdate {
        date,
        progress,
        note,
    });
    (
        (text(), text(), owner, text()),
        (kind, visibility, from, rollup),
        (vec(checkpoint(), 0..2), vec(update, 0..2)),
    )
        .prop_map(
            |(
                (id, title, owner, cycle),
                (kind, visibility, progress_from, rollup),
                (pace, manual_updates),
            )| {
                Objective {
                    id,
                    title,
                    owner,
                    cycle,
                    kind,
                    visibility,
                    progress_from,
                    rollup,
                    pace,
                    manual_updates,
                }
            },
        )
}

fn key_result() -> impl Strategy<Value = KeyResult> {
    let kind = prop::sample::select(vec![
        KrKind::Increase,
        KrKind::Decrease,
        KrKind::StayAbove,
        KrKind::StayBelow,
        KrKind::Milestone,
        KrKind::Linked,
    ]);
    let step = (text(), float(), option::of(date())).prop_map(|(title, weight, done_on)| Step {
        title,
        weight,
        done_on,
    });
    let version = (
        date(),
        text(),
        option::of(float()),
        option::of(float()),
        option::of(float()),
        option::of(float()),
    )
        .prop_map(|(effective, reason, start, target, bound, weight)| KrVersion {
            effective,
            reason,
            start,
            target,
            bound,
            weight,
        });
    (
        (text(), text(), text(), kind),
        (
            option::of(float()),
            option::of(float()),
            option::of(float()),
            option::of(any::<bool>()),
        ),
        (vec(step, 0..2), option::of(text()), float(), option::of(text())),
        (vec(checkpoint(), 0..2), vec(version, 0..2)),
    )
        .prop_map(
            |(
                (id, objective, title, kind),
                (start, target, bound, inclusive),
                (steps, linked, weight, unit),
                (pace, versions),
            )| {
                KeyResult {
                    id,
                    objective,
                    title,
                    kind,
                    start,
                    target,
                    bound,
                    inclusive,
                    steps,
                    linked_objective: linked,
                    weight,
                    // A link whenever a unit was drawn, so both the present and the absent link round-trip.
                    link: unit.clone().map(|u| okpi::model::KpiLink {
                        metric: u.clone(),
                        scope: okpi::model::Scope::Unit(u),
                        window: okpi::model::LinkWindow::LatestGrain,
                        lag_days: 3,
                    }),
                    unit,
                    pace,
                    versions,
                }
            },
        )
}

fn check_in() -> impl Strategy<Value = CheckIn> {
    (
        text(),
        date(),
        option::of(float()),
        option::of(float()),
        option::of(text()),
    )
        .prop_map(|(key_result, date, value, confidence, note)| CheckIn {
            key_result,
            date,
            value,
            confidence,
            note,
        })
}

fn alignment() -> impl Strategy<Value = Alignment> {
    let mode = prop::sample::select(vec![AlignmentMode::Contributes, AlignmentMode::Supports]);
    (text(), text(), float(), mode).prop_map(|(child, parent, weight, mode)| Alignment {
        child,
        parent,
        weight,
        mode,
    })
}

fn measure() -> impl Strategy<Value = Measure> {
    (text(), text(), option::of(text())).prop_map(|(id, name, unit)| Measure { id, name, unit })
}

fn grain() -> impl Strategy<Value = Grain> {
    prop::sample::select(vec![
        Grain::Day,
        Grain::Week,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
    ])
}

fn metric() -> impl Strategy<Value = Metric> {
    let kind = prop::sample::select(vec![
        MetricKind::Simple,
        MetricKind::Ratio,
        MetricKind::Derived,
        MetricKind::Cumulative,
    ]);
    let agg = prop::sample::select(vec![
        Agg::Sum,
        Agg::Count,
        Agg::Avg,
        Agg::Min,
        Agg::Max,
        Agg::Last,
    ]);
    let to_date = prop::sample::select(vec![
        ToDate::WeekToDate,
        ToDate::MonthToDate,
        ToDate::QuarterToDate,
        ToDate::YearToDate,
    ]);
    let direction = prop_oneof![
        Just(Direction::HigherIsBetter),
        Just(Direction::LowerIsBetter),
        (float(), float()).prop_map(|(lo, hi)| Direction::Band { lo, hi }),
    ];
    (
        (text(), kind, option::of(text()), option::of(agg)),
        (
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
        ),
        (
            option::of(any::<u32>()),
            option::of(to_date),
            option::of(text()),
            direction,
            grain(),
        ),
    )
        .prop_map(
            |(
                (id, kind, measure, agg),
                (numerator, denominator, expression, metric),
                (window, to_date, unit, direction, grain),
            )| {
                Metric {
                    id,
                    kind,
                    measure,
                    agg,
                    numerator,
                    denominator,
                    expression,
                    metric,
                    window,
                    to_date,
                    // An audit entry whenever a unit was drawn, reusing its text.
                    changes: unit
                        .clone()
                        .map(|u| okpi::model::MetricChange {
                            on: chrono::NaiveDate::from_ymd_opt(2026, 2, 10).unwrap(),
                            reason: Some(u.clone()),
                            previous_version: Some(u),
                        })
                        .into_iter()
                        .collect(),
                    unit,
                    direction,
                    grain,
                }
            },
        )
}

fn observation() -> impl Strategy<Value = Observation> {
    (
        text(),
        date(),
        float(),
        btree_map(text(), text(), 0..3),
        option::of(text()),
    )
        .prop_map(|(measure, date, value, dims, source)| Observation {
            measure,
            date,
            value,
            dims,
            source,
        })
}

fn scope() -> impl Strategy<Value = Scope> {
    prop_oneof![text().prop_map(Scope::Unit), text().prop_map(Scope::Person)]
}

fn target() -> impl Strategy<Value = Target> {
    let curve = prop_oneof![
        (float(), float()).prop_map(|(floor, cap)| Curve::Linear { floor, cap }),
        (float(), float(), float()).prop_map(|(at_threshold, at_target, at_stretch)| {
            Curve::ThresholdTargetStretch {
                at_threshold,
                at_target,
                at_stretch,
            }
        }),
        vec(
            (float(), float()).prop_map(|(min_a, score)| Band { min_a, score }),
            0..3
        )
        .prop_map(Curve::Bands),
        Just(Curve::Binary),
    ];
    let change = (
        date(),
        option::of(text()),
        option::of(float()),
        option::of(float()),
        option::of(float()),
    )
        .prop_map(|(on, reason, threshold, target, stretch)| TargetChange {
            on,
            reason,
            threshold,
            target,
            stretch,
        });
    let formula = prop::sample::select(vec![Formula::Inverse, Formula::Complement]);
    (
        (text(), text(), scope(), text()),
        (option::of(float()), float(), option::of(float()), float(), curve),
        (
            formula,
            option::of(any::<u32>()),
            option::of(date()),
            vec(change, 0..2),
        ),
    )
        .prop_map(
            |(
                (id, metric, scope, cycle),
                (threshold, target, stretch, weight, curve),
                (formula, decimals, locked_at, changes),
            )| {
                Target {
                    id,
                    metric,
                    scope,
                    cycle,
                    threshold,
                    target,
                    stretch,
                    weight,
                    curve,
                    formula,
                    decimals,
                    locked_at,
                    // The change reasons double as supported key result ids (any text round-trips).
                    supports: changes.iter().filter_map(|c| c.reason.clone()).collect(),
                    changes,
                }
            },
        )
}

fn scorecard() -> impl Strategy<Value = Scorecard> {
    let item = (text(), float()).prop_map(|(target, weight)| ScorecardItem { target, weight });
    let okr =
        option::of((text(), float()).prop_map(|(objective, weight)| OkrComponent { objective, weight }));
    let grades = option::of(vec(
        (text(), float()).prop_map(|(grade, min)| GradeBand { grade, min }),
        0..3,
    ));
    (
        text(),
        scope(),
        vec(item, 0..3),
        okr,
        grades,
        option::of(text()),
        option::of(any::<u32>()),
    )
        .prop_map(|(id, subject, items, okr, grades, group, decimals)| Scorecard {
            id,
            subject,
            items,
            okr,
            grades,
            group,
            decimals,
        })
}

fn rule() -> impl Strategy<Value = alert::Rule> {
    let alert_direction = prop::sample::select(vec![
        alert::AlertDirection::HigherIsBetter,
        alert::AlertDirection::LowerIsBetter,
    ]);
    let condition = prop_oneof![
        Just(alert::Condition::Above),
        Just(alert::Condition::Below),
        Just(alert::Condition::Outside),
        Just(alert::Condition::Inside),
        (float(), alert_direction.clone())
            .prop_map(|(target, direction)| alert::Condition::BelowTarget { target, direction }),
        any::<i64>().prop_map(|offset| alert::Condition::ChangePct { offset }),
        any::<i64>().prop_map(|n| alert::Condition::Trend { n }),
        any::<i64>().prop_map(|window| alert::Condition::Anomaly { window }),
    ];
    let threshold = || {
        (
            option::of(float()),
            option::of(float()),
            option::of(float()),
            option::of(float()),
        )
            .prop_map(|(value, recovery, lo, hi)| alert::Threshold {
                value,
                recovery,
                lo,
                hi,
            })
    };
    let alert_grain = prop::sample::select(vec![
        Grain::Day,
        Grain::Week,
        Grain::Month,
        Grain::Quarter,
        Grain::Year,
    ]);
    let policy = prop::sample::select(vec![
        alert::NoDataPolicy::NoData,
        alert::NoDataPolicy::Alerting,
        alert::NoDataPolicy::Ok,
        alert::NoDataPolicy::KeepLast,
    ]);
    (
        (text(), text(), text(), alert_grain, condition),
        (
            option::of(threshold()),
            option::of(threshold()),
            any::<i64>(),
            any::<i64>(),
        ),
        (policy, option::of(alert_direction)),
    )
        .prop_map(
            |(
                (id, metric, scope, grain, condition),
                (warning, critical, for_, keep_firing_for),
                (no_data, direction),
            )| {
                alert::Rule {
                    id,
                    metric,
                    scope,
                    grain,
                    condition,
                    warning,
                    critical,
                    for_,
                    keep_firing_for,
                    no_data,
                    direction,
                }
            },
        )
}

fn document() -> impl Strategy<Value = Document> {
    (
        (
            any::<u32>(),
            vec(cycle(), 0..3),
            vec(org_unit(), 0..3),
            vec(person(), 0..3),
        ),
        (
            vec(objective(), 0..3),
            vec(key_result(), 0..3),
            vec(check_in(), 0..3),
            vec(alignment(), 0..3),
        ),
        (
            vec(measure(), 0..2),
            vec(metric(), 0..3),
            vec(observation(), 0..3),
        ),
        (vec(target(), 0..2), vec(scorecard(), 0..2), vec(rule(), 0..2)),
    )
        .prop_map(|(a, b, c, d)| Document {
            schema_version: a.0,
            cycles: a.1,
            org_units: a.2,
            people: a.3,
            objectives: b.0,
            key_results: b.1,
            check_ins: b.2.into(),
            alignments: b.3,
            measures: c.0,
            metrics: c.1,
            observations: c.2.into(),
            targets: d.0,
            scorecards: d.1,
            alert_rules: d.2,
        })
}

/// Reads the document back with no limits in the way (a generated document may hold long text).
fn unlimited() -> okpi::Limits {
    {
        let mut v = okpi::Limits::default();
        v.document_bytes = usize::MAX;
        v.text_bytes = usize::MAX;
        v
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn document_json_round_trip_is_lossless(doc in document()) {
        let json = doc.to_json();
        let back = Document::from_json_with_limits(&json, &unlimited()).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        prop_assert_eq!(&back, &doc);
        prop_assert_eq!(back.to_json(), json);
    }

    #[test]
    fn document_yaml_round_trip_is_lossless(doc in document()) {
        let yaml = serde_norway::to_string(&doc).unwrap();
        let back: Document = serde_norway::from_str(&yaml).map_err(|e| TestCaseError::fail(format!("{e}:\n{yaml}")))?;
        prop_assert_eq!(&back, &doc, "YAML:\n{}", yaml);
        prop_assert_eq!(back.to_json(), doc.to_json());
        // The one reader (okpi::text, as the CLI reads YAML) reads the same document back; serde_norway's emitter
        // (YAML 1.1) folds lines at U+0085, U+2028 and U+2029, which YAML 1.2 reads as ordinary characters.
        if !yaml.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
            let ours = read_yaml(&yaml).map_err(|e| TestCaseError::fail(format!("{e:?}:\n{yaml}")))?;
            prop_assert_eq!(&ours, &doc, "YAML:\n{}", yaml);
        }
    }
}

/// A YAML document read by okpi's own reader.
fn read_yaml(yaml: &str) -> Result<Document, Vec<okpi::Problem>> {
    let limits = okpi::Limits::default();
    okpi::Document::from_tree(&okpi::text::tree(yaml, okpi::text::Format::Yaml, &limits)?)
}

/// Valid documents with random numbers, texts and dates, so that evaluations have something to compute.
fn valid_document() -> impl Strategy<Value = Document> {
    let kr = (
        float(),
        float(),
        vec((0u32..90, float(), option::of(0.0f64..=10.0)), 0..4),
        text(),
        float(),
    );
    (vec(kr, 1..5), text(), any::<bool>()).prop_map(|(krs, title, by_value)| {
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let mut doc = Document::new();
        doc.cycles.push(Cycle {
            id: "q".into(),
            start,
            end: NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
            parent: None,
        });
        doc.objectives.push(Objective {
            id: "o".into(),
            title,
            owner: None,
            cycle: "q".into(),
            kind: ObjectiveKind::Aspirational,
            visibility: Visibility::Public,
            progress_from: ProgressFrom::KeyResults,
            rollup: by_value.then_some(Rollup::ByValue),
            pace: Vec::new(),
            manual_updates: Vec::new(),
        });
        let unit = krs.first().map(|k| k.3.clone());
        for (i, (s, t, check_ins, _, weight)) in krs.into_iter().enumerate() {
            let (s, t) = if s == t {
                (s, s + 1.0)
            } else {
                (s.min(t), s.max(t))
            };
            let t = if t.is_finite() && t != s { t } else { s + 1.0 };
            doc.key_results.push(KeyResult {
                id: format!("k{i}"),
                objective: "o".into(),
                title: String::new(),
                kind: KrKind::Increase,
                start: Some(s),
                target: Some(t),
                bound: None,
                inclusive: None,
                steps: Vec::new(),
                linked_objective: None,
                link: None,
                weight: if i == 0 {
                    weight.abs().max(1.0)
                } else {
                    weight.abs()
                },
                unit: unit.clone(),
                pace: Vec::new(),
                versions: Vec::new(),
            });
            for (d, v, c) in check_ins {
                doc.check_ins.push(CheckIn {
                    key_result: format!("k{i}"),
                    date: start + chrono::Days::new(u64::from(d)),
                    value: Some(v),
                    confidence: c,
                    note: None,
                });
            }
        }
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn evaluations_round_trip_through_json(doc in valid_document(), day in 0u64..100) {
        let Ok(model) = okpi::Model::new(doc.clone()) else { return Ok(()) };
        let as_of = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + chrono::Days::new(day);
        for settings in [okpi::Settings::default(), {
            let mut v = okpi::Settings::default();
            v.allow_negative = true;
            v.overshoot = okpi::settings::Overshoot::Cap(1e300);
            v
        }] {
            let ev = okpi::evaluate(&model, as_of, &settings).unwrap();
            let json = ev.to_json();
            let back: okpi::Evaluation = serde_json::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            prop_assert_eq!(&back, &ev);
            prop_assert_eq!(back.to_json(), json);
        }
    }
}

#[test]
fn extreme_values_survive_both_formats() {
    // Dates are YYYY-MM-DD: the years 0001 to 9999 are the extremes a document holds.
    let (first, last) = (
        NaiveDate::from_ymd_opt(1, 1, 1).unwrap(),
        NaiveDate::from_ymd_opt(9999, 12, 31).unwrap(),
    );
    let mut doc = Document::new();
    doc.observations.push(Observation {
        measure: "增长".into(),
        date: last,
        value: 5e-324,
        dims: [("unit".into(), "null".into())].into(),
        source: Some(String::new()),
    });
    doc.cycles.push(Cycle {
        id: "yes".into(),
        start: first,
        end: last,
        parent: None,
    });
    let json = doc.to_json();
    assert_eq!(Document::from_json(&json).unwrap(), doc, "{json}");
    let yaml = serde_norway::to_string(&doc).unwrap();
    assert_eq!(serde_norway::from_str::<Document>(&yaml).unwrap(), doc, "{yaml}");
    assert_eq!(read_yaml(&yaml).unwrap(), doc, "{yaml}");
    // chrono's own extremes (+262142-12-31) are not YYYY-MM-DD: written, they are refused when read back.
    doc.cycles[0].end = NaiveDate::MAX;
    let err = Document::from_json(&doc.to_json()).unwrap_err();
    assert_eq!(err.problems()[0].path, "$.cycles[0].end");
}
