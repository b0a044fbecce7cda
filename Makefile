# The two commands: `make run` and `make test` (CONTRACTS.md §1). Both install what is missing
# (scripts/setup.sh), build Release, then run.
PRESET  ?= release
BUILD   := build/$(PRESET)
JOBS    ?= $(shell nproc)
ARGS    ?=

.PHONY: all setup configure build run test test-asan bench fmt fmt-check clean

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

# Unit tests under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan:
	@$(MAKE) --no-print-directory PRESET=asan build
	@ctest --test-dir build/asan --output-on-failure -j $(JOBS) -L unit

bench: build
	@bash scripts/bench.sh $(BUILD)

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
