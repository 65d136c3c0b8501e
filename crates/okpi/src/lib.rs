//! # okpi
//!
//! The thinking of a performance management system, as pure functions: a host hands in its objectives, key
//! results and check-ins (a [`Document`]), okpi validates them into a [`Model`] and evaluates them at an
//! explicit as-of date into progress, pace, status, confidence and scores (an [`Evaluation`]).
//! It does no I/O and reads no clock. The meaning of every number is DOMAIN.md's.
//!
//! KPIs live in [`kpi`]: [`kpi::query`] computes a metric by grain, filters and group-by dims into cells that each
//! carry the metric's version (or an explicit `undefined` with a reason); [`kpi::score`] scores targets on their
//! curves; [`hybrid::scorecards`] totals weighted scorecards, grades them and applies a forced distribution.
//!
//! OKR and KPI meet in [`hybrid`]: a key result may read its check-ins from a KPI metric, and [`strategy_view`]
//! shows each top objective with the back-office KPIs that support its key results.
//! Who may see what lives in [`access`]: [`access::filter`] turns any report into what one viewer may see.
//!
//! ```
//! let model = okpi::Model::from_json(r#"{
//!   "schema_version": 1,
//!   "cycles": [{"id": "2026Q1", "start": "2026-01-01", "end": "2026-03-31"}],
//!   "objectives": [{"id": "grow", "title": "Grow the merchant base", "cycle": "2026Q1"}],
//!   "key_results": [{"id": "merchants", "objective": "grow", "kind": "increase", "start": 100, "target": 300}],
//!   "check_ins": [{"key_result": "merchants", "date": "2026-02-14", "value": 180, "confidence": 7}]
//! }"#)?;
//! let as_of = chrono::NaiveDate::from_ymd_opt(2026, 2, 14).unwrap();
//! let ev = okpi::evaluate(&model, as_of, &okpi::Settings::default())?;
//! assert_eq!(ev.key_result("merchants").unwrap().progress, 0.4); // (180 − 100) / (300 − 100)
//! assert_eq!(ev.objective("grow").unwrap().status, okpi::Status::OnTrack); // 0.4 ≥ 45/90 − 0.10
//! # Ok::<(), okpi::Error>(())
//! ```

#![deny(missing_docs)]

pub mod access;
pub mod alert;
pub mod api;
#[cfg(feature = "arrow")]
pub mod arrow;
pub mod cycle;
pub mod decide;
pub mod diagnose;
pub mod error;
pub mod hybrid;
mod id;
mod idx;
pub mod kpi;
pub mod limits;
mod link;
#[cfg(feature = "tables")]
pub mod load;
pub mod model;
pub mod num;
pub mod okr;
pub mod report;
pub mod settings;
mod store;
pub mod text;
mod validate;

pub use error::{Code, Error, ErrorKind, Problem};
pub use hybrid::strategy_view;
pub use id::Id;
pub use limits::Limits;
pub use model::Document;
pub use okr::{evaluate, evaluate_into};
pub use report::{CheckInRecord, Evaluation, KrResult, LinkResult, ObjectiveResult, Status};
pub use settings::Settings;
pub use store::ObservationColumns;
pub use store::{validate, validate_with_limits};
pub use store::{Definition, Model};
pub(crate) use validate::by_value_eligible;

/// The README's examples, run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
