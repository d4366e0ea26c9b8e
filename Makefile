# The project's test command (see README): lint, type-check, then the test suite against the
# real Docker engine. pytest's "no tests collected" (exit 5) is not a failure.
# `make test` runs everything but the chaos suite and the full sweeps (marker `sweep`);
# `make test-fast` is what a contributor runs before every commit: lint, type-check and the
# tests that need no Docker engine, no browser, no Ray cluster and no download (< 3 minutes);
# `make chaos` runs the chaos suite's representative probes (CI runs it as its own step);
# `make sweep` runs every sweep case by hand (long: the whole chaos suite, every language, ...).
PYTHON ?= python3
PYTEST_ARGS ?= -m "not chaos and not sweep"
FAST_MARKERS = not docker and not slow and not browser and not ray and not tb_parity and not chaos and not sweep

.PHONY: test test-fast lint typecheck pytest chaos sweep images clean-docker

test: lint typecheck pytest

test-fast: lint typecheck
	$(MAKE) pytest PYTEST_ARGS='-m "$(FAST_MARKERS)"'

lint:
	$(PYTHON) -m ruff check abcbench tests bench

typecheck:
	$(PYTHON) -m mypy abcbench

pytest:
	$(PYTHON) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc

chaos:
	$(MAKE) pytest PYTEST_ARGS='-m "chaos and not sweep" tests/chaos'

sweep:
	$(MAKE) pytest PYTEST_ARGS='-m "sweep or chaos"'

images:
	abcbench images build

clean-docker:
	abcbench images prune
