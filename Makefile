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
