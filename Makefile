# `make test` runs every language's tests; CI runs it through .ci/run.
# Rust: tests (vectors, properties, doctests), clippy and fmt; the fuzz targets compiled with the stable toolchain
# (their bodies run over the seed corpora as ordinary tests). C: the header drift check, then the C tests compiled
# with -Wall -Wextra -Werror (and once as C++), run under AddressSanitizer and under Valgrind. Python: the okpi
# package built into .venv with maturin (debug build), pytest over the API and the shared vectors, mypy.stubtest.
# The Rust determinism test writes golden files that the C and Python determinism tests compare with.

CARGO ?= cargo
CC ?= cc
CXX ?= c++
CBINDGEN_VERSION := 0.29.2
CBINDGEN := $(HOME)/.cargo/bin/cbindgen
CARGO_TARGET_DIR ?= $(CURDIR)/target
export CARGO_TARGET_DIR
TARGET := $(CARGO_TARGET_DIR)/debug
DETERMINISM := $(CARGO_TARGET_DIR)/tmp/determinism
HEADER := bindings/c/include/okpi.h
CFLAGS_STRICT := -std=c11 -Wall -Wextra -Werror -g -Ibindings/c/include
C_LIBS := -lpthread -ldl -lm
C_OUT := target/c-tests
VALGRIND := valgrind --quiet --error-exitcode=3 --leak-check=full --errors-for-leak-kinds=definite,indirect

.PHONY: test test-rust lint fmt-check fuzz-check golden golden-sql test-c test-python test-spark spark-deps python-venv header header-check cbindgen \
	c-deps install fuzz

test: fmt-check lint test-rust fuzz-check test-c test-python test-spark

test-rust:
	$(CARGO) test --workspace --locked --no-fail-fast

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt-check:
	$(CARGO) fmt --all -- --check

# The fuzz targets (fuzz/, their own workspace) must compile on stable; running them needs nightly (`make fuzz`).
fuzz-check:
	$(CARGO) check --manifest-path fuzz/Cargo.toml --locked

# Runs one fuzz target, e.g. `make fuzz FUZZ_TARGET=document FUZZ_SECONDS=600`, from a scratch corpus seeded by
# fuzz/corpus/<target> (which it leaves alone); crashes land in fuzz/artifacts/<target>/.
FUZZ_TARGET ?= document
FUZZ_SECONDS ?= 600
FUZZ_DICT = $(if $(filter expression,$(FUZZ_TARGET)),expression.dict,json.dict)
fuzz:
	mkdir -p $(CARGO_TARGET_DIR)/fuzz-corpus/$(FUZZ_TARGET)
	cd fuzz && nice -n 10 $(CARGO) +nightly fuzz run -O $(FUZZ_TARGET) $(CARGO_TARGET_DIR)/fuzz-corpus/$(FUZZ_TARGET) \
		corpus/$(FUZZ_TARGET) -- -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 -dict=$(FUZZ_DICT)

# The golden files of the determinism tests, written by Rust for C and Python to compare with.
golden:
	$(CARGO) test -p okpi-conformance --test determinism --locked

# Python: a venv made with `python3 -m venv`; its tools installed with pip only when missing.
PYTHON ?= python3
VENV := .venv
VPY := $(CURDIR)/$(VENV)/bin/python
PY_TOOLS := maturin pytest mypy numpy pandas duckdb

python-venv:
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	@$(VPY) -c "import maturin, pytest, mypy, numpy, pandas, duckdb" 2>/dev/null || $(VPY) -m pip install -q $(PY_TOOLS)

test-python: python-venv golden
	cd bindings/python && VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VPY) -m maturin develop --locked --quiet
	OKPI_DETERMINISM_DIR=$(DETERMINISM) $(VPY) -m pytest -q bindings/python/tests
	$(VPY) -m mypy.stubtest okpi._okpi --allowlist bindings/python/stubtest-allowlist.txt
	$(VPY) -m mypy --strict bindings/python/python/okpi
	$(VPY) examples/python/hr_analytics.py > $(VENV)/hr_analytics.out
	grep -q "^== growth" $(VENV)/hr_analytics.out

# A pinned cbindgen, installed from crates.io only when missing or of another version.
cbindgen:
	@$(CBINDGEN) --version 2>/dev/null | grep -q " $(CBINDGEN_VERSION)$$" || \
		$(CARGO) install cbindgen --version $(CBINDGEN_VERSION) --locked --force

header: cbindgen
	$(CBINDGEN) --config bindings/c/cbindgen.toml --crate okpi-ffi --output $(HEADER) bindings/c

# Fails when the checked-in header differs from what the sources generate.
header-check: cbindgen
	@mkdir -p $(C_OUT)
	$(CBINDGEN) --config bindings/c/cbindgen.toml --crate okpi-ffi --output $(C_OUT)/okpi.h bindings/c
	@diff -u $(HEADER) $(C_OUT)/okpi.h || (echo "okpi.h drifted from the sources: run 'make header' and commit"; exit 1)

# cJSON (Debian's libcjson-dev) lets the C vector runner read the shared vectors.
c-deps:
	@test -f /usr/include/cjson/cJSON.h || (apt-get update -qq && apt-get install -y -qq libcjson-dev)

test-c: header-check c-deps golden
	$(CARGO) build -p okpi-ffi --locked
	@mkdir -p $(C_OUT)
	$(CC) $(CFLAGS_STRICT) -fsanitize=address,undefined -fno-omit-frame-pointer bindings/c/tests/ffi_test.c \
		$(TARGET)/libokpi.a $(C_LIBS) -o $(C_OUT)/ffi_test_asan
	$(CC) $(CFLAGS_STRICT) bindings/c/tests/ffi_test.c $(TARGET)/libokpi.a $(C_LIBS) -o $(C_OUT)/ffi_test
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE -fsanitize=address,undefined -fno-omit-frame-pointer \
		bindings/c/tests/vectors_test.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) -o $(C_OUT)/vectors_test_asan
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE bindings/c/tests/vectors_test.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) \
		-o $(C_OUT)/vectors_test
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/ffi_test.c
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE -fsanitize=address,undefined -fno-omit-frame-pointer \
		bindings/c/tests/determinism_test.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) -o $(C_OUT)/determinism_test_asan
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/vectors_test.c
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/determinism_test.c
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/ffi_test_asan examples/data/quarter.json
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/vectors_test_asan tests/vectors
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/determinism_test_asan examples/data/quarter.json $(DETERMINISM)
	$(VALGRIND) $(C_OUT)/ffi_test examples/data/quarter.json
	$(VALGRIND) $(C_OUT)/vectors_test tests/vectors
	$(CC) -Wall -Wextra -Werror -Ibindings/c/include examples/c/objectives.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) \
		-o $(C_OUT)/objectives
	$(C_OUT)/objectives examples/data/quarter.json 2026-03-10 | grep -q "^g1 .*at_risk"

# Installs libokpi, okpi.h and okpi.pc under PREFIX (default /usr/local).
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
install:
	$(CARGO) build --release -p okpi-ffi --locked
	install -d $(PREFIX)/lib/pkgconfig $(PREFIX)/include
	install -m 644 $(CARGO_TARGET_DIR)/release/libokpi.a $(CARGO_TARGET_DIR)/release/libokpi.so $(PREFIX)/lib/
	install -m 644 $(HEADER) $(PREFIX)/include/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' bindings/c/okpi.pc.in > $(PREFIX)/lib/pkgconfig/okpi.pc

# Rewrites the golden SQL files (tests/golden/sql/*.sql) from tests/golden/sql/cases.json; review the diff.
golden-sql:
	OKPI_BLESS_SQL=1 $(CARGO) test -p okpi-conformance --test sql_golden --locked

# Spark: the SQL differential test against PySpark (>= 4) in local mode. pyspark is installed into .venv with pip
# and Java 17 from the distribution's packages (apt-get) only when missing; nothing else in `make test` needs them.
spark-deps: python-venv
	@command -v java >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q openjdk-17-jre-headless; } \
		|| { sudo apt-get update -q && sudo apt-get install -y -q openjdk-17-jre-headless; }
	@$(VPY) -c "import pyspark" 2>/dev/null || $(VPY) -m pip install -q "pyspark>=4"

test-spark: spark-deps test-python
	OKPI_SPARK=1 $(VPY) -m pytest -q bindings/python/tests/test_sql_spark.py
