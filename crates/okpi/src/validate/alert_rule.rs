//! Rule validation: every problem with its code and JSON path.

use crate::error::{Code, Problem};
use crate::model::alert::{Condition, Rule, Threshold};

/// Checks a rule; `path` is the rule's JSON path (e.g. `$` or `$.alerts[2]`). Returns every problem found.
///
/// - `E_MISSING_FIELD`: neither `warning` nor `critical`; a threshold without `value` (or a band without
///   `lo`/`hi`).
/// - `E_FIELD_NOT_ALLOWED`: `lo`/`hi` on a number condition; `value` or `recovery` on a band.
/// - `E_NOT_FINITE`: a NaN or infinite threshold, recovery, band edge or target.
/// - `E_ALERT_RULE`: negative `for` or `keep_firing_for`; `offset` < 1; `n` < 2; `window` < 3; a target ≤ 0;
///   a negative threshold for `change_pct`, `trend` or `anomaly`; a band with lo ≥ hi; a recovery threshold
///   on the wrong side of its threshold; a warning threshold beyond the critical one (for `outside`: a warning
///   band wider than the critical band; for `inside`: a critical band reaching outside the warning band).
///
/// ```
/// let rule: okpi::alert::Rule = serde_json::from_str(r#"{"id": "r", "metric": "m", "scope": "s",
///     "grain": "day", "condition": "above", "for": -1, "critical": {"value": 10, "recovery": 12}}"#).unwrap();
/// let problems = okpi::alert::validate_rule(&rule, "$");
/// let found: Vec<_> = problems.iter().map(|p| (p.code.as_str(), p.path.as_str())).collect();
/// assert_eq!(found, [("E_ALERT_RULE", "$.for"), ("E_ALERT_RULE", "$.critical.recovery")]);
/// ```
pub fn validate_rule(rule: &Rule, path: &str) -> Vec<Problem> {
    validate_rule_with_limits(rule, path, &crate::Limits::default())
}

/// [`validate_rule`] under `limits`: a condition that looks back further than `limits.alert_lookback`
/// evaluations (`offset`, `n` or `window`) is also `E_LIMIT` at its path.
///
/// ```
/// let rule: okpi::alert::Rule = serde_json::from_str(r#"{"id": "r", "metric": "m", "scope": "s",
///     "grain": "day", "condition": {"anomaly": {"window": 5000}}, "critical": {"value": 3}}"#).unwrap();
/// let problems = okpi::alert::validate_rule(&rule, "$");
/// assert_eq!((problems[0].code.as_str(), problems[0].path.as_str()), ("E_LIMIT", "$.condition.anomaly.window"));
/// ```
pub fn validate_rule_with_limits(rule: &Rule, path: &str, limits: &crate::Limits) -> Vec<Problem> {
    let mut out = Vec::new();
    let lookback = match &rule.condition {
        Condition::ChangePct { offset } => Some(("change_pct.offset", *offset)),
        Condition::Trend { n } => Some(("trend.n", *n)),
        Condition::Anomaly { window } => Some(("anomaly.window", *window)),
        _ => None,
    };
    if let Some((field, k)) = lookback {
        if usize::try_from(k).is_ok_and(|k| k > limits.alert_lookback) {
            out.push(crate::limits::exceeded(
                "alert_lookback",
                limits.alert_lookback,
                format!("{path}.condition.{field}"),
                Some(rule.id.as_str()),
                format!("the condition looks back {k} evaluations"),
            ));
        }
    }
    let id = Some(rule.id.as_str());
    let mut push = |code, at: String, msg: String| out.push(Problem::new(code, at, id, msg));
    if rule.for_ < 0 {
        push(
            Code::E_ALERT_RULE,
            format!("{path}.for"),
            format!("for is {}, must be ≥ 0", rule.for_),
        );
    }
    if rule.keep_firing_for < 0 {
        push(
            Code::E_ALERT_RULE,
            format!("{path}.keep_firing_for"),
            format!("keep_firing_for is {}, must be ≥ 0", rule.keep_firing_for),
        );
    }
    // Paths are written only for a problem: a valid rule costs no allocation here.
    let cpath = format_args!("{path}.condition");
    match &rule.condition {
        Condition::ChangePct { offset } if *offset < 1 => push(
            Code::E_ALERT_RULE,
            format!("{cpath}.change_pct.offset"),
            format!("offset is {offset}, must be ≥ 1"),
        ),
        Condition::Trend { n } if *n < 2 => push(
            Code::E_ALERT_RULE,
            format!("{cpath}.trend.n"),
            format!("n is {n}, must be ≥ 2"),
        ),
        Condition::Anomaly { window } if *window < 3 => push(
            Code::E_ALERT_RULE,
            format!("{cpath}.anomaly.window"),
            format!("window is {window}, must be ≥ 3"),
        ),
        Condition::BelowTarget { target, .. } => {
            let at = || format!("{cpath}.below_target.target");
            if !target.is_finite() {
                push(Code::E_NOT_FINITE, at(), format!("target is {target}"));
            } else if *target <= 0.0 {
                push(
                    Code::E_ALERT_RULE,
                    at(),
                    format!("target is {target}, must be > 0 for a ratio"),
                );
            }
        }
        _ => {}
    }
    if rule.warning.is_none() && rule.critical.is_none() {
        push(
            Code::E_MISSING_FIELD,
            format!("{path}.critical"),
            String::from("a rule needs a warning or a critical threshold"),
        );
    }
    let mut usable = [true, true];
    for (slot, (name, th)) in usable
        .iter_mut()
        .zip([("warning", &rule.warning), ("critical", &rule.critical)])
    {
        if let Some(th) = th {
            *slot = check_threshold(
                &rule.condition,
                th,
                format_args!("{path}.{name}"),
                name,
                &mut push,
            );
        }
    }
    if let (Some(w), Some(c), [true, true]) = (&rule.warning, &rule.critical, usable) {
        let wrong = match &rule.condition {
            Condition::Outside => {
                matches!((w.lo, c.lo), (Some(a), Some(b)) if a < b)
                    || matches!((w.hi, c.hi), (Some(a), Some(b)) if a > b)
            }
            // The critical band lies within the warning band: a value inside it is inside both.
            Condition::Inside => {
                matches!((w.lo, c.lo), (Some(a), Some(b)) if b < a)
                    || matches!((w.hi, c.hi), (Some(a), Some(b)) if b > a)
            }
            Condition::Below | Condition::BelowTarget { .. } => {
                matches!((w.value, c.value), (Some(a), Some(b)) if a < b)
            }
            _ => matches!((w.value, c.value), (Some(a), Some(b)) if a > b),
        };
        if wrong {
            push(
                Code::E_ALERT_RULE,
                format!("{path}.warning"),
                String::from("the warning threshold lies beyond the critical threshold"),
            );
        }
    }
    out
}

/// A threshold field's name and value.
type Field<'a> = (&'a str, Option<f64>);

fn check_threshold(
    condition: &Condition,
    th: &Threshold,
    path: std::fmt::Arguments<'_>,
    name: &str,
    push: &mut impl FnMut(Code, String, String),
) -> bool {
    let mut ok = true;
    for (field, v) in [
        ("value", th.value),
        ("recovery", th.recovery),
        ("lo", th.lo),
        ("hi", th.hi),
    ] {
        if let Some(x) = v.filter(|x| !x.is_finite()) {
            push(
                Code::E_NOT_FINITE,
                format!("{path}.{field}"),
                format!("{name} {field} is {x}"),
            );
            ok = false;
        }
    }
    let band = matches!(condition, Condition::Outside | Condition::Inside);
    let (needed, refused): (&[Field], &[Field]) = if band {
        (
            &[("lo", th.lo), ("hi", th.hi)],
            &[("value", th.value), ("recovery", th.recovery)],
        )
    } else {
        (&[("value", th.value)], &[("lo", th.lo), ("hi", th.hi)])
    };
    for (field, v) in needed {
        if v.is_none() {
            push(
                Code::E_MISSING_FIELD,
                format!("{path}.{field}"),
                format!("{name} needs {field}"),
            );
            ok = false;
        }
    }
    for (field, v) in refused {
        if v.is_some() {
            push(
                Code::E_FIELD_NOT_ALLOWED,
                format!("{path}.{field}"),
                format!("{name} takes no {field} for this condition"),
            );
            ok = false;
        }
    }
    if !ok {
        return false;
    }
    if let (Some(lo), Some(hi)) = (th.lo, th.hi) {
        if lo >= hi {
            push(
                Code::E_ALERT_RULE,
                format!("{path}.lo"),
                format!("{name} band has lo {lo} ≥ hi {hi}"),
            );
            return false;
        }
    }
    let Some(t) = th.value else { return ok };
    let nonneg = matches!(
        condition,
        Condition::ChangePct { .. } | Condition::Trend { .. } | Condition::Anomaly { .. }
    );
    if nonneg && t < 0.0 {
        push(
            Code::E_ALERT_RULE,
            format!("{path}.value"),
            format!("{name} threshold {t} must be ≥ 0"),
        );
        ok = false;
    }
    if let Some(r) = th.recovery {
        let wrong = match condition {
            Condition::Below | Condition::BelowTarget { .. } => r < t,
            _ => r > t,
        };
        if wrong {
            push(
                Code::E_ALERT_RULE,
                format!("{path}.recovery"),
                format!("{name} recovery {r} lies on the breaching side of its threshold {t}"),
            );
            ok = false;
        }
    }
    ok
}

impl Rule {
    /// Reads a rule from JSON and validates it under the default [`crate::Limits`], returning every problem
    /// found.
    pub fn from_json(text: &str) -> Result<Rule, crate::Error> {
        Rule::from_json_with_limits(text, &crate::Limits::default())
    }

    /// Reads a rule from JSON and validates it under `limits`, returning every problem found.
    pub fn from_json_with_limits(text: &str, limits: &crate::Limits) -> Result<Rule, crate::Error> {
        let rule: Rule = crate::text::parse_json_with(text, limits)?;
        let problems = validate_rule_with_limits(&rule, "$", limits);
        if problems.is_empty() {
            Ok(rule)
        } else {
            Err(crate::Error::invalid(problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::alert::NoDataPolicy;
    use crate::model::Grain;

    fn rule(critical: Threshold) -> Rule {
        Rule {
            id: "r".into(),
            metric: "m".into(),
            scope: "s".into(),
            grain: Grain::Day,
            condition: Condition::Above,
            warning: None,
            critical: Some(critical),
            for_: 0,
            keep_firing_for: 0,
            no_data: NoDataPolicy::NoData,
            direction: None,
        }
    }

    #[test]
    fn non_finite_thresholds_are_reported() {
        let r = rule(Threshold {
            value: Some(f64::NAN),
            recovery: Some(f64::INFINITY),
            ..Threshold::default()
        });
        let found: Vec<_> = validate_rule(&r, "$.alerts[0]")
            .into_iter()
            .map(|p| (p.code, p.path))
            .collect();
        assert_eq!(
            found,
            [
                (Code::E_NOT_FINITE, String::from("$.alerts[0].critical.value")),
                (Code::E_NOT_FINITE, String::from("$.alerts[0].critical.recovery")),
            ]
        );
    }

    #[test]
    fn median_and_slope() {
        use crate::alert::{median, slope};
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(Vec::new()), 0.0);
        assert_eq!(slope(&[10.0, 8.0, 6.0]), -2.0);
        assert_eq!(slope(&[5.0]), 0.0);
    }
}
