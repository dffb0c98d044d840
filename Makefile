# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export BUDGET_DOCUMENTS ?= data/sample
export BUDGET_WAREHOUSE ?= warehouse/budget.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# Links in the Dagster UI to the generated docs point at the docs server of `make dev` (run and dev only).
run dev: export BUDGET_DOCS_URL ?= http://127.0.0.1:3001
# The PDF tests draw the sample documents with this embedded CJK TrueType font.
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
# The office and browser producers of tests/producers/ also print with Noto Sans CJK.
NOTO_CJK_FONT := /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc

.PHONY: setup run dev validate docs sql test lint bench clean cluster cluster-run cluster-stop

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev,cluster]'
	touch $(STAMP)

setup: $(STAMP) $(CJK_FONT)

# Installed only when the font file is missing (Debian/Ubuntu package fonts-wqy-zenhei).
$(CJK_FONT):
	@if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y --no-install-recommends fonts-wqy-zenhei \
	  || { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends fonts-wqy-zenhei; }; \
	else echo "warning: no apt-get: install a CJK TrueType font (fonts-wqy-zenhei) for the PDF tests" >&2; fi

# Installed only when missing (Debian/Ubuntu package fonts-noto-cjk); the tests that need it skip otherwise.
$(NOTO_CJK_FONT):
	@if command -v apt-get >/dev/null 2>&1; then \
	  SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get install -y --no-install-recommends fonts-noto-cjk \
	  || { $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends fonts-noto-cjk; } \
	  || echo "warning: fonts-noto-cjk could not be installed; the Noto layouts of the producer tests will be skipped" >&2; \
	else echo "warning: no apt-get: install fonts-noto-cjk for the Noto layouts of the producer tests" >&2; fi

run: setup
	$(BIN)/python -m orchestration.home
	$(BIN)/python -m orchestration.run

# The Dagster UI on http://127.0.0.1:3000 (sensors and schedules run while it is up).
# The generated docs (Data Docs, dbt docs) are served on 127.0.0.1:3001 while it is up, so that the UI's
# links to them open (orchestration/docs_server.py); headless runs record their links there too.
dev: setup
	$(BIN)/python -m orchestration.home
	$(BIN)/python -m orchestration.docs_server --port 3001 & docs=$$!; trap 'kill $$docs' EXIT INT TERM; \
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

validate: setup
	for stage in raw staging marts; do $(BIN)/python -m expectations validate --stage $$stage || exit 1; done

# The dbt docs as one page that opens offline ($BUDGET_PUBLISH_DIR/docs.html, from the warehouse as it is);
# prints it and the Great Expectations Data Docs index.
docs: setup
	$(BIN)/python -m orchestration.dbt_docs

# A read-only SQL shell on the published copy (the DuckDB CLI from the dev dependencies).
sql: setup
	$(BIN)/duckdb -readonly $${BUDGET_PUBLISH_DIR:-warehouse/published}/marts.duckdb

# Apache Superset on the published copy (`make run` first), http://127.0.0.1:8088, in its own virtual
# environment .venv-superset (bi/superset/requirements.txt); prints the URL and the login.
.PHONY: superset superset-stop
superset:
	bi/superset/superset.sh start

superset-stop:
	bi/superset/superset.sh stop

test: setup $(NOTO_CJK_FONT)
	$(BIN)/python -m pytest -q

lint: setup
	$(BIN)/ruff check extract orchestration expectations tests bench

bench: setup
	$(BIN)/python bench/bench_extract.py
	$(BIN)/python bench/bench_pdf.py
	$(BIN)/python bench/bench_dbt.py
	$(BIN)/python bench/bench_expectations.py
	$(BIN)/python bench/bench_pipeline.py

# Several machines' worth on this one (orchestration/cluster, README "Running on several machines"): PostgreSQL
# for the Dagster instance, a Dask scheduler, two Dask workers, the Dagster daemon and the webserver
# (http://127.0.0.1:3100), each a process with its PID in $(BUDGET_CLUSTER_DIR)/pids. PostgreSQL is installed
# with apt-get when missing.
export BUDGET_CLUSTER_DIR ?= warehouse/cluster
cluster: setup
	$(BIN)/python -m orchestration.cluster start

# The pipeline's runs (documents, then the warehouse build) submitted to the cluster; `make cluster` first.
cluster-run: setup
	$(BIN)/python -m orchestration.cluster run

cluster-stop:
	$(BIN)/python -m orchestration.cluster stop

clean:
	rm -rf $(VENV) .venv-superset warehouse .dagster_home
