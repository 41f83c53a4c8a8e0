PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
export DJANGO_SETTINGS_MODULE ?= config.settings

.PHONY: run test test-browser messages

$(VENV)/installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

messages: $(VENV)/installed
	$(VENV)/bin/pybabel --quiet compile --domain django --directory ratings/locale

# Development: DEBUG is on only here (a bare start of the settings keeps it off).
run: messages
	DEBUG=1 $(PY) manage.py run

test: messages
	$(PY) manage.py check
	$(PY) -m pytest tests -q -p no:cacheprovider -m "not browser"

# Needs Chromium from the system's packages (apt-get install chromium); .ci/run installs it.
test-browser: messages
	$(PY) -m pytest tests/browser -q -p no:cacheprovider -m browser
