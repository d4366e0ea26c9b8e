# The project's test command (see README): lint, type-check, then the whole test suite
# against the real Docker engine. pytest's "no tests collected" (exit 5) is not a failure.
PYTHON ?= python3

.PHONY: test lint typecheck pytest images clean-docker

test: lint typecheck pytest

lint:
	$(PYTHON) -m ruff check abcbench tests bench

typecheck:
	$(PYTHON) -m mypy abcbench

pytest:
	$(PYTHON) -m pytest $(PYTEST_ARGS); rc=$$?; if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; rc=0; fi; exit $$rc

images:
	abcbench images build

clean-docker:
	abcbench images prune
