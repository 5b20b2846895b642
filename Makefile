# Quire: `make run` starts it, `make test` runs the whole suite. Both install what they lack.
SHELL := /bin/bash
CARGO_HOME ?= $(HOME)/.cargo
# npm's wasm-opt first: Debian's binaryen (wasm-opt 108) builds a WASM that fails to hydrate.
export PATH := $(CURDIR)/node_modules/.bin:$(CARGO_HOME)/bin:$(PATH)
# cargo-leptos runs the server and WASM builds at once; one job each fits two cores.
export CARGO_BUILD_JOBS ?= 1

.PHONY: run test tools test-tools build lint e2e e2e-release fmt clean

## Build a release and serve it on http://127.0.0.1:3000 (data in ./data).
run: tools
	cargo leptos build --release
	@echo "Starting Quire at http://127.0.0.1:3000"
	set -a; [ ! -f .env ] || . ./.env; set +a; ./target/release/quire serve

## Lints, Rust tests on SQLite and PostgreSQL, then browser tests.
test: test-tools
	CARGO_BUILD_JOBS=2 scripts/test.sh

tools:
	scripts/tools.sh run

test-tools:
	scripts/tools.sh test

build: tools
	cargo leptos build

lint:
	cargo fmt --all -- --check
	cargo clippy -p server -p engine --all-targets -- -D warnings
	cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

e2e: test-tools
	cargo leptos build
	cd end2end && npx playwright test

## Browser tests against the release build (the one `make run` serves, wasm-opt included).
e2e-release: test-tools
	cargo leptos build --release
	cd end2end && QUIRE_E2E_BINARY=./target/release/quire npx playwright test

fmt:
	cargo fmt --all

clean:
	cargo clean
