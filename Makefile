# Regulars: `make run` starts the app, `make test` runs everything CI checks.
GO      ?= go
BIN     ?= regulars
DB      ?=
TAGS    ?=
# System libraries Fyne needs to build (cgo, OpenGL, X11, Wayland).
APT_PKGS = gcc libc6-dev pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev libxrandr-dev \
           libxinerama-dev libxi-dev libxxf86vm-dev libwayland-dev libxkbcommon-dev \
           strace poppler-utils
# Programs the tests run: strace kills restore and backup at each step,
# pdftotext reads what the printing tests print, postgresql gives the
# throwaway server of data/pgtest (installed for the tests only: `make run`
# does not put a database server on the shop's PC). Under CI=true a test
# whose program is missing fails instead of skipping.
TEST_PKGS = $(APT_PKGS) postgresql

.PHONY: deps test-deps build run test fmt-check vet unit bench crashtest screenshots package clean

deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(APT_PKGS)"

test-deps:
	@$(MAKE) --no-print-directory install-pkgs PKGS="$(TEST_PKGS)"

.PHONY: install-pkgs
install-pkgs:
	@missing=""; for p in $(PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing:$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  elif command -v sudo >/dev/null 2>&1; then \
	    echo "Installing with sudo:$$missing"; sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  else \
	    echo "Regulars needs these system packages:$$missing"; echo "Install them as root with: apt-get install$$missing"; exit 1; \
	  fi; \
	fi

build: deps
	$(GO) build -tags "$(TAGS)" -o $(BIN) .

run: build
	./$(BIN) $(if $(DB),--db $(DB),)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt needed on:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet -tags ci ./...

# Everything that runs without a display; -tags ci swaps Fyne's window for its test driver.
# The race detector watches every package of ours, the standard library and
# Fyne. SQLite itself (modernc.org's Go translation of its C) is built
# without it: watching each memory access of the SQL engine made the tests
# of data/ seven times slower and watched nothing of ours.
RACE = -race -gcflags='modernc.org/...=-race=false -d=checkptr=0'
# The longest packages are named first, so that they start first on two
# cores (go test runs the packages in the order named, each once). The
# store's tests run again on PostgreSQL in a plain pass (see
# data/engines_norace_test.go), beside the race detector's: it mostly
# waits on its server.
TEST_DIRS = ./screens/ ./data/ ./cli/ ./...
# The window's tests cannot run side by side inside their package (the
# toolkit's test app is one for the whole process), so screens/ alone took
# as long as data/ and cli/ one after the other. These of them run in a
# process of their own beside the rest, also under the race detector: the
# longest one, and the two that mostly wait for another till or a server.
# The main pass leaves them out (-skip); no other package has tests of
# these names.
SCREENS_BESIDE = TestEveryKindFromTheWindowAlone|TestAnotherTillsSaleShows|TestATillLosesTheServer
unit:
	log=$$(mktemp); beside=$$(mktemp); \
	$(GO) test -tags ci -count=1 -run '^TestTheStoreOnPostgreSQL$$' ./data/ >$$log 2>&1 & pg=$$!; \
	$(GO) test $(RACE) -tags ci -count=1 -timeout 45m -run '^($(SCREENS_BESIDE))$$' ./screens/ >$$beside 2>&1 & win=$$!; \
	$(GO) test $(RACE) -tags ci -count=1 -timeout 45m -skip '^($(SCREENS_BESIDE))$$' $(TEST_DIRS); race=$$?; \
	wait $$win; window=$$?; echo "The window's tests run beside the others:"; cat $$beside; rm -f $$beside; \
	wait $$pg; plain=$$?; echo "The store's tests on PostgreSQL:"; cat $$log; rm -f $$log; \
	test $$race -eq 0 -a $$window -eq 0 -a $$plain -eq 0

test: test-deps fmt-check vet unit
	$(GO) build -o $(BIN) .
	./$(BIN) help >/dev/null

# Benchmarks on demo shops of 5,000 and 50,000 customers (docs/PERFORMANCE.md);
# the shops are made once under $TMPDIR/regulars-bench. REGULARS_BENCH_SIZES=2000
# picks other sizes. Memory under Xvfb: docs/perf/rss.sh SHOP.db.
bench: deps
	$(GO) test -tags ci -run '^$$' -bench . -benchmem -benchtime=1s -timeout 60m ./data/ ./screens/

# The crash harness at full size: 300 sales killed at random moments, kills
# at every step of a restore and a backup (page writes half way and last
# too), 20 restores under two selling tills, and a disk filled up under a
# sale, an import and a backup.
crashtest: deps
	REGULARS_CRASH_SALES=300 REGULARS_CRASH_STEPS=all REGULARS_CRASH_RESTORES=20 \
	  $(GO) test -tags ci -count=1 -run 'TestCrash|TestRestoreUnderConcurrentSales|TestFullDisk' -v ./cli/

# A Linux desktop bundle (the program, its icon and a .desktop entry, from
# FyneApp.toml) in $(DIST)/, then checked. Slow, so not part of test. fyne
# package counts the build up in FyneApp.toml; that is put back, so the
# source stays as committed.
FYNE ?= $(GO) run fyne.io/tools/cmd/fyne@v1.7.4
DIST ?= dist
package: deps
	@mkdir -p $(DIST)
	@cp FyneApp.toml $(DIST)/.FyneApp.toml.keep
	$(FYNE) package -os linux -release; status=$$?; \
	  cp $(DIST)/.FyneApp.toml.keep FyneApp.toml; rm -f $(DIST)/.FyneApp.toml.keep; exit $$status
	mv -f Regulars.tar.xz $(DIST)/Regulars.tar.xz
	scripts/package.sh $(DIST)/Regulars.tar.xz

clean:
	rm -f $(BIN)
