/*
 * test_seal.c -- the framing of sealed calls (common/seal.c, seal_stream.c)
 * with fixed keys: known-answer vectors, every field of the additional
 * data, tampering, replays, the limits, wiping, and a body through an XDR
 * stream both ways.
 *
 * The vectors were computed independently, with Python's cryptography
 * package (AESGCM(key).encrypt(nonce, plaintext, aad)) over the nonce and
 * AAD layouts docs/sealing.md gives, so they check the layouts too.
 */
#include <openssl/crypto.h>

#include "seal.h"
#include "test_util.h"

static const struct seal_ids IDS = {
    .prog = 0x2005A11C, .vers = 2, .proc = 1, .xid = 0x01020304, .seq = 7};

static const struct seal_limits NO_LIMITS = {.messages = 1ULL << 40, .bytes = 1ULL << 40};

/* key[i] = i (call), 32 + i (reply): the 64 bytes seal_keys.c would give. */
static void material(unsigned char m[2 * SEAL_KEY_LEN])
{
	for (int i = 0; i < 2 * SEAL_KEY_LEN; i++)
		m[i] = (unsigned char)i;
}

static void pair(struct seal_keys *client, struct seal_keys *server,
		 const struct seal_limits *limits)
{
	unsigned char m[2 * SEAL_KEY_LEN];
	material(m);
	CHECK(seal_keys_init(client, m, 1, limits) == SEAL_OK);
	CHECK(seal_keys_init(server, m, 0, limits) == SEAL_OK);
}

static int hex_is(const unsigned char *p, size_t n, const char *hex)
{
	char buf[256];
	CHECK(2 * n < sizeof(buf));
	for (size_t i = 0; i < n; i++)
		snprintf(buf + 2 * i, 3, "%02x", p[i]);
	return strcmp(buf, hex) == 0;
}

static void t_layouts(void)
{
	unsigned char nonce[SEAL_NONCE_LEN], aad[SEAL_AAD_LEN];
	seal_nonce(SEAL_REPLY, 0x0102030405060708ULL, nonce);
	CHECK(hex_is(nonce, sizeof(nonce), "000000020102030405060708"));
	seal_aad(SEAL_CALL, &IDS, aad);
	CHECK(hex_is(aad, sizeof(aad),
		     "4d5253312005a11c00000002000000010102030400000007"
		     "00000001"));
}

static void t_vectors(void)
{
	struct seal_keys c, s;
	pair(&c, &s, &NO_LIMITS);
	unsigned char buf[64] = "mailrpc sealed body, call #1", tag[SEAL_TAG_LEN];
	size_t len = strlen((char *)buf);
	uint64_t counter = 0;
	CHECK(seal_box(&c.call, &IDS, buf, len, tag, &counter) == SEAL_OK);
	CHECK(counter == 1);
	CHECK(hex_is(buf, len, "c676ada2bcae80fb99527ed18ea718a51e29852fcfbd749f1f727577"));
	CHECK(hex_is(tag, sizeof(tag), "6fa28dc4e5e0984348770c49b94c1aad"));
	CHECK(seal_open(&s.call, &IDS, counter, buf, len, tag) == SEAL_OK);
	CHECK(memcmp(buf, "mailrpc sealed body, call #1", len) == 0);

	/* An empty reply body: the tag alone authenticates header and counter. */
	CHECK(seal_box(&s.reply, &IDS, buf, 0, tag, &counter) == SEAL_OK);
	CHECK(hex_is(tag, sizeof(tag), "0f60fa8a881524d51ad50e183c76e692"));
	CHECK(seal_open(&c.reply, &IDS, counter, buf, 0, tag) == SEAL_OK);

	/* Sealing goes only one way with each key on each side. */
	CHECK(seal_box(&s.call, &IDS, buf, 4, tag, &counter) == SEAL_MALFORMED);
	CHECK(seal_open(&c.call, &IDS, 1, buf, 4, tag) == SEAL_MALFORMED);
	seal_keys_wipe(&c);
	seal_keys_wipe(&s);
}

/* Seals "hello" under ids; opens it under other; returns the result. */
static int open_as(const struct seal_ids *ids, const struct seal_ids *other, int flip)
{
	struct seal_keys c, s;
	pair(&c, &s, &NO_LIMITS);
	unsigned char buf[8] = "hello", tag[SEAL_TAG_LEN];
	uint64_t counter;
	CHECK(seal_box(&c.call, ids, buf, 5, tag, &counter) == SEAL_OK);
	if (flip >= 0 && flip < 5)
		buf[flip] ^= 0x01;
	else if (flip >= 5)
		tag[flip - 5] ^= 0x80;
	int r = seal_open(&s.call, other, counter, buf, 5, tag);
	if (r != SEAL_OK) /* wiped: nothing unauthenticated is left to read */
		CHECK(memcmp(buf, "\0\0\0\0\0", 5) == 0);
	seal_keys_wipe(&c);
	seal_keys_wipe(&s);
	return r;
}

static void t_aad(void)
{
	CHECK(open_as(&IDS, &IDS, -1) == SEAL_OK);
	for (int field = 0; field < 5; field++) {
		struct seal_ids other = IDS;
		uint32_t *f[] = {&other.prog, &other.vers, &other.proc, &other.xid, &other.seq};
		*f[field] ^= 1;
		CHECK(open_as(&IDS, &other, -1) == SEAL_BADTAG);
	}
	/* One flipped bit anywhere, body or tag. */
	for (int i = 0; i < 5 + SEAL_TAG_LEN; i++)
		CHECK(open_as(&IDS, &IDS, i) == SEAL_BADTAG);
}

static void t_direction(void)
{
	/* The same key used as the other direction's: nonce and AAD differ. */
	unsigned char m[2 * SEAL_KEY_LEN];
	material(m);
	struct seal_key send, wrong_dir;
	CHECK(seal_key_init(&send, m, SEAL_CALL, SEAL_SENDER, &NO_LIMITS) == SEAL_OK);
	CHECK(seal_key_init(&wrong_dir, m, SEAL_REPLY, SEAL_RECEIVER, &NO_LIMITS) == SEAL_OK);
	unsigned char buf[8] = "hello", tag[SEAL_TAG_LEN];
	uint64_t counter;
	CHECK(seal_box(&send, &IDS, buf, 5, tag, &counter) == SEAL_OK);
	CHECK(seal_open(&wrong_dir, &IDS, counter, buf, 5, tag) == SEAL_BADTAG);
	seal_key_wipe(&send);
	seal_key_wipe(&wrong_dir);
}

static void t_replay_and_order(void)
{
	struct seal_keys c, s;
	pair(&c, &s, &NO_LIMITS);
	unsigned char saved[3][8], tags[3][SEAL_TAG_LEN], buf[8];
	uint64_t counters[3];
	for (int i = 0; i < 3; i++) {
		memcpy(saved[i], "message", 8);
		CHECK(seal_box(&c.call, &IDS, saved[i], 8, tags[i], &counters[i]) == SEAL_OK);
		CHECK(counters[i] == (uint64_t)i + 1);
	}
	/* The same plaintext never gives the same ciphertext. */
	CHECK(memcmp(saved[0], saved[1], 8) != 0 && memcmp(saved[1], saved[2], 8) != 0);
	memcpy(buf, saved[0], 8);
	CHECK(seal_open(&s.call, &IDS, 1, buf, 8, tags[0]) == SEAL_OK);
	memcpy(buf, saved[0], 8);
	CHECK(seal_open(&s.call, &IDS, 1, buf, 8, tags[0]) == SEAL_REPLAY);
	/* A gap is allowed (a call lost before it was opened)... */
	memcpy(buf, saved[2], 8);
	CHECK(seal_open(&s.call, &IDS, 3, buf, 8, tags[2]) == SEAL_OK);
	/* ...but nothing from behind it, however genuine. */
	memcpy(buf, saved[1], 8);
	CHECK(seal_open(&s.call, &IDS, 2, buf, 8, tags[1]) == SEAL_REPLAY);
	/* A counter the sender never used does not open either. */
	memcpy(buf, saved[2], 8);
	CHECK(seal_open(&s.call, &IDS, 4, buf, 8, tags[2]) == SEAL_BADTAG);
	seal_keys_wipe(&c);
	seal_keys_wipe(&s);
}

static void t_limits(void)
{
	const struct seal_limits small = {.messages = 3, .bytes = 100};
	struct seal_keys c, s;
	pair(&c, &s, &small);
	unsigned char buf[128] = {0}, tag[SEAL_TAG_LEN];
	uint64_t counter;
	CHECK(!seal_key_spent(&c.call, 60));
	CHECK(seal_box(&c.call, &IDS, buf, 60, tag, &counter) == SEAL_OK);
	CHECK(seal_open(&s.call, &IDS, counter, buf, 60, tag) == SEAL_OK);
	/* 60 + 41 > 100: refused before anything is sealed or counted. */
	CHECK(seal_key_spent(&c.call, 41));
	CHECK(seal_box(&c.call, &IDS, buf, 41, tag, &counter) == SEAL_SPENT);
	CHECK(c.call.counter == 1 && c.call.bytes == 60);
	CHECK(seal_box(&c.call, &IDS, buf, 40, tag, &counter) == SEAL_OK);
	CHECK(seal_open(&s.call, &IDS, counter, buf, 40, tag) == SEAL_OK);
	CHECK(seal_box(&c.call, &IDS, buf, 0, tag, &counter) == SEAL_OK && counter == 3);
	CHECK(seal_open(&s.call, &IDS, counter, buf, 0, tag) == SEAL_OK);
	/* The fourth message would pass the message limit. */
	CHECK(seal_key_spent(&c.call, 0));
	CHECK(seal_box(&c.call, &IDS, buf, 0, tag, &counter) == SEAL_SPENT);
	/* A receiver refuses what a sender should not have sent. */
	CHECK(seal_open(&s.call, &IDS, 4, buf, 0, tag) == SEAL_SPENT);
	/* Bodies over the record buffer's room are never sealed. */
	CHECK(seal_box(&s.reply, &IDS, buf, SEAL_BODY_MAX + 1, tag, &counter) == SEAL_MALFORMED);
	seal_keys_wipe(&c);
	seal_keys_wipe(&s);
}

static void t_wipe(void)
{
	struct seal_keys c, s;
	pair(&c, &s, &NO_LIMITS);
	seal_keys_wipe(&c);
	static const unsigned char zero[sizeof(struct seal_key)];
	CHECK(memcmp(&c.call, zero, sizeof(zero)) == 0 &&
	      memcmp(&c.reply, zero, sizeof(zero)) == 0);
	/* A wiped key seals nothing (it is as good as spent). */
	unsigned char buf[4] = {0}, tag[SEAL_TAG_LEN];
	uint64_t counter;
	c.call.role = SEAL_SENDER;
	CHECK(seal_box(&c.call, &IDS, buf, 4, tag, &counter) == SEAL_SPENT);
	seal_keys_wipe(&s);
	s.call.role = SEAL_RECEIVER;
	CHECK(seal_open(&s.call, &IDS, 1, buf, 4, tag) == SEAL_SPENT);
}

/* A body through an XDR stream as mailrpcd and libmailrpc move it. */
struct body {
	char *text;
	u_int n;
};
static bool_t xdr_body(XDR *xdrs, struct body *b)
{
	return xdr_string(xdrs, &b->text, 1u << 20) && xdr_u_int(xdrs, &b->n);
}

static void t_xdr(void)
{
	struct seal_keys c, s;
	pair(&c, &s, &NO_LIMITS);
	unsigned char *scratch_c = malloc(SEAL_SCRATCH_LEN), *scratch_s = malloc(SEAL_SCRATCH_LEN);
	char *wire = malloc(2 * SEAL_SCRATCH_LEN);
	CHECK(scratch_c && scratch_s && wire);
	XDR out, in;
	struct body sent = {.text = "Subject: zqmarker\r\n", .n = 42}, got = {0};

	xdrmem_create(&out, wire, 2 * SEAL_SCRATCH_LEN, XDR_ENCODE);
	CHECK(seal_xdr_put(&c.call, &IDS, &out, (xdrproc_t)xdr_body, &sent, scratch_c) == SEAL_OK);
	u_int wire_len = XDR_GETPOS(&out);
	CHECK(memmem(wire, wire_len, "zqmarker", 8) == NULL);
	xdrmem_create(&in, wire, wire_len, XDR_DECODE);
	CHECK(seal_xdr_get(&s.call, &IDS, &in, (xdrproc_t)xdr_body, &got, scratch_s) == SEAL_OK);
	CHECK(strcmp(got.text, sent.text) == 0 && got.n == 42);
	xdr_free((xdrproc_t)xdr_body, (char *)&got);

	/* The same body again: the next counter, another ciphertext. */
	char first[64];
	memcpy(first, wire, sizeof(first));
	xdrmem_create(&out, wire, 2 * SEAL_SCRATCH_LEN, XDR_ENCODE);
	CHECK(seal_xdr_put(&c.call, &IDS, &out, (xdrproc_t)xdr_body, &sent, scratch_c) == SEAL_OK);
	CHECK(memcmp(first + 12, wire + 12, 16) != 0);
	/* Replayed through the stream: refused, and got is left empty. */
	xdrmem_create(&in, first, sizeof(first), XDR_DECODE);
	memset(&got, 0, sizeof(got));
	CHECK(seal_xdr_get(&s.call, &IDS, &in, (xdrproc_t)xdr_body, &got, scratch_s) ==
	      SEAL_REPLAY);
	CHECK(got.text == NULL);

	/* Trailing bytes inside the seal: the decoder must use every byte. */
	xdrmem_create(&out, wire, 2 * SEAL_SCRATCH_LEN, XDR_ENCODE);
	CHECK(seal_xdr_put(&c.call, &IDS, &out, (xdrproc_t)xdr_body, &sent, scratch_c) == SEAL_OK);
	xdrmem_create(&in, wire, XDR_GETPOS(&out), XDR_DECODE);
	CHECK(seal_xdr_get(&s.call, &IDS, &in, (xdrproc_t)xdr_void, NULL, scratch_s) ==
	      SEAL_UNDECODED);

	/* A box announced over the scratch space is refused before reading. */
	unsigned char big[12] = {0, 0, 0, 0, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xf0};
	xdrmem_create(&in, (char *)big, sizeof(big), XDR_DECODE);
	CHECK(seal_xdr_get(&s.call, &IDS, &in, (xdrproc_t)xdr_body, &got, scratch_s) ==
	      SEAL_MALFORMED);
	/* A box too short to hold a tag. */
	unsigned char tiny[16] = {0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 4, 1, 2, 3, 4};
	xdrmem_create(&in, (char *)tiny, sizeof(tiny), XDR_DECODE);
	CHECK(seal_xdr_get(&s.call, &IDS, &in, (xdrproc_t)xdr_body, &got, scratch_s) ==
	      SEAL_MALFORMED);
	/* A body over SEAL_BODY_MAX cannot be sealed. */
	char *huge = malloc(SEAL_BODY_MAX + 1);
	CHECK(huge != NULL);
	memset(huge, 'x', SEAL_BODY_MAX);
	huge[SEAL_BODY_MAX] = '\0';
	struct body too_big = {.text = huge};
	xdrmem_create(&out, wire, 2 * SEAL_SCRATCH_LEN, XDR_ENCODE);
	CHECK(seal_xdr_put(&c.call, &IDS, &out, (xdrproc_t)xdr_body, &too_big, scratch_c) ==
	      SEAL_UNDECODED);
	free(huge);
	free(scratch_c);
	free(scratch_s);
	free(wire);
	seal_keys_wipe(&c);
	seal_keys_wipe(&s);
}

static void t_texts(void)
{
	for (int r = SEAL_OK; r <= SEAL_UNDECODED; r++)
		CHECK(seal_result_text(r)[0] != '\0');
	CHECK(strstr(seal_result_text(SEAL_BADTAG), "integrity") != NULL);
	CHECK(strstr(seal_result_text(SEAL_REPLAY), "replayed") != NULL);
}

int main(void)
{
	RUN(t_layouts);
	RUN(t_vectors);
	RUN(t_aad);
	RUN(t_direction);
	RUN(t_replay_and_order);
	RUN(t_limits);
	RUN(t_wipe);
	RUN(t_xdr);
	RUN(t_texts);
	return 0;
}
