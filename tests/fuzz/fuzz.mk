# fuzz.mk -- libFuzzer harnesses (tests/fuzz/fuzz_*.c) and their seed
# corpora (tests/fuzz/corpus/NAME).  Included from the top-level Makefile
# after every *_SRCS list, GEN_OBJS and gateway.mk.
#
#   make fuzz [FUZZ_SECONDS=N]   builds them, then runs each for N seconds
#                                (default 60) on its corpus (tests/fuzz/run)
#   make fuzz-build              only builds them, into build-fuzz/fuzz/
#
# The whole tree is compiled a second time, into build-fuzz, with clang-14
# and -fsanitize=fuzzer-no-link,address,undefined, so libFuzzer's coverage
# reaches the code under test and not just the harness; each harness is
# then linked with only the objects it exercises.  make check runs every
# harness briefly (tests/t_fuzz.sh).

FUZZ_BUILD   := build-fuzz
FUZZ_CC      := clang-14
FUZZ_SAN     := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
# clang warns about string literals split over lines, which the tree uses.
FUZZ_CFLAGS  := -O1 -g -Wno-string-concatenation
FUZZ_SECONDS ?= 60

FUZZ_NAMES := fuzz_rpc fuzz_summary fuzz_records fuzz_mbox fuzz_import fuzz_restore fuzz_imap_parse fuzz_pop3_parse fuzz_mime
FUZZ_BINS  := $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_NAMES))

# Harnesses on a store get a scratch one (scratch.h).
FUZZ_STORE_OBJS := $(BUILD)/obj/tests/fuzz/scratch.o $(call obj,$(STORE_SRCS))
# The procedures as mailrpcd runs them: the table, the adapters, the
# mail service, the store; not the listener, the dispatcher or RPCSEC_GSS.
FUZZ_RPC_OBJS := $(FUZZ_STORE_OBJS) $(call obj,server/procs.c $(wildcard server/proc_*.c) \
	server/summary.c server/log.c server/config.c server/handover_master.c server/handover.c \
	server/mta.c common/options.c $(SERVICE_SRCS) \
	$(COMMON_SRCS)) $(GEN_OBJS)

$(BUILD)/obj/tests/fuzz/%.o: ALL_CFLAGS += $(STORE_CFLAGS)

$(BUILD)/fuzz/fuzz_rpc: $(FUZZ_RPC_OBJS)
$(BUILD)/fuzz/fuzz_summary: $(FUZZ_STORE_OBJS)
# The store's record codecs and the offline cache's decoders.
$(BUILD)/fuzz/fuzz_records: $(FUZZ_STORE_OBJS) $(call obj,$(LIB_SRCS) $(COMMON_SRCS) $(SEAL_SRCS)) $(GEN_OBJS)
$(BUILD)/fuzz/fuzz_mbox: $(FUZZ_STORE_OBJS) $(BUILD)/obj/admin/mbox.o
# mailrpc-admin's commands, in-process on the scratch store.
FUZZ_ADMIN_OBJS := $(FUZZ_STORE_OBJS) $(BUILD)/obj/tests/fuzz/admin_shell.o $(BUILD)/obj/admin/report.o
$(BUILD)/obj/tests/fuzz/admin_shell.o: ALL_CFLAGS += -Iadmin
$(BUILD)/fuzz/fuzz_import: $(FUZZ_ADMIN_OBJS) $(call obj,admin/cmd_import.c admin/import.c \
	admin/mbox.c admin/maildir.c)
$(BUILD)/fuzz/fuzz_restore: $(FUZZ_ADMIN_OBJS) $(call obj,admin/cmd_restore.c admin/cmd_dump.c \
	admin/dump_read.c admin/dump_format.c server/store/store_dump.c)
# The gateway's command parsers and MIME rendering (GMime).
$(BUILD)/fuzz/fuzz_imap_parse: $(call obj,gateway/imap_parse.c gateway/imap_seqset.c)
$(BUILD)/fuzz/fuzz_pop3_parse: $(call obj,gateway/pop3_parse.c gateway/pop3_write.c gateway/buf.c)
$(BUILD)/fuzz/fuzz_mime: $(call obj,$(GW_MIME_SRCS))
FUZZ_LIBS_fuzz_mime := $(GW_LIBS)
# The mail service reads addresses with GMime (service/author.c).
FUZZ_LIBS_fuzz_rpc := $(GMIME_LIBS)

$(FUZZ_BINS): $(BUILD)/fuzz/%: tests/fuzz/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(STORE_CFLAGS) $(GW_CFLAGS) -Iserver -Iservice -Iadmin -Istub -Igateway \
		-Itests/fuzz \
		-fsanitize=fuzzer $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(PKG_LIBS) $(FUZZ_LIBS_$*)

# fuzz_rpc's seeds: calls encoded by the IDL's routines (gen_rpc_seeds.c).
$(BUILD)/fuzz/gen_rpc_seeds: tests/fuzz/gen_rpc_seeds.c $(GEN_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/fuzz $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

.PHONY: fuzz fuzz-build fuzz-harnesses fuzz-seeds
fuzz-harnesses: $(FUZZ_BINS) $(BUILD)/fuzz/gen_rpc_seeds

fuzz-build:
	$(MAKE) -s BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) SAN_FLAGS="$(FUZZ_SAN)" \
		CFLAGS="$(FUZZ_CFLAGS)" fuzz-harnesses

fuzz-seeds: fuzz-build
	mkdir -p tests/fuzz/corpus/fuzz_rpc && rm -f tests/fuzz/corpus/fuzz_rpc/[0-9][0-9]-*
	$(FUZZ_BUILD)/fuzz/gen_rpc_seeds tests/fuzz/corpus/fuzz_rpc

fuzz: deps fuzz-build
	tests/fuzz/run --bin $(FUZZ_BUILD)/fuzz --seconds $(FUZZ_SECONDS)
