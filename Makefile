# Every target creates/updates .venv itself, so a fresh clone needs only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: install demo test lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/textmend clean fixtures/articles -o out --report out/report.jsonl

test: $(STAMP)
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz
	$(BIN)/python -m pytest -q

# The benchmarks behind the README's tables (need ../shared beside the repository).
bench: $(STAMP)
	$(BIN)/python bench/mojibake.py
	$(BIN)/python bench/decoding.py
	$(BIN)/python bench/boilerplate.py
	$(BIN)/python bench/batch.py --small

lint: $(STAMP)
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz

clean:
	rm -rf out .pytest_cache build dist
