//! Who may see what (DOMAIN.md §9): viewers, manager chains, objective visibility, people's KPI results and
//! small-group aggregates, and [`Filter`], which turns any report the library returns into what one viewer may
//! see.
//!
//! A [`Viewer`] is a person of the document with roles (by default the person's own). The **manager chain** of
//! a person is the managers of the person's unit and of every ancestor unit; a viewer exercises a manager's rights
//! (a unit's subtree; being in its people's chain) while holding `manager` or `executive`.
//!
//! - **Objectives**: `public` for everyone; `team` for the owning unit's subtree (a person owner: their unit),
//!   its manager chain, the owner, executives and `hr_admin`; `private` for the owner (a unit owner: its
//!   manager), the owner's manager chain and `hr_admin`. A key result, its check-ins and its explanation follow
//!   their objective. Aligning to another owner's private objective is `E_PRIVATE_ALIGNMENT`.
//! - **KPI results, targets, scorecards and alert rules** scoped to a person: the person, their manager chain and
//!   `hr_admin`. Scoped to a unit (an aggregate over its subtree): the subtree's members, the unit's manager chain,
//!   executives and `hr_admin` are its audience.
//! - **No number gives away what it hides**: a number over people's data the viewer may not see is shown whole only
//!   when its hidden part is made of whole blocks, each covering at least [`AccessSettings::min_group_size`] (5)
//!   people, so no two numbers shown differ by fewer (`disclose`, the one place of the rule); otherwise it is
//!   withheld with the reason ([`SMALL_GROUP`], [`DIFFERENCING`], [`HIDDEN_ITEMS`]) or, for roll-ups of shown
//!   numbers, recomputed over what the viewer may see and marked `partial`.
//! - **Filtering** removes what is hidden and leaves nothing of it anywhere in the serialised report: not in
//!   roll-up source lists (the visible sources' normalised weights are recomputed among themselves), explanations,
//!   evidence, alert events, warnings or messages (hidden ids there become `***`; a problem about a hidden item
//!   keeps its code and path only). Objective roll-ups follow [`crate::settings::PrivateRollup`]: under `share`
//!   (the default) a parent's progress does not change because a child is private.
//!
//! ```
//! use okpi::access::{filter, Viewer};
//! let model = okpi::Model::from_json(r#"{"schema_version": 1,
//!   "cycles": [{"id": "q1", "start": "2026-01-01", "end": "2026-03-31"}],
//!   "org_units": [{"id": "eng", "manager": "mia"}],
//!   "people": [{"id": "mia", "unit": "eng", "roles": ["manager"]}, {"id": "ann", "unit": "eng"},
//!              {"id": "bob", "unit": "eng"}],
//!   "objectives": [{"id": "ship", "cycle": "q1", "owner": {"unit": "eng"}, "progress_from": "children"},
//!                  {"id": "anns_growth", "cycle": "q1", "owner": {"person": "ann"}, "visibility": "private"}],
//!   "key_results": [{"id": "talks", "objective": "anns_growth", "kind": "increase", "start": 0, "target": 4}],
//!   "check_ins": [{"key_result": "talks", "date": "2026-02-01", "value": 2}],
//!   "alignments": [{"child": "anns_growth", "parent": "ship"}]}"#)?;
//! let ev = okpi::evaluate(&model, chrono::NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(), &Default::default())?;
//! let for_bob = filter(ev.clone(), &model, &Viewer::new("bob"))?;
//! assert_eq!(for_bob.objective("ship").unwrap().progress, 0.5); // the true roll-up of ann's private objective
//! assert!(for_bob.objective("ship").unwrap().sources.is_empty()); // which bob may not see
//! assert!(!for_bob.to_json().contains("anns_growth") && !for_bob.to_json().contains("talks"));
//! let for_mia = filter(ev.clone(), &model, &Viewer::new("mia"))?; // ann's manager
//! assert_eq!(for_mia, ev);
//! # Ok::<(), okpi::Error>(())
//! ```

mod diagnose;
mod disclose;
mod kpi;
mod okr;
mod org;
mod problems;
mod request;
mod scrub;
mod strategy;
mod view;

pub use disclose::{DIFFERENCING, HIDDEN_ITEMS, SMALL_GROUP};
pub use problems::{quiet_parse_error, HIDDEN_PROBLEM};
pub(crate) use request::model_for;
pub use request::{filter_json, filter_report, run_as, validate_for, FilteredReport, ViewRequest, KINDS};
pub use scrub::MASK;
pub use view::View;

use crate::error::Error;
use crate::model::Role;
use crate::store::Model;
use serde::{Deserialize, Serialize};

/// Who is looking: a person of the document, with the roles to view with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Viewer {
    /// The person's id; an unknown person is `E_UNKNOWN_ID` at `$.viewer.person`.
    pub person: String,
    /// Roles to view with; `None`: the person's roles in the document (a host may narrow them, e.g. to show a
    /// manager what an employee sees).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<Role>>,
}

impl Viewer {
    /// A viewer with the person's own roles.
    pub fn new(person: impl Into<String>) -> Self {
        Viewer {
            person: person.into(),
            roles: None,
        }
    }

    /// A viewer with the given roles instead of the person's own.
    pub fn with_roles(person: impl Into<String>, roles: &[Role]) -> Self {
        Viewer {
            person: person.into(),
            roles: Some(roles.to_vec()),
        }
    }
}

/// Settings of access decisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct AccessSettings {
    /// An aggregate over fewer people than this is withheld from anyone who cannot see every member's own
    /// results (DOMAIN.md §9; default 5).
    pub min_group_size: usize,
}

impl Default for AccessSettings {
    fn default() -> Self {
        AccessSettings { min_group_size: 5 }
    }
}

/// A report that can be filtered for a viewer. Every report type the library returns implements it, so a new
/// report needs one more impl and nothing else.
pub trait Filter: Sized {
    /// The report as `view`'s viewer may see it: a pure function, and filtering twice equals filtering once.
    fn filter(self, view: &View<'_>) -> Self;
}

/// Filters `report` for `viewer` with the default [`AccessSettings`].
pub fn filter<R: Filter>(report: R, model: &Model, viewer: &Viewer) -> Result<R, Error> {
    filter_with(report, model, viewer, &AccessSettings::default())
}

/// Filters `report` for `viewer` with `settings`. To filter many reports for one viewer, build a [`View`] once.
pub fn filter_with<R: Filter>(
    report: R,
    model: &Model,
    viewer: &Viewer,
    settings: &AccessSettings,
) -> Result<R, Error> {
    Ok(View::new(model, viewer, settings)?.apply(report))
}
