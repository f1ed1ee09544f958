# isotrace: plain GNU make.  `make deps` installs what the build and tests
# need (Debian 12); `make check` runs every test; WERROR=1 and SANITIZE=1
# are what CI adds.

PREFIX	?= /usr/local
BINDIR	?= $(PREFIX)/bin
MANDIR	?= $(PREFIX)/share/man
INCDIR	?= $(PREFIX)/include
LIBDIR	?= $(PREFIX)/lib
DESTDIR	?=

CC	?= cc
CFLAGS	?= -O2 -g
B	?= build
STRESS	?= 1

WARN	:= -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN	+= -Werror
endif
ifeq ($(SANITIZE),1)
CFLAGS	+= -fsanitize=address,undefined -fno-omit-frame-pointer
LDFLAGS	+= -fsanitize=address,undefined
endif

# The libraries' flags are asked of pkg-config when a recipe first needs
# them, never while this file is parsed: `make deps all` installs the
# libraries after the parse and before the first compile.
PKGS	:= libbsd-overlay libprotobuf-c jansson
pkg_check = $(if $(shell pkg-config --exists $(PKGS) libbsd-ctor && echo y),,\
	    $(error pkg-config does not find $(PKGS) libbsd-ctor: run make deps))
PKG_CFLAGS = $(eval PKG_CFLAGS := $(pkg_check)$(shell pkg-config --cflags \
	     $(PKGS)))$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $(pkg_check)$(shell pkg-config --libs \
	     $(PKGS) libbsd-ctor))$(PKG_LIBS)

# The protobuf-c code is generated into $(B)/proto, never into the tree.
ALL_CFLAGS = -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Iinclude \
	     -Icommon -Iproto -I$(B)/proto -I$(B) $(PKG_CFLAGS) -MMD -MP

PROTO_GEN := $(B)/proto/isotrace.pb-c.c $(B)/proto/isotrace.pb-c.h

LIB_SRCS := $(wildcard common/*.c common/xlat/*.c worker/*.c \
	    worker/engine/*.c worker/decode/*.c worker/sandbox/*.c proto/*.c) \
	    $(filter-out supervisor/isotrace.c,$(wildcard supervisor/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(B)/%.o) $(B)/proto/isotrace.pb-c.o
LIB	 := $(B)/libisotrace.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(B)/unit/%)
UNIT_LIB  := $(filter-out tests/unit/test_%.c,$(wildcard tests/unit/*.c))
PROG_BINS := $(patsubst tests/progs/%.c,$(B)/progs/%,$(wildcard tests/progs/*.c)) \
	     $(patsubst tests/progs/%.S,$(B)/progs/%,$(wildcard tests/progs/*.S))
TOOL_BINS := $(patsubst tests/tools/%.c,$(B)/tools/%,$(wildcard tests/tools/*.c))
INSTALLED_BINS := $(patsubst tests/installed/%.c,$(B)/installed/%,$(wildcard tests/installed/*.c))
EXAMPLE_BINS := $(patsubst examples/%.c,$(B)/examples/%,$(wildcard examples/*.c))

.PHONY: all check unit integration deps install uninstall bench clean lint \
	thirdparty

all: $(B)/isotrace $(EXAMPLE_BINS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# protoc-c names its output after the .proto's path: $(B)/proto/.
$(PROTO_GEN) &: proto/isotrace.proto
	@mkdir -p $(B)
	protoc-c --c_out=$(B) proto/isotrace.proto

$(B)/proto/isotrace.pb-c.o: $(B)/proto/isotrace.pb-c.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Whatever includes channel.h needs the generated header before its first
# compile; after that, the -MMD files name the real dependents.
$(filter-out %.pb-c.o,$(LIB_OBJS)): | $(B)/proto/isotrace.pb-c.h

# The x86_64 twins of the i386 and x32 calls, from the kernel's headers.
$(B)/compat_twins.h: worker/compat_twins.sh include/isotrace/syscalls.def
	@mkdir -p $(B)
	worker/compat_twins.sh "$(CC)" include/isotrace/syscalls.def >$@.tmp
	mv $@.tmp $@

$(B)/worker/compat.o: $(B)/compat_twins.h

$(LIB): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/isotrace: $(B)/supervisor/isotrace.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Tools and examples see only the public headers and the library.
$(B)/examples/%: examples/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Iinclude $(LDFLAGS) \
	    -o $@ $< $(LIB) $(PKG_LIBS)

# racy is a program to run under isotrace, not a tool: built plain, as
# the tracee programs are (never sanitized, never linked with us).
$(B)/examples/racy: examples/racy.c
	@mkdir -p $(dir $@)
	cc -std=gnu11 -O2 -pthread -D_GNU_SOURCE $(WARN) -o $@ $<

$(B)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE -Iinclude $(LDFLAGS) \
	    -o $@ $< $(LIB) $(PKG_LIBS)

# A tool built as a third party builds it: against an installed tree
# (make install DESTDIR=...), nothing of the source tree but the test.
DEST	:= $(B)/dest
$(B)/installed/%: tests/installed/%.c $(LIB) $(wildcard include/isotrace/*)
	@mkdir -p $(dir $@)
	rm -rf $(DEST)
	$(MAKE) --no-print-directory install DESTDIR=$(abspath $(DEST)) \
	    PREFIX=/usr
	$(CC) -std=gnu11 $(WARN) $(CFLAGS) -D_GNU_SOURCE \
	    -I$(DEST)/usr/include $(LDFLAGS) -o $@ $< \
	    $(DEST)/usr/lib/libisotrace.a $(PKG_LIBS)

# Tracee programs are plain programs: never sanitized, never linked with us.
$(B)/progs/%: tests/progs/%.c
	@mkdir -p $(dir $@)
	cc -std=gnu11 -O2 -pthread -D_GNU_SOURCE -Wall -Wextra \
	    $(if $(filter 1,$(WERROR)),-Werror) -o $@ $<

# A 32-bit static program without libc: int 0x80 from a 32-bit process.
$(B)/progs/%: tests/progs/%.S
	@mkdir -p $(dir $@)
	as --32 -o $@.o $<
	ld -m elf_i386 -o $@ $@.o
	rm -f $@.o

$(B)/unit/%: tests/unit/%.c $(UNIT_LIB) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iworker -Iworker/engine -Iworker/decode \
	    -Itests/unit $(LDFLAGS) -o $@ $< \
	    $(UNIT_LIB) $(LIB) $(PKG_LIBS) -lcmocka

unit: $(UNIT_BINS)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; $$t; done

integration: all $(PROG_BINS) $(TOOL_BINS) $(INSTALLED_BINS)
	ISOTRACE=$(B)/isotrace PROGS=$(B)/progs TOOLS=$(B)/tools \
	    EXAMPLES=$(B)/examples tests/integration.sh -n $(STRESS)

check: unit integration lint

# The man page is the CLI's contract: its SYNOPSIS is the usage line.
# The Makefile probes nothing while parsed; CI runs the README's commands;
# the engine names no layer.
lint: $(B)/isotrace
	tests/man-check.sh $(B)/isotrace man/isotrace.1
	tests/make-parse-check.sh
	tests/readme-ci-check.sh
	tests/layers-check.sh

deps:
	@if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	$$SUDO apt-get update -qq && \
	$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    build-essential pkg-config libbsd-dev libprotobuf-c-dev \
	    protobuf-c-compiler libjansson-dev libcmocka-dev libsqlite3-dev sqlite3 \
	    hyperfine strace mandoc bsdextrautils python3 bash coreutils \
	    procps findutils autoconf automake

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(INCDIR)/isotrace $(DESTDIR)$(LIBDIR)
	install -m 755 $(B)/isotrace $(DESTDIR)$(BINDIR)/isotrace
	install -m 644 man/isotrace.1 $(DESTDIR)$(MANDIR)/man1/isotrace.1
	install -m 644 include/isotrace/* $(DESTDIR)$(INCDIR)/isotrace/
	install -m 644 $(LIB) $(DESTDIR)$(LIBDIR)/libisotrace.a

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/isotrace \
	    $(DESTDIR)$(MANDIR)/man1/isotrace.1 \
	    $(DESTDIR)$(LIBDIR)/libisotrace.a
	rm -rf $(DESTDIR)$(INCDIR)/isotrace

bench: all
	ISOTRACE=$(B)/isotrace BUILD=$(B) bench/bench.sh

# CPython's own regression tests natively and under --sandbox, a table of
# the tests that fail only in the sandbox: minutes, and it needs Debian's
# libpython3.11-testsuite, so it is not part of check.
thirdparty: all
	ISOTRACE=$(B)/isotrace tests/thirdparty/cpython.sh

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
