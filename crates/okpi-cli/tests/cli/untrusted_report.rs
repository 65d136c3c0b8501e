//! Reports of documents written to hurt (copied from the shared repro folder): work and output grow with the
//! document, not with its paths or its cycle's length; the page stays well-formed XML whatever the titles hold; and
//! every SVG coordinate is a number.

use crate::common::*;
use roxmltree::{Document, ParsingOptions};
use std::time::{Duration, Instant};

fn untrusted(name: &str) -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/untrusted")
        .join(name)
        .display()
        .to_string()
}

/// Writes the report of `name` as of `as_of`; returns the page and how long it took.
fn report(dir: &TempDir, name: &str, as_of: &str) -> (String, Duration) {
    report_of(dir, &untrusted(name), as_of)
}

/// [`report`] of the document at `path`.
fn report_of(dir: &TempDir, path: &str, as_of: &str) -> (String, Duration) {
    let out = dir.path("r.html");
    let start = Instant::now();
    let r = okpi(&["report", path, "--as-of", as_of, "--html", out.to_str().unwrap()]);
    let took = start.elapsed();
    assert_eq!(r.code, 0, "{}", r.stderr);
    (std::fs::read_to_string(out).unwrap(), took)
}

fn parse(text: &str) -> Document<'_> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

#[test]
fn a_diamond_of_twenty_layers_shows_each_objective_once() {
    // 40 objectives, each layer aligned to both objectives above: 2^20 paths from top to bottom.
    let dir = TempDir::new("diamond20");
    let (html, took) = report(&dir, "diamond20.json", "2026-03-20");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(html.len() < 300_000, "{} bytes", html.len());
    let doc = parse(&html);
    let drawn = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "li" && n.attribute("id").is_some())
        .count();
    assert_eq!(drawn, 40, "each objective is drawn once");
    // Each of the 38 objectives below the top layer has two parents: named once under the second.
    assert_eq!(html.matches("also aligned here").count(), 38);
}

#[test]
fn the_longest_cycle_accepted_gives_a_bounded_report() {
    // long_cycle.json's cycle from year 1 to 9999 is refused by the `cycle_days` limit (tests/cli/untrusted.rs);
    // the longest one accepted, 1,827 days (4996-01-01 to 5000-12-31), still draws only the last half year of weeks.
    let dir = TempDir::new("long-cycle");
    let text = std::fs::read_to_string(untrusted("long_cycle.json"))
        .unwrap()
        .replace("0001-01-01", "4996-01-01")
        .replace("9999-12-31", "5000-12-31");
    let path = dir.write("five_years.json", &text);
    let (html, took) = report_of(&dir, &path, "5000-06-01");
    assert!(took < Duration::from_secs(10), "{took:?}");
    assert!(html.len() < 200_000, "{} bytes", html.len());
    let doc = parse(&html);
    let heat = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("heatmap"))
        .unwrap();
    let weeks = heat
        .descendants()
        .find(|n| n.tag_name().name() == "tr")
        .unwrap()
        .children()
        .filter(|n| n.tag_name().name() == "th")
        .count()
        - 1;
    assert_eq!(weeks, 26, "the last half year of weeks");
    assert!(
        html.contains("The last 26 of the cycle&#39;s 2"),
        "says how many weeks it left out"
    );
}

#[test]
fn noncharacters_and_markup_in_titles_leave_the_page_well_formed() {
    let dir = TempDir::new("nonchar");
    let (html, _) = report(&dir, "html_nonchar.json", "2026-02-14");
    let doc = parse(&html);
    assert!(!html.contains('\u{FFFF}') && !html.contains('\u{FFFE}'));
    assert!(
        html.contains("Grow \u{FFFD}"),
        "the noncharacter is shown as U+FFFD"
    );
    // The would-be markup is text, not elements.
    assert_eq!(
        doc.descendants()
            .filter(|n| n.tag_name().name() == "script")
            .count(),
        0
    );
    assert!(doc
        .descendants()
        .any(|n| n.text().is_some_and(|t| t.contains("<script>alert(1)</script>"))));
}

#[test]
fn values_near_the_largest_float_give_finite_coordinates() {
    let dir = TempDir::new("extreme");
    let (html, _) = report(&dir, "extreme_values.json", "2026-03-20");
    let doc = parse(&html);
    let mut numbers = 0;
    for n in doc.descendants().filter(|n| n.is_element()) {
        if n.tag_name().namespace() != Some("http://www.w3.org/2000/svg") {
            continue;
        }
        for a in n.attributes() {
            if matches!(
                a.name(),
                "x" | "y"
                    | "x1"
                    | "x2"
                    | "y1"
                    | "y2"
                    | "width"
                    | "height"
                    | "cx"
                    | "cy"
                    | "r"
                    | "points"
                    | "viewBox"
            ) {
                for part in a.value().split([' ', ',']).filter(|p| !p.is_empty()) {
                    let part = part.trim_end_matches('%');
                    let v: f64 = part
                        .parse()
                        .unwrap_or_else(|_| panic!("{}={:?} is not a number", a.name(), a.value()));
                    assert!(v.is_finite(), "{}={:?}", a.name(), a.value());
                    numbers += 1;
                }
            }
        }
    }
    assert!(numbers > 50, "the charts were drawn ({numbers} coordinates)");
    assert!(!html.contains("NaN") && !html.contains("inf\""));
}
