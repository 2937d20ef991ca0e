# store.mk -- the mailbox store library (server/store) and its unit tests.
# Include from the top-level Makefile; paths are relative to the repo root.
# Needs: -llmdb -lcrypto.  Headers: server/store/store.h (public),
# server/store/store_int.h (internal; also used by the unit tests).

STORE_DIR ?= server/store

STORE_SRCS := \
	$(STORE_DIR)/store_log.c \
	$(STORE_DIR)/store_env.c \
	$(STORE_DIR)/store_open.c \
	$(STORE_DIR)/store_policy.c \
	$(STORE_DIR)/store_wait.c \
	$(STORE_DIR)/store_codec.c \
	$(STORE_DIR)/store_validate.c \
	$(STORE_DIR)/store_meta.c \
	$(STORE_DIR)/store_mailbox.c \
	$(STORE_DIR)/store_folder_db.c \
	$(STORE_DIR)/store_folder.c \
	$(STORE_DIR)/store_blob.c \
	$(STORE_DIR)/store_message_db.c \
	$(STORE_DIR)/store_cidx.c \
	$(STORE_DIR)/store_count.c \
	$(STORE_DIR)/store_message.c \
	$(STORE_DIR)/store_change.c \
	$(STORE_DIR)/store_list.c \
	$(STORE_DIR)/store_search.c \
	$(STORE_DIR)/store_upload.c \
	$(STORE_DIR)/store_submit.c \
	$(STORE_DIR)/store_summary.c \
	$(STORE_DIR)/store_rfc2047.c \
	$(STORE_DIR)/store_acl.c \
	$(STORE_DIR)/store_admin.c \
	$(STORE_DIR)/store_verify.c \
	$(STORE_DIR)/store_verify_records.c \
	$(STORE_DIR)/store_notify.c \
	$(STORE_DIR)/store_op.c \
	$(STORE_DIR)/store_call.c \
	$(STORE_DIR)/store_index.c \
	$(STORE_DIR)/store_tomb.c \
	$(STORE_DIR)/store_sync.c \
	$(STORE_DIR)/store_folder_sync.c \
	$(STORE_DIR)/store_dump.c \
	$(STORE_DIR)/store_addr_db.c \
	$(STORE_DIR)/store_address.c \
	$(STORE_DIR)/store_handover_db.c \
	$(STORE_DIR)/store_handover.c \
	$(STORE_DIR)/store_verify_addr.c

STORE_LIBS := -llmdb -lcrypto
STORE_CFLAGS := -I$(STORE_DIR)
# Unit tests include test_util.h (tests/unit) and store_int.h.
UNIT_TEST_CFLAGS := -I$(STORE_DIR) -Itests/unit

# Each is a standalone program: link it with the objects of STORE_SRCS.
UNIT_TESTS := \
	tests/unit/test_summary.c \
	tests/unit/test_store.c \
	tests/unit/test_store_msg.c \
	tests/unit/test_store_list.c \
	tests/unit/test_store_proc.c \
	tests/unit/test_store_wait.c \
	tests/unit/test_store_sync.c \
	tests/unit/test_store_folder_sync.c \
	tests/unit/test_store_change.c \
	tests/unit/test_store_corrupt.c \
	tests/unit/test_store_limits.c
