# The two commands: `make run` and `make test` (CONTRACTS.md §1). Both install what is missing
# (scripts/setup.sh), build Release, then run.
PRESET  ?= release
BUILD   := build/$(PRESET)
JOBS    ?= $(shell nproc)
ARGS    ?=

.PHONY: all setup configure build run test test-asan test-tsan coverage bench bench-gate \
        bench-ci bench-baseline fmt fmt-check clean

all: build

setup:
	@bash scripts/setup.sh

configure: setup
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@$(BUILD)/hft run sim $(ARGS)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS) $(CTEST_ARGS)

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer. Sanitizer builds do not use
# -Werror: GCC 12's instrumentation yields false-positive -Wmaybe-uninitialized in libstdc++
# (std::regex); the Release build of `make test` keeps warnings as errors.
test-asan:
	@$(MAKE) --no-print-directory PRESET=asan build
	@# Allocation-counting tests replace operator new with malloc on purpose.
	@ASAN_OPTIONS=alloc_dealloc_mismatch=0 ctest --test-dir build/asan --output-on-failure -j $(JOBS) -L unit

# The concurrency tests (rings, shared memory, metrics, recorder, session lease) under
# ThreadSanitizer: only those test binaries are built. setarch -R: TSan needs the classic
# address-space layout.
# Warnings are errors in the Release, ASan and coverage builds; not here, where GCC 12 at -O2
# with -fsanitize=thread reports a false -Wmismatched-new-delete in a test that replaces new.
TSAN_TESTS := hft_unit_bus hft_unit_ipc hft_unit_obs hft_unit_recorder hft_unit_lease
test-tsan: setup
	@cmake --preset tsan -DHFT_WERROR=OFF >/dev/null
	@cmake --build build/tsan -j $(JOBS) --target $(TSAN_TESTS)
	@set -e; for t in $(TSAN_TESTS); do \
	  echo "== $$t (TSan)"; \
	  TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" setarch $$(uname -m) -R \
	    build/tsan/tests/$$t --gtest_brief=1; \
	done

# Line coverage of src/ from the unit and integration tests (gcovr); fails under the floor.
COVERAGE_FLOOR ?= 80
coverage: setup
	@cmake -S . -B build/coverage -G Ninja -DCMAKE_BUILD_TYPE=Debug -DHFT_WERROR=ON \
	  -DHFT_BUILD_BENCH=OFF -DCMAKE_CXX_FLAGS="--coverage -fprofile-update=atomic" \
	  -DCMAKE_EXE_LINKER_FLAGS=--coverage >/dev/null
	@cmake --build build/coverage -j $(JOBS)
	@find build/coverage -name '*.gcda' -delete
	@ctest --test-dir build/coverage --output-on-failure -j $(JOBS) -L 'unit|integration' \
	  $(CTEST_ARGS) || true
	@mkdir -p build/coverage/report
	@gcovr --root . --filter 'src/' -j $(JOBS) --print-summary \
	  --html-details build/coverage/report/index.html --txt build/coverage/report/coverage.txt \
	  --fail-under-line $(COVERAGE_FLOOR) build/coverage \
	  || { echo "coverage: below the floor of $(COVERAGE_FLOOR) % of lines in src/" \
	            "(per file: build/coverage/report/coverage.txt)"; exit 1; }

bench: build
	@bash scripts/bench.sh $(BUILD)

# Benchmark regression gate (docs/benchmarks.md): $(BUILD)/bench.json against bench/baseline.json,
# normalised by BM_Calibration; > 10 % slower fails. `make bench` first (or it runs it).
bench-gate: build
	@test -f $(BUILD)/bench.json || $(MAKE) --no-print-directory bench
	@$(BUILD)/hft report bench --baseline bench/baseline.json --current $(BUILD)/bench.json \
	  $(GATE_ARGS)

# CI: a short run (3 repetitions, brief) and the gate in a mode that cannot flake on a noisy
# 2-core machine (fails only on a >= 2x normalised regression).
bench-ci: build
	@bash scripts/bench_gate.sh $(BUILD) --ci

# Refresh the committed baseline from a full `make bench` on this machine.
bench-baseline: bench
	@cp $(BUILD)/bench.json bench/baseline.json
	@echo "bench-baseline: bench/baseline.json updated from $(BUILD)/bench.json; commit it"

fmt: setup
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

fmt-check: setup
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format --dry-run --Werror

clean:
	@rm -rf build

# libFuzzer targets (tests/fuzz/*_fuzz.cpp) built with clang + ASan + UBSan in build/fuzz and
# run FUZZ_TIME seconds each. Only the fuzz targets and the libraries they link are built.
FUZZ_TIME ?= 30
.PHONY: fuzz
fuzz: setup
	@cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=clang++ -DHFT_FUZZ=libfuzzer -DHFT_BUILD_BENCH=OFF \
	  "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -Wno-unknown-warning-option" >/dev/null
	@cmake --build build/fuzz --target hft_fuzz_targets -j $(JOBS)
	@bash tests/fuzz/run.sh build/fuzz $(FUZZ_TIME)
