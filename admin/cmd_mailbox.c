/*
 * cmd_mailbox.c -- mailbox life cycle: list, create, delete, disable,
 * enable, quota, usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/bytes.h"
#include "admin.h"

static void print_usage_line(const char *name, const store_mailbox_info_t *info)
{
	char quota[32] = "default";
	if (info->quota)
		snprintf(quota, sizeof(quota), "%llu", (unsigned long long)info->quota);
	printf("%-24s %8llu messages %12llu bytes  quota %-12s%s\n", name,
	       (unsigned long long)info->messages, (unsigned long long)info->bytes_used, quota,
	       info->disabled ? "  DISABLED" : "");
}

int admin_list(struct admin *a, int argc, char **argv)
{
	(void)argv;
	store_mailbox_names_t *names = NULL;
	if (argc != 1)
		return admin_usage("list");
	int st = store_mailbox_list(admin_store(a), &names);
	if (st != STORE_OK)
		return admin_fail("list", st);
	for (size_t i = 0; i < names->count; i++) {
		store_mailbox_info_t info;
		if (store_mailbox_info(a->store, names->names[i], &info) == STORE_OK)
			print_usage_line(names->names[i], &info);
	}
	store_mailbox_names_free(&names);
	return 0;
}

int admin_create(struct admin *a, int argc, char **argv)
{
	store_mailbox_info_t info;
	if (argc != 2)
		return admin_usage("create USER");
	if (store_mailbox_info(admin_store(a), argv[1], &info) == STORE_OK) {
		fprintf(stderr, "mailrpc-admin: mailbox %s already exists\n", argv[1]);
		return 1;
	}
	int st = store_mailbox_ensure(a->store, argv[1]);
	return st == STORE_OK ? 0 : admin_fail(argv[1], st);
}

int admin_delete(struct admin *a, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[2], "--yes") != 0) {
		fprintf(stderr, "mailrpc-admin: delete removes the mailbox and all its mail for good;"
				" confirm with: delete USER --yes\n");
		return 64;
	}
	int st = store_mailbox_delete(admin_store(a), argv[1]);
	return st == STORE_OK ? 0 : admin_fail(argv[1], st);
}

static int set_disabled(struct admin *a, int argc, char **argv, int disabled)
{
	if (argc != 2)
		return admin_usage(disabled ? "disable USER" : "enable USER");
	int st = store_mailbox_set_disabled(admin_store(a), argv[1], disabled);
	return st == STORE_OK ? 0 : admin_fail(argv[1], st);
}

int admin_disable(struct admin *a, int argc, char **argv)
{
	return set_disabled(a, argc, argv, 1);
}

int admin_enable(struct admin *a, int argc, char **argv)
{
	return set_disabled(a, argc, argv, 0);
}

int admin_quota(struct admin *a, int argc, char **argv)
{
	unsigned long long bytes;
	if (argc != 3)
		return admin_usage("quota USER BYTES");
	if (bytes_parse(argv[2], &bytes) != 0)
		return admin_usage("quota USER BYTES   (BYTES: a number with K, M or G; "
				   "0: the policy's default-quota)");
	int st = store_mailbox_set_quota(admin_store(a), argv[1], bytes);
	return st == STORE_OK ? 0 : admin_fail(argv[1], st);
}

int admin_usage_cmd(struct admin *a, int argc, char **argv)
{
	store_mailbox_info_t info;
	if (argc != 2)
		return admin_usage("usage USER");
	int st = store_mailbox_info(admin_store(a), argv[1], &info);
	if (st != STORE_OK)
		return admin_fail(argv[1], st);
	print_usage_line(argv[1], &info);
	/* What else it holds, each against the policy's limit of that name. */
	printf("  %llu folders (max-folders), %llu ACL entries (max-acl-total), %llu unfinished "
	       "uploads of %llu bytes (max-uploads; counted in the quota), %llu op records "
	       "(max-op-records)\n",
	       (unsigned long long)info.folders, (unsigned long long)info.acl_entries,
	       (unsigned long long)info.uploads, (unsigned long long)info.upload_bytes,
	       (unsigned long long)info.op_records);
	return 0;
}
