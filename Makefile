# keikai — thin wrapper over CMake. See README.md.
#   make          build build/keikai (optimised)
#   make run      install what is missing, build, create a demo database, serve on 127.0.0.1:8080
#   make test     install what is missing, build with -Werror + ASan/UBSan, run every test
#   make fuzz     run each libFuzzer harness for FUZZ_SECONDS (default 60)
#   make bench    run the benchmarks in bench/ and print their figures
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DEMO_DB ?= var/demo.db
FUZZ_SECONDS ?= 60

.PHONY: all build run test fuzz bench clean bootstrap test-build fuzz-build format

all: build

build:
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DKK_TESTS=OFF >/dev/null
	@cmake --build build -j $(JOBS) --target keikai

bootstrap:
	@./scripts/bootstrap

run: bootstrap build
	@./scripts/demo "$(DEMO_DB)" "$(LISTEN)"

test-build:
	@cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DKK_SANITIZE=ON -DKK_WERROR=ON >/dev/null
	@cmake --build build-test -j $(JOBS)

fuzz-build:
	@CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKK_FUZZ=ON -DKK_TESTS=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS)

test: bootstrap test-build fuzz-build
	@./tests/run build-test build-fuzz

fuzz: bootstrap fuzz-build
	@./fuzz/run build-fuzz $(FUZZ_SECONDS)

bench: bootstrap build
	@./bench/run

clean:
	rm -rf build build-test build-fuzz

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c fuzz/*.c bench/*.c
