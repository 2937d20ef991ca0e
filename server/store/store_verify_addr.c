/*
 * store_verify_addr.c -- store_verify's checks of the address data:
 * exactly one default among the local domains, and every alias in a local
 * domain naming a mailbox that exists (the one it was given: same mbid).
 * Records that do not decode were reported before and are skipped here.
 */
#include "store_int.h"

#include <stdarg.h>
#include <string.h>

struct vaddr {
	store_t *st;
	MDB_txn *txn;
	st_verify_problem_fn report;
	void *ctx;
};

static void problem(struct vaddr *v, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	v->report(v->ctx, text);
}

static int check_domains(struct vaddr *v)
{
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	uint64_t domains = 0, defaults = 0;
	int rc = mdb_cursor_open(v->txn, v->st->db_domain, &cur);

	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT)) {
		if (d.mv_size != ST_DOMAIN_VAL_LEN)
			continue;
		domains++;
		if (st_get_u16((unsigned char *)d.mv_data + 2) & ST_DOMAIN_DEFAULT)
			defaults++;
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (domains > 0 && defaults != 1)
		problem(v, "%llu local domains, %llu of them the default (want 1)",
			(unsigned long long)domains, (unsigned long long)defaults);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "verify domains");
}

static void check_alias(struct vaddr *v, const MDB_val *k, const MDB_val *d)
{
	char address[STORE_ADDRESS_MAX + 1], name[STORE_NAME_MAX + 1];
	uint64_t mbid;
	uint32_t flags;
	st_mbox_t mb;

	if (k->mv_size > STORE_ADDRESS_MAX || st_alias_decode(d, &mbid, name) != STORE_OK)
		return;
	memcpy(address, k->mv_data, k->mv_size);
	address[k->mv_size] = '\0';
	const char *at = strrchr(address, '@');
	if (at == NULL)
		return;
	if (st_domain_get(v->st, v->txn, at + 1, &flags) != STORE_OK)
		problem(v, "alias %s: %s is not a local domain", address, at + 1);
	if (st_mbox_load(v->st, v->txn, name, 1, &mb) != STORE_OK)
		problem(v, "alias %s: mailbox %s does not exist", address, name);
	else if (mb.mbid != mbid)
		problem(v, "alias %s: mailbox %s is not the one it was given (id %llu, not %llu)",
			address, name, (unsigned long long)mb.mbid, (unsigned long long)mbid);
}

int st_verify_addresses(store_t *st, MDB_txn *txn, st_verify_problem_fn report, void *ctx)
{
	struct vaddr v = {st, txn, report, ctx};
	MDB_cursor *cur = NULL;
	MDB_val k, d;
	int status = check_domains(&v), rc;

	if (status != STORE_OK)
		return status;
	rc = mdb_cursor_open(txn, st->db_alias, &cur);
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &d, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &d, MDB_NEXT))
		check_alias(&v, &k, &d);
	if (cur != NULL)
		mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "verify aliases");
}
