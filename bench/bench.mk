# bench.mk -- the benchmark's drivers (bench/*.c).  Include from the
# top-level Makefile (-include bench/bench.mk); bench/run also builds them
# with `make -f Makefile -f bench/bench.mk bench-tools` until then, so this
# file guards against being read twice.
#   mrbench  load generator over libmailrpc (and a raw RPCSEC_GSS client)
#   gssceil  in-process gss_wrap/unwrap ceiling
#   seed     fills a mailbox through the store library
#   imapsbench  the IMAPS driver (Dovecot, mailrpc-imapd) over OpenSSL

# Needs LIBSO, STORE_SRCS and obj from the top-level Makefile: include it
# after they are defined.  It leaves the default goal alone.

ifndef BENCH_MK_INCLUDED
BENCH_MK_INCLUDED := 1
BENCH_SAVED_GOAL := $(.DEFAULT_GOAL)

BENCH_BINS := $(BUILD)/bench/mrbench $(BUILD)/bench/gssceil $(BUILD)/bench/seed \
	      $(BUILD)/bench/synccost $(BUILD)/bench/imapsbench

.PHONY: bench-tools
bench-tools: $(BENCH_BINS)

$(BUILD)/bench/mrbench: bench/mrbench.c $(LIBSO)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -L$(BUILD)/lib -lmailrpc \
		-Wl,-rpath,'$$ORIGIN/../lib' $(PKG_LIBS)

$(BUILD)/bench/imapsbench: bench/imapsbench.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lssl -lcrypto

$(BUILD)/bench/gssceil: bench/gssceil.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(PKG_LIBS)

$(BUILD)/bench/seed: bench/seed.c $(call obj,$(STORE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(STORE_CFLAGS) $(LDFLAGS) -o $@ $< $(call obj,$(STORE_SRCS)) $(PKG_LIBS)

$(BUILD)/bench/synccost: bench/synccost.c $(call obj,$(STORE_SRCS))
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(STORE_CFLAGS) $(LDFLAGS) -o $@ $< $(call obj,$(STORE_SRCS)) $(PKG_LIBS)

.DEFAULT_GOAL := $(BENCH_SAVED_GOAL)
endif
