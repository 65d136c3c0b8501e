//! The SQL okpi compiles for a fixed set of queries, in each dialect, equals the files checked in under
//! `tests/golden/sql` (`<name>.<dialect>.sql`). `OKPI_BLESS_SQL=1` (`make golden-sql`) rewrites them; review the
//! diff. The numbers the SQL gives are tested against `kpi::query` in `bindings/python/tests/test_sql.py`.

use okpi::kpi::sql::{sql, Dialect};
use okpi::kpi::Query;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden/sql")
}

#[test]
fn generated_sql_matches_the_golden_files() {
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("cases.json")).unwrap()).unwrap();
    let model = okpi::Model::from_json(&cases["document"].to_string()).unwrap();
    let bless = std::env::var_os("OKPI_BLESS_SQL").is_some();
    let mut expected_files = Vec::new();
    let mut stale = Vec::new();
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let q: Query = serde_json::from_value(case["query"].clone()).unwrap();
        // The query itself must run in okpi: a golden file of a query okpi refuses would prove nothing.
        okpi::kpi::query(&model, &q).unwrap();
        for (dialect, tag) in [(Dialect::DuckDb, "duckdb"), (Dialect::Spark, "spark")] {
            let text = sql(&model, &q, dialect).unwrap();
            let file = format!("{name}.{tag}.sql");
            let path = dir().join(&file);
            expected_files.push(file.clone());
            if bless {
                std::fs::write(&path, &text).unwrap();
            } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
                stale.push(file);
            }
        }
    }
    assert!(
        stale.is_empty(),
        "SQL differs from the golden files (make golden-sql): {stale:?}"
    );
    let mut on_disk: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|f| f.ends_with(".sql"))
        .collect();
    on_disk.sort();
    expected_files.sort();
    assert_eq!(
        on_disk, expected_files,
        "golden files without a case, or cases without a file"
    );
}

#[test]
fn dialects_differ_only_in_spelling() {
    let cases: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir().join("cases.json")).unwrap()).unwrap();
    let model = okpi::Model::from_json(&cases["document"].to_string()).unwrap();
    let q: Query = serde_json::from_value(cases["cases"][6]["query"].clone()).unwrap();
    let duck = sql(&model, &q, Dialect::DuckDb).unwrap();
    let spark = sql(&model, &q, Dialect::Spark).unwrap();
    assert!(duck.contains("\"unit\"") && !duck.contains('`'));
    assert!(spark.contains("`unit`") && !spark.contains("AS VARCHAR"));
    assert!(duck.contains("(VALUES (0,") && spark.contains("FROM VALUES (0,"));
    // The same statement once the spellings are made equal.
    let duck = duck.replace("(VALUES", "VALUES").replace(")) AS c(", ") AS c(");
    let spark = spark.replace('`', "\"").replace("AS STRING", "AS VARCHAR");
    assert_eq!(duck, spark);
}

#[test]
fn refusals_name_the_path() {
    let model = okpi::Model::from_json(
        r#"{"schema_version": 1, "measures": [{"id": "x"}],
            "metrics": [{"id": "s", "kind": "simple", "measure": "x"}]}"#,
    )
    .unwrap();
    let q = |text: &str| -> Query { serde_json::from_str(text).unwrap() };
    let err = |query: &Query| match sql(&model, query, Dialect::DuckDb) {
        Err(e) if e.kind() != okpi::ErrorKind::Parse => (e.problems()[0].code, e.problems()[0].path.clone()),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let unknown = q(r#"{"metric": "nope", "from": "2026-01-01", "to": "2026-01-31"}"#);
    assert_eq!(err(&unknown), (okpi::Code::E_UNKNOWN_ID, "$.query.metric".into()));
    let reversed = q(r#"{"metric": "s", "from": "2026-02-01", "to": "2026-01-31"}"#);
    assert_eq!(err(&reversed), (okpi::Code::E_INVALID_VALUE, "$.query.to".into()));
    let reserved = q(r#"{"metric": "s", "from": "2026-01-01", "to": "2026-01-31", "group_by": ["value"]}"#);
    assert_eq!(
        err(&reserved),
        (okpi::Code::E_INVALID_VALUE, "$.query.group_by[0]".into())
    );
    let long = q(r#"{"metric": "s", "grain": "day", "from": "1000-01-01", "to": "9000-01-31"}"#);
    assert_eq!(err(&long), (okpi::Code::E_LIMIT, "$.query.to".into()));
    let ancient = q(r#"{"metric": "s", "grain": "year", "from": "0001-06-01", "to": "0001-06-01"}"#);
    assert!(sql(&model, &ancient, Dialect::DuckDb).is_ok());
    // A date before year 1 can no longer be written (dates are strict YYYY-MM-DD, years 0001–9999).
    assert!(
        serde_json::from_str::<Query>(r#"{"metric": "s", "from": "0000-06-01", "to": "0001-06-01"}"#)
            .is_err()
    );
}
