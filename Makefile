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
	header header-check cbindgen c-deps build install bench-c fuzz schema package-check dist dist-check

test: fmt-check lint test-rust fuzz-check test-c test-python test-spark package-check

test-rust:
	$(CARGO) test --workspace --locked --no-fail-fast --features okpi-bench/parallel
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
PY_TOOLS := maturin pytest mypy numpy pandas polars duckdb pyarrow matplotlib

python-venv:
	@test -x $(VPY) || $(PYTHON) -m venv $(VENV)
	@$(VPY) -c "import maturin, pytest, mypy, numpy, pandas, polars, duckdb, pyarrow, matplotlib" 2>/dev/null || \
		$(VPY) -m pip install -q $(PY_TOOLS)

test-python: python-venv golden
	cd bindings/python && VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH \
		$(VPY) -m maturin develop --locked --quiet
	OKPI_DETERMINISM_DIR=$(DETERMINISM) $(VPY) -m pytest -q bindings/python/tests
	$(VPY) -m pytest -q benches/python
	$(VPY) -m mypy.stubtest okpi._okpi --allowlist bindings/python/stubtest-allowlist.txt
	@# The Arrow and warehouse tests (and conftest, which imports pyspark) are not typed yet.
	$(VPY) -m mypy --strict --exclude '/(conftest|test_arrow|test_warehouse_[a-z_]+)\.py$$' \
		bindings/python/python/okpi bindings/python/tests examples/python/analyst.py
	$(VPY) bindings/python/tools/gen_types.py --check
	$(VPY) examples/python/hr_analytics.py > $(VENV)/hr_analytics.out
	grep -q "^== growth" $(VENV)/hr_analytics.out
	$(VPY) examples/python/analyst.py $(VENV) > $(VENV)/analyst.out
	grep -q "^== chart written" $(VENV)/analyst.out && test -s $(VENV)/key_results.png

# The abi3 wheel (one for every CPython >= 3.9), built once into target/wheels: `pip install target/wheels/okpi-*.whl`
# needs no Rust. Building it needs Rust (cargo); maturin comes from the venv.
.PHONY: wheel
wheel: python-venv
	cd bindings/python && $(VPY) -m maturin build --release --strip --locked --out $(CURDIR)/target/wheels
	@ls $(CURDIR)/target/wheels/okpi-*-abi3-*.whl

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
	@# The same late in life with a model whose evaluation starts a second thread (not under Valgrind: minutes).
	for t in teardown_test_asan teardown_test; do \
		env ASAN_OPTIONS=detect_leaks=1 $(C_OUT)/$$t large > $(C_OUT)/$$t.large.out || { echo "$$t large exited $$?"; exit 1; }; \
		diff -u bindings/c/tests/teardown_test_large.expected $(C_OUT)/$$t.large.out || exit 1; \
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

# The SQL differential test (13 units), the warehouse tests (org-1k cells from DuckDB, Spark and kpi::query; okpi.spark
# alerts with a resume, scores and scorecards for many organisations, a KR fed from Spark SQL cells) and the
# examples/warehouse job at a small size, in one local Spark session.
test-spark: spark-deps test-python
	OKPI_SPARK=1 $(VPY) -m pytest -q bindings/python/tests/test_sql_spark.py bindings/python/tests/test_warehouse_spark.py \
		bindings/python/tests/test_warehouse_example.py

# Packaging (README "Install" and "Versioning"). The version and the repository URL are read from Cargo.toml, the one
# place they are written; the crates, the wheel (maturin), okpi.pc and every file name below take them from there.
COMMA := ,
REPOSITORY := $(shell sed -n 's/^repository = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
TRIPLE := $(shell rustc -vV | sed -n 's/^host: //p')
SCHEMA := $(wildcard schema/okpi.schema.json)
PACKAGE_CHECK := $(CARGO_TARGET_DIR)/package-check

# The crates okpi and okpi-cli as crates.io would get them: packaged offline (--no-verify: okpi-cli needs okpi, which
# crates.io does not have yet), refused if they carry tests, vectors, corpora, golden files or benches, then unpacked
# and compiled against each other, so a file the build needs but the package lacks fails here. The Python sdist's
# metadata is checked against Cargo.toml (version, repository, licence) and pyproject.toml (extras).
package-check: python-venv
	$(CARGO) package -p okpi -p okpi-cli --no-verify --offline --locked --allow-dirty
	@mkdir -p $(PACKAGE_CHECK)
	$(CARGO) package -p okpi -p okpi-cli --list --offline --locked --allow-dirty > $(PACKAGE_CHECK)/files.txt
	@! grep -E '(^|/)(tests?|vectors|fuzz|corpus|golden|benches|artifacts)/' $(PACKAGE_CHECK)/files.txt || \
		(echo "a crate package carries test data: tighten its include list"; exit 1)
	grep -qx LICENSE-MIT $(PACKAGE_CHECK)/files.txt && grep -qx LICENSE-APACHE $(PACKAGE_CHECK)/files.txt
	rm -rf $(PACKAGE_CHECK)/crates && mkdir -p $(PACKAGE_CHECK)/crates
	for c in okpi okpi-cli; do tar -xzf $(CARGO_TARGET_DIR)/package/$$c-$(VERSION).crate -C $(PACKAGE_CHECK)/crates; done
	printf '[workspace]\nresolver = "2"\nmembers = ["okpi-$(VERSION)", "okpi-cli-$(VERSION)"]\n\n[patch.crates-io]\nokpi = { path = "okpi-$(VERSION)" }\n' \
		> $(PACKAGE_CHECK)/crates/Cargo.toml
	cp Cargo.lock $(PACKAGE_CHECK)/crates/Cargo.lock
	@# A target directory of its own: cargo does not track files under its target directory, where these crates are.
	cd $(PACKAGE_CHECK)/crates && CARGO_TARGET_DIR=$(PACKAGE_CHECK)/target $(CARGO) check --workspace --all-targets \
		--offline --quiet
	rm -rf $(PACKAGE_CHECK)/sdist
	cd bindings/python && $(VPY) -m maturin sdist --out $(PACKAGE_CHECK)/sdist
	tar -xzf $(PACKAGE_CHECK)/sdist/okpi-$(VERSION).tar.gz -O okpi-$(VERSION)/PKG-INFO > $(PACKAGE_CHECK)/PKG-INFO
	@! grep -n 'example\.invalid' Cargo.toml crates/*/Cargo.toml $(PACKAGE_CHECK)/PKG-INFO || \
		(echo "a placeholder URL would ship in the packages' metadata"; exit 1)
	$(if $(REPOSITORY),grep -qxF 'Project-URL: Source Code$(COMMA) $(REPOSITORY)' $(PACKAGE_CHECK)/PKG-INFO)
	for line in 'Version: $(VERSION)' 'License-Expression: MIT OR Apache-2.0' \
		'License-File: LICENSE-MIT' 'License-File: LICENSE-APACHE' 'Requires-Python: >=3.9' \
		'Provides-Extra: arrow' 'Provides-Extra: pandas' 'Provides-Extra: polars' 'Provides-Extra: spark'; do \
		grep -qxF "$$line" $(PACKAGE_CHECK)/PKG-INFO || { echo "sdist PKG-INFO lacks: $$line"; exit 1; }; \
	done

# Every release artefact into $(RELEASE_DIR) (default dist/), each with a SHA-256 sum (<file>.sha256, and SHA256SUMS
# for all): the abi3 wheel and the sdist; the C tarball (what `make install` installs, with relocatable pkg-config
# files, the JSON Schema when schema/okpi.schema.json exists, the licences, the changelog, an example and a README);
# the CLI binary in a tarball with the licences. Release builds: several minutes on a small machine.
RELEASE_DIR ?= $(CURDIR)/dist
C_NAME := libokpi-$(VERSION)-$(TRIPLE)
CLI_NAME := okpi-cli-$(VERSION)-$(TRIPLE)
STAGE := $(CARGO_TARGET_DIR)/dist-stage
TAR := tar --owner=0 --group=0 --numeric-owner --sort=name -czf
DOCS := LICENSE-MIT LICENSE-APACHE CHANGELOG.md

dist: python-venv
	rm -rf $(RELEASE_DIR) $(STAGE)
	mkdir -p $(RELEASE_DIR) $(STAGE)
	@# The wheel is built from the sdist (so the sdist is proven to build). Not --locked: the sdist's Cargo.lock is
	@# the workspace's, which cargo prunes to the sdist's crates (keeping every version).
	cd bindings/python && $(VPY) -m maturin build --release --strip --sdist --out $(RELEASE_DIR)
	$(MAKE) --no-print-directory build PROFILE=release DIST=$(STAGE)/lib
	$(MAKE) --no-print-directory install CARGO=false PROFILE=release DIST=$(STAGE)/lib DESTDIR=$(STAGE) PREFIX=/$(C_NAME)
	sed -i 's|^prefix=.*|prefix=$${pcfiledir}/../..|' $(STAGE)/$(C_NAME)/lib/pkgconfig/okpi.pc \
		$(STAGE)/$(C_NAME)/lib/pkgconfig/okpi-static.pc
	install -d $(STAGE)/$(C_NAME)/share/doc/okpi
	install -m 644 bindings/c/package/README.md bindings/c/package/example.c $(DOCS) $(STAGE)/$(C_NAME)/share/doc/okpi
	$(if $(SCHEMA),install -D -m 644 $(SCHEMA) $(STAGE)/$(C_NAME)/share/okpi/okpi.schema.json)
	$(TAR) $(RELEASE_DIR)/$(C_NAME).tar.gz -C $(STAGE) $(C_NAME)
	$(CARGO) build --release --locked -p okpi-cli
	install -d $(STAGE)/$(CLI_NAME)
	strip --strip-unneeded -o $(STAGE)/$(CLI_NAME)/okpi $(CARGO_TARGET_DIR)/release/okpi
	install -m 644 $(DOCS) $(STAGE)/$(CLI_NAME)
	$(TAR) $(RELEASE_DIR)/$(CLI_NAME).tar.gz -C $(STAGE) $(CLI_NAME)
	$(if $(SCHEMA),install -m 644 $(SCHEMA) $(RELEASE_DIR)/okpi-$(VERSION).schema.json)
	cd $(RELEASE_DIR) && for f in *; do sha256sum "$$f" > "$$f.sha256"; done && sha256sum $$(ls | grep -v '\.sha256$$') > SHA256SUMS
	ls -l $(RELEASE_DIR)

# Installs the artefacts as a user would (not part of `make test`: it needs `make dist`'s release builds): the sums;
# the wheel (abi3) into a fresh venv, imported from there and run; the C tarball unpacked, its example built against
# it with pkg-config only (shared and static) and run; the CLI run from its tarball.
DIST_CHECK := $(CARGO_TARGET_DIR)/dist-check
DIST_CFLAGS := -std=c99 -Wall -Wextra -Werror -pedantic
DIST_CHECK_PY := import importlib.metadata as m, okpi, pathlib, sys; \
	assert okpi.__file__.startswith(sys.prefix), okpi.__file__; \
	ev = okpi.evaluate(pathlib.Path('$(CURDIR)/examples/data/quarter.json'), '2026-03-10'); \
	assert ev['objectives'][0]['status'] == 'off_track', ev['objectives'][0]; \
	md = m.metadata('okpi'); assert md['Version'] == '$(VERSION)', md['Version']; \
	assert md['License-Expression'] == 'MIT OR Apache-2.0'; \
	assert sorted(md.get_all('Provides-Extra')) == ['arrow', 'pandas', 'polars', 'spark']; \
	assert sorted(md.get_all('License-File')) == ['LICENSE-APACHE', 'LICENSE-MIT']; \
	print('wheel ok:', okpi.__file__)

dist-check: dist
	rm -rf $(DIST_CHECK) && mkdir -p $(DIST_CHECK)
	cd $(RELEASE_DIR) && sha256sum -c --quiet SHA256SUMS && for f in *.sha256; do sha256sum -c --quiet "$$f"; done
	test -f $(RELEASE_DIR)/okpi-$(VERSION).tar.gz
	$(PYTHON) -m venv $(DIST_CHECK)/venv
	$(DIST_CHECK)/venv/bin/python -m pip install -q $(RELEASE_DIR)/okpi-$(VERSION)-cp39-abi3-*.whl
	cd $(DIST_CHECK) && venv/bin/python -c "$(DIST_CHECK_PY)"
	tar -xzf $(RELEASE_DIR)/$(C_NAME).tar.gz -C $(DIST_CHECK)
	test -L $(DIST_CHECK)/$(C_NAME)/lib/libokpi.so
	readelf -d $(DIST_CHECK)/$(C_NAME)/lib/libokpi.so.1 | grep -q 'SONAME.*\[libokpi.so.1\]'
	$(if $(SCHEMA),test -f $(DIST_CHECK)/$(C_NAME)/share/okpi/okpi.schema.json)
	cd $(DIST_CHECK) && PKG_CONFIG_PATH=$(DIST_CHECK)/$(C_NAME)/lib/pkgconfig sh -c '\
		$(CC) $(DIST_CFLAGS) $(C_NAME)/share/doc/okpi/example.c $$(pkg-config --cflags --libs okpi) -o example && \
		$(CC) $(DIST_CFLAGS) $(C_NAME)/share/doc/okpi/example.c $$(pkg-config --cflags --libs --static okpi-static) \
			-o example_static'
	readelf -d $(DIST_CHECK)/example | grep -q 'NEEDED.*\[libokpi.so.1\]'
	! readelf -d $(DIST_CHECK)/example_static | grep -q libokpi
	LD_LIBRARY_PATH=$(DIST_CHECK)/$(C_NAME)/lib $(DIST_CHECK)/example examples/data/quarter.json 2026-03-10 \
		> $(DIST_CHECK)/example.out
	$(DIST_CHECK)/example_static examples/data/quarter.json 2026-03-10 | diff -u $(DIST_CHECK)/example.out -
	grep -q '"as_of":"2026-03-10"' $(DIST_CHECK)/example.out
	tar -xzf $(RELEASE_DIR)/$(CLI_NAME).tar.gz -C $(DIST_CHECK)
	$(DIST_CHECK)/$(CLI_NAME)/okpi --version | grep -qx 'okpi $(VERSION)'
	$(DIST_CHECK)/$(CLI_NAME)/okpi validate examples/data/quarter.json
	@echo "dist-check: every artefact in $(RELEASE_DIR) installs and runs"
