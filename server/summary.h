/*
 * summary.h -- store message records to wire summaries, and pages of them
 * cut to the reply budget so a listing always fits the record buffer.
 */
#ifndef MAILRPCD_SUMMARY_H
#define MAILRPCD_SUMMARY_H

#include "mailrpc_prot.h"
#include "store.h"

/* Fills out (all strings malloc'd, freed by xdr_free). 0, or -1 when out of memory. */
int summary_from_store(const store_msginfo_t *in, mr_summary *out);

/*
 * Moves as many entries of list into page as fit MAILRPC_REPLY_BUDGET;
 * page->more is set when any were left out.  Returns MR_OK or an error.
 */
mr_status summary_page(const store_msglist_t *list, mr_msg_page *page);
/* The same within budget bytes (what is left of the reply for them). */
mr_status summary_page_within(const store_msglist_t *list, mr_msg_page *page, size_t budget);

#endif
