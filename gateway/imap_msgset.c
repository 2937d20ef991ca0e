/* imap_msgset.c -- message sets over the selected folder (see imap_msgset.h). */
#include <stdlib.h>
#include <string.h>

#include "imap_msgset.h"

static void mark_range(const struct imap_view *v, const struct imap_seq_range *r, int uid,
		       unsigned char *in)
{
	if (v->told == 0)
		return;
	/* "*" is the last told message: its UID, or its number. */
	uint64_t star = uid ? v->msgs[v->told - 1].uid : v->told;
	uint64_t lo = r->lo == IMAP_SEQ_STAR ? star : r->lo;
	uint64_t hi = r->hi == IMAP_SEQ_STAR ? star : r->hi;
	if (lo > hi) {
		uint64_t t = lo;
		lo = hi;
		hi = t;
	}
	if (uid) {
		for (size_t i = imap_view_lower_bound(v, v->told, lo);
		     i < v->told && v->msgs[i].uid <= hi; i++)
			in[i] = 1;
		return;
	}
	for (uint64_t i = lo; i <= hi; i++)
		in[i - 1] = 1;
}

enum imap_msgset_result imap_msgset_parse(const struct imap_view *v, const struct imap_arg *arg,
					  int uid, struct imap_msgset *set)
{
	struct imap_seqset seq;
	memset(set, 0, sizeof(*set));
	if (arg->type != IMAP_ARG_ATOM || imap_seqset_parse(arg->data, arg->len, &seq) != 0)
		return IMAP_MSGSET_SYNTAX;
	for (size_t i = 0; !uid && i < seq.count; i++) {
		uint32_t lo = seq.range[i].lo, hi = seq.range[i].hi;
		/* "*" in an empty folder names nothing; a number must exist. */
		if ((hi != IMAP_SEQ_STAR && hi > v->told) ||
		    (lo != IMAP_SEQ_STAR && lo > v->told)) {
			imap_seqset_free(&seq);
			return IMAP_MSGSET_RANGE;
		}
	}
	unsigned char *in = calloc(v->told ? v->told : 1, 1);
	set->index = malloc((v->told ? v->told : 1) * sizeof(*set->index));
	if (in == NULL || set->index == NULL) {
		free(in);
		imap_seqset_free(&seq);
		imap_msgset_free(set);
		return IMAP_MSGSET_SYNTAX;
	}
	for (size_t i = 0; i < seq.count; i++)
		mark_range(v, &seq.range[i], uid, in);
	for (size_t i = 0; i < v->told; i++)
		if (in[i])
			set->index[set->count++] = i;
	free(in);
	imap_seqset_free(&seq);
	return IMAP_MSGSET_OK;
}

void imap_msgset_free(struct imap_msgset *set)
{
	free(set->index);
	set->index = NULL;
	set->count = 0;
}

void imap_write_uid_ranges(const uint64_t *uids, size_t n, struct buf *out)
{
	for (size_t i = 0; i < n; i++) {
		size_t k = i;
		while (k + 1 < n && uids[k + 1] == uids[k] + 1)
			k++;
		buf_printf(out, i ? ",%llu" : "%llu", (unsigned long long)uids[i]);
		if (k > i)
			buf_printf(out, ":%llu", (unsigned long long)uids[k]);
		i = k;
	}
}

void imap_msgset_write_uids(const struct imap_view *v, const struct imap_msgset *set,
			    struct buf *out)
{
	uint64_t *uids = malloc((set->count ? set->count : 1) * sizeof(*uids));
	if (uids == NULL) {
		out->overflow = 1;
		return;
	}
	for (size_t i = 0; i < set->count; i++)
		uids[i] = v->msgs[set->index[i]].uid;
	imap_write_uid_ranges(uids, set->count, out);
	free(uids);
}

const char *imap_msgset_error(enum imap_msgset_result r)
{
	return r == IMAP_MSGSET_RANGE ? "No such message" : "Invalid message set";
}
