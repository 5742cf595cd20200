# The two commands a new user needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
SHARED ?= ../shared

.PHONY: install system-packages run test screenshots bench bench-api bench-search bench-network eval train clean

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

# Debian's chromium and Virtuoso, which the suite drives, installed when missing (scripts/system-packages).
system-packages:
	./scripts/system-packages

test: install system-packages
	$(BIN)/pytest -q

# The README's screenshots: the browser tests draw each page (the seed, and ~1,000 synthetic actors)
# into tmp/screenshots/; these are copied to docs/screenshots/.
screenshots: install
	$(BIN)/pytest -q tests/test_pages_browser.py tests/test_network_browser.py
	mkdir -p docs/screenshots
	cp tmp/screenshots/*.png docs/screenshots/

# Throughput, scaling, ingest rate, SPARQL latency at 1M triples and memory, on a synthetic corpus
# (bench/scale.py): about 6 minutes on 2 cores; uses Virtuoso when virtuoso-t is installed.
bench: install
	$(BIN)/python -m bench.scale

# Quality on the shared evaluation data: PolNeAR dev (statements), the roles gold, and who said
# what about whom as actors (the graph gold, and the out-of-domain dev set's).
eval: install
	$(BIN)/kg eval attributions $(SHARED)/data/polnear/dev
	$(BIN)/kg eval attributions $(SHARED)/data/polnear/dev --rules-only
	$(BIN)/kg eval roles $(SHARED)/data/roles-gold/dev.jsonl --texts $(SHARED)/data/polnear/dev/text
	$(BIN)/kg eval graph $(SHARED)/data/graph-gold/dev.jsonl --texts $(SHARED)/data/polnear/dev/text
	$(BIN)/kg eval graph $(SHARED)/data/ood-dev/graph.jsonl --texts $(SHARED)/data/ood-dev/text

# The mined cue verbs (kg/data/cues-mined.tsv) and the attribution tagger (kg/models/), from PolNeAR
# train: about 7 minutes on 2 cores; the same corpus and code give the same model, byte for byte.
train: install
	$(BIN)/kg train cues $(SHARED)/data/polnear/train
	$(BIN)/kg train attributions $(SHARED)/data/polnear/train

# API throughput and latency on the seed and on ~1M synthetic quads, against rdflib in memory (a few minutes).
bench-api: install
	$(BIN)/python -m bench.api

# The search index against the SPARQL scan it replaces, at 1M and 10M synthetic quads (bench/search.py):
# the stores are generated once into tmp/bench/ (about 12 minutes), each later run takes about 10.
bench-search: install
	$(BIN)/python -m bench.search

# Seconds per network metric on a synthetic network of 100k actors and 1M links (about 2 minutes).
bench-network: install
	$(BIN)/python bench/network.py

clean:
	rm -rf $(VENV) data *.egg-info
