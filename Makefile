# The project's test command (see README): lint, type-check, then the test suite against the
# real Docker engine. pytest's "no tests collected" (exit 5) is not a failure.
# `make test` runs everything but the chaos suite and the full sweeps (marker `sweep`);
# `make chaos` runs the chaos suite's representative probes (CI runs it as its own step);
# `make sweep` runs every sweep case by hand (long: the whole chaos suite, every language, ...).
PYTHON ?= python3
PYTEST_ARGS ?= -m "not chaos and not sweep"

.PHONY: test lint typecheck pytest chaos sweep py313 images clean-docker

test: lint typecheck pytest

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

# The version-sensitive unit and fuzz tests on Python 3.13 (PY313: its interpreter; default
# pyenv's newest 3.13), in a venv of its own under .ci/ (about 80 s once the venv exists).
PY313 ?= $(lastword $(sort $(wildcard $(HOME)/.pyenv/versions/3.13*/bin/python)))
PY313_TESTS = tests/unit/test_fuzz_specs_fast.py tests/unit/test_task_paths.py \
	tests/unit/test_materialize.py tests/unit/test_task_lint.py tests/unit/test_policy.py \
	tests/unit/test_policy_by_type.py tests/unit/test_refused_before_run.py \
	tests/unit/test_jobs.py tests/unit/test_lock_wait_cancel.py

py313:
	@if [ -z "$(PY313)" ]; then echo "py313: no Python 3.13 found (set PY313)"; exit 1; fi
	[ -x .ci/.venv-py313/bin/python ] || { $(PY313) -m venv .ci/.venv-py313 && \
		.ci/.venv-py313/bin/pip install -q --disable-pip-version-check -e '.[dev]'; }
	PYTHONPATH=$(CURDIR) .ci/.venv-py313/bin/python -m pytest -q -m "not docker" $(PY313_TESTS)

images:
	abcbench images build

clean-docker:
	abcbench images prune
