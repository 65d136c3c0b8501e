//! Explanations: for any number of an evaluation, the inputs, the formula and the settings that produced it.

use crate::model::{KrKind, LinkWindow, Rollup, Scope};
use crate::report::{Evaluation, Evidence, Flag, KrResult, ObjectiveResult};
use crate::settings::Overshoot;
use crate::store::Model;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Which number of a result to explain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Quantity {
    /// Progress.
    Progress,
    /// Expected progress (pace).
    Expected,
    /// Status.
    Status,
    /// Confidence.
    Confidence,
    /// Score.
    Score,
}

/// How one number came to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[non_exhaustive]
pub struct Explanation {
    /// The key result or objective.
    pub id: String,
    /// The number explained.
    pub quantity: Quantity,
    /// Its value.
    pub value: Value,
    /// The formula, in words and symbols.
    pub formula: String,
    /// The inputs the formula used (dates as dates).
    pub inputs: BTreeMap<String, Evidence>,
    /// The settings that shaped it.
    pub settings: BTreeMap<String, Value>,
}

impl Evaluation {
    /// Explains one number of the key result or objective `id` (key results are looked up first).
    ///
    /// ```
    /// let model = okpi::Model::from_json(r#"{"schema_version": 1,
    ///   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
    ///   "objectives": [{"id": "o1", "cycle": "q1"}],
    ///   "key_results": [{"id": "kr1", "objective": "o1", "kind": "increase", "start": 0, "target": 200}],
    ///   "check_ins": [{"key_result": "kr1", "date": "2026-02-01", "value": 50}]}"#).unwrap();
    /// let as_of = chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap();
    /// let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default()).unwrap();
    /// let why = ev.explain(&model, "kr1", okpi::okr::Quantity::Progress).unwrap();
    /// assert_eq!(why.value, 0.25);
    /// assert_eq!(why.inputs["current"], okpi::report::Evidence::Float(50.0));
    /// ```
    pub fn explain(&self, model: &Model, id: &str, quantity: Quantity) -> Option<Explanation> {
        if let Some(k) = self.key_result(id) {
            return Some(self.explain_kr(model, k, quantity));
        }
        self.objective(id).map(|o| self.explain_objective(o, quantity))
    }

    fn overshoot(&self) -> BTreeMap<String, Value> {
        let s = &self.settings;
        let cap = match s.overshoot {
            Overshoot::Clamp => json!("clamp"),
            Overshoot::Cap(x) => json!({ "cap": x }),
        };
        BTreeMap::from([
            ("overshoot".into(), cap),
            ("allow_negative".into(), json!(s.allow_negative)),
        ])
    }

    fn status_settings(&self) -> BTreeMap<String, Value> {
        let s = &self.settings;
        BTreeMap::from([
            ("on_track_tolerance".into(), json!(s.on_track_tolerance)),
            ("at_risk_tolerance".into(), json!(s.at_risk_tolerance)),
            ("not_started_days".into(), json!(s.not_started_days)),
            ("confidence_low".into(), json!(s.confidence_low)),
        ])
    }

    fn explain_kr(&self, model: &Model, k: &KrResult, quantity: Quantity) -> Explanation {
        let d = &k.definition;
        let (value, formula, inputs, settings) = match quantity {
            Quantity::Progress => {
                let formula = match k.kind {
                    KrKind::Increase => "p = (current − start) / (target − start), bounded by overshoot",
                    KrKind::Decrease => "p = (start − current) / (start − target), bounded by overshoot",
                    KrKind::StayAbove => "p = 1 if current ≥ bound (> when not inclusive) else 0",
                    KrKind::StayBelow => "p = 1 if current ≤ bound (< when not inclusive) else 0",
                    KrKind::Milestone => "p = Σ weight of steps done by as_of / Σ weight, or the latest value (0 or 1)",
                    KrKind::Linked => "p = progress of the linked objective",
                };
                let mut inputs = BTreeMap::from([
                    ("current".into(), Evidence::of(&k.current)),
                    ("start".into(), Evidence::of(&d.start)),
                    ("target".into(), Evidence::of(&d.target)),
                    ("bound".into(), Evidence::of(&d.bound)),
                ]);
                if let Some(kr) = model.ids.key_results.get(k.id.as_str()).map(|ix| model.key_results.at(*ix)) {
                    if let Some(l) = &kr.def.linked_objective {
                        inputs.insert("linked_objective".into(), Evidence::of(&l));
                    }
                    if !kr.def.steps.is_empty() {
                        inputs.insert("steps".into(), Evidence::of(&kr.def.steps));
                    }
                }
                if k.flags.contains(Flag::BaselineFromCheckIn) {
                    inputs.insert("start_from".into(), Evidence::of(&"first check-in"));
                }
                if let Some(po) = k.progress_original.get() {
                    inputs.insert("progress_original".into(), Evidence::of(&po));
                }
                if let Some(l) = &k.link {
                    inputs.insert("check_ins".into(), Evidence::of(&self.check_ins(model, &k.id)));
                    let formula = format!(
                        "current = the latest check-in derived from metric {} ({}, version {}) for {}, with data up to the cut-off {} (as_of − {} lag days); {formula}",
                        l.metric,
                        window_name(l.window),
                        l.metric_version,
                        scope_name(&l.scope),
                        l.cut_off,
                        l.lag_days,
                    );
                    return explanation(k, quantity, json!(k.progress), formula, inputs, self.overshoot());
                }
                (json!(k.progress), formula, inputs, self.overshoot())
            }
            Quantity::Expected => (
                json!(k.expected),
                "expected = piecewise linear from (start − 1 day, 0) through the pace checkpoints to (end, 1)",
                BTreeMap::from([("as_of".into(), Evidence::of(&self.as_of))]),
                BTreeMap::new(),
            ),
            Quantity::Status => (
                json!(k.status),
                "done if p ≥ 1; not_started if no check-in before start + not_started_days; on_track if p ≥ expected − on_track_tolerance (at_risk when confidence is low); at_risk if p ≥ expected − at_risk_tolerance; else off_track",
                BTreeMap::from([
                    ("progress".into(), Evidence::of(&k.progress)),
                    ("expected".into(), Evidence::of(&k.expected)),
                    ("confidence_band".into(), Evidence::of(&k.confidence_band)),
                    ("flags".into(), Evidence::of(&k.flags)),
                ]),
                self.status_settings(),
            ),
            Quantity::Confidence => (
                json!(k.confidence),
                "confidence of the latest check-in on or before as_of that carries one",
                BTreeMap::from([("confidence_band".into(), Evidence::of(&k.confidence_band))]),
                BTreeMap::from([
                    ("confidence_low".into(), json!(self.settings.confidence_low)),
                    ("confidence_high".into(), json!(self.settings.confidence_high)),
                ]),
            ),
            Quantity::Score => (
                json!(k.score),
                "score = clamp(p, 0, 1) rounded half-up to one decimal; red ≤ 0.3, yellow 0.4–0.6, green ≥ 0.7",
                BTreeMap::from([("progress".into(), Evidence::of(&k.progress)), ("score_band".into(), Evidence::of(&k.score_band))]),
                BTreeMap::new(),
            ),
        };
        explanation(k, quantity, value, formula.into(), inputs, settings)
    }

    fn explain_objective(&self, o: &ObjectiveResult, quantity: Quantity) -> Explanation {
        let (value, formula, inputs, settings) = match quantity {
            Quantity::Progress => {
                let formula = if o.rollup == Rollup::ByValue {
                    "p = (Σcurrent − Σstart) / (Σtarget − Σstart) over its key results, bounded by overshoot"
                } else {
                    "p = Σ wᵢ·pᵢ / Σ wᵢ over its sources (0 with no sources)"
                };
                let mut settings = self.overshoot();
                settings.insert("rollup".into(), json!(o.rollup));
                (json!(o.progress), formula, BTreeMap::from([("sources".into(), Evidence::of(&o.sources))]), settings)
            }
            Quantity::Expected => (
                json!(o.expected),
                "expected = piecewise linear from (start − 1 day, 0) through the pace checkpoints to (end, 1)",
                BTreeMap::from([("as_of".into(), Evidence::of(&self.as_of)), ("cycle".into(), Evidence::of(&o.cycle))]),
                BTreeMap::new(),
            ),
            Quantity::Status => {
                let mut settings = self.status_settings();
                settings.insert("objective_status".into(), json!(self.settings.objective_status));
                (
                    json!(o.status),
                    "worst_kr: the worst status among its sources; from_progress: the key-result rule on its own progress",
                    BTreeMap::from([
                        ("progress".into(), Evidence::of(&o.progress)),
                        ("expected".into(), Evidence::of(&o.expected)),
                        ("sources".into(), Evidence::of(&o.sources)),
                    ]),
                    settings,
                )
            }
            Quantity::Confidence => (
                json!(o.confidence),
                "confidence = Σ wᵢ·cᵢ / Σ wᵢ over its key results that have a confidence",
                BTreeMap::from([("confidence_band".into(), Evidence::of(&o.confidence_band))]),
                BTreeMap::new(),
            ),
            Quantity::Score => (
                json!(o.score),
                "score = clamp(p, 0, 1) rounded half-up to one decimal; expected 1.0 if committed, 0.7 if aspirational",
                BTreeMap::from([
                    ("progress".into(), Evidence::of(&o.progress)),
                    ("expected_score".into(), Evidence::of(&o.expected_score)),
                    ("score_final".into(), Evidence::of(&o.score_final)),
                ]),
                BTreeMap::new(),
            ),
        };
        Explanation {
            id: o.id.to_string(),
            quantity,
            value,
            formula: formula.into(),
            inputs,
            settings,
        }
    }
}

/// A key result's explanation; a key result linked to a KPI metric also names its link among the inputs.
fn explanation(
    k: &KrResult,
    quantity: Quantity,
    value: Value,
    formula: String,
    mut inputs: BTreeMap<String, Evidence>,
    settings: BTreeMap<String, Value>,
) -> Explanation {
    if let Some(l) = &k.link {
        inputs.insert("link".into(), Evidence::of(&l));
    }
    Explanation {
        id: k.id.to_string(),
        quantity,
        value,
        formula,
        inputs,
        settings,
    }
}

fn window_name(w: LinkWindow) -> &'static str {
    match w {
        LinkWindow::CycleToDate => "cycle_to_date",
        LinkWindow::LatestGrain => "latest_grain",
    }
}

fn scope_name(s: &Scope) -> String {
    match s {
        Scope::Unit(u) => format!("unit {u}"),
        Scope::Person(p) => format!("person {p}"),
    }
}
