/*
 * store_addr_db.c -- the records of local domains ("domain") and aliases
 * ("alias"), and what an address reaches here (st_address_resolve), for
 * the operations of store_address.c and for submit.
 *
 * "domain" key: domain in lower case -> version(2) flags(2)
 * "alias"  key: address in lower case -> version(2) 0(2) 0(4) mbid(8) name
 */
#include "store_int.h"

#include <string.h>

int st_domain_get(store_t *st, MDB_txn *txn, const char *domain, uint32_t *flags_r)
{
	MDB_val k = {strlen(domain), (void *)domain}, v;
	int status = st_err(mdb_get(txn, st->db_domain, &k, &v), "domain get");

	*flags_r = 0;
	if (status != STORE_OK)
		return status;
	if (v.mv_size != ST_DOMAIN_VAL_LEN || st_get_u16(v.mv_data) != 1)
		return st_corrupt("domain", &k, "domain record of %zu bytes does not decode",
				  v.mv_size);
	*flags_r = st_get_u16((unsigned char *)v.mv_data + 2);
	return STORE_OK;
}

int st_domain_put(store_t *st, MDB_txn *txn, const char *domain, uint32_t flags)
{
	unsigned char vb[ST_DOMAIN_VAL_LEN];
	MDB_val k = {strlen(domain), (void *)domain}, v = {sizeof(vb), vb};

	st_put_u16(vb, 1);
	st_put_u16(vb + 2, (uint16_t)flags);
	return st_err(mdb_put(txn, st->db_domain, &k, &v, 0), "domain put");
}

int st_domain_default(store_t *st, MDB_txn *txn, char domain_r[STORE_DOMAIN_MAX + 1])
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, st->db_domain, &cur);

	domain_r[0] = '\0';
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (v.mv_size != ST_DOMAIN_VAL_LEN || k.mv_size > STORE_DOMAIN_MAX)
			continue; /* verify reports it */
		if (st_get_u16((unsigned char *)v.mv_data + 2) & ST_DOMAIN_DEFAULT) {
			memcpy(domain_r, k.mv_data, k.mv_size);
			domain_r[k.mv_size] = '\0';
			break;
		}
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	/* No domain, or none the default: "". */
	return rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "domain default");
}

int st_alias_decode(const MDB_val *v, uint64_t *mbid_r, char mailbox_r[STORE_NAME_MAX + 1])
{
	const unsigned char *p = v->mv_data;
	size_t n = v->mv_size - ST_ALIAS_FIXED_LEN;

	if (v->mv_size <= ST_ALIAS_FIXED_LEN || n > STORE_NAME_MAX || st_get_u16(p) != 1)
		return STORE_CORRUPT;
	*mbid_r = st_get_u64(p + 8);
	memcpy(mailbox_r, p + ST_ALIAS_FIXED_LEN, n);
	mailbox_r[n] = '\0';
	return STORE_OK;
}

int st_alias_get(store_t *st, MDB_txn *txn, const char *alias, uint64_t *mbid_r,
		 char mailbox_r[STORE_NAME_MAX + 1])
{
	MDB_val k = {strlen(alias), (void *)alias}, v;
	int status = st_err(mdb_get(txn, st->db_alias, &k, &v), "alias get");

	*mbid_r = 0;
	mailbox_r[0] = '\0';
	if (status == STORE_OK && st_alias_decode(&v, mbid_r, mailbox_r) != STORE_OK)
		status =
		    st_corrupt("alias", &k, "alias record of %zu bytes does not decode", v.mv_size);
	return status;
}

/* mailbox_r = name if a mailbox of that name exists (disabled or not). */
static int try_mailbox(store_t *st, MDB_txn *txn, const char *name,
		       char mailbox_r[STORE_NAME_MAX + 1])
{
	st_mbox_t mb;
	int status = st_valid_mailbox_name(name);

	if (status == STORE_OK)
		status = st_mbox_load(st, txn, name, 1, &mb);
	if (status == STORE_OK)
		snprintf(mailbox_r, STORE_NAME_MAX + 1, "%s", name);
	return status == STORE_INVALID ? STORE_NOTFOUND : status;
}

int st_address_resolve(store_t *st, MDB_txn *txn, const char *address, int *local_r,
		       char mailbox_r[STORE_NAME_MAX + 1])
{
	char lower[STORE_ADDRESS_MAX + 1], local[STORE_ADDRESS_MAX + 1];
	uint32_t flags;
	uint64_t mbid;
	int status;

	*local_r = 0;
	mailbox_r[0] = '\0';
	if (strchr(address, '@') == NULL) {
		/* A bare mailbox name, as local sends have always named them. */
		*local_r = 1;
		status = try_mailbox(st, txn, address, mailbox_r);
		return status == STORE_NOTFOUND ? STORE_OK : status;
	}
	if (store_address_check(address) != STORE_OK)
		return STORE_INVALID;
	snprintf(lower, sizeof(lower), "%s", address);
	st_lower(lower);
	char *at = strrchr(lower, '@');
	status = st_domain_get(st, txn, at + 1, &flags);
	if (status != STORE_OK)
		return status == STORE_NOTFOUND ? STORE_OK : status;
	*local_r = 1;
	status = st_alias_get(st, txn, lower, &mbid, mailbox_r);
	if (status != STORE_NOTFOUND)
		return status;
	/* The local part as a mailbox name: as written, then in lower case
	 * (what Postfix's pipe flags=u hands mailrpc-deliver). */
	size_t n = (size_t)(strrchr(address, '@') - address);
	memcpy(local, address, n);
	local[n] = '\0';
	status = try_mailbox(st, txn, local, mailbox_r);
	if (status == STORE_NOTFOUND) {
		st_lower(local);
		status = try_mailbox(st, txn, local, mailbox_r);
	}
	return status == STORE_NOTFOUND ? STORE_OK : status;
}

int st_alias_drop_mailbox(store_t *st, MDB_txn *txn, uint64_t mbid)
{
	char name[STORE_NAME_MAX + 1];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	uint64_t owner;
	int status = STORE_OK, rc = mdb_cursor_open(txn, st->db_alias, &cur);

	if (rc != 0)
		return st_err(rc, "alias cursor");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && status == STORE_OK;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (st_alias_decode(&v, &owner, name) != STORE_OK || owner != mbid)
			continue;
		if ((rc = mdb_cursor_del(cur, 0)) != 0)
			status = st_err(rc, "alias del");
	}
	mdb_cursor_close(cur);
	if (status == STORE_OK && rc != 0 && rc != MDB_NOTFOUND)
		status = st_err(rc, "alias purge");
	return status;
}
