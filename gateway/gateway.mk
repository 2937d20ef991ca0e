# gateway.mk -- mailrpc-imapd and mailrpc-pop3d (gateway/), their unit
# tests and fuzz harnesses.  Include from the top-level Makefile after
# COMMON_SRCS, LISTEN_SRCS and obj are defined.
# Needs: OpenSSL (TLS, base64), MIT krb5/GSSAPI, GMime 3.0 (MIME).

GW_PKGS    := gmime-3.0 libssl
GW_CFLAGS  := $(shell pkg-config --cflags $(GW_PKGS) 2>/dev/null)
GW_LIBS    := $(shell pkg-config --libs $(GW_PKGS) 2>/dev/null)

# Shared with mailrpcd: the log, the keytab check, principal -> mailbox.
GW_SERVER_SRCS := server/log.c server/acceptor.c server/identity.c
GW_MAINS   := gateway/imapd.c gateway/pop3d.c
GW_SRCS    := $(filter-out $(GW_MAINS),$(wildcard gateway/*.c))
GW_OBJS    := $(call obj,$(GW_SRCS) $(GW_SERVER_SRCS) $(LISTEN_SRCS) common/bytes.c)

IMAPD := $(BUILD)/bin/mailrpc-imapd
POP3D := $(BUILD)/bin/mailrpc-pop3d

$(BUILD)/obj/gateway/%.o: ALL_CFLAGS += $(GW_CFLAGS)

$(IMAPD) $(POP3D): $(BUILD)/bin/mailrpc-%: $(BUILD)/obj/gateway/%.o $(GW_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -o $@ $^ $(GW_LIBS) $(PKG_LIBS)

# Unit tests of the gateway's pure parts, linked with its objects.
GW_UNIT_TESTS := $(wildcard tests/unit/test_gw_*.c)
GW_UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(GW_UNIT_TESTS))

$(GW_UNIT_BINS): $(BUILD)/tests/%: tests/unit/%.c $(GW_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(GW_CFLAGS) -Igateway -Itests/unit $(LDFLAGS) -o $@ $^ $(GW_LIBS) $(PKG_LIBS)

# libFuzzer harnesses (clang): make gateway-fuzz, then run build-fuzz/fuzz_*.
GW_FUZZ_PARSERS := gateway/imap_parse.c gateway/imap_seqset.c gateway/pop3_parse.c
.PHONY: gateway-fuzz
gateway-fuzz:
	@mkdir -p build-fuzz
	for f in imap_parse pop3_parse; do \
		clang-14 -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Igateway \
			-o build-fuzz/fuzz_$$f tests/fuzz/fuzz_$$f.c $(GW_FUZZ_PARSERS) || exit 1; \
	done

GATEWAY_PRODUCT := $(IMAPD) $(POP3D)
