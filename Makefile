# `make test` runs every language's tests; CI runs it through .ci/run.
# Until the Python and C bindings land, it runs the Rust workspace: tests (vectors, properties, doctests) and clippy.

CARGO ?= cargo

.PHONY: test test-rust lint fmt-check

test: fmt-check lint test-rust

test-rust:
	$(CARGO) test --workspace --locked

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt-check:
	$(CARGO) fmt --all -- --check
