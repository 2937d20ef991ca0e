/*
 * fuzz_mime.c -- libFuzzer harness for the gateway's MIME rendering
 * (gateway/mime_*.c on GMime): any bytes as a message; ENVELOPE,
 * BODYSTRUCTURE and sections are rendered and every entity's range must
 * lie inside the message.  With FUZZ_MIME_AGREE set it also stops where a
 * leaf's range differs from GMime's own content for it: known to happen
 * only on malformed ends GMime itself reads oddly (a last boundary line
 * cut before its LF loses the part's content), so it is a tool to look
 * with, not an invariant.
 * Build and run: make fuzz-build; tests/fuzz/run fuzz_mime
 */
#include <stdint.h>
#include <stdlib.h>

#include "mime_imap.h"
#include "mime_section.h"
#include "mime_tree.h"

static void check(const struct mime_entity *e, size_t len)
{
	if (!(e->header_start <= e->body_start && e->body_start <= e->end && e->end <= len))
		abort();
	for (size_t i = 0; i < e->nparts; i++)
		check(&e->parts[i], len);
	if (e->message_body != NULL)
		check(e->message_body, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sections[] = {
	    "",		 "1", "1.MIME", "2.1", "1.HEADER", "TEXT", "HEADER.FIELDS (From Subject)",
	    "2.2.2.MIME"};
	struct mime_message m;
	struct buf out;
	if (mime_parse((const char *)data, size, &m) != 0)
		return 0;
	check(&m.body, size);
	if (getenv("FUZZ_MIME_AGREE") != NULL && !mime_agrees_with_gmime(&m))
		abort(); /* a leaf's range differs from GMime's content */
	buf_init(&out, 1 << 24);
	mime_write_envelope(&m, &out);
	mime_write_bodystructure(&m, 1, &out);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		struct mime_section s;
		if (mime_section_parse(sections[i], __builtin_strlen(sections[i]), &s) == 0)
			mime_section_fetch(&m, &s, 0, SIZE_MAX, &out);
	}
	buf_free(&out);
	mime_free(&m);
	return 0;
}
