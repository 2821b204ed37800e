# Everything a newcomer needs: `make run` serves ooi on a cloud in a box, `make test` runs all tests.
# Both create and fill the virtual environment in .venv/ on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv test unit lint run stop bench bench-api bench-profile bench-load fuzz sample-config docs-options clean

venv: $(STAMP)

$(STAMP): pyproject.toml client/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[cloud,test]'
	# The occi command-line client, a distribution of its own (client/README.md).
	$(BIN)/pip install --quiet -e ./client
	touch $(STAMP)

test: venv lint
	$(BIN)/pytest $(PYTEST_ARGS)

unit: venv
	$(BIN)/pytest -m 'not cloud' $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

run: venv
	$(BIN)/ooi-cloud start --foreground

stop: venv
	$(BIN)/ooi-cloud stop

bench: venv
	$(BIN)/python bench/occi_core.py

# ooi over HTTP on the cloud box beside the original ooi 1.2.0 and the direct OpenStack calls
# (bench/api.py; BENCH_ARGS e.g. --scale, --servers 200, --lock /tmp/ooi-box.lock).
bench-api: venv
	$(BIN)/python -m bench.api $(BENCH_ARGS)

# Where ooi's own time goes: the standalone app under cProfile on the running box (bench/profile.py).
bench-profile: venv
	$(BIN)/python -m bench.profile $(PROFILE_ARGS)

# Load on the running box: ooi-api with 2 workers, 32 clients for 60 s, creates trickling
# (bench/load.py; LOAD_ARGS e.g. --clients 64 --duration 120).
bench-load: venv
	$(BIN)/python -m bench.load $(LOAD_ARGS)

# The fuzzer with a larger budget: 5,000 requests per mode (pipeline and standalone).
fuzz: venv
	OOI_FUZZ_EXAMPLES=5000 $(BIN)/pytest -p no:cacheprovider -q tests/functional/test_fuzz.py

sample-config: venv
	$(BIN)/oslo-config-generator --config-file etc/ooi/ooi-config-generator.conf

# docs/options.md's table, from ooi's options (tests/test_docs.py checks it is current).
docs-options: venv
	$(BIN)/python -m tests.docs_check

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
