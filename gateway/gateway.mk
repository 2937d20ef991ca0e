# gateway.mk -- mailrpc-imapd and mailrpc-pop3d (gateway/) and their unit
# tests.  Include from the top-level Makefile after
# COMMON_SRCS, LISTEN_SRCS and obj are defined.
# Needs: OpenSSL (TLS, base64), MIT krb5/GSSAPI, GMime 3.0 (MIME).

GW_PKGS    := gmime-3.0 libssl
GW_CFLAGS  := $(shell pkg-config --cflags $(GW_PKGS) 2>/dev/null)
GW_LIBS    := $(shell pkg-config --libs $(GW_PKGS) 2>/dev/null)

# Shared with mailrpcd: the log (and the store's lines in it), the keytab
# check, and the mail service over the store, so every front-end maps
# principals, decides rights and applies limits alike.
GW_SERVER_SRCS := server/log.c server/log_store.c server/acceptor.c server/daemon.c $(SERVICE_SRCS) $(STORE_SRCS)
GW_MAINS   := gateway/imapd.c gateway/pop3d.c
GW_SRCS    := $(filter-out $(GW_MAINS),$(wildcard gateway/*.c))
GW_OBJS    := $(call obj,$(GW_SRCS) $(GW_SERVER_SRCS) $(LISTEN_SRCS) $(OPTION_SRCS) \
	common/bytes.c common/level.c common/status.c)

IMAPD := $(BUILD)/bin/mailrpc-imapd
POP3D := $(BUILD)/bin/mailrpc-pop3d

$(BUILD)/obj/gateway/%.o: ALL_CFLAGS += $(GW_CFLAGS) $(STORE_CFLAGS) -Iservice

$(IMAPD) $(POP3D): $(BUILD)/bin/mailrpc-%: $(BUILD)/obj/gateway/%.o $(GW_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(GW_LIBS) $(PKG_LIBS) $(DAEMON_LIBS)

# Unit tests of the gateway's pure parts, linked with its objects.
GW_UNIT_TESTS := $(wildcard tests/unit/test_gw_*.c)
GW_UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(GW_UNIT_TESTS))

$(GW_UNIT_BINS): $(BUILD)/tests/%: tests/unit/%.c $(GW_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(GW_CFLAGS) -Igateway -Itests/unit $(LDFLAGS) -o $@ $^ $(GW_LIBS) $(PKG_LIBS) $(DAEMON_LIBS)

# Fuzz harnesses of the parsers and the MIME rendering: tests/fuzz/fuzz.mk.
# The MIME rendering, without sessions or sockets (fuzz_mime links these).
GW_MIME_SRCS := gateway/mime_tree.c gateway/mime_header.c gateway/mime_envelope.c \
	gateway/mime_bodystructure.c gateway/mime_section.c gateway/imap_write.c gateway/buf.c

GATEWAY_PRODUCT := $(IMAPD) $(POP3D)
