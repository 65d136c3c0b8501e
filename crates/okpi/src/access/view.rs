//! A viewer resolved against one document: what they may see, decided once, and the filter entry point.

use super::disclose::{self, Blocks, Reads};
use super::org::{Facts, Org};
use super::scrub::Scrubber;
use super::{AccessSettings, Filter, Viewer};
use crate::error::{Code, Error, Problem};
use crate::kpi::{Filter as Rows, QueryResult, Span};
use crate::model::{Document, Grain, Objective, Owner, Role, Scope, Visibility};
use crate::store::Model;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::{Arc, Mutex, OnceLock};

/// A metric over one period: (metric, first day, last day, grain).
type Period = (String, NaiveDate, NaiveDate, Grain);

/// One viewer's access to one document (DOMAIN.md §9), decided once and applied to any report with
/// [`View::apply`]. The `sees_*` methods answer single questions for a host's own screens.
pub struct View<'a> {
    pub(crate) facts: Facts<'a>,
    org: Org<'a>,
    person: String,
    hr_admin: bool,
    executive: bool,
    settings: AccessSettings,
    /// The viewer's unit and its ancestors: the subtrees the viewer is a member of.
    member_of: HashSet<&'a str>,
    /// Units whose manager the viewer is, while holding `manager` or `executive`.
    manages: HashSet<&'a str>,
    objectives: HashMap<&'a str, bool>,
    key_results: HashMap<&'a str, bool>,
    targets: HashMap<&'a str, bool>,
    scorecards: HashMap<&'a str, bool>,
    rules: HashMap<&'a str, bool>,
    pub(crate) scrubber: Scrubber,
    /// The model validated from a document view's document, when a KPI number needs judging.
    validated: OnceLock<Option<Model>>,
    /// The windows each (metric, period) reads, and the blocks of each set of windows, computed once.
    reads: Mutex<HashMap<Period, Arc<Reads>>>,
    blocks: Mutex<HashMap<Reads, Arc<Blocks>>>,
}

impl<'a> View<'a> {
    /// Resolves `viewer` against a validated model. An unknown person is `E_UNKNOWN_ID` at `$.viewer.person`
    /// and reveals nothing else.
    pub fn new(model: &'a Model, viewer: &Viewer, settings: &AccessSettings) -> Result<View<'a>, Error> {
        View::build(Facts::of_model(model), viewer, settings)
    }

    /// Resolves `viewer` against a document that need not validate, so that the problems found in it can be
    /// filtered as well (see [`crate::access::run_as`]).
    pub fn from_document(
        doc: &'a Document,
        viewer: &Viewer,
        settings: &AccessSettings,
    ) -> Result<View<'a>, Error> {
        View::build(Facts::of_document(doc), viewer, settings)
    }

    fn build(facts: Facts<'a>, viewer: &Viewer, settings: &AccessSettings) -> Result<View<'a>, Error> {
        let org = Org::new(&facts);
        let Some(own) = facts.people.iter().find(|p| p.id == viewer.person) else {
            return Err(Error::invalid(vec![Problem::new(
                Code::E_UNKNOWN_ID,
                "$.viewer.person",
                None,
                "the viewer is not a person of the document",
            )]));
        };
        let roles: &[Role] = viewer.roles.as_deref().unwrap_or(&own.roles);
        let has = |r: Role| roles.contains(&r);
        let member_of = org
            .unit_of(&viewer.person)
            .map(|u| org.chain(u).into_iter().collect())
            .unwrap_or_default();
        let manages = if has(Role::Manager) || has(Role::Executive) {
            org.managed_by(&viewer.person)
        } else {
            HashSet::new()
        };
        let mut view = View {
            org,
            person: viewer.person.clone(),
            hr_admin: has(Role::HrAdmin),
            executive: has(Role::Executive),
            settings: settings.clone(),
            member_of,
            manages,
            objectives: HashMap::new(),
            key_results: HashMap::new(),
            targets: HashMap::new(),
            scorecards: HashMap::new(),
            rules: HashMap::new(),
            scrubber: Scrubber::default(),
            facts,
            validated: OnceLock::new(),
            reads: Mutex::new(HashMap::new()),
            blocks: Mutex::new(HashMap::new()),
        };
        view.decide();
        Ok(view)
    }

    /// Decides every item once; an id given twice (in a document that does not validate) is visible only when
    /// every item with it is.
    fn decide(&mut self) {
        fn and<'k>(map: &mut HashMap<&'k str, bool>, id: &'k str, visible: bool) {
            let e = map.entry(id).or_insert(true);
            *e = *e && visible;
        }
        let mut objectives = HashMap::new();
        for o in &self.facts.objectives {
            and(&mut objectives, o.id.as_str(), self.objective_visible(o));
        }
        let mut key_results = HashMap::new();
        for k in &self.facts.key_results {
            let visible = self.hr_admin || objectives.get(k.objective.as_str()).copied().unwrap_or(false);
            and(&mut key_results, k.id.as_str(), visible);
        }
        let mut targets = HashMap::new();
        for t in self.facts.targets {
            and(&mut targets, t.id.as_str(), self.sees_scope(&t.scope));
        }
        let mut scorecards = HashMap::new();
        for s in self.facts.scorecards {
            and(&mut scorecards, s.id.as_str(), self.sees_scope(&s.subject));
        }
        let mut rules = HashMap::new();
        for r in self.facts.rules {
            let visible = if self.org.is_person(&r.scope) {
                self.sees_person_results(&r.scope)
            } else {
                self.sees_unit_aggregate(&r.scope)
            };
            and(&mut rules, r.id.as_str(), visible);
        }
        let hidden_people: Vec<&str> = self
            .org
            .people()
            .iter()
            .copied()
            .filter(|p| !self.sees_person_results(p))
            .collect();
        let hidden = [&objectives, &key_results, &targets, &scorecards, &rules]
            .into_iter()
            .flat_map(|m| m.iter().filter(|(_, v)| !**v).map(|(k, _)| *k))
            .chain(hidden_people);
        self.scrubber = Scrubber::new(hidden);
        self.objectives = objectives;
        self.key_results = key_results;
        self.targets = targets;
        self.scorecards = scorecards;
        self.rules = rules;
    }

    /// The report as this viewer may see it.
    pub fn apply<R: Filter>(&self, report: R) -> R {
        report.filter(self)
    }

    /// Whether the viewer is in `unit`'s manager chain: they manage it or one of its ancestors (and hold
    /// `manager` or `executive`).
    fn covers(&self, unit: &str) -> bool {
        !self.manages.is_empty() && self.org.chain(unit).iter().any(|u| self.manages.contains(u))
    }

    /// DOMAIN.md §9 for one objective.
    fn objective_visible(&self, o: &Objective) -> bool {
        if self.hr_admin || o.visibility == Visibility::Public {
            return true;
        }
        let me = self.person.as_str();
        match (o.visibility, &o.owner) {
            (Visibility::Team, _) if self.executive => true,
            (Visibility::Team, Some(Owner::Person(p))) => {
                p == me || self.org.unit_of(p).is_some_and(|u| self.team_of(u))
            }
            (Visibility::Team, Some(Owner::Unit(u))) => self.org.is_unit(u) && self.team_of(u),
            (Visibility::Private, Some(Owner::Person(p))) => {
                p == me || self.org.unit_of(p).is_some_and(|u| self.covers(u))
            }
            (Visibility::Private, Some(Owner::Unit(u))) => {
                let owner = self.org.manager(u);
                owner == Some(me)
                    || (self.org.is_unit(u) && self.covers(u))
                    || owner
                        .and_then(|m| self.org.unit_of(m))
                        .is_some_and(|mu| self.covers(mu))
            }
            _ => false,
        }
    }

    /// A member of `unit`'s subtree or in its manager chain.
    fn team_of(&self, unit: &str) -> bool {
        self.member_of.contains(unit) || self.covers(unit)
    }

    /// Whether `id` is a key result of the document.
    pub(crate) fn knows_key_result(&self, id: &str) -> bool {
        self.key_results.contains_key(id)
    }

    /// Whether `id` is an objective of the document.
    pub(crate) fn knows_objective(&self, id: &str) -> bool {
        self.objectives.contains_key(id)
    }

    /// Whether the viewer sees everything (`hr_admin`).
    pub fn sees_everything(&self) -> bool {
        self.hr_admin
    }

    /// Whether the viewer may see the objective `id` (unknown ids: only `hr_admin`).
    pub fn sees_objective(&self, id: &str) -> bool {
        self.hr_admin || self.objectives.get(id).copied().unwrap_or(false)
    }

    /// Whether the viewer may see the key result `id`: it follows its objective, and so do its check-ins and
    /// explanations.
    pub fn sees_key_result(&self, id: &str) -> bool {
        self.hr_admin || self.key_results.get(id).copied().unwrap_or(false)
    }

    /// Whether the viewer may see the KPI results and scorecards of `person`: the person, their manager chain
    /// and `hr_admin`.
    pub fn sees_person_results(&self, person: &str) -> bool {
        self.hr_admin
            || (self.org.is_person(person)
                && (person == self.person || self.org.unit_of(person).is_some_and(|u| self.covers(u))))
    }

    /// Whether the viewer is in the audience of aggregates over `unit`'s subtree (see [`View::sees_aggregate`]).
    pub fn sees_unit_aggregate(&self, unit: &str) -> bool {
        self.sees_aggregate(Some(unit))
    }

    /// Whether the viewer is in the audience of aggregates over `unit`'s subtree (`None`: the whole organisation,
    /// everyone's): the subtree's members, the unit's manager chain, executives and `hr_admin`. Which numbers of
    /// such an aggregate they are then shown whole is the rule of DOMAIN.md §9 ([`View::judge_cell`]).
    pub fn sees_aggregate(&self, unit: Option<&str>) -> bool {
        match unit {
            _ if self.hr_admin => true,
            None => true,
            Some(u) => self.org.is_unit(u) && (self.executive || self.team_of(u)),
        }
    }

    /// Whether the viewer may see results scoped to a unit (its subtree) or a person.
    pub fn sees_scope(&self, scope: &Scope) -> bool {
        match scope {
            Scope::Person(p) => self.sees_person_results(p),
            Scope::Unit(u) => self.sees_unit_aggregate(u),
        }
    }

    /// Whether the viewer is in the audience of a KPI cell read with these filters and group: a `person` dim
    /// makes it that person's results; every `unit` dim an aggregate over that unit (the viewer must be in the
    /// audience of each); neither, the whole organisation's. Whether its number is shown whole is
    /// [`View::judge_cell`].
    pub fn sees_cell(&self, filters: &BTreeMap<String, String>, group: &crate::kpi::Group) -> bool {
        if let Some(p) = group
            .get("person")
            .map(|p| p.as_str())
            .or_else(|| filters.get("person").map(String::as_str))
        {
            return self.sees_person_results(p);
        }
        [
            group.get("unit").map(|u| u.as_str()),
            filters.get("unit").map(String::as_str),
        ]
        .into_iter()
        .flatten()
        .all(|u| self.sees_aggregate(Some(u)))
    }

    /// The model KPI numbers are judged against: the view's own, or one validated from its document.
    fn model(&self) -> Option<&Model> {
        self.facts.model.or_else(|| {
            self.validated
                .get_or_init(|| self.facts.document.and_then(|d| Model::new(d.clone()).ok()))
                .as_ref()
        })
    }

    /// Whether nothing is withheld from this viewer by the rule of DOMAIN.md §9 (they see every person's
    /// results, or groups of one are allowed).
    fn judges_nothing(&self) -> bool {
        self.hr_admin || self.settings.min_group_size <= 1
    }

    /// Why the number that metric `metric` has over `span`, read through `filter`, is withheld from the viewer
    /// (DOMAIN.md §9, `super::disclose`), or `None` when it may be shown whole. `subtree`: the unit whose subtree
    /// `filter` is, when it holds no other condition.
    fn judge(
        &self,
        model: &Model,
        metric: &str,
        span: Span,
        filter: &Rows,
        subtree: Option<&str>,
    ) -> Option<&'static str> {
        self.reads_of(model, metric, span)
            .iter()
            .find_map(|window| self.judge_window(model, window, filter, subtree))
    }

    /// The rule over one measure's window: each window has blocks of its own, so that a number reading several
    /// measures (a ratio, a derived metric) or several windows (an offset, a cumulative window) is whole only when
    /// its rows of each are whole blocks of that window — a number over one measure cannot be taken from it by
    /// subtracting another's.
    fn judge_window(
        &self,
        model: &Model,
        window: &(String, NaiveDate, NaiveDate),
        filter: &Rows,
        subtree: Option<&str>,
    ) -> Option<&'static str> {
        let reads: Reads = BTreeSet::from([window.clone()]);
        let blocks = self.blocks_of(model, &reads);
        if blocks.is_empty() || subtree.is_some_and(|u| blocks.subtree_whole(u)) {
            return None;
        }
        let store = &model.kpi.store;
        let hidden = |p: &str| !self.sees_person_results(p);
        blocks.judge(
            disclose::rows(store, &reads, filter),
            |r| disclose::hidden_people(&self.org, store.dims_of(r), &hidden),
            self.settings.min_group_size,
        )
    }

    fn reads_of(&self, model: &Model, metric: &str, span: Span) -> Arc<Reads> {
        let key = (metric.to_owned(), span.start, span.end, span.grain);
        if let Some(r) = self.reads.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return r;
        }
        let r = Arc::new(disclose::reads(model, metric, span));
        if let Ok(mut m) = self.reads.lock() {
            m.insert(key, r.clone());
        }
        r
    }

    fn blocks_of(&self, model: &Model, reads: &Reads) -> Arc<Blocks> {
        if let Some(b) = self.blocks.lock().ok().and_then(|m| m.get(reads).cloned()) {
            return b;
        }
        let hidden = |p: &str| !self.sees_person_results(p);
        let b = Arc::new(Blocks::new(
            &self.org,
            &model.kpi.store,
            reads,
            self.settings.min_group_size,
            &hidden,
        ));
        if let Ok(mut m) = self.blocks.lock() {
            m.insert(reads.clone(), b.clone());
        }
        b
    }

    /// Why a cell of `table` is withheld from the viewer, or `None` when its number may be shown whole: the rule of
    /// DOMAIN.md §9 over the observations the cell reads (its filters, its group, its period and whatever windows
    /// its metric reads). Without a valid model to judge by, every cell is withheld (`small_group`).
    pub fn judge_cell(&self, table: &QueryResult, cell: &crate::kpi::Cell) -> Option<&'static str> {
        if self.judges_nothing() {
            return None;
        }
        let Some(model) = self.model() else {
            return Some(disclose::SMALL_GROUP);
        };
        let span = Span {
            start: cell.period_start,
            end: cell.period_end,
            grain: table.grain,
        };
        let others = || {
            table
                .filters
                .iter()
                .filter(|(k, _)| k.as_str() != "unit")
                .map(|(k, v)| (k.as_str(), v.as_str()))
        };
        let (filter, subtree) = match (table.unit_subtrees, cell.group.get("unit")) {
            (true, Some(u)) => (
                Rows::new(model, std::iter::once(("unit", u.as_str())).chain(others())),
                (table.filters.len() <= usize::from(table.filters.contains_key("unit")))
                    .then_some(u.as_str()),
            ),
            _ => {
                let mut f = Rows::new(model, table.filters.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                for (k, v) in &cell.group {
                    f.add_exact(model, k, v);
                }
                let only_unit = cell.group.is_empty() && table.filters.len() == 1;
                (
                    f,
                    table
                        .filters
                        .get("unit")
                        .filter(|_| only_unit)
                        .map(String::as_str),
                )
            }
        };
        self.judge(model, &table.metric, span, &filter, subtree)
    }

    /// Why the actual of a target (metric × scope over its cycle up to `as_of`) is withheld from the viewer, or
    /// `None`: a unit's aggregate passes the rule of DOMAIN.md §9; a person's results are decided by
    /// [`View::sees_person_results`] alone.
    pub fn judge_target(
        &self,
        metric: &str,
        scope: &Scope,
        cycle: &str,
        as_of: NaiveDate,
    ) -> Option<&'static str> {
        let Scope::Unit(u) = scope else { return None };
        if self.judges_nothing() {
            return None;
        }
        let Some(model) = self.model() else {
            return Some(disclose::SMALL_GROUP);
        };
        let c = model.cycle(cycle)?;
        if as_of < c.start {
            return None;
        }
        let grain = model
            .kpi
            .metrics
            .iter()
            .find(|m| m.id == metric)
            .map(|m| m.grain)
            .unwrap_or_default();
        let span = Span {
            start: c.start,
            end: c.end.min(as_of),
            grain,
        };
        let filter = Rows::scope(model, scope);
        self.judge(model, metric, span, &filter, Some(u))
    }

    /// Why the value of `metric` over `span` for an alert rule's scope (a unit's subtree, or a person: `None`) is
    /// withheld, or `None`.
    pub(crate) fn judge_unit_period(&self, metric: &str, scope: &str, span: Span) -> Option<&'static str> {
        if self.judges_nothing() || !self.org.is_unit(scope) {
            return None;
        }
        let Some(model) = self.model() else {
            return Some(disclose::SMALL_GROUP);
        };
        let filter = Rows::new(model, [("unit", scope)]);
        self.judge(model, metric, span, &filter, Some(scope))
    }

    /// Why a unit aggregate of `measure` (over all its dates; a diagnostics finding's evidence) is withheld, or
    /// `None`.
    pub(crate) fn judge_measure(&self, measure: &str, unit: Option<&str>) -> Option<&'static str> {
        if self.judges_nothing() {
            return None;
        }
        let Some(model) = self.model() else {
            return Some(disclose::SMALL_GROUP);
        };
        let window = (measure.to_owned(), NaiveDate::MIN, NaiveDate::MAX);
        let filter = Rows::new(model, unit.map(|u| ("unit", u)));
        self.judge_window(model, &window, &filter, unit)
    }

    /// Why a unit aggregate of metric `metric` (every measure it reads, over all dates) is withheld, or `None`.
    pub(crate) fn judge_metric(&self, metric: &str, unit: &str) -> Option<&'static str> {
        if self.judges_nothing() {
            return None;
        }
        let Some(model) = self.model() else {
            return Some(disclose::SMALL_GROUP);
        };
        crate::kpi::Catalog::new(model)
            .measures(metric)
            .into_iter()
            .find_map(|m| self.judge_measure(m, Some(unit)))
    }

    /// The hidden people an observation is about (see [`super::disclose`]).
    pub(crate) fn hidden_people_of(&self, dims: Option<&'a BTreeMap<String, String>>) -> usize {
        disclose::hidden_people(&self.org, dims, &|p: &str| !self.sees_person_results(p)).len()
    }

    /// Whether the viewer may see the target `id` (its scope's results).
    pub fn sees_target(&self, id: &str) -> bool {
        self.hr_admin || self.targets.get(id).copied().unwrap_or(false)
    }

    /// Whether the viewer may see the scorecard `id` (its subject's results).
    pub fn sees_scorecard(&self, id: &str) -> bool {
        self.hr_admin || self.scorecards.get(id).copied().unwrap_or(false)
    }

    /// Whether the viewer may see the alert rule `id` (its scope's results: a person's, or a unit's aggregate).
    pub fn sees_alert_rule(&self, id: &str) -> bool {
        self.hr_admin || self.rules.get(id).copied().unwrap_or(false)
    }

    /// `text` with every id the viewer may not see masked.
    pub fn scrub(&self, text: &str) -> String {
        self.scrubber.scrub(text)
    }

    /// Whether `text` names an id the viewer may not see.
    pub fn hides(&self, text: &str) -> bool {
        self.scrubber.hides(text)
    }
}
