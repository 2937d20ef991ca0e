/*
 * cmd_address.c -- `domain` and `alias`: the local domains (a mailbox M
 * has the address M@D in each) and the aliases that reach a mailbox, kept
 * in the store so mailrpcd, mailrpc-deliver and the MTA's lookups all
 * agree (store.h, "addresses and domains").
 */
#include <stdio.h>
#include <string.h>

#include "admin.h"

#define DOMAIN_SYNOPSIS "domain add DOMAIN [--default] | domain rm DOMAIN | domain list"
#define ALIAS_SYNOPSIS "alias add ADDRESS USER | alias rm ADDRESS | alias list [USER]"

static int domain_list(struct admin *a)
{
	store_domain_list_t *list = NULL;
	int st = store_domain_list(admin_store(a), &list);
	if (st != STORE_OK)
		return admin_fail("domain list", st);
	for (size_t i = 0; i < list->count; i++)
		printf("%s%s\n", list->items[i].name,
		       list->items[i].is_default ? "  (default)" : "");
	store_domain_list_free(&list);
	return 0;
}

static int domain_add(struct admin *a, const char *domain, int make_default)
{
	int st = store_domain_add(admin_store(a), domain, make_default);
	if (st == STORE_INVALID) {
		fprintf(stderr,
			"mailrpc-admin: %s is not a domain name (letters, digits and hyphens "
			"in at least two dot-separated labels)\n",
			domain);
		return 1;
	}
	if (st == STORE_EXISTS) {
		fprintf(stderr, "mailrpc-admin: %s is already a local domain\n", domain);
		return 1;
	}
	return st == STORE_OK ? 0 : admin_fail(domain, st);
}

static int domain_rm(struct admin *a, const char *domain)
{
	int st = store_domain_remove(admin_store(a), domain);
	if (st == STORE_NOTFOUND || st == STORE_INVALID) {
		fprintf(stderr, "mailrpc-admin: %s is not a local domain\n", domain);
		return 1;
	}
	if (st == STORE_NOTEMPTY) {
		fprintf(stderr,
			"mailrpc-admin: %s still has aliases (alias list; alias rm ADDRESS)\n",
			domain);
		return 1;
	}
	return st == STORE_OK ? 0 : admin_fail(domain, st);
}

int admin_domain(struct admin *a, int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return domain_list(a);
	if ((argc == 3 || (argc == 4 && strcmp(argv[3], "--default") == 0)) &&
	    strcmp(argv[1], "add") == 0)
		return domain_add(a, argv[2], argc == 4);
	if (argc == 3 && strcmp(argv[1], "rm") == 0)
		return domain_rm(a, argv[2]);
	return admin_usage(DOMAIN_SYNOPSIS);
}

static int alias_list(struct admin *a, const char *user)
{
	store_alias_list_t *list = NULL;
	int st = store_alias_list(admin_store(a), user, &list);
	if (st != STORE_OK)
		return admin_fail("alias list", st);
	for (size_t i = 0; i < list->count; i++)
		printf("%-40s %s\n", list->items[i].address, list->items[i].mailbox);
	store_alias_list_free(&list);
	return 0;
}

static int alias_add(struct admin *a, const char *address, const char *user)
{
	int st = store_alias_add(admin_store(a), address, user);
	switch (st) {
	case STORE_OK:
		return 0;
	case STORE_INVALID:
		fprintf(stderr, "mailrpc-admin: %s is not an address (local@domain)\n", address);
		return 1;
	case STORE_DENIED:
		fprintf(stderr, "mailrpc-admin: %s is not in a local domain (domain add first)\n",
			address);
		return 1;
	case STORE_NOTFOUND:
		fprintf(stderr, "mailrpc-admin: no mailbox %s\n", user);
		return 1;
	case STORE_EXISTS:
		fprintf(stderr, "mailrpc-admin: alias %s already exists\n", address);
		return 1;
	default:
		return admin_fail(address, st);
	}
}

static int alias_rm(struct admin *a, const char *address)
{
	int st = store_alias_remove(admin_store(a), address);
	if (st == STORE_NOTFOUND || st == STORE_INVALID) {
		fprintf(stderr, "mailrpc-admin: no alias %s\n", address);
		return 1;
	}
	return st == STORE_OK ? 0 : admin_fail(address, st);
}

int admin_alias(struct admin *a, int argc, char **argv)
{
	if ((argc == 2 || argc == 3) && strcmp(argv[1], "list") == 0)
		return alias_list(a, argc == 3 ? argv[2] : NULL);
	if (argc == 4 && strcmp(argv[1], "add") == 0)
		return alias_add(a, argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "rm") == 0)
		return alias_rm(a, argv[2]);
	return admin_usage(ALIAS_SYNOPSIS);
}
