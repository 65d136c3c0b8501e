//! A progress bar on stderr for inputs that take more than a moment: drawn only when stderr is a terminal, and
//! only once the work has run for [`DELAY`], so quick runs and pipes stay quiet.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

/// How long work runs before the bar appears.
pub const DELAY: Duration = Duration::from_millis(300);

/// Counts steps of work and draws `[#####.....] label` on stderr.
pub struct Progress {
    started: Instant,
    total: usize,
    done: usize,
    enabled: bool,
    drawn: bool,
    /// The widest line drawn, so that shorter ones and the final clear cover it.
    width: usize,
}

impl Progress {
    /// A bar for about `total` steps, drawn only if stderr is a terminal.
    pub fn new(total: usize) -> Self {
        Progress {
            started: Instant::now(),
            total: total.max(1),
            done: 0,
            enabled: std::io::stderr().is_terminal(),
            drawn: false,
            width: 0,
        }
    }

    /// Adds `n` steps to the expected total (work whose size is known late).
    pub fn grow(&mut self, n: usize) {
        self.total += n;
    }

    /// One step done; `label` says what runs next.
    pub fn step(&mut self, label: &str) {
        self.done = (self.done + 1).min(self.total);
        if self.enabled && self.started.elapsed() >= DELAY {
            let width = 30;
            let filled = self.done * width / self.total;
            let bar = format!("{}{}", "#".repeat(filled), ".".repeat(width - filled));
            let mut err = std::io::stderr().lock();
            // A failed write to the terminal only loses the bar.
            let line = format!("[{bar}] {:>3}% {label}", self.done * 100 / self.total);
            // Plain carriage returns and spaces, no escape codes: the bar stays readable wherever it lands.
            let _ = write!(
                err,
                "\r{line}{}",
                " ".repeat(self.width.saturating_sub(line.chars().count()))
            );
            self.width = self.width.max(line.chars().count());
            let _ = err.flush();
            self.drawn = true;
        }
    }

    /// Clears the bar, if it was drawn.
    pub fn finish(&mut self) {
        if self.drawn {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}\r", " ".repeat(self.width));
            let _ = err.flush();
            self.drawn = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}
