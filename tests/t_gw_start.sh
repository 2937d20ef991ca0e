# t_gw_start.sh -- the gateway refuses to start, with a message an admin
# can act on, when its certificate, key, keytab or store cannot be used,
# and rejects bad flags as usage errors (status 64).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
setup_realm alice
make_cert

# try PROTO FLAGS...: the gateway's status and stderr ("$T/start.err");
# the store is $STORE (default $T/store).
try() {
	local proto=$1; shift
	timeout 10 "$BIN/bin/mailrpc-${proto}d" --listen "127.0.0.1:$(free_port)" --foreground \
		--hostname localhost ${STORE_FLAG---store "$T/store"} "$@" >"$T/start.err" 2>&1
}
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/other-key.pem" -out "$T/other-cert.pem" \
	-days 2 -subj /CN=other >/dev/null 2>&1
printf 'not a certificate\n' >"$T/junk.pem"
"$TOP/scripts/realm" addprinc "$T/realm" -randkey mailrpc/otherhost >/dev/null 2>&1
kadmin.local -r MAILRPC.TEST -q "ktadd -k $T/only-mailrpc.keytab mailrpc/localhost" >/dev/null 2>&1

try imap --cert "$T/missing.pem" --key "$T/key.pem" --keytab "$KEYTAB"
same "a missing certificate: status 1" "$?" 1
expect_contains "... and says so" "$(cat "$T/start.err")" "cannot read certificate $T/missing.pem"
try imap --cert "$T/junk.pem" --key "$T/key.pem" --keytab "$KEYTAB"
same "a file that is no certificate: status 1" "$?" 1
expect_contains "... and says so" "$(cat "$T/start.err")" "is not usable (PEM expected)"
try imap --cert "$T/cert.pem" --key "$T/other-key.pem" --keytab "$KEYTAB"
same "a key of another certificate: status 1" "$?" 1
expect_contains "... and says so" "$(cat "$T/start.err")" "does not belong to certificate"
try pop3 --cert "$T/cert.pem" --key "$T/key.pem" --keytab "$T/only-mailrpc.keytab"
same "a keytab without pop/localhost: status 1" "$?" 1
expect_contains "... and names the missing key" "$(cat "$T/start.err")" "has no usable key for pop@localhost"
try imap --cert "$T/cert.pem" --key "$T/key.pem" --keytab "$KEYTAB" --max-line 10
same "--max-line 10: a usage error" "$?" 64
try imap --cert "$T/cert.pem" --keytab "$KEYTAB"
same "no --key: a usage error" "$?" 64
expect_contains "... which says TLS is needed" "$(cat "$T/start.err")" "passwords need TLS"

STORE_FLAG= try imap --cert "$T/cert.pem" --key "$T/key.pem" --keytab "$KEYTAB"
same "no --store: a usage error" "$?" 64
expect_contains "... which names it" "$(cat "$T/start.err")" "--store DIR is required"
printf 'a file, not a directory\n' >"$T/not-a-dir"
STORE_FLAG="--store $T/not-a-dir" try imap --cert "$T/cert.pem" --key "$T/key.pem" --keytab "$KEYTAB"
same "a store that is a file: status 1" "$?" 1
expect_contains "... and says so" "$(cat "$T/start.err")" "cannot open the store in $T/not-a-dir"
try pop3 --cert "$T/cert.pem" --key "$T/key.pem" --keytab "$KEYTAB" --pop3-delete sometimes
same "--pop3-delete sometimes: a usage error" "$?" 64
expect_contains "... which lists the choices" "$(cat "$T/start.err")" "trash or expunge"
