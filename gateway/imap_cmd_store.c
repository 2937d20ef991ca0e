/*
 * imap_cmd_store.c -- STORE and UID STORE (RFC 3501 6.4.6, RFC 7162
 * 3.1.3 UNCHANGEDSINCE).  FLAGS, +FLAGS, -FLAGS (.SILENT) become one flag
 * change per batch of the store (set, then clear); flags the caller has
 * no right to keep (RFC 4314: "s" \Seen, "t" \Deleted, "w" the others)
 * are left as they are, as long as it may change some.  The new flags are
 * told as untagged FETCH (with MODSEQ once CONDSTORE is on) from the
 * view, brought up to date after the change.
 *
 * UNCHANGEDSINCE is checked against the view just brought up to date,
 * not inside the store's transaction: a change by another session between
 * the two can slip past it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "imap_flags.h"
#include "imap_msgset.h"
#include "imap_session.h"
#include "imap_view.h"

#define R(c) (1u << (strchr(STORE_RIGHTS_LETTERS, (c)) - STORE_RIGHTS_LETTERS))

enum store_mode { STORE_REPLACE, STORE_ADD, STORE_REMOVE };

struct store_request {
	enum store_mode mode;
	int silent;
	uint32_t flags;
	int conditional;
	uint64_t unchangedsince;
};

/* [(UNCHANGEDSINCE m)] item flags...: 0 or -1. */
static int parse_store(const struct imap_arg *args, size_t nargs, struct store_request *req)
{
	size_t i = 0;
	memset(req, 0, sizeof(*req));
	if (i < nargs && args[i].type == IMAP_ARG_LIST) {
		const struct imap_arg *m = &args[i++];
		char *end;
		if (m->count != 2 || m->list[0].type != IMAP_ARG_ATOM ||
		    strcasecmp(m->list[0].data, "UNCHANGEDSINCE") != 0 ||
		    m->list[1].type != IMAP_ARG_ATOM || m->list[1].data[0] < '0' ||
		    m->list[1].data[0] > '9')
			return -1;
		req->unchangedsince = strtoull(m->list[1].data, &end, 10);
		if (*end != '\0')
			return -1;
		req->conditional = 1;
	}
	if (i + 1 >= nargs || args[i].type != IMAP_ARG_ATOM)
		return -1;
	const char *item = args[i++].data;
	if (*item == '+' || *item == '-')
		req->mode = *item++ == '+' ? STORE_ADD : STORE_REMOVE;
	if (strcasecmp(item, "FLAGS.SILENT") == 0)
		req->silent = 1;
	else if (strcasecmp(item, "FLAGS") != 0)
		return -1;
	/* One flag list, or flags one by one (RFC 3501 9, store-att-flags). */
	if (args[i].type == IMAP_ARG_LIST)
		return i + 1 == nargs ? imap_parse_flags(&args[i], &req->flags) : -1;
	for (; i < nargs; i++) {
		uint32_t one;
		if (args[i].type != IMAP_ARG_ATOM || imap_parse_flags(&args[i], &one) != 0)
			return -1;
		req->flags |= one;
	}
	return 0;
}

/* The flag bits a caller with rights may keep. */
static uint32_t keepable(uint32_t rights)
{
	return ((rights & R('s')) ? STORE_FLAG_SEEN : 0) |
	       ((rights & R('t')) ? STORE_FLAG_DELETED : 0) |
	       ((rights & R('w')) ? STORE_FLAG_FLAGGED | STORE_FLAG_ANSWERED | STORE_FLAG_DRAFT
				  : 0);
}

/* Sets then clears on ids, batch by batch; an id someone removed
 * meanwhile is left out and the batch tried again without it. */
static int change_flags(struct imap_session *s, uint64_t *ids, size_t n, uint32_t set,
			uint32_t clear)
{
	int status = MAIL_OK;
	for (size_t i = 0; status == MAIL_OK && i < n;) {
		store_result_t res;
		size_t batch = n - i < STORE_BATCH_MAX ? n - i : STORE_BATCH_MAX;
		status = imap_view_use(s->gw.mail, s->view);
		if (status == MAIL_OK)
			status = mail_flags(s->gw.mail, NULL, ids + i, batch, set, clear, &res);
		store_result_clear(&res);
		if (status == MAIL_ERR_NOMESSAGE) {
			/* All or nothing: find the missing one, drop it, again. */
			imap_refresh(s);
			size_t kept = i;
			for (size_t k = i; k < n; k++) {
				size_t at = imap_view_find(s->view, ids[k]);
				if (at != SIZE_MAX && !s->view->msgs[at].gone)
					ids[kept++] = ids[k];
			}
			status = kept < n ? MAIL_OK : MAIL_ERR_NOMESSAGE;
			n = kept;
			continue;
		}
		i += batch;
	}
	return status;
}

/* "[MODIFIED set]": what UNCHANGEDSINCE kept from changing. */
static void write_modified(struct imap_session *s, const size_t *idx, size_t n, int uid,
			   struct buf *out)
{
	uint64_t *nums = malloc((n ? n : 1) * sizeof(*nums));
	if (nums == NULL) {
		out->overflow = 1;
		return;
	}
	for (size_t i = 0; i < n; i++)
		nums[i] = uid ? s->view->msgs[idx[i]].uid : idx[i] + 1;
	buf_adds(out, "[MODIFIED ");
	imap_write_uid_ranges(nums, n, out);
	buf_adds(out, "] Conditional STORE failed for some messages");
	free(nums);
}

enum imap_next imap_do_store(struct imap_session *s, const struct imap_command *cmd,
			     const struct imap_arg *args, size_t nargs, int uid)
{
	struct imap_msgset set;
	struct store_request req;
	if (nargs < 3 || parse_store(args + 1, nargs - 1, &req) != 0)
		return imap_reply(s, cmd, "BAD",
				  "STORE takes a message set, [(UNCHANGEDSINCE n)], "
				  "[+|-]FLAGS[.SILENT] and flags");
	if (s->view->readonly)
		return imap_reply(s, cmd, "NO", "[READ-ONLY] The folder is read-only");
	enum imap_msgset_result r = imap_msgset_parse(s->view, &args[0], uid, &set);
	if (r != IMAP_MSGSET_OK)
		return imap_reply(s, cmd, "BAD", imap_msgset_error(r));
	if (req.conditional)
		s->enabled |= IMAP_ENABLE_CONDSTORE;
	uint32_t mask = keepable(s->view->rights);
	uint32_t set_bits = req.mode == STORE_REMOVE ? 0 : req.flags & mask;
	uint32_t clear_bits = req.mode == STORE_ADD	 ? 0
			      : req.mode == STORE_REMOVE ? req.flags & mask
							 : ~req.flags & mask & STORE_FLAGS_ALL;
	uint64_t *ids = malloc((set.count ? set.count : 1) * sizeof(*ids));
	size_t *modified = malloc((set.count ? set.count : 1) * sizeof(*modified));
	size_t n = 0, n_modified = 0;
	int status = ids && modified ? MAIL_OK : MAIL_ERR_INTERNAL;
	for (size_t k = 0; status == MAIL_OK && k < set.count; k++) {
		const struct imap_msg *msg = &s->view->msgs[set.index[k]];
		if (msg->gone)
			continue;
		if (req.conditional && msg->modseq > req.unchangedsince)
			modified[n_modified++] = set.index[k];
		else
			ids[n++] = msg->uid;
	}
	if (status == MAIL_OK && req.flags != 0 && (req.flags & mask) == 0)
		status = MAIL_ERR_DENIED; /* none of them may be changed here */
	if (status == MAIL_OK && n > 0 && (set_bits | clear_bits) != 0)
		status = change_flags(s, ids, n, set_bits, clear_bits);
	if (status == MAIL_OK)
		imap_refresh(s);
	/* Every message stored to is told its flags, changed or not, unless silent. */
	for (size_t k = 0; status == MAIL_OK && k < n; k++) {
		size_t at = imap_view_find(s->view, ids[k]);
		if (at != SIZE_MAX && !s->view->msgs[at].gone)
			s->view->msgs[at].changed = !req.silent;
	}
	struct buf text;
	buf_init(&text, IMAP_REPLY_MAX);
	if (n_modified > 0)
		write_modified(s, modified, n_modified, uid, &text);
	free(ids);
	free(modified);
	imap_msgset_free(&set);
	enum imap_next next =
	    status != MAIL_OK ? imap_reply_mail(s, cmd, status)
	    : n_modified > 0
		? imap_reply(s, cmd, "OK", buf_cstr(&text))
		: imap_reply(s, cmd, "OK", uid ? "UID STORE completed" : "STORE completed");
	buf_free(&text);
	return next;
}
