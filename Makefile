# Two commands for a new user:  `make demo` (run the product)  and  `make test` (run the tests).
# Each does its own set-up: a virtualenv in .venv with the project installed.
PYTHON ?= python3
VENV   ?= .venv
HOST   ?= 127.0.0.1
PORT   ?= 5000
BIN    := $(VENV)/bin

.PHONY: install demo serve test clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	$(BIN)/graph-service demo
	$(BIN)/graph-service serve --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/graph-service serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
