//! The derived-metric expression language: `+ - * /`, parentheses, numbers and metric names, each name
//! optionally `name(offset N)` = N grains back. A small recursive-descent parser bounded by the
//! [`crate::Limits`] on expression length and depth, so that neither parsing nor evaluating recurses without end.

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
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
    /// The limit the expression exceeds (`expression_length` or `expression_depth`), when that is the problem.
    pub limit: Option<&'static str>,
}

/// Parses an expression under the default [`crate::Limits`].
///
/// ```
/// use okpi::kpi::{parse_expression, Expr};
/// let e = parse_expression("revenue / revenue(offset 1) - 1").unwrap();
/// assert!(matches!(e, Expr::Bin('-', _, _)));
/// assert_eq!(parse_expression("a + * b").unwrap_err().column, 5);
/// ```
pub fn parse_expression(text: &str) -> Result<Expr, ParseError> {
    parse_expression_with(text, &crate::Limits::default())
}

/// Parses an expression no longer than `limits.expression_length` bytes whose syntax tree is no deeper than
/// `limits.expression_depth` (each parenthesis, unary minus and binary operator adds a level).
///
/// ```
/// use okpi::kpi::parse_expression_with;
/// let mut limits = okpi::Limits::default();
/// limits.expression_depth = 3;
/// assert!(parse_expression_with("a + b + c", &limits).is_ok()); // (a + b) + c: 3 levels
/// let e = parse_expression_with("a + b + c + d", &limits).unwrap_err();
/// assert_eq!((e.limit, e.column), (Some("expression_depth"), 11)); // the third `+`
/// ```
pub fn parse_expression_with(text: &str, limits: &crate::Limits) -> Result<Expr, ParseError> {
    if text.len() > limits.expression_length {
        return Err(ParseError {
            column: 1,
            message: format!(
                "limit expression_length is {}: the expression is {} bytes",
                limits.expression_length,
                text.len()
            ),
            limit: Some("expression_length"),
        });
    }
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        depth: 0,
        max_depth: limits.expression_depth,
    };
    let (e, _) = p.expr()?;
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

/// A parsed sub-expression and the height of its syntax tree.
type Parsed = Result<(Expr, usize), ParseError>;

struct Parser {
    chars: Vec<char>,
    pos: usize,
    /// Open parentheses and unary minuses around the current position (bounds the parser's own recursion).
    depth: usize,
    max_depth: usize,
}

impl Parser {
    fn err(&self, message: &str) -> ParseError {
        ParseError {
            column: self.pos + 1,
            message: message.to_owned(),
            limit: None,
        }
    }

    /// The depth error, at the 0-based position `at` of the operator or parenthesis that goes too deep.
    fn too_deep(&self, at: usize) -> ParseError {
        ParseError {
            column: at + 1,
            message: format!(
                "limit expression_depth is {}: the expression nests deeper",
                self.max_depth
            ),
            limit: Some("expression_depth"),
        }
    }

    /// A node of height `h` made by the operator or parenthesis at `at`, or the depth error when it is too deep.
    fn node(&self, e: Expr, h: usize, at: usize) -> Parsed {
        if h > self.max_depth {
            return Err(self.too_deep(at));
        }
        Ok((e, h))
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
        if self.depth > self.max_depth {
            return Err(self.too_deep(self.pos.saturating_sub(1)));
        }
        Ok(())
    }

    fn expr(&mut self) -> Parsed {
        let (mut left, mut h) = self.term()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('+' | '-')) => {
                    let at = self.pos;
                    self.pos += 1;
                    let (right, hr) = self.term()?;
                    (left, h) =
                        self.node(Expr::Bin(op, Box::new(left), Box::new(right)), 1 + h.max(hr), at)?;
                }
                _ => return Ok((left, h)),
            }
        }
    }

    fn term(&mut self) -> Parsed {
        let (mut left, mut h) = self.factor()?;
        loop {
            self.skip_ws();
            match self.peek() {
                Some(op @ ('*' | '/')) => {
                    let at = self.pos;
                    self.pos += 1;
                    let (right, hr) = self.factor()?;
                    (left, h) =
                        self.node(Expr::Bin(op, Box::new(left), Box::new(right)), 1 + h.max(hr), at)?;
                }
                _ => return Ok((left, h)),
            }
        }
    }

    fn factor(&mut self) -> Parsed {
        self.skip_ws();
        match self.peek() {
            Some('-') => {
                let at = self.pos;
                self.pos += 1;
                self.enter()?;
                let (e, h) = self.factor()?;
                self.depth -= 1;
                self.node(Expr::Neg(Box::new(e)), h + 1, at)
            }
            Some('(') => {
                let at = self.pos;
                self.pos += 1;
                self.enter()?;
                let (e, h) = self.expr()?;
                if !self.eat(')') {
                    return Err(self.err("expected `)`"));
                }
                self.depth -= 1;
                self.node(e, h + 1, at)
            }
            Some(c) if c.is_ascii_digit() || c == '.' => Ok((self.number()?, 1)),
            Some(c) if c.is_alphabetic() || c == '_' => Ok((self.metric()?, 1)),
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
                limit: None,
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
                limit: None,
            });
        };
        if !self.eat(')') {
            return Err(self.err("expected `)` after the offset"));
        }
        Ok(Expr::Metric { name, offset })
    }
}
