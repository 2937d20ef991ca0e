# mailrpc -- build, test, demo, install.  See README.md.
#
#   make            build everything into $(BUILD)
#   make check      all tests against a throwaway realm (also under ASan+UBSan)
#   make demo       throwaway realm + mailrpcd on loopback + alice's client, an IMAP session
#   make install PREFIX=/usr/local

BUILD   ?= build
PREFIX  ?= /usr/local
MANDIR  ?= $(PREFIX)/share/man
LIBDIR  ?= $(PREFIX)/lib
# The CLI finds an uninstalled libmailrpc next to it; packages set it empty
# (Debian forbids an rpath: the library is in the system's path).
CLI_RPATH ?= -Wl,-rpath,'$$ORIGIN/../lib'
SONAME_MAJOR := 1
VERSION := 1.0.0

CC      ?= cc
PKGS    := libtirpc krb5-gssapi krb5 lmdb libcrypto jansson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
# The daemons' readiness for systemd (sd_notify); not libmailrpc's.
DAEMON_LIBS := $(shell pkg-config --libs libsystemd 2>/dev/null)
SAN_FLAGS  ?=
CFLAGS  ?= -O2 -g
# -Wno-cast-function-type: libtirpc's xdrproc_t is variadic, so every XDR
# routine passed to it needs a cast the warning would reject.
ALL_CFLAGS := -std=gnu11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-cast-function-type -fPIC $(CFLAGS) $(SAN_FLAGS) \
	$(PKG_CFLAGS) -I$(BUILD)/gen -Istub -Icommon
# rpcgen's output is not ours to fix; everything else builds with -Werror.
GEN_CFLAGS := $(ALL_CFLAGS) -Wno-unused-parameter -Wno-unused-variable
LDFLAGS += $(SAN_FLAGS)

# rpcgen names its #includes after the input file; the copy is called
# mailrpc_prot.x so the generated header cannot shadow the public mailrpc.h.
GEN_X   := $(BUILD)/gen/mailrpc_prot.x
GEN_H   := $(BUILD)/gen/mailrpc_prot.h
GEN_SRC := $(BUILD)/gen/mailrpc_prot_xdr.c

COMMON_SRCS := common/level.c common/status.c common/bytes.c
# Sealed calls (issue 14): mailrpcd and libmailrpc only.
SEAL_SRCS := common/seal.c common/seal_stream.c common/seal_keys.c
# Sockets: the daemons only, not libmailrpc.
LISTEN_SRCS := common/listen.c
# Settings from a flag table and a config file: the daemons only.
OPTION_SRCS := common/options.c common/ready.c
SERVER_SRCS := $(wildcard server/*.c)
SERVICE_SRCS := $(wildcard service/*.c)
-include server/store/store.mk
LIB_SRCS    := $(wildcard stub/*.c)
CLIENT_SRCS := $(wildcard client/*.c)
TOOL_SRCS   := $(wildcard tests/tools/*.c)
ADMIN_SRCS  := $(wildcard admin/*.c)
DELIVER_SRCS := $(wildcard deliver/*.c)
MAP_SRCS     := $(wildcard map/*.c)

# The mail service parses addresses and header fields with GMime, and so
# does the CLI the addresses it is given.
GMIME_CFLAGS := $(shell pkg-config --cflags gmime-3.0 2>/dev/null)
GMIME_LIBS   := $(shell pkg-config --libs gmime-3.0 2>/dev/null)

# The server reads the mail service's and the store's headers; the
# service, the store's; nothing else may.
$(BUILD)/obj/server/%.o: ALL_CFLAGS += $(STORE_CFLAGS) -Iservice
$(BUILD)/obj/service/%.o: ALL_CFLAGS += $(STORE_CFLAGS) $(GMIME_CFLAGS)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

MAILRPCD := $(BUILD)/bin/mailrpcd
MAILRPC  := $(BUILD)/bin/mailrpc
ADMIN    := $(BUILD)/bin/mailrpc-admin
DELIVER  := $(BUILD)/bin/mailrpc-deliver
MAP      := $(BUILD)/bin/mailrpc-map
LIBSO    := $(BUILD)/lib/libmailrpc.so.$(VERSION)
TOOLS    := $(patsubst tests/tools/%.c,$(BUILD)/tests/%,$(TOOL_SRCS))
# Unit tests of libmailrpc's parts that need no server, each linked with
# just what it tests.
STUB_UNIT_BINS := $(BUILD)/tests/test_link_model $(BUILD)/tests/test_state_dir
# The mail service's, linked with the service and the store.
SERVICE_UNIT_BINS := $(BUILD)/tests/test_service
-include tests/unit/unit.mk
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_TESTS)) $(STUB_UNIT_BINS) \
	$(SERVICE_UNIT_BINS) $(PART_UNIT_BINS)
-include gateway/gateway.mk

.PHONY: all deps check check-fast check-san demo demo-stop install clean bench soak programs deb deb-check fresh-check deb-fresh-check
PRODUCT := $(MAILRPCD) $(MAILRPC) $(LIBSO) $(ADMIN) $(DELIVER) $(MAP) $(GATEWAY_PRODUCT)
# LD_PRELOAD shims that make faults for tests (tests/shim/).
SHIMS := $(patsubst tests/shim/%.c,$(BUILD)/tests/%.so,$(wildcard tests/shim/*.c))
all: $(PRODUCT) $(TOOLS) $(SHIMS) $(UNIT_BINS) $(GW_UNIT_BINS)

$(BUILD)/tests/%.so: tests/shim/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -shared $(LDFLAGS) -o $@ $< -ldl

deps:
	@scripts/install-deps

$(GEN_X): idl/mailrpc.x
	@mkdir -p $(@D)
	cp $< $@
$(GEN_H): $(GEN_X)
	cd $(@D) && rm -f mailrpc_prot.h && rpcgen -N -M -h -o mailrpc_prot.h mailrpc_prot.x
$(BUILD)/gen/mailrpc_prot_xdr.c: $(GEN_X) $(GEN_H)
	cd $(@D) && rm -f mailrpc_prot_xdr.c && rpcgen -N -M -c -o mailrpc_prot_xdr.c mailrpc_prot.x
$(BUILD)/gen/mailrpc_prot_clnt.c: $(GEN_X) $(GEN_H)
	cd $(@D) && rm -f mailrpc_prot_clnt.c && rpcgen -N -M -l -o mailrpc_prot_clnt.c mailrpc_prot.x
# Procedure names by number, for libmailrpc's messages.
GEN_PROCS := $(BUILD)/gen/mailrpc_procs.h
$(GEN_PROCS): idl/mailrpc.x scripts/proc-names
	@mkdir -p $(@D)
	scripts/proc-names $< >$@.tmp && mv $@.tmp $@
$(call obj,$(LIB_SRCS)): $(GEN_PROCS)

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(GEN_CFLAGS) -c -o $@ $<
$(BUILD)/obj/%.o: %.c $(GEN_H)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

GEN_OBJS := $(patsubst $(BUILD)/gen/%.c,$(BUILD)/obj/gen/%.o,$(GEN_SRC))

$(MAILRPCD): $(call obj,$(SERVER_SRCS) $(SERVICE_SRCS) $(STORE_SRCS) $(COMMON_SRCS) $(SEAL_SRCS) \
		$(LISTEN_SRCS) $(OPTION_SRCS)) $(BUILD)/obj/gen/mailrpc_prot_xdr.o
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(GMIME_LIBS) $(PKG_LIBS) $(DAEMON_LIBS)

$(LIBSO): $(call obj,$(LIB_SRCS) $(COMMON_SRCS) $(SEAL_SRCS)) $(GEN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -shared -Wl,-soname,libmailrpc.so.$(SONAME_MAJOR) \
		-Wl,--version-script=stub/libmailrpc.map -o $@ $^ $(PKG_LIBS)
	ln -sf libmailrpc.so.$(VERSION) $(BUILD)/lib/libmailrpc.so.$(SONAME_MAJOR)
	ln -sf libmailrpc.so.$(VERSION) $(BUILD)/lib/libmailrpc.so

# Local administration works on the store directly, like kadmin.local.
$(BUILD)/obj/admin/%.o: ALL_CFLAGS += $(STORE_CFLAGS)
$(ADMIN): $(call obj,$(ADMIN_SRCS) $(STORE_SRCS) $(COMMON_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The local delivery agent writes the store directly, like the server.
$(BUILD)/obj/deliver/%.o: ALL_CFLAGS += $(STORE_CFLAGS)
$(DELIVER): $(call obj,$(DELIVER_SRCS) $(STORE_SRCS) $(COMMON_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# The MTA's lookups (a socketmap server) ask the mail service.
$(BUILD)/obj/map/%.o: ALL_CFLAGS += $(STORE_CFLAGS) -Iservice
$(MAP): $(call obj,$(MAP_SRCS) $(SERVICE_SRCS) $(STORE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(GMIME_LIBS) $(PKG_LIBS)

# The CLI uses only the public API, through the shared library.
$(MAILRPC): $(call obj,$(CLIENT_SRCS)) $(LIBSO)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $(call obj,$(CLIENT_SRCS)) \
		-L$(BUILD)/lib -lmailrpc $(CLI_RPATH) $(PKG_LIBS)

# Test tools may use the public library and, to seed fixtures, the store.
# They may also speak the protocol themselves (the IDL's XDR routines).
$(BUILD)/tests/%: tests/tools/%.c $(LIBSO) $(call obj,$(STORE_SRCS)) $(GEN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(STORE_CFLAGS) $(LDFLAGS) -o $@ $< $(call obj,$(STORE_SRCS)) $(GEN_OBJS) \
		-L$(BUILD)/lib -lmailrpc \
		-Wl,-rpath,'$$ORIGIN/../lib' $(PKG_LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(call obj,$(STORE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UNIT_TEST_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/test_service: tests/unit/test_service.c $(call obj,$(SERVICE_SRCS) $(STORE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UNIT_TEST_CFLAGS) -Iservice $(LDFLAGS) -o $@ $^ $(GMIME_LIBS) $(PKG_LIBS)

$(BUILD)/tests/test_link_model: tests/unit/test_link_model.c $(BUILD)/obj/stub/link_model.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^
$(BUILD)/tests/test_state_dir: tests/unit/test_state_dir.c $(call obj,stub/state_dir.c stub/errors.c \
		$(COMMON_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# A test tool that needs libmailrpc's insides (a link of another protocol
# version): linked with its objects, not the shared library.
$(BUILD)/tests/newclient: tests/tools/newclient.c $(call obj,$(LIB_SRCS) $(COMMON_SRCS) $(SEAL_SRCS)) \
		$(GEN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

# Tests: the plain build and the same suite under ASan+UBSan, side by
# side (tests/run); both built on every core first.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
check: deps
	$(MAKE) -s -j$(JOBS) all
	$(MAKE) -s -j$(JOBS) BUILD=build-san SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" CFLAGS="-O1 -g" all
	tests/run --bin build --bin-san build-san

# Outside make check: 50 clients mixing every call for 10 minutes, then
# 1000 users WAITing at once (tests/soak.sh, tests/t_wait_many.sh).
soak: deps
	$(MAKE) -s all
	tests/run --bin build soak
	WAITERS=1000 tests/run --bin build t_wait_many

bench: deps
	$(MAKE) -s all bench-tools
	bench/run

-include bench/bench.mk
-include tests/fuzz/fuzz.mk

check-fast: deps
	$(MAKE) -s all
	tests/run --bin $(BUILD)

# deps first, then a new make: this one read pkg-config's flags when it
# parsed the Makefile, before the packages that provide them were there.
demo: deps
	$(MAKE) -s all
	scripts/demo start

demo-stop:
	scripts/demo stop

# The programs and the library alone, without the tests (packages build this).
programs: $(PRODUCT)

install: $(PRODUCT)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/sbin $(DESTDIR)$(LIBDIR) \
		$(DESTDIR)$(PREFIX)/include $(DESTDIR)$(LIBDIR)/pkgconfig
	install -m 755 $(MAILRPCD) $(DESTDIR)$(PREFIX)/sbin/mailrpcd
	install -m 755 $(ADMIN) $(DESTDIR)$(PREFIX)/sbin/mailrpc-admin
	install -m 755 $(DELIVER) $(DESTDIR)$(PREFIX)/sbin/mailrpc-deliver
	install -m 755 $(MAP) $(DESTDIR)$(PREFIX)/sbin/mailrpc-map
	install -m 755 $(IMAPD) $(DESTDIR)$(PREFIX)/sbin/mailrpc-imapd
	install -m 755 $(POP3D) $(DESTDIR)$(PREFIX)/sbin/mailrpc-pop3d
	install -m 755 $(MAILRPC) $(DESTDIR)$(PREFIX)/bin/mailrpc
	install -m 644 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf libmailrpc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmailrpc.so.$(SONAME_MAJOR)
	ln -sf libmailrpc.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libmailrpc.so
	install -m 644 stub/mailrpc.h $(DESTDIR)$(PREFIX)/include/mailrpc.h
	# Written here, not copied: the prefix is the one given to install.
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		stub/mailrpc.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/mailrpc.pc
	$(MAKE) -s install-man

# man/NAME.SECTION into MANDIR/manSECTION.
MAN_PAGES := $(wildcard man/*.[0-9])
.PHONY: install-man
install-man:
	for page in $(MAN_PAGES); do \
		section=$${page##*.}; \
		install -d $(DESTDIR)$(MANDIR)/man$$section && \
		install -m 644 $$page $(DESTDIR)$(MANDIR)/man$$section/ || exit 1; \
	done

# Debian packages from the files of this checkout (committed or not), built
# in a copy under $(BUILD)/deb so the tree stays clean; then lintian, which
# must report no error.  Slow (minutes): not part of make check.
DEB_DIR := $(BUILD)/deb
deb:
	@scripts/install-deps --packaging
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/mailrpc-$(VERSION)
	git ls-files -co --exclude-standard -z | tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/mailrpc-$(VERSION)
	cd $(DEB_DIR)/mailrpc-$(VERSION) && dpkg-buildpackage -us -uc -b >../build.log 2>&1 || \
		{ tail -40 ../build.log; exit 1; }
	lintian --fail-on error $(DEB_DIR)/mailrpc_$(VERSION)_*.changes
	@ls $(DEB_DIR)/*.deb

# The packages built, linted, unpacked into a scratch root and checked file by file.
deb-check: deb
	tests/pkg/deb_check.sh $(DEB_DIR)

# A fresh Debian 12 root (debootstrap) runs make demo first thing: the
# proof that a new machine needs nothing installed beforehand.  Root;
# 10-20 minutes; not part of make check (see scripts/fresh-check).
fresh-check:
	scripts/fresh-check

# The packages installed with apt on a bare Debian 12 root (root; ~6 min after make deb).
deb-fresh-check: deb
	scripts/fresh-check --debs $(DEB_DIR)

clean:
	rm -rf build build-san build-fuzz

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
