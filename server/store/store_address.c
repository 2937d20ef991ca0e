/*
 * store_address.c -- local domains and aliases (administration), and the
 * questions every process asks about an address: is it local, which
 * mailbox does it reach, what is a mailbox's own address.  The records
 * and the resolution rule are in store_addr_db.c.
 */
#include "store_int.h"

#include <string.h>

/* domain in lower case into buf, or INVALID. */
static int domain_key(const char *domain, char buf[STORE_DOMAIN_MAX + 1])
{
	if (store_domain_check(domain) != STORE_OK)
		return STORE_INVALID;
	snprintf(buf, STORE_DOMAIN_MAX + 1, "%s", domain);
	st_lower(buf);
	return STORE_OK;
}

struct domain_ctx {
	char name[STORE_DOMAIN_MAX + 1];
	int make_default;
};

/* Clears the default flag of every domain but keep (NULL: all). */
static int clear_defaults(store_t *st, MDB_txn *txn, const char *keep)
{
	char name[STORE_DOMAIN_MAX + 1];
	int status;

	while ((status = st_domain_default(st, txn, name)) == STORE_OK && name[0] != '\0') {
		if (keep != NULL && strcmp(name, keep) == 0)
			return STORE_OK;
		status = st_domain_put(st, txn, name, 0);
		if (status != STORE_OK)
			break;
	}
	return status;
}

static int domain_add_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct domain_ctx *c = vctx;
	char dflt[STORE_DOMAIN_MAX + 1];
	uint32_t flags;
	int status = st_domain_get(st, txn, c->name, &flags);

	if (status == STORE_OK && !(c->make_default && !(flags & ST_DOMAIN_DEFAULT)))
		return STORE_EXISTS;
	if (status != STORE_OK && status != STORE_NOTFOUND)
		return status;
	status = st_domain_default(st, txn, dflt);
	if (status == STORE_OK && c->make_default)
		status = clear_defaults(st, txn, NULL);
	if (status == STORE_OK)
		status = st_domain_put(st, txn, c->name,
				       c->make_default || dflt[0] == '\0' ? ST_DOMAIN_DEFAULT : 0);
	return status;
}

int store_domain_add(store_t *st, const char *domain, int make_default)
{
	struct domain_ctx c = {.make_default = make_default};
	int status = domain_key(domain, c.name);

	return status == STORE_OK ? st_write(st, domain_add_txn, &c) : status;
}

/* Whether any alias is in domain (lower case). */
static int domain_in_use(store_t *st, MDB_txn *txn, const char *domain, int *used_r)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	size_t dn = strlen(domain);
	int rc = mdb_cursor_open(txn, st->db_alias, &cur);

	*used_r = 0;
	for (rc = rc ? rc : mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0 && !*used_r;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const char *key = k.mv_data;
		*used_r = k.mv_size > dn + 1 && key[k.mv_size - dn - 1] == '@' &&
			  memcmp(key + k.mv_size - dn, domain, dn) == 0;
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? STORE_OK : st_err(rc, "alias scan");
}

/* The first domain in byte order becomes the default. */
static int elect_default(store_t *st, MDB_txn *txn)
{
	char name[STORE_DOMAIN_MAX + 1];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc = mdb_cursor_open(txn, st->db_domain, &cur);

	if (rc == 0)
		rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
	if (rc == 0 && k.mv_size <= STORE_DOMAIN_MAX) {
		memcpy(name, k.mv_data, k.mv_size);
		name[k.mv_size] = '\0';
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (rc == MDB_NOTFOUND)
		return STORE_OK;
	return rc == 0 ? st_domain_put(st, txn, name, ST_DOMAIN_DEFAULT)
		       : st_err(rc, "domain first");
}

static int domain_remove_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct domain_ctx *c = vctx;
	MDB_val k = {strlen(c->name), c->name};
	uint32_t flags;
	int used = 0, status = st_domain_get(st, txn, c->name, &flags);

	if (status == STORE_OK)
		status = domain_in_use(st, txn, c->name, &used);
	if (status == STORE_OK && used)
		status = STORE_NOTEMPTY;
	if (status == STORE_OK)
		status = st_err(mdb_del(txn, st->db_domain, &k, NULL), "domain del");
	if (status == STORE_OK && (flags & ST_DOMAIN_DEFAULT))
		status = elect_default(st, txn);
	return status;
}

int store_domain_remove(store_t *st, const char *domain)
{
	struct domain_ctx c = {0};
	int status = domain_key(domain, c.name);

	return status == STORE_OK ? st_write(st, domain_remove_txn, &c) : status;
}

int store_domain_local(store_t *st, const char *domain, int *local_r)
{
	char name[STORE_DOMAIN_MAX + 1];
	MDB_txn *txn = NULL;
	uint32_t flags;
	int status = domain_key(domain, name);

	*local_r = 0;
	if (status == STORE_OK)
		status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_domain_get(st, txn, name, &flags);
	if (txn != NULL)
		mdb_txn_abort(txn);
	*local_r = status == STORE_OK;
	return status == STORE_NOTFOUND || status == STORE_INVALID ? STORE_OK : status;
}

struct domain_walk {
	store_domain_list_t *l;
	size_t cap;
};

static int domain_one(const MDB_val *k, const MDB_val *v, void *ctx)
{
	struct domain_walk *w = ctx;

	if (k->mv_size > STORE_DOMAIN_MAX || v->mv_size != ST_DOMAIN_VAL_LEN)
		return st_corrupt("domain", k, "domain record does not decode");
	int status =
	    st_room_for_one((void **)&w->l->items, w->l->count, &w->cap, sizeof(*w->l->items));
	if (status != STORE_OK)
		return status;
	store_domain_t *d = &w->l->items[w->l->count++];
	memcpy(d->name, k->mv_data, k->mv_size);
	d->name[k->mv_size] = '\0';
	d->is_default = (st_get_u16((unsigned char *)v->mv_data + 2) & ST_DOMAIN_DEFAULT) != 0;
	return STORE_OK;
}

int store_domain_list(store_t *st, store_domain_list_t **list_r)
{
	struct domain_walk w = {.l = calloc(1, sizeof(*w.l))};
	int status =
	    w.l ? st_read_each(st, st->db_domain, "domain list", domain_one, &w) : STORE_INTERNAL;

	*list_r = NULL;
	if (status == STORE_OK)
		*list_r = w.l;
	else
		store_domain_list_free(&w.l);
	return status;
}

void store_domain_list_free(store_domain_list_t **list)
{
	if (list == NULL || *list == NULL)
		return;
	free((*list)->items);
	free(*list);
	*list = NULL;
}

struct alias_ctx {
	char address[STORE_ADDRESS_MAX + 1];
	const char *mailbox;
};

static int alias_add_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct alias_ctx *c = vctx;
	unsigned char vb[ST_ALIAS_FIXED_LEN + STORE_NAME_MAX];
	char name[STORE_NAME_MAX + 1];
	size_t n = strlen(c->mailbox);
	MDB_val k = {strlen(c->address), c->address}, v = {ST_ALIAS_FIXED_LEN + n, vb};
	uint64_t mbid;
	uint32_t flags;
	st_mbox_t mb;
	int status = st_domain_get(st, txn, strrchr(c->address, '@') + 1, &flags);

	if (status == STORE_NOTFOUND)
		return STORE_DENIED;
	if (status == STORE_OK)
		status = st_mbox_load(st, txn, c->mailbox, 1, &mb);
	/* No such mailbox: NOTFOUND, before the alias's own "not found". */
	if (status != STORE_OK)
		return status;
	status = st_alias_get(st, txn, c->address, &mbid, name);
	if (status == STORE_OK)
		return STORE_EXISTS;
	if (status != STORE_NOTFOUND)
		return status;
	memset(vb, 0, ST_ALIAS_FIXED_LEN);
	st_put_u16(vb, 1);
	st_put_u64(vb + 8, mb.mbid);
	memcpy(vb + ST_ALIAS_FIXED_LEN, c->mailbox, n);
	return st_err(mdb_put(txn, st->db_alias, &k, &v, 0), "alias put");
}

int store_alias_add(store_t *st, const char *address, const char *mailbox)
{
	struct alias_ctx c = {.mailbox = mailbox};

	if (store_address_check(address) != STORE_OK || st_valid_mailbox_name(mailbox) != STORE_OK)
		return STORE_INVALID;
	snprintf(c.address, sizeof(c.address), "%s", address);
	st_lower(c.address);
	return st_write(st, alias_add_txn, &c);
}

static int alias_remove_txn(store_t *st, MDB_txn *txn, void *vctx)
{
	struct alias_ctx *c = vctx;
	MDB_val k = {strlen(c->address), c->address};

	return st_err(mdb_del(txn, st->db_alias, &k, NULL), "alias del");
}

int store_alias_remove(store_t *st, const char *address)
{
	struct alias_ctx c = {0};

	if (store_address_check(address) != STORE_OK)
		return STORE_INVALID;
	snprintf(c.address, sizeof(c.address), "%s", address);
	st_lower(c.address);
	return st_write(st, alias_remove_txn, &c);
}

struct alias_walk {
	store_alias_list_t *l;
	size_t cap;
	const char *mailbox; /* NULL: every mailbox's */
};

static int alias_one(const MDB_val *k, const MDB_val *v, void *ctx)
{
	struct alias_walk *w = ctx;
	char name[STORE_NAME_MAX + 1];
	uint64_t mbid;

	if (k->mv_size > STORE_ADDRESS_MAX || st_alias_decode(v, &mbid, name) != STORE_OK)
		return st_corrupt("alias", k, "alias record does not decode");
	if (w->mailbox != NULL && strcmp(w->mailbox, name) != 0)
		return STORE_OK;
	int status =
	    st_room_for_one((void **)&w->l->items, w->l->count, &w->cap, sizeof(*w->l->items));
	if (status != STORE_OK)
		return status;
	store_alias_t *a = &w->l->items[w->l->count++];
	memcpy(a->address, k->mv_data, k->mv_size);
	a->address[k->mv_size] = '\0';
	memcpy(a->mailbox, name, sizeof(name));
	return STORE_OK;
}

int store_alias_list(store_t *st, const char *mailbox, store_alias_list_t **list_r)
{
	struct alias_walk w = {.l = calloc(1, sizeof(*w.l)), .mailbox = mailbox};
	int status =
	    w.l ? st_read_each(st, st->db_alias, "alias list", alias_one, &w) : STORE_INTERNAL;

	*list_r = NULL;
	if (status == STORE_OK)
		*list_r = w.l;
	else
		store_alias_list_free(&w.l);
	return status;
}

void store_alias_list_free(store_alias_list_t **list)
{
	if (list == NULL || *list == NULL)
		return;
	free((*list)->items);
	free(*list);
	*list = NULL;
}

int store_address_resolve(store_t *st, const char *address, int *local_r,
			  char mailbox_r[STORE_NAME_MAX + 1])
{
	MDB_txn *txn = NULL;
	int status = STORE_INVALID;

	*local_r = 0;
	mailbox_r[0] = '\0';
	if (address == NULL || address[0] == '\0' || strlen(address) > STORE_ADDRESS_MAX)
		return status;
	status = st_read_begin(st, &txn);
	if (status == STORE_OK)
		status = st_address_resolve(st, txn, address, local_r, mailbox_r);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return status;
}

int store_address_primary(store_t *st, const char *mailbox, char address_r[STORE_ADDRESS_MAX + 1])
{
	char domain[STORE_DOMAIN_MAX + 1];
	MDB_txn *txn = NULL;
	int status = st_read_begin(st, &txn);

	address_r[0] = '\0';
	if (status == STORE_OK)
		status = st_domain_default(st, txn, domain);
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (status == STORE_OK && domain[0] == '\0')
		status = STORE_NOTFOUND;
	if (status == STORE_OK && (size_t)snprintf(address_r, STORE_ADDRESS_MAX + 1, "%s@%s",
						   mailbox, domain) > STORE_ADDRESS_MAX)
		status = STORE_INVALID;
	if (status == STORE_OK && store_address_check(address_r) != STORE_OK)
		status = STORE_INVALID; /* a mailbox name no address can carry */
	if (status != STORE_OK)
		address_r[0] = '\0';
	return status;
}
