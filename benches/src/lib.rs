//! okpi-bench: a seeded synthetic organisation to benchmark okpi on, at three sizes.
//!
//! [`generate`] builds an [`okpi::Document`] directly (no JSON on the way): a unit tree six levels deep, people,
//! one quarter of objectives aligned up the tree with their key results and weekly check-ins, twenty KPI measures
//! observed daily in every unit, metrics, targets, scorecards and alert rules. [`alert_series`] gives the daily
//! series of every measure in every unit with one alert rule each. Everything is a pure function of the size and
//! the seed, so two runs (and two machines) benchmark the same data.
//!
//! ```
//! let doc = okpi_bench::generate(okpi_bench::Size::Org1k, 42);
//! let shape = okpi_bench::Size::Org1k.shape();
//! assert_eq!(doc.key_results.len(), shape.key_results);
//! assert_eq!(doc.observations.len(), shape.observations());
//! assert_eq!(doc, okpi_bench::generate(okpi_bench::Size::Org1k, 42));
//! ```

mod kpi;
mod okr;
mod org;
pub mod rng;
mod series;
mod workload;

pub use series::{alert_series, Series};
pub use workload::{monthly_query, monthly_tree, scorecard_request};

use chrono::NaiveDate;

/// The three organisation sizes of the performance issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Size {
    /// 1,000 people.
    Org1k,
    /// 10,000 people.
    Org10k,
    /// 100,000 people: about 5,000 units, 200,000 objectives, 700,000 key results, 5 M check-ins, 9 M observations.
    Org100k,
}

/// How many of each thing an organisation of one size holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// People.
    pub people: usize,
    /// Org units, in a tree six levels deep.
    pub units: usize,
    /// Objectives (two per unit, the rest owned by people).
    pub objectives: usize,
    /// Key results (3.5 per objective).
    pub key_results: usize,
    /// Check-ins (50 per person).
    pub check_ins: usize,
    /// KPI measures, each observed once a day in every unit.
    pub measures: usize,
    /// Days observed (the first quarter of 2026).
    pub days: usize,
}

impl Shape {
    /// measures × units × days.
    pub fn observations(&self) -> usize {
        self.measures * self.units * self.days
    }

    /// One alert series per measure and unit.
    pub fn alert_series(&self) -> usize {
        self.measures * self.units
    }
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 3] = [Size::Org1k, Size::Org10k, Size::Org100k];

    /// `org-1k`, `org-10k` or `org-100k`.
    pub fn name(self) -> &'static str {
        match self {
            Size::Org1k => "org-1k",
            Size::Org10k => "org-10k",
            Size::Org100k => "org-100k",
        }
    }

    /// The size named `org-1k`, `org-10k` or `org-100k`.
    pub fn parse(name: &str) -> Option<Size> {
        Size::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The counts of this size (the issue's org-100k, scaled by people for the smaller ones).
    pub fn shape(self) -> Shape {
        let people = match self {
            Size::Org1k => 1_000,
            Size::Org10k => 10_000,
            Size::Org100k => 100_000,
        };
        Shape {
            people,
            units: people / 20,
            objectives: 2 * people,
            key_results: 7 * people,
            check_ins: 50 * people,
            measures: kpi::MEASURES.len(),
            days: 90,
        }
    }
}

/// The quarter every objective belongs to and every observation falls in.
pub const QUARTER: &str = "2026Q1";

/// The day the benches evaluate at: late in the quarter, so most check-ins count and the KPI months are complete.
pub fn as_of() -> NaiveDate {
    day(79) // 2026-03-20
}

/// Day `n` (0-based) of the quarter: 0 is 2026-01-01.
pub fn day(n: u64) -> NaiveDate {
    quarter_start() + chrono::Days::new(n)
}

fn quarter_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

/// The synthetic organisation of `size`, fixed by `seed`.
pub fn generate(size: Size, seed: u64) -> okpi::Document {
    let shape = size.shape();
    let mut doc = okpi::Document::new();
    let tree = org::Tree::new(shape.units);
    org::fill(&mut doc, &tree, &shape, seed);
    okr::fill(&mut doc, &tree, &shape, seed);
    kpi::fill(&mut doc, &tree, &shape, seed);
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_size_validates_and_has_its_shape() {
        let doc = generate(Size::Org1k, 1);
        let shape = Size::Org1k.shape();
        assert_eq!(doc.org_units.len(), shape.units);
        assert_eq!(doc.people.len(), shape.people);
        assert_eq!(doc.objectives.len(), shape.objectives);
        assert_eq!(doc.key_results.len(), shape.key_results);
        assert_eq!(doc.check_ins.len(), shape.check_ins);
        assert_eq!(doc.observations.len(), shape.observations());
        let model = match okpi::Model::new(doc.clone()) {
            Ok(m) => m,
            Err(e) => panic!("the generated organisation must validate: {e}"),
        };
        assert_eq!(model.objective_count(), shape.objectives);
        let depth = (0..shape.units)
            .map(|u| model.unit_chain(&org::unit_id(u)).len())
            .max();
        assert_eq!(depth, Some(6));
    }

    #[test]
    fn seeds_change_the_data() {
        assert_ne!(generate(Size::Org1k, 1), generate(Size::Org1k, 2));
    }

    #[test]
    fn names_round_trip() {
        for s in Size::ALL {
            assert_eq!(Size::parse(s.name()), Some(s));
        }
        assert_eq!(Size::parse("org-5"), None);
    }
}
