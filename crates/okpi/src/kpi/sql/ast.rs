//! A small SQL syntax tree, enough for the statements [`super::sql`] builds, rendered per [`Dialect`]: the
//! statement is built once and only identifier quoting, string escapes, the text type and inline tables differ.

use chrono::NaiveDate;
use std::fmt::Write;

/// The SQL dialect a statement is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Dialect {
    /// DuckDB (also the default).
    DuckDb,
    /// Spark SQL (3.4 or later, ANSI mode on or off).
    Spark,
}

impl Dialect {
    /// The dialect named `name` (`duckdb` or `spark`, any case).
    pub fn parse(name: &str) -> Option<Dialect> {
        match name.to_ascii_lowercase().as_str() {
            "duckdb" => Some(Dialect::DuckDb),
            "spark" => Some(Dialect::Spark),
            _ => None,
        }
    }
}

/// An expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum E {
    /// A column or alias okpi names (plain identifiers, optionally qualified `t.c`): written as is.
    Col(String),
    /// A column the user names (a dim), quoted, optionally qualified by a table alias okpi names.
    Ident(Option<&'static str>, String),
    Str(String),
    Num(f64),
    Int(usize),
    Date(NaiveDate),
    Null,
    Call(&'static str, Vec<E>),
    /// A binary operator, written with parentheses around it.
    Op(&'static str, Box<E>, Box<E>),
    Neg(Box<E>),
    IsNull(Box<E>),
    IsNotNull(Box<E>),
    /// `CASE WHEN c THEN v … [ELSE e] END`.
    Case(Vec<(E, E)>, Option<Box<E>>),
    /// A date written as text (`YYYY-MM-DD`).
    Text(Box<E>),
    /// `CAST(e AS DOUBLE)`.
    Double(Box<E>),
    /// `max(e) OVER (PARTITION BY …)`.
    MaxOver(Box<E>, Vec<E>),
    /// `e IN (SELECT col FROM table WHERE cond)`.
    InSelect(Box<E>, &'static str, &'static str, Box<E>),
    /// `e IN (v, …)`.
    In(Box<E>, Vec<E>),
}

pub(crate) fn col(name: impl Into<String>) -> E {
    E::Col(name.into())
}
pub(crate) fn op(o: &'static str, a: E, b: E) -> E {
    E::Op(o, Box::new(a), Box::new(b))
}
pub(crate) fn call(f: &'static str, args: Vec<E>) -> E {
    E::Call(f, args)
}
pub(crate) fn case1(cond: E, then: E) -> E {
    E::Case(vec![(cond, then)], None)
}
pub(crate) fn and_all(mut conds: Vec<E>) -> Option<E> {
    let first = if conds.is_empty() {
        return None;
    } else {
        conds.remove(0)
    };
    Some(conds.into_iter().fold(first, |a, b| op("AND", a, b)))
}

/// Where rows come from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum From {
    /// A table or CTE, with an optional alias.
    Table(String, Option<&'static str>),
    /// An inline table: rows of expressions, named `alias(cols)`.
    Values {
        alias: &'static str,
        cols: Vec<String>,
        rows: Vec<Vec<E>>,
    },
    /// `left JOIN right ON on` (`on` absent: `CROSS JOIN`), `left_outer` for `LEFT JOIN`.
    Join {
        left: Box<From>,
        right: Box<From>,
        on: Option<E>,
        left_outer: bool,
    },
}

/// One `SELECT`.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Select {
    pub distinct: bool,
    /// `*` first when set, then the items.
    pub star: bool,
    pub items: Vec<(E, Option<String>)>,
    /// Items after `items` whose aliases are user names (dims), quoted.
    pub named: Vec<(E, String)>,
    pub from: Option<From>,
    pub filter: Option<E>,
    pub group_by: Vec<E>,
    pub order_by: Vec<E>,
}

/// A CTE's body: one select, or several joined by `UNION ALL`.
pub(crate) type Body = Vec<Select>;

/// `WITH ctes SELECT …`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statement {
    pub ctes: Vec<(String, Body)>,
    pub main: Select,
}

impl Statement {
    /// The statement as text in `d`, one CTE per paragraph.
    pub fn render(&self, d: Dialect) -> String {
        let mut out = String::new();
        for (i, (name, body)) in self.ctes.iter().enumerate() {
            out.push_str(if i == 0 { "WITH " } else { ",\n" });
            out.push_str(name);
            out.push_str(" AS (\n");
            for (j, s) in body.iter().enumerate() {
                if j > 0 {
                    out.push_str("\n  UNION ALL\n");
                }
                render_select(&mut out, s, d, "  ");
            }
            out.push_str("\n)");
        }
        if !self.ctes.is_empty() {
            out.push('\n');
        }
        render_select(&mut out, &self.main, d, "");
        out.push('\n');
        out
    }
}

fn render_select(out: &mut String, s: &Select, d: Dialect, ind: &str) {
    out.push_str(ind);
    out.push_str("SELECT ");
    if s.distinct {
        out.push_str("DISTINCT ");
    }
    let mut items: Vec<String> = Vec::new();
    if s.star {
        items.push("*".to_owned());
    }
    for (e, alias) in &s.items {
        let mut t = expr(e, d);
        if let Some(a) = alias {
            t.push_str(" AS ");
            t.push_str(a);
        }
        items.push(t);
    }
    for (e, alias) in &s.named {
        items.push(format!("{} AS {}", expr(e, d), quote(alias, d)));
    }
    out.push_str(&items.join(&format!(",\n{ind}       ")));
    if let Some(f) = &s.from {
        let _ = write!(out, "\n{ind}FROM {}", from(f, d, ind));
    }
    if let Some(w) = &s.filter {
        let _ = write!(out, "\n{ind}WHERE {}", expr(w, d));
    }
    if !s.group_by.is_empty() {
        let g: Vec<String> = s.group_by.iter().map(|e| expr(e, d)).collect();
        let _ = write!(out, "\n{ind}GROUP BY {}", g.join(", "));
    }
    if !s.order_by.is_empty() {
        let g: Vec<String> = s.order_by.iter().map(|e| expr(e, d)).collect();
        let _ = write!(out, "\n{ind}ORDER BY {}", g.join(", "));
    }
}

fn from(f: &From, d: Dialect, ind: &str) -> String {
    match f {
        From::Table(name, alias) => match alias {
            Some(a) => format!("{name} AS {a}"),
            None => name.clone(),
        },
        From::Values { alias, cols, rows } => {
            let rows: Vec<String> = rows
                .iter()
                .map(|r| {
                    let vs: Vec<String> = r.iter().map(|e| expr(e, d)).collect();
                    format!("({})", vs.join(", "))
                })
                .collect();
            let rows = rows.join(&format!(",\n{ind}       "));
            let name = format!("{alias}({})", cols.join(", "));
            match d {
                Dialect::DuckDb => format!("(VALUES {rows}) AS {name}"),
                Dialect::Spark => format!("VALUES {rows} AS {name}"),
            }
        }
        From::Join {
            left,
            right,
            on,
            left_outer,
        } => {
            let l = from(left, d, ind);
            let r = from(right, d, ind);
            match on {
                None => format!("{l}\n{ind}CROSS JOIN {r}"),
                Some(on) => {
                    let kind = if *left_outer { "LEFT JOIN" } else { "JOIN" };
                    format!("{l}\n{ind}{kind} {r} ON {}", expr(on, d))
                }
            }
        }
    }
}

/// An identifier quoted for `d`.
pub(crate) fn quote(name: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb => format!("\"{}\"", name.replace('"', "\"\"")),
        Dialect::Spark => format!("`{}`", name.replace('`', "``")),
    }
}

/// A string literal for `d`: Spark reads backslash escapes inside literals, DuckDB doubles quotes.
fn string(s: &str, d: Dialect) -> String {
    match d {
        Dialect::DuckDb => format!("'{}'", s.replace('\'', "''")),
        Dialect::Spark => format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'")),
    }
}

/// A double literal both dialects read as DOUBLE (scientific notation), exactly (shortest round-trip digits).
fn number(v: f64) -> String {
    if v < 0.0 {
        format!("(-{:e})", -v)
    } else {
        format!("{v:e}")
    }
}

fn expr(e: &E, d: Dialect) -> String {
    match e {
        E::Col(c) => c.clone(),
        E::Ident(None, c) => quote(c, d),
        E::Ident(Some(t), c) => format!("{t}.{}", quote(c, d)),
        E::Str(s) => string(s, d),
        E::Num(v) => number(*v),
        E::Int(v) => v.to_string(),
        E::Date(day) => format!("DATE '{day}'"),
        E::Null => "NULL".to_owned(),
        E::Call(f, args) => {
            let a: Vec<String> = args.iter().map(|x| expr(x, d)).collect();
            format!("{f}({})", a.join(", "))
        }
        E::Op(o, a, b) => format!("({} {o} {})", expr(a, d), expr(b, d)),
        E::Neg(a) => format!("(-{})", expr(a, d)),
        E::IsNull(a) => format!("({} IS NULL)", expr(a, d)),
        E::IsNotNull(a) => format!("({} IS NOT NULL)", expr(a, d)),
        E::Case(arms, other) => {
            let mut t = "CASE".to_owned();
            for (c, v) in arms {
                let _ = write!(t, " WHEN {} THEN {}", expr(c, d), expr(v, d));
            }
            if let Some(o) = other {
                let _ = write!(t, " ELSE {}", expr(o, d));
            }
            t.push_str(" END");
            t
        }
        E::Text(a) => {
            let ty = match d {
                Dialect::DuckDb => "VARCHAR",
                Dialect::Spark => "STRING",
            };
            format!("CAST({} AS {ty})", expr(a, d))
        }
        E::Double(a) => format!("CAST({} AS DOUBLE)", expr(a, d)),
        E::MaxOver(a, parts) => {
            let p: Vec<String> = parts.iter().map(|x| expr(x, d)).collect();
            format!("max({}) OVER (PARTITION BY {})", expr(a, d), p.join(", "))
        }
        E::InSelect(a, column, table, cond) => format!(
            "{} IN (SELECT {column} FROM {table} WHERE {})",
            expr(a, d),
            expr(cond, d)
        ),
        E::In(a, list) => {
            let l: Vec<String> = list.iter().map(|x| expr(x, d)).collect();
            format!("{} IN ({})", expr(a, d), l.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_per_dialect() {
        let s = E::Str("it's a\\b".into());
        assert_eq!(expr(&s, Dialect::DuckDb), "'it''s a\\b'");
        assert_eq!(expr(&s, Dialect::Spark), "'it\\'s a\\\\b'");
        assert_eq!(expr(&E::Num(0.1), Dialect::DuckDb), "1e-1");
        assert_eq!(expr(&E::Num(-2.5), Dialect::Spark), "(-2.5e0)");
        assert_eq!(quote("a\"b", Dialect::DuckDb), "\"a\"\"b\"");
        assert_eq!(quote("a`b", Dialect::Spark), "`a``b`");
    }
}
