# Every job a person runs on the 112 routing engine. `make help` lists them.
SHELL := /bin/bash
DOTNET ?= dotnet
CONFIG ?= Release
ENGINE := engine/Routing.Engine/Routing.Engine.csproj
ROUTING := $(DOTNET) run --no-build -c $(CONFIG) --project $(ENGINE) --
RESULTS := var/test-results

.PHONY: help build build-engine run test test-sipp test-asterisk bench-asterisk check-config explain story bench load prompts install-asterisk clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# Quiet builds print nothing until they are done, so each says first what it builds and how long the
# first one takes (NuGet restore). `dotnet build` forces MSBuild's closing summary even at -v quiet:
# its "Build succeeded / 0 Warning(s) / Time Elapsed" lines are dropped, warnings and errors stay,
# and the build's own exit status is kept (pipefail).
QUIET_BUILD := -c $(CONFIG) -nologo -v quiet
DROP_BUILD_SUMMARY := { grep -vE '^(Build succeeded\.|[[:space:]]+0 (Warning|Error)\(s\)|Time Elapsed .*|[[:space:]]*)$$' || true; }

build: ## build everything (Release)
	@echo "build: engine, simulator, tools and test projects ($(CONFIG), Routing.sln): about a minute, longer the first time (NuGet restore)..."
	@set -o pipefail; $(DOTNET) build Routing.sln $(QUIET_BUILD) | $(DROP_BUILD_SUMMARY)
	@echo "build: done"

build-engine:
	@echo "build: the routing engine and the simulated Asterisk ($(CONFIG)): under a minute, longer the first time (NuGet restore)..."
	@set -o pipefail; $(DOTNET) build $(ENGINE) $(QUIET_BUILD) | $(DROP_BUILD_SUMMARY)
	@echo "build: done"

# The ledger goes where the README says, var/ledger.db at the repository root: `dotnet run` starts
# the engine in the project's directory, so the default relative "Data Source=var/ledger.db" landed
# in engine/Routing.Engine/var/. A Ledger__ConnectionString of your own still wins.
LEDGER_DEFAULT := Data Source=$(CURDIR)/var/ledger.db

run: build-engine ## start the engine against the simulated Asterisk with a stream of synthetic calls (Ctrl+C stops)
	Ledger__ConnectionString="$${Ledger__ConnectionString:-$(LEDGER_DEFAULT)}" $(ROUTING) run --config $(CURDIR)/engine/Routing.Engine/console-demo-users.json $(ARGS)

test: build ## run every test, the config checks on the shipped files and the SIPp self-check; ends with one "N passed, N failed" line
	@rm -rf $(RESULTS) && mkdir -p $(RESULTS)
	@echo "test: running the test projects (a few minutes); skipped tests and why are listed at the end"
	@status=0; tools_ok=0; tools_bad=0; \
	$(DOTNET) test Routing.sln -c $(CONFIG) --no-build -nologo --logger "trx" --logger "console;verbosity=minimal" --results-directory $(RESULTS) || status=1; \
	if $(ROUTING) check-config; then tools_ok=$$((tools_ok+1)); else tools_bad=$$((tools_bad+1)); status=1; echo check-config >> $(RESULTS)/tools-failed.txt; fi; \
	if $(ROUTING) explain --caller +77271234567 --dialed 112 --digits 21 >/dev/null; then tools_ok=$$((tools_ok+1)); else tools_bad=$$((tools_bad+1)); status=1; echo explain >> $(RESULTS)/tools-failed.txt; fi; \
	if bash load-tests/asterisk/skip-check.sh; then tools_ok=$$((tools_ok+1)); else tools_bad=$$((tools_bad+1)); status=1; echo load-tests/asterisk/skip-check.sh >> $(RESULTS)/tools-failed.txt; fi; \
	if bash tests/run-smoke.sh; then tools_ok=$$((tools_ok+1)); else tools_bad=$$((tools_bad+1)); status=1; echo "make run (tests/run-smoke.sh)" >> $(RESULTS)/tools-failed.txt; fi; \
	if bash load-tests/asterisk/bench-check.sh; then tools_ok=$$((tools_ok+1)); else tools_bad=$$((tools_bad+1)); status=1; echo load-tests/asterisk/bench-check.sh >> $(RESULTS)/tools-failed.txt; fi; \
	$(MAKE) --no-print-directory test-sipp 2>&1 | tee $(RESULTS)/sipp.log; [ $${PIPESTATUS[0]} -eq 0 ] || status=1; \
	bash tests/summary.sh $(RESULTS) $(RESULTS)/sipp.log $$tools_ok $$tools_bad; \
	exit $$status

# The SIPp scenarios played against each other on loopback (no Asterisk needed): proves their XML
# and message flow. Needs sipp (Debian: sip-tester); CI installs it, elsewhere it is skipped loudly.
test-sipp:
	@if command -v sipp >/dev/null; then bash load-tests/sipp/selfcheck.sh; \
	elif [ "$$CI" = "true" ]; then echo "test-sipp: sipp is missing (apt-get install sip-tester)" >&2; exit 1; \
	else echo "test-sipp: SKIPPED — sipp is not installed (apt-get install sip-tester)"; fi

# Opt-in: real SIP calls (SIPp) through a real Asterisk running our dialplans and the engine, checked
# on the SIP side and in the ledger. Without ASTERISK it says so in one line and passes (CI).
test-asterisk: ## real calls through YOUR Asterisk + the engine: make test-asterisk ASTERISK=/opt/asterisk-23 (see load-tests/asterisk/README.md)
	@ASTERISK="$(ASTERISK)" CONFIG="$(CONFIG)" bash load-tests/asterisk/test-asterisk.sh

# Opt-in: the same call (101 -> fire trunk answers -> 2 s -> BYE) through YOUR Asterisk by the pure
# dialplan, the engine and a bare ARI client, at rising rates, side by side (issue 11). Without
# ASTERISK it says so in one line and passes.
bench-asterisk: ## real-Asterisk benchmark, dialplan vs engine vs bare ARI client: make bench-asterisk ASTERISK=/opt/asterisk-23
	@ASTERISK="$(ASTERISK)" CONFIG="$(CONFIG)" bash load-tests/asterisk/bench-asterisk.sh

check-config: build-engine ## validate appsettings.json against dialplans/ and ivr-prompts/
	$(ROUTING) check-config

explain: build-engine ## show the path of a call: make explain CALLER=+77271234567 DIALED=112 DIGITS=21
	$(ROUTING) explain --caller "$(or $(CALLER),+77271234567)" --dialed "$(or $(DIALED),112)" --digits "$(DIGITS)"

story: build-engine ## a call's whole story from the ledger: make story CALL=<call id> (or CALL=position:calltaker-1)
	$(ROUTING) story "$(CALL)"

bench: ## print throughput/latency/memory figures (BenchmarkDotNet + a bounded load run)
	$(DOTNET) run -c Release --project load-tests/Routing.Bench/Routing.Bench.csproj -- $(ARGS)

load: ## SIPp load against a REAL Asterisk running our dialplans (loopback only): make load ARGS="-r 20 -m 200"
	bash load-tests/sipp/run-load.sh $(ARGS)

prompts: ## regenerate the prompt audio from ivr-prompts/*/ texts and the hold music (needs espeak-ng and sox)
	bash ivr-prompts/generate.sh
	bash ivr-prompts/generate-moh.sh

install-asterisk: ## render dialplans/ into DEST and copy prompts into SOUNDS: make install-asterisk DEST=/etc/asterisk SOUNDS=/var/lib/asterisk/sounds LOGDIR=/var/log/asterisk
	@test -n "$(DEST)" || { echo "make install-asterisk: DEST=<asterisk config dir> is required" >&2; exit 2; }
	@test -n "$(SOUNDS)" || { echo "make install-asterisk: SOUNDS=<asterisk sounds dir> is required" >&2; exit 2; }
	LOGDIR="$(LOGDIR)" bash dialplans/install.sh "$(DEST)" "$(SOUNDS)"

clean: ## remove build output and local state
	$(DOTNET) clean Routing.sln -nologo -v quiet
	rm -rf var
