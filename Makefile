# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install run test eval bench-network clean

install: $(VENV)/.installed node_modules/.installed

# Third-party JavaScript (YASGUI, Cytoscape.js) from the npm registry, pinned by package-lock.json.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

run: install
	$(BIN)/kg ingest seeds/
	$(BIN)/kg serve --host 127.0.0.1 --port 8000

test: install
	$(BIN)/pytest -q

# Quality on the shared evaluation data (PolNeAR dev and the roles gold), with our scorers.
eval: install
	$(BIN)/kg extract $(SHARED)/data/polnear/dev/text > /tmp/kg-dev.jsonl
	$(PYTHON) $(SHARED)/eval/score_attributions.py $(SHARED)/data/polnear/dev /tmp/kg-dev.jsonl
	$(BIN)/kg extract $$(ls $(SHARED)/data/polnear/dev/text/*.txt | head -24) > /tmp/kg-roles.jsonl
	$(PYTHON) $(SHARED)/eval/score_roles.py $(SHARED)/data/roles-gold/dev.jsonl /tmp/kg-roles.jsonl

# Seconds per network metric on a synthetic network of 100k actors and 1M links (about 2 minutes).
bench-network: install
	$(BIN)/python bench/network.py

clean:
	rm -rf $(VENV) data *.egg-info
