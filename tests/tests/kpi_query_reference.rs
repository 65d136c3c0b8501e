//! `kpi::query` against a reference written here from README's rules, in exact fractions: random documents
//! (decimal observations over units and a region dim) and random queries (every aggregation, a ratio, derived
//! metrics with offsets, cumulative windows and grain-to-date spans, every grain, filters and group-by), 2,000
//! queries in all.
//!
//! The rules, as README states them: cells are the whole buckets of the grain from the one holding `from` to the
//! one holding `to` (ISO weeks); `sum` and `count` of nothing are 0, the others undefined; `last` sums the
//! values of the latest day; a division by zero (a zero in decimal arithmetic) is undefined and so is anything
//! that reads an undefined value; offsets shift each end of a span by whole grains (a month's last day stays its
//! month's last day); a window of N takes the cell's bucket and the N − 1 before it; grain-to-date runs from the
//! start of the to-date bucket holding the cell's last day to that day; a `unit` filter takes the unit's
//! subtree, a `unit` group the unit alone; groups are the values found in the filtered observations the metric
//! reads, at any date, ordered by the dims in `group_by` order.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod exact;

use chrono::{Datelike, Duration, NaiveDate};
use exact::{Dec, Q};
use okpi::kpi::Query;
use okpi::model::Grain;
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// (unit, parent).
const UNITS: [(&str, Option<&str>); 4] = [
    ("co", None),
    ("east", Some("co")),
    ("west", Some("co")),
    ("e1", Some("east")),
];
const REGIONS: [&str; 2] = ["n", "s"];
const METRICS: [&str; 18] = [
    "s1", "c1", "a1", "mn1", "mx1", "l1", "s2", "r", "d1", "d2", "d3", "d4", "cw", "cmtd", "cqd", "cwr",
    "cys", "cwd",
];

#[derive(Debug, Clone)]
struct Obs {
    measure: &'static str,
    date: NaiveDate,
    value: Dec,
    unit: Option<&'static str>,
    region: Option<&'static str>,
}

fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 11, 1).unwrap()
}

fn obs_strategy() -> impl Strategy<Value = Obs> {
    (
        prop::sample::select(vec!["m1", "m2"]),
        0i64..210,
        (0u32..=2, -5_000i64..5_000),
        prop::option::of(prop::sample::select(
            UNITS.iter().map(|u| u.0).collect::<Vec<_>>(),
        )),
        prop::option::of(prop::sample::select(REGIONS.to_vec())),
    )
        .prop_map(|(measure, d, (scale, m), unit, region)| Obs {
            measure,
            date: first_day() + Duration::days(d),
            value: Dec {
                mantissa: m / 10i64.pow(2 - scale),
                scale,
            },
            unit,
            region,
        })
}

fn doc_json(obs: &[Obs]) -> String {
    let units: Vec<String> = UNITS
        .iter()
        .map(|(u, p)| match p {
            Some(p) => format!(r#"{{"id": "{u}", "parent": "{p}"}}"#),
            None => format!(r#"{{"id": "{u}"}}"#),
        })
        .collect();
    let observations: Vec<String> = obs
        .iter()
        .map(|o| {
            let mut dims = Vec::new();
            if let Some(u) = o.unit {
                dims.push(format!(r#""unit": "{u}""#));
            }
            if let Some(r) = o.region {
                dims.push(format!(r#""region": "{r}""#));
            }
            format!(
                r#"{{"measure": "{}", "date": "{}", "value": {}e-{}, "dims": {{{}}}}}"#,
                o.measure,
                o.date,
                o.value.mantissa,
                o.value.scale,
                dims.join(", ")
            )
        })
        .collect();
    let simple = |id: &str, m: &str, agg: &str| {
        format!(r#"{{"id": "{id}", "kind": "simple", "measure": "{m}", "agg": "{agg}"}}"#)
    };
    let derived = |id: &str, e: &str| format!(r#"{{"id": "{id}", "kind": "derived", "expression": "{e}"}}"#);
    let cumulative = |id: &str, m: &str, how: &str| {
        format!(r#"{{"id": "{id}", "kind": "cumulative", "metric": "{m}", {how}}}"#)
    };
    let metrics = [
        simple("s1", "m1", "sum"),
        simple("c1", "m1", "count"),
        simple("a1", "m1", "avg"),
        simple("mn1", "m1", "min"),
        simple("mx1", "m1", "max"),
        simple("l1", "m1", "last"),
        simple("s2", "m2", "sum"),
        r#"{"id": "r", "kind": "ratio", "numerator": "s1", "denominator": "s2"}"#.to_owned(),
        derived("d1", "s1 - s1(offset 1)"),
        derived("d2", "s1 / s2(offset 2) + 1"),
        derived("d3", "(a1 + mx1) * 2"),
        derived("d4", "r(offset 1) - c1 / 4"),
        cumulative("cw", "s1", r#""window": 3"#),
        cumulative("cmtd", "s1", r#""to_date": "month_to_date""#),
        cumulative("cqd", "d1", r#""to_date": "quarter_to_date""#),
        cumulative("cwr", "r", r#""to_date": "week_to_date""#),
        cumulative("cys", "s2", r#""to_date": "year_to_date""#),
        cumulative("cwd", "d2", r#""window": 2"#),
    ];
    format!(
        r#"{{"schema_version": 1, "org_units": [{}], "measures": [{{"id": "m1"}}, {{"id": "m2"}}],
          "metrics": [{}], "observations": [{}]}}"#,
        units.join(", "),
        metrics.join(", "),
        observations.join(", ")
    )
}

// ------------------------------------------------------------------ the calendar, as README states it

fn days_in_month(y: i32, m: u32) -> u32 {
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m + 1, 1)
    };
    (next.unwrap() - NaiveDate::from_ymd_opt(y, m, 1).unwrap()).num_days() as u32
}

fn bucket(grain: Grain, d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let ymd = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    let months = |first: u32, n: u32| {
        let (y, last) = (d.year(), first + n - 1);
        (ymd(y, first, 1), ymd(y, last, days_in_month(y, last)))
    };
    match grain {
        Grain::Day => (d, d),
        Grain::Week => {
            let monday = d - Duration::days(i64::from(d.weekday().num_days_from_monday()));
            (monday, monday + Duration::days(6))
        }
        Grain::Month => months(d.month(), 1),
        Grain::Quarter => months((d.month() - 1) / 3 * 3 + 1, 3),
        Grain::Year => months(1, 12),
    }
}

/// One day moved by n grains; months keep month boundaries.
fn shift(grain: Grain, d: NaiveDate, n: i64) -> NaiveDate {
    let months = match grain {
        Grain::Day => return d + Duration::days(n),
        Grain::Week => return d + Duration::days(7 * n),
        Grain::Month => n,
        Grain::Quarter => 3 * n,
        Grain::Year => 12 * n,
    };
    let index = i64::from(d.year()) * 12 + i64::from(d.month0()) + months;
    let (y, m) = (index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1);
    let last = days_in_month(y, m);
    let day = if d.day() == days_in_month(d.year(), d.month()) {
        last
    } else {
        d.day().min(last)
    };
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

// ------------------------------------------------------------------ the metrics, in exact fractions

/// Which observations count: a unit subtree (filter), a unit alone (group), a region.
#[derive(Debug, Clone, Default)]
struct Filter {
    subtree: Option<BTreeSet<&'static str>>,
    unit: Option<String>,
    region: Option<String>,
}

impl Filter {
    fn matches(&self, o: &Obs) -> bool {
        self.subtree
            .as_ref()
            .is_none_or(|s| o.unit.is_some_and(|u| s.contains(u)))
            && self.unit.as_ref().is_none_or(|u| o.unit == Some(u.as_str()))
            && self.region.as_ref().is_none_or(|r| o.region == Some(r.as_str()))
    }
}

fn subtree(unit: &str) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for (u, _) in UNITS {
        let mut at = Some(u);
        while let Some(x) = at {
            if x == unit {
                out.insert(u);
                break;
            }
            at = UNITS.iter().find(|p| p.0 == x).and_then(|p| p.1);
        }
    }
    out
}

struct Reference<'a> {
    obs: &'a [Obs],
    filter: Filter,
}

type Span = (NaiveDate, NaiveDate, Grain);

impl Reference<'_> {
    fn rows(&self, measure: &str, (a, b, _): Span) -> Vec<&Obs> {
        self.obs
            .iter()
            .filter(|o| o.measure == measure && o.date >= a && o.date <= b && self.filter.matches(o))
            .collect()
    }

    fn simple(&self, measure: &str, agg: &str, span: Span) -> Option<Q> {
        let rows = self.rows(measure, span);
        let sum = |rows: &[&Obs]| rows.iter().fold(Q::int(0), |a, o| a + o.value.q());
        match agg {
            "sum" => Some(sum(&rows)),
            "count" => Some(Q::int(rows.len() as i128)),
            _ if rows.is_empty() => None,
            "avg" => Some(sum(&rows) / Q::int(rows.len() as i128)),
            "min" => rows.iter().map(|o| o.value.q()).min(),
            "max" => rows.iter().map(|o| o.value.q()).max(),
            _ => {
                let last = rows.iter().map(|o| o.date).max()?;
                let on_last: Vec<&Obs> = rows.into_iter().filter(|o| o.date == last).collect();
                Some(sum(&on_last))
            }
        }
    }

    fn div(a: Option<Q>, b: Option<Q>) -> Option<Q> {
        let (a, b) = (a?, b?);
        (!b.is_zero()).then(|| a / b)
    }

    fn back(span: Span, n: i64) -> Span {
        (shift(span.2, span.0, -n), shift(span.2, span.1, -n), span.2)
    }

    fn eval(&self, metric: &str, span: Span) -> Option<Q> {
        let (_, end, grain) = span;
        let to_date = |g: Grain| (bucket(g, end).0.min(end), end, grain);
        match metric {
            "s1" => self.simple("m1", "sum", span),
            "c1" => self.simple("m1", "count", span),
            "a1" => self.simple("m1", "avg", span),
            "mn1" => self.simple("m1", "min", span),
            "mx1" => self.simple("m1", "max", span),
            "l1" => self.simple("m1", "last", span),
            "s2" => self.simple("m2", "sum", span),
            "r" => Self::div(self.eval("s1", span), self.eval("s2", span)),
            "d1" => Some(self.eval("s1", span)? - self.eval("s1", Self::back(span, 1))?),
            "d2" => Some(Self::div(self.eval("s1", span), self.eval("s2", Self::back(span, 2)))? + Q::int(1)),
            "d3" => Some((self.eval("a1", span)? + self.eval("mx1", span)?) * Q::int(2)),
            "d4" => Some(self.eval("r", Self::back(span, 1))? - self.eval("c1", span)? / Q::int(4)),
            "cw" => self.eval("s1", (shift(grain, bucket(grain, end).0, -2), end, grain)),
            "cmtd" => self.eval("s1", to_date(Grain::Month)),
            "cqd" => self.eval("d1", to_date(Grain::Quarter)),
            "cwr" => self.eval("r", to_date(Grain::Week)),
            "cys" => self.eval("s2", to_date(Grain::Year)),
            "cwd" => self.eval("d2", (shift(grain, bucket(grain, end).0, -1), end, grain)),
            _ => panic!("unknown metric {metric}"),
        }
    }
}

fn measures_of(metric: &str) -> &'static [&'static str] {
    match metric {
        "r" | "d2" | "d4" | "cwr" | "cwd" => &["m1", "m2"],
        "s2" | "cys" => &["m2"],
        _ => &["m1"],
    }
}

#[derive(Debug, Clone)]
struct Ask {
    metric: &'static str,
    grain: Grain,
    from: NaiveDate,
    to: NaiveDate,
    unit: Option<&'static str>,
    region: Option<&'static str>,
    group_by: Vec<&'static str>,
}

fn ask_strategy() -> impl Strategy<Value = Ask> {
    (
        prop::sample::select(METRICS.to_vec()),
        prop::sample::select(vec![
            Grain::Day,
            Grain::Week,
            Grain::Month,
            Grain::Quarter,
            Grain::Year,
        ]),
        -30i64..240,
        0i64..400,
        prop::option::of(prop::sample::select(
            UNITS.iter().map(|u| u.0).collect::<Vec<_>>(),
        )),
        prop::option::of(prop::sample::select(REGIONS.to_vec())),
        prop::sample::select(vec![
            vec![],
            vec!["region"],
            vec!["unit"],
            vec!["region", "unit"],
            vec!["unit", "region"],
        ]),
    )
        .prop_map(|(metric, grain, from, len, unit, region, group_by)| {
            // Day and week cells are many: keep their ranges short.
            let len = match grain {
                Grain::Day => len % 40,
                Grain::Week => len % 120,
                _ => len,
            };
            let from = first_day() + Duration::days(from);
            Ask {
                metric,
                grain,
                from,
                to: from + Duration::days(len),
                unit,
                region,
                group_by,
            }
        })
}

/// One expected cell: period start and end, group, value (`None`: undefined).
type RefCell = (NaiveDate, NaiveDate, BTreeMap<String, String>, Option<Q>);

fn reference(obs: &[Obs], ask: &Ask) -> Vec<RefCell> {
    let base = Filter {
        subtree: ask.unit.map(subtree),
        unit: None,
        region: ask.region.map(str::to_owned),
    };
    let mut groups: BTreeSet<Vec<&str>> = BTreeSet::new();
    if ask.group_by.is_empty() {
        groups.insert(Vec::new());
    } else {
        for o in obs
            .iter()
            .filter(|o| measures_of(ask.metric).contains(&o.measure) && base.matches(o))
        {
            let values: Option<Vec<&str>> = ask
                .group_by
                .iter()
                .map(|d| if *d == "unit" { o.unit } else { o.region })
                .collect();
            groups.extend(values);
        }
    }
    let mut out = Vec::new();
    let mut cell = bucket(ask.grain, ask.from);
    while cell.0 <= ask.to {
        for g in &groups {
            let mut filter = base.clone();
            for (d, v) in ask.group_by.iter().zip(g) {
                if *d == "unit" {
                    filter.unit = Some((*v).to_owned());
                } else {
                    filter.region = Some((*v).to_owned());
                }
            }
            let r = Reference { obs, filter };
            let value = r.eval(ask.metric, (cell.0, cell.1, ask.grain));
            let group = ask
                .group_by
                .iter()
                .zip(g)
                .map(|(d, v)| ((*d).to_owned(), (*v).to_owned()))
                .collect();
            out.push((cell.0, cell.1, group, value));
        }
        cell = bucket(ask.grain, cell.1 + Duration::days(1));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn query_agrees_with_the_reference(
        obs in prop::collection::vec(obs_strategy(), 0..30),
        ask in ask_strategy(),
    ) {
        // One observation per (measure, day, dims): a repeat is a validation error, not a case.
        let mut seen = BTreeSet::new();
        let obs: Vec<Obs> = obs
            .into_iter()
            .filter(|o| seen.insert((o.measure, o.date, o.unit, o.region)))
            .collect();
        let model = okpi::Model::from_json(&doc_json(&obs)).unwrap();
        let mut filters = BTreeMap::new();
        if let Some(u) = ask.unit {
            filters.insert("unit".to_owned(), u.to_owned());
        }
        if let Some(r) = ask.region {
            filters.insert("region".to_owned(), r.to_owned());
        }
        let q = {
            let mut v = Query::new(ask.metric.to_owned(), ask.from, ask.to);
            v.grain = Some(ask.grain);
            v.filters = filters;
            v.group_by = ask.group_by.iter().map(|g| (*g).to_owned()).collect();
            v
        };
        let got = okpi::kpi::query(&model, &q).unwrap().cells;
        let want = reference(&obs, &ask);
        prop_assert_eq!(got.len(), want.len(), "{:?}", &ask);
        for (g, (start, end, group, value)) in got.iter().zip(&want) {
            prop_assert_eq!((g.period_start, g.period_end), (*start, *end));
            prop_assert_eq!(&g.group, group);
            match (g.value, value) {
                (None, None) => {}
                (Some(x), Some(q)) => {
                    let y = q.to_f64();
                    prop_assert!(
                        (x - y).abs() <= 1e-9 * y.abs().max(1.0),
                        "{} {}..{} {:?}: {} vs {}", ask.metric, start, end, group, x, y
                    );
                    prop_assert!(!(x == 0.0 && x.is_sign_negative()), "−0 written");
                }
                (x, y) => prop_assert!(false, "{} {}..{} {:?}: {:?} vs {:?} ({:?})", ask.metric, start, end, group, x, y, g.undefined),
            }
        }
    }
}
