# entente - build, test, demo, bench, install.
#
#   make demo            run the flagship scenario end to end
#   make test            C tests + busted specs (LUA=lua5.4 by default)
#   make test LUA=luajit the same on another Lua (lua5.1, lua5.3, luajit)
#   make test-all        all four Lua versions
#   make test-asan       the whole suite under -fsanitize=address,undefined
#   make bench           benchmarks (not part of the tests)
#   make install         install into $(PREFIX) (default /usr/local)
#
# `demo` and `test` install the Debian packages they need when missing (as
# root), so a fresh Debian machine needs nothing else.

LUA      ?= lua5.4
CC       ?= cc
PREFIX   ?= /usr/local
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
WARN      = -Wall -Wextra -std=c99 -pedantic -Wno-overlength-strings
LUAVER    = $(if $(filter luajit,$(LUA)),5.1,$(patsubst lua%,%,$(LUA)))
LUA_INC  ?= $(if $(filter luajit,$(LUA)),/usr/include/luajit-2.1,/usr/include/$(LUA))
BUILD     = build/$(LUA)$(SUFFIX)
BUSTED   ?= busted
BUSTED_OUTPUT ?= utfTerminal

# The core is every C file under csrc/ but the Lua binding (csrc/lua/ and the
# lentente*.c files); a new model folder needs no change here.
ALL_SRC   = $(shell find csrc -name '*.c' | sort)
BIND_SRC  = $(filter csrc/lentente% csrc/lua/%,$(ALL_SRC))
CORE_SRC  = $(filter-out $(BIND_SRC),$(ALL_SRC))
CORE_OBJ  = $(CORE_SRC:csrc/%.c=$(BUILD)/obj/%.o)
BIND_OBJ  = $(BIND_SRC:csrc/%.c=$(BUILD)/obj/%.o)
CTESTS    = $(patsubst spec/c/%.c,$(BUILD)/ctest/%,$(wildcard spec/c/test_*.c))
HEADERS   = $(shell find csrc -name '*.h')

export LUA_PATH  = $(CURDIR)/lua/?.lua;$(CURDIR)/lua/?/init.lua;;
export LUA_CPATH = $(CURDIR)/$(BUILD)/?.so;;

DEBIAN_PKGS = lua5.4 liblua5.4-dev lua-lpeg lua-busted lua-cjson gcc make
ALL_LUAS    = lua5.4 lua5.3 lua5.1 luajit

.PHONY: all lib test-embed test-oom deps deps-all demo test test-c test-lua test-all test-asan bench \
        install uninstall rockspec valgrind clean

all: $(BUILD)/entente/core.so $(BUILD)/libentente.a

lib: $(BUILD)/libentente.a

$(BUILD)/obj/%.o: csrc/%.c $(HEADERS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -fPIC -pthread -I$(LUA_INC) -Icsrc -Icsrc/include -c $< -o $@

$(BUILD)/libentente.a: $(CORE_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/entente/core.so: $(BIND_OBJ) $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -shared -fPIC -pthread -o $@ $^ -lm

$(BUILD)/ctest/%: spec/c/%.c $(BUILD)/libentente.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -pthread -Icsrc -Icsrc/include $< $(BUILD)/libentente.a -lm $(CTEST_LDFLAGS) -o $@

# test_oom refuses the core's allocations one at a time through wrappers.
$(BUILD)/ctest/test_oom: CTEST_LDFLAGS = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc

# The embedding example: a C host linking Lua and entente statically.
LUA_LIB = $(if $(filter luajit,$(LUA)),-lluajit-5.1,-l$(LUA))
$(BUILD)/host: examples/embed/host.c $(BIND_OBJ) $(BUILD)/libentente.a
	$(CC) $(CFLAGS) -Wall -Wextra -pthread -I$(LUA_INC) -Icsrc -Icsrc/include $< $(BIND_OBJ) $(BUILD)/libentente.a $(LUA_LIB) -lm -ldl -o $@

test-embed: $(BUILD)/host
	$(BUILD)/host examples/embed/hello.lua

# Every binding call that holds C memory, made to meet a Lua memory error at
# each of its allocations in turn (leaks show under test-asan).  PUC Lua only:
# LuaJIT refuses a custom allocator.
$(BUILD)/oomhost: spec/oom/host.c $(BIND_OBJ) $(BUILD)/libentente.a
	$(CC) $(CFLAGS) -Wall -Wextra -pthread -I$(LUA_INC) -Icsrc -Icsrc/include $< $(BIND_OBJ) $(BUILD)/libentente.a $(LUA_LIB) -lm -ldl -o $@

test-oom: $(BUILD)/oomhost
	$(if $(filter luajit,$(LUA)),@echo "test-oom: skipped on LuaJIT",$(BUILD)/oomhost spec/oom/binding.lua)

# Install the Debian packages the build and the suite need, when missing.
deps:
	@missing=""; for p in $(DEBIAN_PKGS) $(EXTRA_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing:$$missing"; \
	    (apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages:$$missing (run as root or install them)"; exit 1; fi; \
	fi

deps-all:
	@$(MAKE) --no-print-directory deps EXTRA_PKGS="lua5.3 liblua5.3-dev lua5.1 liblua5.1-0-dev luajit libluajit-5.1-dev luarocks valgrind"

# The demo also draws the network map, with Graphviz (optional elsewhere).
demo: EXTRA_PKGS = graphviz
demo: deps all
	@mkdir -p out
	@set -e; for ex in russia_dprk_pact balance entrapment report; do \
	  echo; echo "===== examples/$$ex.lua ====="; $(LUA) examples/$$ex.lua; \
	done; \
	echo; echo "===== entente check examples/russia_dprk_pact.ent (the same scenario as a data file) ====="; \
	$(LUA) bin/entente check examples/russia_dprk_pact.ent; \
	echo; echo "===== examples/china_options.lua ====="; $(LUA) examples/china_options.lua

test: deps all test-c test-embed test-oom test-lua

test-c: $(CTESTS)
	@set -e; for t in $(CTESTS); do echo "$$t"; $(RUNNER) $$t; done

test-lua: all
	$(BUSTED) --lua=$(LUA) -o $(BUSTED_OUTPUT) spec

test-all: deps-all
	@set -e; for l in $(ALL_LUAS); do echo "=== $$l"; $(MAKE) --no-print-directory test LUA=$$l; done

# AddressSanitizer + UBSan: the C tests directly, the specs by preloading the
# sanitizer runtime into the stock interpreter.
ASAN_FLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=undefined,float-cast-overflow
# Child programs (Graphviz's dot) run without the preloaded runtime.
test-asan: deps
	$(MAKE) --no-print-directory all test-c test-embed test-oom SUFFIX=-asan CFLAGS="$(ASAN_FLAGS)"
	@printf '#!/bin/sh\nexec env -u LD_PRELOAD dot "$$@"\n' > build/$(LUA)-asan/dot && chmod +x build/$(LUA)-asan/dot
	ENTENTE_DOT=$(CURDIR)/build/$(LUA)-asan/dot LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  $(MAKE) --no-print-directory test-lua SUFFIX=-asan CFLAGS="$(ASAN_FLAGS)"

valgrind: all
	valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=3 \
	  $(LUA) examples/russia_dprk_pact.lua >/dev/null

bench: deps all
	@for b in bench/*.lua; do echo; echo "===== $$b"; $(LUA) $$b || exit 1; done

rockspec:
	$(LUA) tools/gen_rockspec.lua > rockspec/entente-scm-1.rockspec

LMOD = $(DESTDIR)$(PREFIX)/share/lua/$(LUAVER)
CMOD = $(DESTDIR)$(PREFIX)/lib/lua/$(LUAVER)
install: all
	mkdir -p $(LMOD)/entente $(CMOD)/entente $(DESTDIR)$(PREFIX)/include/entente $(DESTDIR)$(PREFIX)/lib
	cp -R lua/entente/. $(LMOD)/entente/
	cp $(BUILD)/entente/core.so $(CMOD)/entente/core.so
	cp csrc/entente.h $(DESTDIR)$(PREFIX)/include/entente.h
	cp csrc/include/entente/*.h $(DESTDIR)$(PREFIX)/include/entente/
	cp $(BUILD)/libentente.a $(DESTDIR)$(PREFIX)/lib/libentente.a
	@if [ -f bin/entente ]; then mkdir -p $(DESTDIR)$(PREFIX)/bin; \
	  sed -e '1s|.*|#!/usr/bin/env $(LUA)|' \
	    -e 's|^-- @PATHS@.*|package.path = "$(PREFIX)/share/lua/$(LUAVER)/?.lua;$(PREFIX)/share/lua/$(LUAVER)/?/init.lua;" .. package.path\npackage.cpath = "$(PREFIX)/lib/lua/$(LUAVER)/?.so;" .. package.cpath|' \
	    bin/entente > $(DESTDIR)$(PREFIX)/bin/entente; \
	  chmod 755 $(DESTDIR)$(PREFIX)/bin/entente; fi

uninstall:
	rm -rf $(LMOD)/entente $(CMOD)/entente $(DESTDIR)$(PREFIX)/include/entente.h $(DESTDIR)$(PREFIX)/include/entente \
	  $(DESTDIR)$(PREFIX)/lib/libentente.a $(DESTDIR)$(PREFIX)/bin/entente

clean:
	rm -rf build out
