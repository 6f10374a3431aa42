# safehub build, run and test.
#   make            build build/safehub
#   make run        install what is missing, build, create demo.db if absent, serve on 127.0.0.1:8080
#   make test       every test: unit (cmocka), HTTP (real server), browser (headless Chromium + axe)
#   make test SAN=1 the same, built with AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench      the benchmarks in bench/ (see docs/benchmarks.md)
.SUFFIXES:
SHELL = /bin/bash

ifeq ($(origin CC),default)
CC = cc
endif
PKGS = libmicrohttpd sqlite3 jansson libsodium
SAN ?= 0

ifeq ($(SAN),1)
BUILD = build/san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
OPT = -O1
else
BUILD = build
SANFLAGS =
OPT = -O2
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
WARN = -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
       -Wvla -Wno-unused-parameter
CFLAGS_ALL = -std=c17 -D_GNU_SOURCE $(OPT) -g $(WARN) $(SANFLAGS) -Isrc -I$(BUILD)/gen $(PKG_CFLAGS) $(CFLAGS)
LDFLAGS_ALL = $(SANFLAGS) $(LDFLAGS)
LIBS = $(PKG_LIBS) -lpthread -lm

SRC = $(wildcard src/*.c)
OBJ = $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRC)) $(BUILD)/obj/assets.o
LIBOBJ = $(filter-out $(BUILD)/obj/main.o,$(OBJ))
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))

# Everything embedded into the binary: our web UI, GOV.UK Frontend's compiled CSS/JS and images
# (not its fonts: GDS Transport is licensed for GOV.UK only), and the SQL migrations.
GOVUK = node_modules/govuk-frontend/dist/govuk
ASSETS = $(shell find web -type f 2>/dev/null | sort) $(wildcard sql/*.sql) $(wildcard config/risk-tools/*.json) \
         $(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.js \
         $(GOVUK)/assets/images/favicon.ico $(GOVUK)/assets/images/favicon.svg

all: $(BUILD)/safehub

$(BUILD)/safehub: $(OBJ)
	$(CC) $(LDFLAGS_ALL) -o $@ $(OBJ) $(LIBS)

$(BUILD)/obj/%.o: src/%.c $(wildcard src/*.h) | $(BUILD)/obj
	$(CC) $(CFLAGS_ALL) -MMD -c -o $@ $<

$(BUILD)/obj/assets.o: $(BUILD)/gen/assets.c
	$(CC) $(filter-out -Wmissing-prototypes,$(CFLAGS_ALL)) -c -o $@ $<

$(BUILD)/gen/assets.c: $(BUILD)/tools/embed $(ASSETS) | $(BUILD)/gen
	$(BUILD)/tools/embed $@ $(ASSETS)

$(BUILD)/tools/embed: tools/embed.c | $(BUILD)/tools
	$(CC) -std=c17 -O1 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/tests/test_%: tests/unit/test_%.c $(LIBOBJ) | $(BUILD)/tests
	$(CC) $(CFLAGS_ALL) -o $@ $< $(LIBOBJ) $(LDFLAGS_ALL) $(LIBS) -lcmocka

$(BUILD)/obj $(BUILD)/gen $(BUILD)/tools $(BUILD)/tests:
	mkdir -p $@

$(GOVUK)/govuk-frontend.min.css $(GOVUK)/govuk-frontend.min.js $(GOVUK)/assets/images/favicon.ico $(GOVUK)/assets/images/favicon.svg:
	./tools/deps.sh

deps:
	./tools/deps.sh

run: deps
	$(MAKE) all
	./tools/run-demo.sh $(BUILD)/safehub

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

http: $(BUILD)/safehub
	SAFEHUB_BIN=$(BUILD)/safehub node --test --test-concurrency=1 tests/http/

browser: $(BUILD)/safehub
	SAFEHUB_BIN=$(BUILD)/safehub node --test --test-concurrency=1 tests/browser/

test: deps
	$(MAKE) all unit
	$(MAKE) http browser

bench: deps
	SAFEHUB_BENCH=1 ./tools/deps.sh
	$(MAKE) all
	./bench/run.sh $(BUILD)/safehub

clean:
	rm -rf build

.PHONY: all deps run unit http browser test bench clean
-include $(wildcard $(BUILD)/obj/*.d)
