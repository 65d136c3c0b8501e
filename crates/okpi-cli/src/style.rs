//! Colour for terminals, in plain ANSI: on when stdout is a terminal and `NO_COLOR` is unset or empty
//! (no-color.org), unless `--color always|never` says otherwise.

use std::io::IsTerminal;

/// When to colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// When stdout is a terminal and `NO_COLOR` is not set.
    Auto,
    /// Always (even into a pipe).
    Always,
    /// Never.
    Never,
}

/// A colour of the terminal palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Good: on track, done, healthy.
    Good,
    /// Watch: at risk, warning.
    Warn,
    /// Bad: off track, critical, error.
    Bad,
    /// Quiet: not started, info, secondary text.
    Dim,
    /// Headings.
    Bold,
}

/// Paints text, or leaves it plain.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    color: bool,
}

impl Style {
    /// The style `choice` asks for, given the environment.
    pub fn new(choice: ColorChoice) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => !no_color && std::io::stdout().is_terminal(),
        };
        Style { color }
    }

    /// `text` in `tone`.
    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if !self.color {
            return text.to_owned();
        }
        let code = match tone {
            Tone::Good => "32",
            Tone::Warn => "33",
            Tone::Bad => "31",
            Tone::Dim => "2",
            Tone::Bold => "1",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }

    /// A bar of `width` cells filled to `p` (clamped to 0–1), with a `|` at the pace `expected` when it falls
    /// inside.
    pub fn bar(&self, p: f64, expected: Option<f64>, width: usize, tone: Tone) -> String {
        let cells = |x: f64| ((x.clamp(0.0, 1.0) * width as f64).round() as usize).min(width);
        let filled = cells(p);
        let pace = expected.map(cells).filter(|&c| c > 0 && c < width);
        let mut done = String::new();
        let mut rest = String::new();
        for i in 0..width {
            let mark = pace == Some(i);
            if i < filled {
                done.push(if mark { '┃' } else { '█' });
            } else {
                rest.push(if mark { '┃' } else { '░' });
            }
        }
        format!("{}{}", self.paint(tone, &done), self.paint(Tone::Dim, &rest))
    }
}
