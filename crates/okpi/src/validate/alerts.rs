//! Alert rules in a document: each rule's own checks (DOMAIN.md §7), unique ids, and a known metric and scope.

use super::org::Org;
use super::{unique_ids, Checker};
use crate::error::Code;
use crate::model::Document;

pub(crate) fn check(doc: &Document, org: &Org, limits: &crate::Limits, c: &mut Checker) {
    unique_ids(&doc.alert_rules, "alert_rules", |r| r.id.as_str(), c);
    let metrics: std::collections::HashSet<&str> = doc.metrics.iter().map(|m| m.id.as_str()).collect();
    for (i, rule) in doc.alert_rules.iter().enumerate() {
        let path = format!("$.alert_rules[{i}]");
        c.problems
            .extend(super::alert_rule::validate_rule_with_limits(rule, &path, limits));
        if !metrics.contains(rule.metric.as_str()) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.metric"),
                Some(&rule.id),
                format!("alert rule {} watches unknown metric {}", rule.id, rule.metric),
            );
        }
        if !org.units.contains_key(rule.scope.as_str()) && !org.people.contains_key(rule.scope.as_str()) {
            c.push(
                Code::E_UNKNOWN_ID,
                format!("{path}.scope"),
                Some(&rule.id),
                format!(
                    "alert rule {} watches {}, which is no org unit or person",
                    rule.id, rule.scope
                ),
            );
        }
    }
}
