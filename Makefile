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

.PHONY: test test-rust lint fmt-check fuzz-check golden golden-sql test-c test-python test-spark spark-deps python-venv \
	header header-check cbindgen c-deps build install bench-c fuzz schema

test: fmt-check lint test-rust fuzz-check test-c test-python test-spark

test-rust:
	$(CARGO) test --workspace --locked --no-fail-fast
	@# The checked-in JSON Schema of the call layer must be what the types generate (`make schema` rewrites it).
	$(CARGO) test -p okpi --features schema --locked --lib api::schema

# Regenerates schema/okpi.schema.json from the Rust types (the core's `schema` feature).
schema:
	OKPI_WRITE_SCHEMA=1 $(CARGO) test -p okpi --features schema --locked --lib api::schema

lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p okpi --features schema --all-targets --locked -- -D warnings

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
PY_TOOLS := maturin pytest mypy numpy pandas polars duckdb pyarrow

python-venv:
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	@$(VPY) -c "import maturin, pytest, mypy, numpy, pandas, polars, duckdb, pyarrow" 2>/dev/null || \
		$(VPY) -m pip install -q $(PY_TOOLS)

test-python: python-venv golden
	cd bindings/python && VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VPY) -m maturin develop --locked --quiet
	OKPI_DETERMINISM_DIR=$(DETERMINISM) $(VPY) -m pytest -q bindings/python/tests
	$(VPY) -m pytest -q benches/python
	$(VPY) -m mypy.stubtest okpi._okpi --allowlist bindings/python/stubtest-allowlist.txt
	$(VPY) -m mypy --strict bindings/python/python/okpi
	$(VPY) examples/python/hr_analytics.py > $(VENV)/hr_analytics.out
	grep -q "^== growth" $(VENV)/hr_analytics.out

# The expert baselines (numpy, pandas, polars, DuckDB) against okpi, checked and timed: benches/README.md.
.PHONY: bench-baselines
bench-baselines: python-venv
	cd bindings/python && VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VPY) -m maturin develop --locked --release --quiet
	nice $(VPY) benches/python/baselines.py --size $(or $(SIZE),org-10k)

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

C99 := -std=c99 -Wall -Wextra -Werror -pedantic -g -Ibindings/c/include
ASAN := -fsanitize=address,undefined -fno-omit-frame-pointer
LIB := $(TARGET)/libokpi.a $(C_LIBS)

test-c: header-check c-deps golden
	$(CARGO) build -p okpi-ffi --locked
	@mkdir -p $(C_OUT)
	$(CC) $(CFLAGS_STRICT) $(ASAN) bindings/c/tests/ffi_test.c $(LIB) -o $(C_OUT)/ffi_test_asan
	$(CC) $(CFLAGS_STRICT) bindings/c/tests/ffi_test.c $(LIB) -o $(C_OUT)/ffi_test
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE $(ASAN) bindings/c/tests/vectors_test.c $(TARGET)/libokpi.a -lcjson \
		$(C_LIBS) -o $(C_OUT)/vectors_test_asan
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE bindings/c/tests/vectors_test.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) \
		-o $(C_OUT)/vectors_test
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/ffi_test.c
	$(CC) $(CFLAGS_STRICT) -D_DEFAULT_SOURCE $(ASAN) bindings/c/tests/determinism_test.c $(TARGET)/libokpi.a \
		-lcjson $(C_LIBS) -o $(C_OUT)/determinism_test_asan
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/vectors_test.c
	$(CXX) -x c++ -std=c++17 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/determinism_test.c
	@# The header and the tests are C99: the 1.0 conventions, and the header after a legacy `typedef int bool;`.
	$(CC) $(C99) -fsyntax-only bindings/c/tests/ffi_test.c
	$(CC) $(C99) -fsyntax-only -D_DEFAULT_SOURCE bindings/c/tests/vectors_test.c
	printf 'typedef int bool;\n#include "okpi.h"\nint main(void) { bool b = okpi_result_name(0) != 0; return !b; }\n' \
		> $(C_OUT)/legacy_bool.c
	$(CC) $(C99) $(C_OUT)/legacy_bool.c $(LIB) -o $(C_OUT)/legacy_bool && $(C_OUT)/legacy_bool
	$(CC) $(C99) $(ASAN) bindings/c/tests/abi_test.c $(LIB) -o $(C_OUT)/abi_test_asan
	$(CC) $(C99) bindings/c/tests/abi_test.c $(LIB) -o $(C_OUT)/abi_test
	$(CXX) -x c++ -std=c++11 -Wall -Wextra -Werror -Ibindings/c/include -fsyntax-only bindings/c/tests/abi_test.c
	@# Teardown: calls and frees after the thread's Rust locals are gone must neither abort nor lose stdout.
	$(CC) $(C99) $(ASAN) bindings/c/tests/teardown_test.c $(LIB) -o $(C_OUT)/teardown_test_asan
	$(CC) $(C99) bindings/c/tests/teardown_test.c $(LIB) -o $(C_OUT)/teardown_test
	$(CXX) -std=c++11 -Wall -Wextra -Werror -g -Ibindings/c/include $(ASAN) bindings/c/tests/teardown_test.cpp $(LIB) \
		-o $(C_OUT)/teardown_test_cpp_asan
	$(CXX) -std=c++11 -Wall -Wextra -Werror -g -Ibindings/c/include bindings/c/tests/teardown_test.cpp $(LIB) \
		-o $(C_OUT)/teardown_test_cpp
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/ffi_test_asan examples/data/quarter.json
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/vectors_test_asan tests/vectors
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/determinism_test_asan examples/data/quarter.json $(DETERMINISM)
	ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/abi_test_asan
	$(VALGRIND) $(C_OUT)/ffi_test examples/data/quarter.json
	$(VALGRIND) $(C_OUT)/vectors_test tests/vectors
	$(VALGRIND) $(C_OUT)/abi_test
	for t in teardown_test_asan teardown_test teardown_test_cpp_asan teardown_test_cpp; do \
		case $$t in *_asan) run="env ASAN_OPTIONS=detect_leaks=1";; *) run="$(VALGRIND)";; esac; \
		$$run $(C_OUT)/$$t > $(C_OUT)/$$t.out || { echo "$$t exited $$?"; exit 1; }; \
		case $$t in *cpp*) want=bindings/c/tests/teardown_test_cpp.expected;; *) want=bindings/c/tests/teardown_test.expected;; esac; \
		diff -u $$want $(C_OUT)/$$t.out || exit 1; \
	done
	$(CC) -Wall -Wextra -Werror -Ibindings/c/include examples/c/objectives.c $(TARGET)/libokpi.a -lcjson $(C_LIBS) \
		-o $(C_OUT)/objectives
	$(C_OUT)/objectives examples/data/quarter.json 2026-03-10 | grep -q "^g1 .*at_risk"
	@# Packaging: install the debug build into a scratch DESTDIR, then build the streaming example with pkg-config
	@# only, shared and static, and run both.
	@# (install runs with CARGO=false: it must not build.)
	rm -rf $(C_OUT)/destdir
	$(MAKE) --no-print-directory build PROFILE=debug DIST=$(C_OUT)/dist
	$(MAKE) --no-print-directory install CARGO=false PROFILE=debug DIST=$(C_OUT)/dist DESTDIR=$(C_OUT)/destdir \
		PREFIX=/opt/okpi
	test -x $(C_OUT)/destdir/opt/okpi/lib/libokpi.so.1 && test -L $(C_OUT)/destdir/opt/okpi/lib/libokpi.so
	readelf -d $(C_OUT)/destdir/opt/okpi/lib/libokpi.so.1 | grep -q 'SONAME.*\[libokpi.so.1\]'
	! readelf -S $(C_OUT)/destdir/opt/okpi/lib/libokpi.so.1 | grep -q debug_info
	PKG_CONFIG_PATH=$(C_OUT)/destdir/opt/okpi/lib/pkgconfig sh -c '\
		pc="pkg-config --define-variable=prefix=$(CURDIR)/$(C_OUT)/destdir/opt/okpi"; \
		$(CC) $(C99) examples/c/org_stream.c $$($$pc --cflags --libs okpi libcjson) -o $(C_OUT)/org_stream && \
		$(CC) $(C99) examples/c/org_stream.c $$($$pc --cflags --libs --static okpi-static libcjson) \
			-o $(C_OUT)/org_stream_static'
	readelf -d $(C_OUT)/org_stream | grep -q 'NEEDED.*\[libokpi.so.1\]'
	! readelf -d $(C_OUT)/org_stream_static | grep -q libokpi
	LD_LIBRARY_PATH=$(C_OUT)/destdir/opt/okpi/lib $(VALGRIND) $(C_OUT)/org_stream examples/data/org/organisation.json \
		examples/data/org/check_ins.jsonl 2026-03-20 > $(C_OUT)/org_stream.out
	$(C_OUT)/org_stream_static examples/data/org/organisation.json examples/data/org/check_ins.jsonl 2026-03-20 \
		| diff -u $(C_OUT)/org_stream.out -
	grep -q "^check-ins: 95 applied, 1 refused" $(C_OUT)/org_stream.out
	grep -q "^== sales_east (Sales East)" $(C_OUT)/org_stream.out

# The C handle benchmark (not part of `make test`): 10,000 evaluations of the demo quarter with and without a model
# handle, against the release library.
bench-c:
	$(CARGO) build --release -p okpi-ffi --locked
	@mkdir -p $(C_OUT)
	$(CC) $(C99) -O2 bindings/c/bench/evaluate_bench.c $(CARGO_TARGET_DIR)/release/libokpi.a $(C_LIBS) \
		-o $(C_OUT)/evaluate_bench
	$(C_OUT)/evaluate_bench examples/data/quarter.json 2026-03-10 10000

# Release artefacts, stripped, in $(DIST): libokpi.so.1 (SONAME libokpi.so.1, set in bindings/c/build.rs) and
# libokpi.a. `make install` installs them without building when they are there (`make build` first).
PROFILE ?= release
DIST ?= $(CARGO_TARGET_DIR)/dist
DIST_FILES := $(DIST)/libokpi.so.1 $(DIST)/libokpi.a
PROFILE_FLAG := $(if $(filter release,$(PROFILE)),--release,)

build:
	$(CARGO) build $(PROFILE_FLAG) -p okpi-ffi --locked
	@mkdir -p $(DIST)
	strip --strip-unneeded -o $(DIST)/libokpi.so.1 $(CARGO_TARGET_DIR)/$(PROFILE)/libokpi.so
	strip --strip-debug -o $(DIST)/libokpi.a $(CARGO_TARGET_DIR)/$(PROFILE)/libokpi.a

$(DIST_FILES):
	$(MAKE) --no-print-directory build PROFILE=$(PROFILE) DIST=$(DIST)

# Installs libokpi (libokpi.so.1, the libokpi.so link, libokpi.a), okpi.h, okpi.pc and okpi-static.pc under
# $(DESTDIR)$(PREFIX) (default /usr/local). `pkg-config --libs okpi` links the shared library;
# `pkg-config --libs okpi-static` names libokpi.a by path, so the static library is linked even beside the .so.
PREFIX ?= /usr/local
LIBDIR := $(DESTDIR)$(PREFIX)/lib
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
install: $(DIST_FILES)
	install -d $(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(DIST)/libokpi.so.1 $(LIBDIR)/libokpi.so.1
	ln -sf libokpi.so.1 $(LIBDIR)/libokpi.so
	install -m 644 $(DIST)/libokpi.a $(LIBDIR)/libokpi.a
	install -m 644 $(HEADER) $(DESTDIR)$(PREFIX)/include/okpi.h
	for pc in okpi okpi-static; do \
		sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' bindings/c/$$pc.pc.in > $(LIBDIR)/pkgconfig/$$pc.pc; \
		chmod 644 $(LIBDIR)/pkgconfig/$$pc.pc; \
	done

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
