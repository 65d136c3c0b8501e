//! An event's explanation, written out when it is serialised or asked for (`to_string()`), not when the event is
//! made: most events of a large run are counted or turned into columns and their sentences never read.

use super::state::EventKind;
use crate::model::alert::{AlertSeverity, Condition, NoDataPolicy, Rule};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::sync::Arc;

/// A sentence naming the value, the threshold and the rule's relevant settings. It serialises as that sentence
/// (a JSON string); [`fmt::Display`] and `to_string()` write it out.
#[derive(Clone)]
pub struct Explanation(Text);

#[derive(Clone)]
enum Text {
    /// A sentence given as is (read from JSON, or rewritten for a viewer).
    Given(String),
    /// The parts, written out on demand.
    Parts(Parts),
}

#[derive(Clone)]
struct Parts {
    words: Arc<RuleWords>,
    kind: EventKind,
    severity: Option<AlertSeverity>,
    value: Option<f64>,
    measure: Option<f64>,
    /// The threshold of the event's severity, `None` without one.
    threshold: Option<Limit>,
}

/// A threshold's value, recovery and band.
type Limit = (Option<f64>, Option<f64>, Option<(f64, f64)>);

/// The parts of a rule every explanation of one series repeats, taken once per series (at its first event) and
/// written out with the sentence.
pub(crate) struct RuleWords {
    id: String,
    metric: String,
    scope: String,
    condition: Condition,
    for_: i64,
    keep_firing_for: i64,
    no_data: NoDataPolicy,
}

impl RuleWords {
    pub fn new(rule: &Rule) -> Arc<RuleWords> {
        Arc::new(RuleWords {
            id: rule.id.clone(),
            metric: rule.metric.clone(),
            scope: rule.scope.clone(),
            condition: rule.condition.clone(),
            for_: rule.for_,
            keep_firing_for: rule.keep_firing_for,
            no_data: rule.no_data,
        })
    }

    /// `rule R on M for S (condition)`.
    fn head(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rule {} on {} for {} (", self.id, self.metric, self.scope)?;
        condition_name(f, &self.condition)?;
        f.write_str(")")
    }

    /// `for F, keep_firing_for K, no_data P`.
    fn tail(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let no_data = match self.no_data {
            NoDataPolicy::NoData => "no_data",
            NoDataPolicy::Alerting => "alerting",
            NoDataPolicy::Ok => "ok",
            NoDataPolicy::KeepLast => "keep_last",
        };
        write!(
            f,
            "for {}, keep_firing_for {}, no_data {no_data}",
            self.for_, self.keep_firing_for
        )
    }
}

impl Explanation {
    /// The explanation of an event of `rule` (its words in `words`, made at the series' first event).
    pub(crate) fn of(
        rule: &Rule,
        words: &mut Option<Arc<RuleWords>>,
        kind: EventKind,
        severity: Option<AlertSeverity>,
        value: Option<f64>,
        measure: Option<f64>,
    ) -> Explanation {
        let words = Arc::clone(words.get_or_insert_with(|| RuleWords::new(rule)));
        let threshold = severity
            .and_then(|s| rule.threshold(s))
            .map(|t| (t.value, t.recovery, t.lo.zip(t.hi)));
        Explanation(Text::Parts(Parts {
            words,
            kind,
            severity,
            value,
            measure,
            threshold,
        }))
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let p = match &self.0 {
            Text::Given(s) => return f.write_str(s),
            Text::Parts(p) => p,
        };
        let what = match p.kind {
            EventKind::Pending => "pending",
            EventKind::Firing => "firing",
            EventKind::SeverityChanged => "severity changed",
            EventKind::Resolved => "resolved",
            EventKind::NoData => "no data",
        };
        let sev = p.severity.map_or("none", |s| match s {
            AlertSeverity::Warning => "warning",
            AlertSeverity::Critical => "critical",
        });
        write!(f, "{what}: ")?;
        p.words.head(f)?;
        f.write_str(": value ")?;
        show(f, p.value)?;
        f.write_str(", measure ")?;
        show(f, p.measure)?;
        f.write_str(", ")?;
        match p.threshold {
            Some((Some(v), Some(r), _)) => write!(f, "{sev} threshold {v} (recovery {r})")?,
            Some((Some(v), None, _)) => write!(f, "{sev} threshold {v} (no recovery threshold)")?,
            Some((None, _, Some((lo, hi)))) => write!(f, "{sev} band [{lo}, {hi}]")?,
            Some((None, _, None)) => write!(f, "{sev} threshold")?,
            None => f.write_str("no threshold")?,
        }
        f.write_str("; ")?;
        p.words.tail(f)
    }
}

fn show(f: &mut fmt::Formatter<'_>, x: Option<f64>) -> fmt::Result {
    match x {
        Some(v) => write!(f, "{v}"),
        None => f.write_str("missing"),
    }
}

fn condition_name(f: &mut fmt::Formatter<'_>, c: &Condition) -> fmt::Result {
    match c {
        Condition::Above => f.write_str("above"),
        Condition::Below => f.write_str("below"),
        Condition::Outside => f.write_str("outside"),
        Condition::Inside => f.write_str("inside"),
        Condition::BelowTarget { target, direction } => {
            write!(
                f,
                "below_target(target {target}, {})",
                crate::alert::direction_name(*direction)
            )
        }
        Condition::ChangePct { offset } => write!(f, "change_pct(offset {offset})"),
        Condition::Trend { n } => write!(f, "trend(n {n})"),
        Condition::Anomaly { window } => write!(f, "anomaly(window {window})"),
    }
}

impl fmt::Debug for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string(), f)
    }
}

impl PartialEq for Explanation {
    fn eq(&self, other: &Explanation) -> bool {
        match (&self.0, &other.0) {
            (Text::Given(a), Text::Given(b)) => a == b,
            _ => self.to_string() == other.to_string(),
        }
    }
}

impl From<String> for Explanation {
    fn from(s: String) -> Explanation {
        Explanation(Text::Given(s))
    }
}

impl Default for Explanation {
    fn default() -> Explanation {
        Explanation(Text::Given(String::new()))
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Text::Given(t) => s.serialize_str(t),
            Text::Parts(_) => s.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Explanation {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Explanation, D::Error> {
        String::deserialize(d).map(Explanation::from)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for Explanation {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        String::schema_name()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }
}

#[cfg(test)]
mod tests {
    use crate::alert::{evaluate_series, AlertObservation, Rule, State};

    #[test]
    fn sentences_are_written_when_asked_for_as_they_always_read() {
        let rule = Rule::from_json(
            r#"{"id": "gmv", "metric": "sales", "scope": "east", "grain": "day", "condition": "above",
                "warning": {"value": 800}, "critical": {"value": 1000, "recovery": 900}, "for": 1,
                "keep_firing_for": 2}"#,
        )
        .unwrap();
        let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        let series = [Some(1200.0), Some(1300.0), None];
        let obs: Vec<AlertObservation> = series
            .iter()
            .zip(1..)
            .map(|(v, d)| AlertObservation {
                date: day(d),
                value: *v,
            })
            .collect();
        let (_, events) = evaluate_series(&rule, State::default(), &obs);
        let texts: Vec<String> = events.iter().map(|e| e.explanation.to_string()).collect();
        let tail = "for 1, keep_firing_for 2, no_data no_data";
        assert_eq!(
            texts,
            [
                format!("pending: rule gmv on sales for east (above): value 1200, measure 1200, critical threshold 1000 (recovery 900); {tail}"),
                format!("firing: rule gmv on sales for east (above): value 1300, measure 1300, critical threshold 1000 (recovery 900); {tail}"),
                format!("resolved: rule gmv on sales for east (above): value missing, measure missing, critical threshold 1000 (recovery 900); {tail}"),
                format!("no data: rule gmv on sales for east (above): value missing, measure missing, no threshold; {tail}"),
            ]
        );
        // JSON: the same sentence as a string, and read back equal.
        let json = serde_json::to_string(&events[0]).unwrap();
        assert!(json.contains(&format!(
            "\"explanation\":{}",
            serde_json::to_string(&texts[0]).unwrap()
        )));
        let back: crate::alert::Event = serde_json::from_str(&json).unwrap();
        assert_eq!(back, events[0]);
    }
}
