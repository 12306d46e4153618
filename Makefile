# The README's two commands: `make demo` and `make test`. Both install what is
# missing (scripts/install-deps.sh), then build: the demo only what it runs,
# the tests everything.
SHELL := /bin/bash
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
DEMO_OUT ?= demo
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: all deps deps-demo build demo install test unit-asan lint format tidy bench fuzz clean

all: build

deps:
	@scripts/install-deps.sh --test

deps-demo:
	@scripts/install-deps.sh --demo

# Everything: leanscope, its man page, the tests and the benchmarks.
build: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS)

# Runtime packages, uPlot, the leanscope binary and its man page; no test
# tools, no test or benchmark programs (make test adds them to the same build).
demo: deps-demo
	@cmake --preset release -DLEANSCOPE_TESTS=OFF -DLEANSCOPE_BENCH=OFF >/dev/null
	@cmake --build --preset release -j $(JOBS) --target leanscope leanscope_man
	./build/release/leanscope demo --out $(DEMO_OUT)

# Installs what `make demo` or `make build` built: PREFIX/bin/leanscope and
# PREFIX/share/man/man1/leanscope.1 (DESTDIR for packaging). Builds nothing,
# so `sudo make install` leaves no root-owned files in build/.
install:
	@if [[ ! -x build/release/leanscope || ! -f build/release/leanscope.1 ]]; then \
	  echo "make install: nothing built yet; run 'make demo' or 'make build' first"; exit 1; fi
	@DESTDIR="$(DESTDIR)" cmake --install build/release --prefix "$(PREFIX)"

# Lint, the unit tests under ASan/UBSan, a short fuzz run, then the
# integration and browser tests on the release build through ctest; the output
# ends with ctest's summary. The unit tests run once, under the sanitizers
# (`make build` still builds them in release too, for `ctest -L unit`): a
# second compile of them at -O3 cost CI minutes and found nothing the
# sanitizer run does not. (-L, not -LE unit: the unit executables this build
# does not make are registered as unlabelled *_NOT_BUILT tests.) The benchmarks are compiled, so they cannot rot.
test: deps
	@cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) --target leanscope leanscope_man \
	  integration_tests browser_tests benchmarks
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory unit-asan
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SECONDS)
	@cd build/release && ctest -j $(JOBS) --output-on-failure --timeout 900 -L 'integration|browser'

unit-asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan -j $(JOBS) --target unit_tests
	@cd build/asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest -j $(JOBS) --output-on-failure -L unit

# clang-format check on every tracked C++ file; the stage include rules of
# docs/ARCHITECTURE.md; clang-tidy on the C++ files changed by the last
# commit (the whole tree with TIDY_ALL=1).
lint:
	@git ls-files '*.cpp' '*.h' | xargs -r clang-format --dry-run --Werror
	@scripts/check-includes.py
	@$(MAKE) --no-print-directory tidy

tidy:
	@files=$$(if [ -n "$$TIDY_ALL" ]; then git ls-files 'src/*.cpp'; \
	  else git diff --name-only --diff-filter=AM HEAD~1 -- 'src/*.cpp' 2>/dev/null; fi); \
	if [ -n "$$files" ] && [ -f build/release/compile_commands.json ]; then \
	  echo "clang-tidy: $$(echo $$files | wc -w) file(s)"; \
	  out=$$(clang-tidy -p build/release --quiet --extra-arg=-Wno-unknown-warning-option --warnings-as-errors='*' $$files 2>&1); rc=$$?; \
	  echo "$$out" | grep -v 'warnings generated' || true; exit $$rc; \
	fi

format:
	@git ls-files '*.cpp' '*.h' | xargs -r clang-format -i

bench: build
	@scripts/bench.sh

fuzz: deps
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) --target fuzz_targets
	@scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build
