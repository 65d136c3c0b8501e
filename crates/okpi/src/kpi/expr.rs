//! The derived-metric expression language: `+ - * /`, parentheses, numbers and metric names, each name
//! optionally `name(offset N)` = N grains back. A small recursive-descent parser with a depth limit.

/// Deepest nesting of parentheses and unary minus accepted.
pub const MAX_DEPTH: usize = 64;

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A number literal.
    Num(f64),
    /// A metric, `offset` grains back.
    Metric {
        /// Metric id.
        name: String,
        /// Grains back (0: the same period).
        offset: u32,
    },
    /// Negation.
    Neg(Box<Expr>),
    /// A binary operation (`+ - * /`).
    Bin(char, Box<Expr>, Box<Expr>),
}

/// A parse error at a 1-based column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based column (in characters) where the problem is.
    pub column: usize,
    /// What was wrong.
    pub message: String,
}

/// Parses an expression.
///
/// ```
/// use okpi::kpi::{parse_expression, Expr};
/// let e = parse_expression("revenue / revenue(offset 1) - 1").unwrap();
/// assert!(matches!(e, Expr::Bin('-', _, _)));
/// assert_eq!(parse_expression("a + * b").unwrap_err().column, 5);
/// ```
pub fn parse_expression(text: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
    };
    let e = p.expr()?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.err("unexpected character after the expression"));
    }
    Ok(e)
}

impl Expr {
    /// Every `(metric, offset)` the expression reads, in order of appearance.
    pub fn inputs(&self) -> Vec<(&str, u32)> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<(&'a str, u32)>) {
        match self {
            Expr::Num(_) => {}
            Expr::Metric { name, offset } => out.push((name.as_str(), *offset)),
            Expr::Neg(e) => e.collect(out),
            Expr::Bin(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
    depth: usize,
}

impl Parser {
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            column: self.pos + 1,
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> Result<(), ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err("expression nested too deeply"));
        }
        Ok(())
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.term()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('+' | '-')) => {
                    self.pos += 1;
                    let right = self.term()?;
                    left = Expr::Bin(op, Box::new(left), Box::new(right));
                }
                _ => return Ok(left),
            }
        }
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.factor()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('*' | '/')) => {
                    self.pos += 1;
                    let right = self.factor()?;
                    left = Expr::Bin(op, Box::new(left), Box::new(right));
                }
                _ => return Ok(left),
            }
        }
    }

    fn factor(&mut self) -> Result<Expr, ParseError> {
        self.skip_ws();
        match self.peek() {
            Some('-') => {
                self.pos += 1;
                self.enter()?;
                let e = self.factor()?;
                self.depth -= 1;
                Ok(Expr::Neg(Box::new(e)))
            }
            Some('(') => {
                self.pos += 1;
                self.enter()?;
                let e = self.expr()?;
                if !self.eat(')') {
                    return Err(self.err("expected `)`"));
                }
                self.depth -= 1;
                Ok(e)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => self.number(),
            Some(c) if c.is_alphabetic() || c == '_' => self.metric(),
            Some(_) => Err(self.err("expected a number, a metric name or `(`")),
            None => Err(self.err("unexpected end of expression")),
        }
    }

    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit() || c == '.') {
            self.pos += 1;
        }
        let text: String = self.chars.get(start..self.pos).unwrap_or(&[]).iter().collect();
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Expr::Num(v)),
            _ => Err(ParseError {
                column: start + 1,
                message: format!("`{text}` is not a number"),
            }),
        }
    }

    fn ident(&mut self) -> String {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        {
            self.pos += 1;
        }
        self.chars.get(start..self.pos).unwrap_or(&[]).iter().collect()
    }

    fn metric(&mut self) -> Result<Expr, ParseError> {
        let name = self.ident();
        let save = self.pos;
        if !self.eat('(') {
            self.pos = save;
            return Ok(Expr::Metric { name, offset: 0 });
        }
        self.skip_ws();
        if self.ident() != "offset" {
            return Err(self.err("expected `offset N` inside a metric's parentheses"));
        }
        self.skip_ws();
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        let digits: String = self.chars.get(start..self.pos).unwrap_or(&[]).iter().collect();
        let Ok(offset) = digits.parse::<u32>() else {
            return Err(ParseError {
                column: start + 1,
                message: String::from("expected a whole number of grains after `offset`"),
            });
        };
        if !self.eat(')') {
            return Err(self.err("expected `)` after the offset"));
        }
        Ok(Expr::Metric { name, offset })
    }
}
