# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app storefront
HOST ?= 127.0.0.1
PORT ?= 5000
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
# The PDFs (export documents, proformas) print with WeasyPrint, which needs Pango, and
# with Noto CJK for Chinese and Japanese text: the demo and the tests install them.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
APT_PACKAGES := chromium wrk redis-server $(PDF_PACKAGES)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint format migrate seed serve apt-deps pdf-deps bench clean translations

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: $(BIN)/activate setup.cfg pyproject.toml
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# Debian packages the tests drive: Chromium for the browser tests, wrk for bench/, and
# redis-server for the rate limits shared through Redis (tests/test_limits.py).
apt-deps:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

# What `make demo` needs of Debian: only what prints the PDFs.
pdf-deps:
	@$(MAKE) --no-print-directory apt-deps APT_PACKAGES='$(PDF_PACKAGES)'

migrate: $(VENV)/.installed
	STOREFRONT_DEMO=1 $(FLASK) db upgrade

# The demo's mails link to the demo's own address.
DEMO_URL = http://$(HOST):$(PORT)

seed: migrate
	STOREFRONT_DEMO=1 STOREFRONT_PUBLIC_URL=$(DEMO_URL) $(FLASK) shop seed-demo

# The demo pays through localstripe (a Stripe stand-in, test/demo dependency) on 127.0.0.1,
# with keys that are obviously fake and only ever used here.
LOCALSTRIPE_PORT ?= 8420
LOCALSTRIPE := http://127.0.0.1:$(LOCALSTRIPE_PORT)
DEMO_WEBHOOK_SECRET := whsec_ZGVtby1vbmx5LW5vdC1hLXNlY3JldA==
# The demo's mail goes to a local catch-all SMTP server: .eml files in instance/mail.
MAIL_PORT ?= 8025
DEMO_ENV := STOREFRONT_DEMO=1 STOREFRONT_TAX_REGISTRATIONS='["eu_ioss", "gb_vat", "au_gst"]' \
	STOREFRONT_STRIPE_SECRET_KEY=sk_test_demo_not_a_secret \
	STOREFRONT_STRIPE_PUBLISHABLE_KEY=pk_test_demo_not_a_secret \
	STOREFRONT_STRIPE_API_BASE=$(LOCALSTRIPE) STOREFRONT_STRIPE_JS_URL=$(LOCALSTRIPE)/js.stripe.com/v3/ \
	STOREFRONT_STRIPE_WEBHOOK_SECRET=$(DEMO_WEBHOOK_SECRET) \
	STOREFRONT_BANK_TRANSFER_ACCOUNT_NAME='Lumen & Loom demo (not a real account)' \
	STOREFRONT_BANK_TRANSFER_IBAN=DE89370400440532013000 \
	STOREFRONT_MAIL_SERVER=127.0.0.1 STOREFRONT_MAIL_PORT=$(MAIL_PORT) \
	STOREFRONT_PUBLIC_URL=$(DEMO_URL)

$(VENV)/.demo-installed: $(VENV)/.installed
	$(BIN)/pip install -q -e '.[demo]'
	touch $@

demo: pdf-deps seed $(VENV)/.demo-installed
	@$(BIN)/python -m storefront.shop.demo_payments serve $(LOCALSTRIPE_PORT) & \
	echo $$! > instance/localstripe.pid; \
	$(DEMO_ENV) $(FLASK) mail catch --host 127.0.0.1 --port $(MAIL_PORT) --folder instance/mail & \
	echo $$! > instance/mailcatcher.pid; \
	$(DEMO_ENV) $(FLASK) worker > instance/worker.log 2>&1 & \
	echo $$! > instance/worker.pid; \
	trap 'kill $$(cat instance/localstripe.pid) $$(cat instance/worker.pid) $$(cat instance/mailcatcher.pid) 2>/dev/null; rm -f instance/localstripe.pid instance/worker.pid instance/mailcatcher.pid' EXIT INT TERM; \
	$(BIN)/python -m storefront.shop.demo_payments register $(LOCALSTRIPE) \
		http://$(HOST):$(PORT)/webhooks/stripe $(DEMO_WEBHOOK_SECRET) \
		|| echo "localstripe did not start: card payments are off in this demo"; \
	echo ""; \
	echo "  Lumen & Loom demo shop:  http://$(HOST):$(PORT)/"; \
	echo "  Back office:             http://$(HOST):$(PORT)/admin  (owner@demo.shop / demo-owner-password)"; \
	echo "  API document:            http://$(HOST):$(PORT)/api/openapi.json"; \
	echo "  Payments:                localstripe on $(LOCALSTRIPE) (test card 4242 4242 4242 4242)"; \
	echo "  Trade buyer:             trade@demo.shop / demo-trade-password (bank transfer at checkout)"; \
	echo "  Worker:                  flask worker (webhooks, mail, expired holds, rates), log in instance/worker.log"; \
	echo "  Mail:                    http://$(HOST):$(PORT)/admin/mail (and instance/mail/*.eml)"; \
	echo ""; \
	$(DEMO_ENV) $(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.test-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The whole suite on SQLite, then again on PostgreSQL when it answers.
test: $(VENV)/.test-installed apt-deps lint
	TEST_DATABASE_URL= $(BIN)/pytest
	@if $(BIN)/python -c "import psycopg, sys; psycopg.connect(sys.argv[1], connect_timeout=3).close()" "$(TEST_DATABASE_URL)" 2>/dev/null; then \
		echo "== again on PostgreSQL ($(TEST_DATABASE_URL))"; \
		TEST_DATABASE_URL="$(TEST_DATABASE_URL)" $(BIN)/pytest; \
	elif [ -n "$$CI" ]; then \
		echo "PostgreSQL at $(TEST_DATABASE_URL) does not answer; CI needs it." >&2; exit 1; \
	else \
		echo "== PostgreSQL at $(TEST_DATABASE_URL) does not answer: suite ran on SQLite only."; \
	fi

bench: $(VENV)/.test-installed apt-deps
	$(BIN)/python bench/pages.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .ruff_cache

# Buyer-facing message catalogs: extract, merge into each language, compile.
LANGUAGES := de fr es ja zh_Hans ar
translations: $(VENV)/.test-installed
	$(BIN)/pybabel --quiet extract -F i18n/babel.cfg -k N_ -k _l -o i18n/messages.pot --no-location --sort-output --omit-header .
	for l in $(LANGUAGES); do \
		if [ -f i18n/translations/$$l/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel --quiet update -N --no-fuzzy-matching -w 100 -i i18n/messages.pot -d i18n/translations -l $$l; \
		else $(BIN)/pybabel --quiet init -i i18n/messages.pot -d i18n/translations -l $$l; fi; \
	done
	$(BIN)/pybabel --quiet compile -f -d i18n/translations
