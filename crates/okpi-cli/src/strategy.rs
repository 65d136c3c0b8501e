//! The strategy view (DOMAIN.md §8): each top objective with its key results and the KPIs that support them.
//!
//! The library's strategy view is still being built; until it lands [`View`] has no values, [`view`] returns
//! `None`, and the report's `strategy` section says the view is not available in this build.

use crate::analysis::Analysis;
use crate::i18n::{label as l, Lang};
use crate::labels::Names;
use crate::report::xml::Xml;
use crate::style::Style;
use chrono::NaiveDate;

/// The strategy view as the library computes it (no values until it lands).
#[derive(Debug)]
pub enum View {}

/// The library's strategy view of `model` as of `as_of`.
pub fn view(_model: &okpi::Model, _as_of: NaiveDate, _settings: &okpi::Settings) -> Option<View> {
    None
}

/// The dashboard's strategy lines.
pub fn dashboard(_out: &mut String, _a: &Analysis, view: &View, _lang: Lang, _style: Style) {
    match *view {}
}

/// The report's `strategy` section.
pub fn section(x: &mut Xml, a: &Analysis, lang: Lang, _names: &Names<'_>) {
    crate::report::section(x, "strategy", lang.t(l::STRATEGY), |x| match &a.strategy {
        Some(view) => match *view {},
        None => x.tag("p").a("class", "note").text(lang.t(l::NOT_AVAILABLE)),
    });
}
