/* imap_names.c -- IMAP mailbox names <-> store folders (see imap_names.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "identity.h"
#include "imap_mutf7.h"
#include "imap_names.h"

/* "INBOX" in any case as the first level is the store's "Inbox". */
static int set_path(struct imap_box *box, const char *p, size_t len)
{
	const char *rest = p;
	size_t n = len;
	if (len >= 5 && strncasecmp(p, "INBOX", 5) == 0 && (len == 5 || p[5] == '/')) {
		rest = p + 5;
		n = len - 5;
		memcpy(box->path, STORE_FOLDER_INBOX, 5);
		if (n + 5 > STORE_PATH_MAX)
			return -1;
		memcpy(box->path + 5, rest, n);
		box->path[5 + n] = '\0';
		return 0;
	}
	if (n == 0 || n > STORE_PATH_MAX)
		return -1;
	memcpy(box->path, rest, n);
	box->path[n] = '\0';
	return 0;
}

/* After a namespace prefix: "" (the node itself), or "/" and more. */
static int under(const char *name, size_t len, const char *prefix, const char **rest_r,
		 size_t *rest_len_r)
{
	size_t n = strlen(prefix);
	if (len < n || memcmp(name, prefix, n) != 0 || (len > n && name[n] != '/'))
		return 0;
	*rest_r = len > n ? name + n + 1 : name + n;
	*rest_len_r = len > n ? len - n - 1 : 0;
	return 1;
}

static int parse_utf8(const char *name, size_t len, struct imap_box *box)
{
	const char *rest;
	size_t n;
	memset(box, 0, sizeof(*box));
	if (under(name, len, IMAP_NS_PUBLIC, &rest, &n)) {
		snprintf(box->mailbox, sizeof(box->mailbox), "%s", MAIL_PUBLIC_MAILBOX);
		if (len == strlen(IMAP_NS_PUBLIC)) {
			box->kind = IMAP_BOX_PUBLIC_ROOT;
			return 0;
		}
		return set_path(box, rest, n);
	}
	if (!under(name, len, IMAP_NS_OTHER, &rest, &n))
		return set_path(box, name, len);
	if (len == strlen(IMAP_NS_OTHER)) {
		box->kind = IMAP_BOX_OTHER_ROOT;
		return 0;
	}
	const char *slash = memchr(rest, '/', n);
	size_t user_len = slash ? (size_t)(slash - rest) : n;
	if (user_len == 0 || user_len > MAIL_NAME_MAX)
		return -1;
	memcpy(box->mailbox, rest, user_len);
	box->mailbox[user_len] = '\0';
	if (!mail_valid_mailbox(box->mailbox))
		return -1;
	if (slash == NULL) {
		box->kind = IMAP_BOX_USER_ROOT;
		return 0;
	}
	return set_path(box, slash + 1, n - user_len - 1);
}

int imap_name_parse(const char *name, size_t len, struct imap_box *box)
{
	struct buf utf8;
	buf_init(&utf8, 4 * STORE_PATH_MAX);
	int rc = -1;
	if (mutf7_to_utf8(name, len, &utf8) == 0 && utf8.len > 0)
		rc = parse_utf8(utf8.data, utf8.len, box);
	buf_free(&utf8);
	return rc;
}

int imap_name_format(const struct imap_box *box, struct buf *out)
{
	char name[2 * STORE_PATH_MAX + 64];
	const char *path = box->path;
	const char *inbox =
	    strncmp(path, STORE_FOLDER_INBOX, 5) == 0 && (path[5] == '\0' || path[5] == '/')
		? "INBOX"
		: "";
	if (inbox[0])
		path += 5;
	switch (box->kind) {
	case IMAP_BOX_OTHER_ROOT:
		snprintf(name, sizeof(name), "%s", IMAP_NS_OTHER);
		break;
	case IMAP_BOX_USER_ROOT:
		snprintf(name, sizeof(name), "%s/%s", IMAP_NS_OTHER, box->mailbox);
		break;
	case IMAP_BOX_PUBLIC_ROOT:
		snprintf(name, sizeof(name), "%s", IMAP_NS_PUBLIC);
		break;
	default:
		if (box->mailbox[0] == '\0')
			snprintf(name, sizeof(name), "%s%s", inbox, path);
		else if (strcmp(box->mailbox, MAIL_PUBLIC_MAILBOX) == 0)
			snprintf(name, sizeof(name), "%s/%s%s", IMAP_NS_PUBLIC, inbox, path);
		else
			snprintf(name, sizeof(name), "%s/%s/%s%s", IMAP_NS_OTHER, box->mailbox,
				 inbox, path);
	}
	return mutf7_from_utf8(name, strlen(name), out);
}

const char *imap_special_use(const char *mailbox, const char *path)
{
	static const struct {
		const char *path, *use;
	} uses[] = {
	    {STORE_FOLDER_DRAFTS, "\\Drafts"},
	    {STORE_FOLDER_SENT, "\\Sent"},
	    {STORE_FOLDER_DELETED, "\\Trash"},
	};
	if (mailbox[0] != '\0')
		return NULL; /* another's folders are theirs to use */
	for (size_t i = 0; i < sizeof(uses) / sizeof(uses[0]); i++)
		if (strcmp(path, uses[i].path) == 0)
			return uses[i].use;
	return NULL;
}
