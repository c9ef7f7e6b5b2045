# Two entry points; both create .venv/ and install on first use.
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat settings.ini setup.py | cksum | cut -d' ' -f1)

.PHONY: demo test notebooks readme clean-venv

$(STAMP): settings.ini setup.py
	test -x $(BIN)/python || python3 -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.14.1 torchvision==0.29.1
	$(BIN)/python -m pip install -q -e ".[test]"
	rm -f $(VENV)/.installed-*; touch $(STAMP)

demo: $(STAMP)           ## the main job on the embedded default (CPU, about a minute)
	$(BIN)/dfkd demo

test: $(STAMP)           ## every test: notebooks (slow cells included), doctests, tests/
	bash .ci/run

notebooks: $(STAMP)      ## run the notebooks and save them with their outputs (NB=path... for some)
	$(BIN)/python tools/run_notebooks.py $(NB)

readme: $(STAMP)
	$(BIN)/python tools/make_readme.py

clean-venv:
	rm -rf $(VENV)
