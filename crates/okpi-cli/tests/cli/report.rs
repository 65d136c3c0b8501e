//! The HTML report: well-formed XHTML with inline SVG, self-contained, every section present with its content, in
//! English and Chinese; and a screenshot in headless Chromium when it is installed.

use crate::common::*;
use roxmltree::{Document, Node, ParsingOptions};

const XHTML: &str = "http://www.w3.org/1999/xhtml";
const SVG: &str = "http://www.w3.org/2000/svg";
const SECTIONS: [&str; 8] = [
    "summary",
    "strategy",
    "alignment",
    "heatmap",
    "kpi-trends",
    "scorecards",
    "advisor",
    "findings",
];

fn render(dir: &TempDir, lang: &str) -> String {
    let out = dir.path(&format!("report-{lang}.html"));
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        out.to_str().unwrap(),
        "--lang",
        lang,
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("report-"), "{}", r.stdout);
    std::fs::read_to_string(out).unwrap()
}

fn parse(text: &str) -> Document<'_> {
    let opts = ParsingOptions {
        allow_dtd: true,
        ..ParsingOptions::default()
    };
    Document::parse_with_options(text, opts).unwrap_or_else(|e| panic!("not well-formed XML: {e}"))
}

fn class_is(n: &Node<'_, '_>, class: &str) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.split(' ').any(|x| x == class))
}

fn count(doc: &Document<'_>, f: impl Fn(&Node<'_, '_>) -> bool) -> usize {
    doc.descendants().filter(|n| n.is_element() && f(n)).count()
}

fn section<'a, 'i>(doc: &'a Document<'i>, id: &str) -> Node<'a, 'i> {
    doc.descendants()
        .find(|n| n.has_tag_name((XHTML, "section")) && n.attribute("id") == Some(id))
        .unwrap_or_else(|| panic!("no <section id={id:?}>"))
}

fn text_of(n: Node<'_, '_>) -> String {
    n.descendants()
        .filter(|d| d.is_text())
        .filter_map(|d| d.text())
        .collect()
}

#[test]
fn the_report_is_well_formed_self_contained_and_has_every_section() {
    let dir = TempDir::new("report");
    let html = render(&dir, "en");
    assert!(html.starts_with("<!DOCTYPE html>"));
    let doc = parse(&html);
    let root = doc.root_element();
    assert!(root.has_tag_name((XHTML, "html")));
    assert_eq!(root.attribute("lang"), Some("en"));
    // Self-contained: no scripts, no external stylesheets, images or links.
    assert_eq!(count(&doc, |n| n.tag_name().name() == "script"), 0);
    assert_eq!(
        count(&doc, |n| n.tag_name().name() == "link"
            || n.tag_name().name() == "img"),
        0
    );
    for n in doc.descendants().filter(|n| n.is_element()) {
        for a in n.attributes() {
            let value = a.value().replace("url(#", "");
            let external = value.contains("://") || value.contains("url(");
            assert!(
                !external,
                "<{}> {}={:?} reaches outside the file",
                n.tag_name().name(),
                a.name(),
                a.value()
            );
        }
        if let Some(href) = n.attribute("href") {
            assert!(href.starts_with('#'), "{href}");
        }
    }
    assert!(count(&doc, |n| n.tag_name().name() == "style") == 1);

    // Every section, in order, each with a heading and content; the navigation links to each.
    let ids: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "section")))
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(ids, SECTIONS);
    for id in SECTIONS {
        let s = section(&doc, id);
        assert!(
            s.children().any(|c| c.has_tag_name((XHTML, "h2"))),
            "{id} has no heading"
        );
        assert!(
            s.children().filter(|c| c.is_element()).count() >= 2,
            "{id} is empty"
        );
        let nav = doc
            .descendants()
            .find(|n| n.has_tag_name((XHTML, "nav")))
            .unwrap();
        assert_eq!(
            nav.descendants()
                .filter(|n| n.attribute("href") == Some(&format!("#{id}")))
                .count(),
            1,
            "nav link to {id}"
        );
    }

    // The first screen: where we are against where we should be (c1 83 % and c2 76 % against 88/90 = 98 %), what
    // needs attention (c2, off track, linked to its place in the tree), and what changed since last week.
    let summary = section(&doc, "summary");
    let text = text_of(summary);
    assert!(text.contains("79% / 98%"), "{text}");
    assert!(text.contains("Needs attention") && text.contains("Since last week"));
    assert!(text.contains("Xinghai Tech"), "owners are shown");
    assert!(text.contains("Review backlog"), "the KPI needing attention");
    let c2 = doc
        .descendants()
        .find(|n| n.tag_name().name() == "li" && text_of(*n).contains("Open a second growth curve"))
        .and_then(|n| n.attribute("id"))
        .unwrap();
    assert!(
        summary
            .descendants()
            .any(|n| n.attribute("href") == Some(&format!("#{c2}"))),
        "the first screen links to the objective's place in the tree"
    );

    // Strategy view: the two top objectives, their three key results, and the four KPI targets that support them,
    // each with its light: the review backlog (score 0, its alert firing) is red (✕); c2's key result has none.
    let strategy = section(&doc, "strategy");
    assert_eq!(strategy.descendants().filter(|n| class_is(n, "so")).count(), 2);
    assert_eq!(strategy.descendants().filter(|n| class_is(n, "kr")).count(), 3);
    let kpis: Vec<Node<'_, '_>> = strategy
        .descendants()
        .filter(|n| class_is(n, "kpi") && !class_is(n, "note"))
        .collect();
    assert_eq!(kpis.len(), 4);
    let backlog = kpis
        .iter()
        .find(|n| text_of(**n).contains("Review backlog"))
        .unwrap();
    assert!(
        backlog
            .descendants()
            .any(|n| class_is(&n, "lt") && class_is(&n, "b") && text_of(n) == "✕"),
        "the backlog's light is red, marked ✕"
    );
    assert!(text_of(*backlog).contains("alert firing"));

    // Alignment tree: both top objectives, with every objective and key result under them.
    let tree = section(&doc, "alignment");
    let text = text_of(tree);
    for title in [
        "Be the platform new merchants choose first",
        "Sign 1,200 quality merchants this quarter",
    ] {
        assert!(text.contains(title), "{title}");
    }
    assert!(
        text.contains("supports (not counted)"),
        "the supports edge is shown"
    );

    // Each objective once: the six, with an anchor each; i2 (also aligned to c1) is named there, not repeated.
    assert_eq!(
        tree.descendants()
            .filter(|n| n.tag_name().name() == "li" && n.attribute("id").is_some())
            .count(),
        6
    );
    assert!(text.contains("also aligned here"));

    // Heatmap: six objectives × 13 weeks, and the pace row.
    let heat = section(&doc, "heatmap");
    let cells = heat
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "td")) && class_is(n, "c"))
        .count();
    assert_eq!(cells, 6 * 13);
    assert!(text_of(heat).contains("98%"), "the pace at 2026-03-29 is 88/90");

    // Trends: one chart per metric × scope watched (7 unit targets, plus the weekly sign-up rule), each an SVG
    // with the series; the alert episodes are marked.
    let trends = section(&doc, "kpi-trends");
    let charts: Vec<Node<'_, '_>> = trends.descendants().filter(|n| class_is(n, "chart")).collect();
    assert_eq!(charts.len(), 8);
    for c in &charts {
        assert!(c.descendants().any(|n| n.has_tag_name((SVG, "svg"))));
        assert!(
            c.descendants().any(|n| n.has_tag_name((SVG, "polyline"))),
            "{}",
            text_of(*c)
        );
    }
    let episodes = trends
        .descendants()
        .filter(|n| n.has_tag_name((SVG, "rect")) && class_is(n, "episode"))
        .count();
    assert!(episodes >= 8, "{episodes} alert episodes");

    // Scorecards: nine (three units, six people, apart), and a grade distribution of five bars for each group.
    let cards = section(&doc, "scorecards");
    assert_eq!(cards.descendants().filter(|n| class_is(n, "grade")).count(), 9);
    assert_eq!(
        cards
            .descendants()
            .filter(|n| n.has_tag_name((SVG, "rect")))
            .count(),
        10
    );
    let text = text_of(cards);
    assert!(
        text.contains("Units (3 scorecards)") && text.contains("People (6 scorecards)"),
        "{text}"
    );

    // Advisor: seven business lines in the matrix.
    let advisor = section(&doc, "advisor");
    assert_eq!(
        advisor
            .descendants()
            .filter(|n| n.has_tag_name((SVG, "circle")))
            .count(),
        7
    );

    // Findings: the seven of the demo, one code each, each with advice.
    let findings = section(&doc, "findings");
    assert_eq!(
        findings.descendants().filter(|n| class_is(n, "finding")).count(),
        7
    );
    assert!(text_of(findings).contains("okr.end_of_cycle_surge"));
}

#[test]
fn the_report_reads_in_chinese_and_english() {
    let dir = TempDir::new("report-lang");
    let en = render(&dir, "en");
    let zh = render(&dir, "zh");
    let (en_doc, zh_doc) = (parse(&en), parse(&zh));
    assert_eq!(zh_doc.root_element().attribute("lang"), Some("zh-CN"));
    let heading = |doc: &Document<'_>, id: &str| {
        let s = section(doc, id);
        let h2 = s.children().find(|c| c.has_tag_name((XHTML, "h2"))).unwrap();
        text_of(h2)
    };
    assert_eq!(heading(&en_doc, "alignment"), "Alignment tree");
    assert_eq!(heading(&zh_doc, "alignment"), "对齐关系树");
    assert_eq!(heading(&zh_doc, "findings"), "诊断发现与建议");
    // Titles lead with the reader's language and keep the other as a subtitle.
    let first_title = |doc: &Document<'_>| {
        let n = section(doc, "alignment")
            .descendants()
            .find(|n| class_is(n, "t"))
            .unwrap();
        (text_of(n), text_of(n.next_sibling_element().unwrap()))
    };
    assert_eq!(
        first_title(&en_doc),
        (
            "Be the platform new merchants choose first".to_owned(),
            "成为新商户首选的开店平台".to_owned()
        )
    );
    assert_eq!(
        first_title(&zh_doc),
        (
            "成为新商户首选的开店平台".to_owned(),
            "Be the platform new merchants choose first".to_owned()
        )
    );
    // The advice comes in the reader's language.
    assert!(
        text_of(section(&zh_doc, "findings")).contains("请"),
        "Chinese advice"
    );
    assert!(text_of(section(&en_doc, "findings")).contains("Check in on the key result"));
}

/// The benchmark organisation of 1,000 people (50 units, 2,000 objectives), written to `dir`.
fn org_1k(dir: &TempDir) -> std::path::PathBuf {
    let org = dir.path("org-1k.json");
    let doc = okpi_bench::generate(okpi_bench::Size::Org1k, 42);
    std::fs::write(&org, serde_json::to_string(&doc).unwrap()).unwrap();
    org
}

#[test]
fn the_org_1k_report_and_dashboard_fit_their_budgets() {
    let dir = TempDir::new("org-1k");
    let org = org_1k(&dir);
    let org = org.to_str().unwrap();
    let page = dir.path("org-1k.html");
    let r = okpi(&[
        "report",
        org,
        "--as-of",
        "2026-03-20",
        "--html",
        page.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.len() <= 1_500_000, "{} bytes", html.len());
    let doc = parse(&html);
    // Bounded by design: the strategy view is led by the organisation's two own top objectives, not the 56 people's
    // objectives aligned to nothing; findings are grouped by code.
    let strategy = section(&doc, "strategy");
    assert_eq!(strategy.descendants().filter(|n| class_is(n, "so")).count(), 2);
    let findings = section(&doc, "findings");
    let groups = findings.descendants().filter(|n| class_is(n, "finding")).count();
    assert!(groups < 20, "{groups} finding groups");
    let dashboard = okpi(&["evaluate", org, "--as-of", "2026-03-20"]);
    assert_eq!(dashboard.code, 0, "{}", dashboard.stderr);
    let lines = dashboard.stdout.lines().count();
    assert!(lines <= 200, "{lines} lines");
    let all = okpi(&["evaluate", org, "--as-of", "2026-03-20", "--all"])
        .stdout
        .lines()
        .count();
    assert!(all > 10 * lines, "--all shows every row ({all} lines)");
}

/// A screenshot of `page` by headless Chromium, 1280 × `height`: the PNG's bytes, after checking its size.
fn screenshot(chromium: &std::path::Path, dir: &TempDir, page: &std::path::Path, height: u32) -> Vec<u8> {
    let png = dir.path(&format!("{}.png", page.file_stem().unwrap().to_str().unwrap()));
    let out = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--hide-scrollbars",
            &format!("--window-size=1280,{height}"),
            &format!("--screenshot={}", png.display()),
            &format!("file://{}", page.display()),
        ])
        .output()
        .unwrap();
    assert!(
        png.exists(),
        "no screenshot of {}: {}",
        page.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
    // IHDR: width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    assert_eq!((width, h), (1280, height));
    bytes
}

#[test]
fn a_screenshot_in_headless_chromium_shows_the_report() {
    let chromium = std::path::Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped: /usr/bin/chromium is not installed (apt-get install -y chromium)");
        return;
    }
    let dir = TempDir::new("screenshot");
    // The demo in both languages, and one employee's view of it.
    render(&dir, "en");
    render(&dir, "zh");
    let viewer = dir.path("report-viewer.html");
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        viewer.to_str().unwrap(),
        "--viewer",
        "a1",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The benchmark organisation of 1,000 people (2,000 objectives).
    let org = org_1k(&dir);
    let org_page = dir.path("report-org-1k.html");
    let r = okpi(&[
        "report",
        org.to_str().unwrap(),
        "--as-of",
        "2026-03-20",
        "--html",
        org_page.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        std::fs::metadata(&org_page).unwrap().len() <= 1_500_000,
        "the org-1k report is at most 1.5 MB"
    );
    for page in [
        "report-en.html",
        "report-zh.html",
        "report-viewer.html",
        "report-org-1k.html",
    ] {
        let bytes = screenshot(chromium, &dir, &dir.path(page), 2400);
        // A blank page compresses to a few kilobytes; the report's colours, charts and text do not.
        assert!(
            bytes.len() > 100_000,
            "the screenshot of {page} looks empty ({} bytes)",
            bytes.len()
        );
    }
}

fn contrast(a: &str, b: &str) -> f64 {
    let lum = |hex: &str| {
        let h = hex.trim_start_matches('#');
        let c = |i: usize| {
            let v = f64::from(u8::from_str_radix(&h[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * c(0) + 0.7152 * c(2) + 0.0722 * c(4)
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn every_status_mark_has_a_non_colour_channel_and_inline_colours_keep_their_contrast() {
    let dir = TempDir::new("channels");
    for lang in ["en", "zh"] {
        let html = render(&dir, lang);
        let doc = parse(&html);
        let mut statuses = 0;
        for n in doc.descendants().filter(|n| n.is_element()) {
            let class = n.attribute("class").unwrap_or_default();
            let coloured = class
                .split(' ')
                .any(|c| c.starts_with("s-") || matches!(c, "g" | "w" | "b" | "n"));
            if !coloured {
                continue;
            }
            // A bar's fill stands beside the pill that names its status; the bar itself carries the numbers.
            if n.parent_element().is_some_and(|p| class_is(&p, "bar")) {
                assert!(n.parent_element().unwrap().attribute("title").is_some());
                continue;
            }
            let text = text_of(n);
            assert!(
                ["✓", "★", "!", "✕", "○", "–", "i "]
                    .iter()
                    .any(|m| text.starts_with(m)),
                "<{} class={class:?}> {text:?} has no mark",
                n.tag_name().name()
            );
            statuses += 1;
        }
        assert!(statuses > 100, "{statuses} status marks");
        // Inline colours: pills on a recommendation colour carry white text; SVG text sits on white or a light
        // quadrant.
        for n in doc.descendants().filter(|n| n.is_element()) {
            if let Some(bg) = n.attribute("style").and_then(|s| s.strip_prefix("background:")) {
                assert!(contrast("#ffffff", bg) >= 4.5, "white on {bg}");
            }
            if n.tag_name().name() == "text" {
                let fill = n.attribute("fill").unwrap_or("#000000");
                for bg in ["#ffffff", "#fbfcfd", "#eaf1fd", "#e9f7ef", "#fdf6e3", "#f4ecf8"] {
                    assert!(
                        contrast(fill, bg) >= 4.5,
                        "SVG text {fill} on {bg}: {:?}",
                        text_of(n)
                    );
                }
            }
        }
    }
}

#[test]
fn a_viewer_who_cannot_see_a_supporting_kpi_is_not_told_its_health() {
    // Agent a3 sees the service team's targets but not the review backlog or availability, which support c1's key
    // results: c1's support health and light are recomputed over the KPIs a3 may see and marked so, and c1.kr2
    // says no KPI a3 can see supports it.
    let dir = TempDir::new("viewer-strategy");
    let out = dir.path("v.html");
    let r = okpi(&[
        "report",
        &demo(),
        "--as-of",
        AS_OF,
        "--html",
        out.to_str().unwrap(),
        "--viewer",
        "a3",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let html = std::fs::read_to_string(out).unwrap();
    let doc = parse(&html);
    let text = text_of(section(&doc, "strategy"));
    // Support health, where shown, is the library's roll-up over the KPIs a3 may see, and says so.
    assert_eq!(
        text.matches("support health").count(),
        text.matches("(of the KPIs you can see)").count(),
        "{text}"
    );
    assert!(
        text.contains("no KPI you can see supports this key result"),
        "{text}"
    );
    assert!(
        !text.contains("Review backlog") && !text.contains("Availability"),
        "{text}"
    );
    // The full view shows it.
    let full = text_of(section(&parse(&render(&dir, "en")), "strategy"));
    assert!(full.contains("support health"), "{full}");
}
