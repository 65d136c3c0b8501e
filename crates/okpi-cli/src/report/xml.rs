//! A tiny XML writer: every element it opens it closes and every text it writes it escapes, so the report is
//! well-formed XHTML with inline SVG by construction.

use std::fmt::{Display, Write};

/// The document being written.
#[derive(Default)]
pub struct Xml {
    out: String,
}

/// An element whose attributes are being written.
pub struct Tag<'x> {
    x: &'x mut Xml,
    name: &'static str,
}

impl Xml {
    /// Starts an element; finish it with [`Tag::empty`], [`Tag::text`] or [`Tag::with`].
    pub fn tag(&mut self, name: &'static str) -> Tag<'_> {
        self.out.push('<');
        self.out.push_str(name);
        Tag { x: self, name }
    }

    /// Writes escaped text.
    pub fn text(&mut self, text: &str) {
        escape_into(&mut self.out, text);
    }

    /// Writes raw markup that the caller vouches for (the doctype and the stylesheet).
    pub fn raw(&mut self, markup: &str) {
        self.out.push_str(markup);
    }

    /// The document.
    pub fn finish(self) -> String {
        self.out
    }
}

impl Tag<'_> {
    /// Adds an attribute (its value escaped).
    pub fn a(self, key: &str, value: impl Display) -> Self {
        let value = value.to_string();
        let out = &mut self.x.out;
        let _ = write!(out, " {key}=\"");
        escape_into(out, &value);
        out.push('"');
        self
    }

    /// Closes the element with no content: `<name …/>` for HTML void elements and SVG shapes, `<name …></name>`
    /// for the rest (an HTML parser does not honour `/>` on a `div` or `span`).
    pub fn empty(self) {
        if SELF_CLOSING.contains(&self.name) {
            self.x.out.push_str("/>");
        } else {
            self.with(|_| {});
        }
    }

    /// Closes the element around escaped text.
    pub fn text(self, text: &str) {
        self.with(|x| x.text(text));
    }

    /// Closes the element around what `f` writes.
    pub fn with(self, f: impl FnOnce(&mut Xml)) {
        self.x.out.push('>');
        f(self.x);
        self.x.out.push_str("</");
        self.x.out.push_str(self.name);
        self.x.out.push('>');
    }
}

/// Elements that an HTML parser also reads as closed when written `<name/>`.
const SELF_CLOSING: &[&str] = &[
    "meta", "br", "hr", "img", "link", "col", "wbr", "rect", "line", "circle", "path", "polyline", "polygon",
    "ellipse",
];

fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Characters XML 1.0 forbids (C0 controls but tab and line ends, U+FFFE, U+FFFF) and the other
            // noncharacters and C1 controls it discourages become U+FFFD, so a reader sees that something was there.
            c if !allowed(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// Whether XML 1.0 allows `c` and recommends it (no C1 controls, no noncharacters).
fn allowed(c: char) -> bool {
    let u = c as u32;
    match u {
        0x9 | 0xA | 0xD => true,
        0..=0x1F | 0x7F..=0x9F | 0xFDD0..=0xFDEF => false,
        _ => (u & 0xFFFE) != 0xFFFE,
    }
}

/// A coordinate with one decimal; never `NaN` or infinite (those become 0, and anything past ±10⁷ is clamped), so
/// every SVG coordinate is a number.
pub fn f1(x: f64) -> String {
    let x = if x.is_finite() { x.clamp(-1e7, 1e7) } else { 0.0 };
    format!("{x:.1}")
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]
    use super::*;

    #[test]
    fn escapes_text_and_attributes_and_closes_elements() {
        let mut x = Xml::default();
        x.tag("p").a("title", "a\"b<c>&'").with(|x| {
            x.text("1 < 2 & 3 > \u{1}2\u{FFFF}\u{FFFE}\u{9b}");
            x.tag("br").empty();
            x.tag("b").text("x");
            x.tag("span").a("class", "dot").empty();
        });
        assert_eq!(
            x.finish(),
            "<p title=\"a&quot;b&lt;c&gt;&amp;&#39;\">1 &lt; 2 &amp; 3 &gt; \u{FFFD}2\u{FFFD}\u{FFFD}\u{FFFD}<br/><b>x</b><span class=\"dot\"></span></p>"
        );
    }

    #[test]
    fn coordinates_are_always_numbers() {
        assert_eq!(f1(f64::NAN), "0.0");
        assert_eq!(f1(f64::INFINITY), "0.0");
        assert_eq!(f1(1.7e308), "10000000.0");
        assert_eq!(f1(12.34), "12.3");
    }
}
