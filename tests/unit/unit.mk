# unit.mk -- unit tests beside the store's (store.mk): the backup walk, and
# the parts outside the store -- common/ (sealed calls' framing too), the daemons' log_safe, the
# admin's import parsers and dump format, the delivery agent's message
# assembly -- each linked with just the objects it tests.  Included by the Makefile before UNIT_BINS.

UNIT_TESTS += tests/unit/test_store_dump.c

PART_UNIT_BINS := $(BUILD)/tests/test_common $(BUILD)/tests/test_log_safe $(BUILD)/tests/test_mbox \
	$(BUILD)/tests/test_maildir $(BUILD)/tests/test_dump_format \
	$(BUILD)/tests/test_deliver_message $(BUILD)/tests/test_options $(BUILD)/tests/test_seal

$(BUILD)/tests/test_common: tests/unit/test_common.c $(call obj,$(COMMON_SRCS))
$(BUILD)/tests/test_options: tests/unit/test_options.c $(call obj,common/options.c $(COMMON_SRCS))
$(BUILD)/tests/test_seal: tests/unit/test_seal.c $(BUILD)/obj/common/seal.o $(BUILD)/obj/common/seal_stream.o
$(BUILD)/tests/test_log_safe: tests/unit/test_log_safe.c $(BUILD)/obj/server/log.o
$(BUILD)/tests/test_mbox: tests/unit/test_mbox.c $(BUILD)/obj/admin/mbox.o
$(BUILD)/tests/test_maildir: tests/unit/test_maildir.c $(BUILD)/obj/admin/maildir.o
$(BUILD)/tests/test_dump_format: tests/unit/test_dump_format.c $(BUILD)/obj/admin/dump_format.o
$(BUILD)/tests/test_deliver_message: tests/unit/test_deliver_message.c \
	$(BUILD)/obj/deliver/message.o

$(PART_UNIT_BINS): ALL_CFLAGS += -Iadmin -Ideliver -Iserver
$(PART_UNIT_BINS):
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(UNIT_TEST_CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(PKG_LIBS)
