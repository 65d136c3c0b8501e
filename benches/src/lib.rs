//! okpi-bench: criterion benches and the synthetic organisation generator arrive with the performance issue.
