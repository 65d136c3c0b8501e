use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A time box, both ends inclusive. An annual cycle may hold quarters through `parent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Cycle {
    /// Unique id.
    pub id: String,
    /// First day (inclusive).
    #[serde(deserialize_with = "crate::model::date::de")]
    pub start: NaiveDate,
    /// Last day (inclusive).
    #[serde(deserialize_with = "crate::model::date::de")]
    pub end: NaiveDate,
    /// The enclosing cycle, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

/// A unit of the org tree (company, department, team).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrgUnit {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The enclosing unit; `None` for the root(s).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The person who manages this unit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
}

/// A role a person holds (DOMAIN.md §9).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Sees public items and their own.
    Employee,
    /// Sees the subtree of the units they manage.
    Manager,
    /// Sees everything.
    HrAdmin,
    /// Company leadership.
    Executive,
}

/// A person, member of one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Unique id.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// The unit the person belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Roles held; everyone is at least an employee.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<Role>,
}
