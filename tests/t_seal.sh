# t_seal.sh -- sealed calls (docs/sealing.md), through relays that record
# and tamper (tests/tools/relay.c, tamper.c): nothing readable on the
# wire, every altered, replayed or reordered call or reply refused, no
# downgrade once sealing was offered, and the policy's refusals exactly.
. "$(dirname "$0")/lib.sh"
MARKER=zqseal$RANDOM$RANDOM
setup_realm alice
login_users alice
start_server
WHOAMI=$(proc WHOAMI) FETCH=$(proc MSG_FETCH)
mark() { echo $(($(wc -l <"$SERVER_LOG") + 1)); }

# tamper_start ACTION...: a tampering relay to the server; sets TP, TAMPER_PID.
tamper_start() {
	rm -f "$T/tamper.out"
	"$TOOLS/tamper" 0 127.0.0.1 "$PORT" "$@" >"$T/tamper.out" 2>&1 &
	TAMPER_PID=$!
	PIDS+=("$TAMPER_PID")
	wait_for 100 grep -q '^port ' "$T/tamper.out" || { echo "FAIL setup: tamper"; exit 1; }
	TP=$(awk '/^port /{print $2}' "$T/tamper.out")
}
tamper_stop() { kill "$TAMPER_PID" 2>/dev/null; wait "$TAMPER_PID" 2>/dev/null; }

# ---- sealed by default, and said so ------------------------------------
out=$(as alice whoami 2>&1)
expect_contains "whoami at privacy says the calls are sealed" "$out" \
	"level:      privacy (sealed, AES-256-GCM)"
out=$(as alice -l integrity whoami 2>&1)
check "an integrity client is refused by a privacy server" test $? -ne 0 -o -z "$out"
m=$(mark)
as alice --json whoami >"$T/who.json"
check "whoami --json: sealed true" grep -q '"sealed": *true' "$T/who.json"
check "the server logged the call as sealed" \
	grep -qE "call proc=WHOAMI principal=alice@$MAILRPC_REALM .*level=privacy seal=aes-256-gcm" \
	<(tail -n +"$m" "$SERVER_LOG")

# ---- the recording relay: markers never on the wire ----------------------
printf 'Subject: sealed\n\nThe password is %s-body.\n' "$MARKER" >"$T/secret.eml"
relay_start 0 0
id=$(as alice -s "localhost:$RP" put Inbox "$T/secret.eml")
check "put through the recording relay: stored ($id)" test -n "$id"
check "put: the marker in the arguments never crossed the wire" \
	test "$(grep -caF "$MARKER" "$REC")" -eq 0
: >"$REC"
as alice -s "localhost:$RP" cat "$id" >"$T/back" 2>&1
check "cat through the relay: the message comes back whole" cmp -s "$T/secret.eml" "$T/back"
check "cat: the marker in the results never crossed the wire" \
	test "$(grep -caF "$MARKER" "$REC")" -eq 0
relay_stop

# The same message fetched twice: different ciphertext on the wire.
mkdir -p "$T/dump"
tamper_start dump-replies "$FETCH" "$T/dump"
# (each connection numbers its replies from 1)
as alice -s "localhost:$TP" cat "$id" >/dev/null 2>&1 && mv "$T/dump/reply.1" "$T/dump/first"
as alice -s "localhost:$TP" cat "$id" >/dev/null 2>&1 && mv "$T/dump/reply.1" "$T/dump/second"
tamper_stop
check "two fetches of one message recorded" test -s "$T/dump/first" -a -s "$T/dump/second"
check "...as replies of the same size" \
	test "$(stat -c %s "$T/dump/first")" = "$(stat -c %s "$T/dump/second")"
check "...with different ciphertext (fresh keys per connection)" \
	test "$(sha256sum <"$T/dump/first")" != "$(sha256sum <"$T/dump/second")"
check "...neither readable" test "$(cat "$T"/dump/* | grep -caF "$MARKER")" -eq 0

# ---- one flipped bit ----------------------------------------------------
tamper_start flip-reply "$FETCH" 1
rm -f "$T/flipped"
out=$(as alice -s "localhost:$TP" get "$id" -o "$T/flipped" 2>&1); rc=$?
check "a flipped bit in a sealed reply fails the command (rc $rc)" test "$rc" -ne 0
expect_contains "...as an integrity error" "$out" "failed its integrity check"
check "...and nothing was written" test ! -s "$T/flipped"
check "the relay did flip it" grep -q "^flipped reply" "$T/tamper.out"
tamper_stop

m=$(mark)
tamper_start flip-call "$WHOAMI" 1
out=$(as alice -s "localhost:$TP" whoami 2>&1)
expect_contains "a flipped bit in a sealed call: the next try on a new context works" "$out" \
	"(sealed, AES-256-GCM)"
check "the relay did flip it" grep -q "^flipped call" "$T/tamper.out"
check "the server refused it and ended the context, logging principal and peer" \
	grep -qE "refused proc=WHOAMI principal=alice@$MAILRPC_REALM peer=127\.0\.0\.1:[0-9]+: sealed body failed its integrity check.*context ended" \
	<(tail -n +"$m" "$SERVER_LOG")
n=$(tail -n +"$m" "$SERVER_LOG" | grep -c "call proc=SEAL_BEGIN .*result=OK")
check "...and the client sealed a new context on the same connection ($n SEAL_BEGIN)" \
	test "$n" -eq 2
tamper_stop

# ---- replay and reorder --------------------------------------------------
# The first UPLOAD_APPEND of a 2 MiB put (16 of them, one connection),
# sent again once 1 (inside RPCSEC_GSS's window of 5) or 7 (beyond it)
# more replies went by, then on a new connection.  The put itself goes on.
APPEND=$(proc UPLOAD_APPEND)
head -c $((2 * 1024 * 1024)) /dev/urandom >"$T/two"
for after in 1 7; do
	tamper_start replay "$APPEND" 1 "$after"
	as alice -s "localhost:$TP" put Inbox "$T/two" >/dev/null 2>&1
	wait_for 50 grep -q '^replay new' "$T/tamper.out"
	same=$(sed -n 's/^replay same: //p' "$T/tamper.out" | head -1)
	new=$(sed -n 's/^replay new: //p' "$T/tamper.out" | head -1)
	check "a sealed call replayed after $after replies on its connection is refused ($same)" \
		test -n "$same" -a "${same#denied}" != "$same"
	check "...and on a new connection ($new)" test -n "$new" -a "${new#denied}" != "$new"
	tamper_stop
done

# ---- downgrade ------------------------------------------------------------
# No sealing at first contact (an old server, or its offer stripped): plain
# RPCSEC_GSS privacy, still encrypted, and said so.
tamper_start noseal 0
out=$(as alice -s "localhost:$TP" whoami 2>&1)
expect_contains "a server without sealing: plain privacy, no error" "$out" \
	"level:      privacy (RPCSEC_GSS)"
tamper_stop
# A client told not to seal: plain privacy, served and said so.
out=$(MAILRPC_SEAL=off as alice whoami 2>&1)
expect_contains "MAILRPC_SEAL=off: plain RPCSEC_GSS privacy, served" "$out" \
	"level:      privacy (RPCSEC_GSS)"
# Offered, then stripped on the same connection: never continued unsealed.
tamper_start flip-call "$WHOAMI" 1 noseal 2
out=$(as alice -s "localhost:$TP" whoami 2>&1); rc=$?
check "sealing stripped after it was offered: refused (rc $rc)" test "$rc" -ne 0
expect_contains "...saying why" "$out" "offered sealed calls on this connection before"
check "the relay stripped the second offer" grep -q "answered SEAL_BEGIN #2" "$T/tamper.out"
tamper_stop

# ---- the policy, exactly ---------------------------------------------------
stop_server
start_server --min-level auth
# claim CONTEXT CLAIM: levelclaim's answer (a plain libtirpc client).
claim() {
	KRB5CCNAME=FILE:$T/cc.alice "$TOOLS/levelclaim" 127.0.0.1 "$PORT" "$1" "$2" 2>&1 | tr '\n' ';'
}
FAILED="rejected: RPC_AUTHERROR AUTH_FAILED" TOOWEAK="rejected: RPC_AUTHERROR AUTH_TOOWEAK"
same "sealing from an auth context: refused" "$(claim none+seal none)" \
	"seal: $TOOWEAK;accepted;"
same "sealing from an integrity context: refused" "$(claim integrity+seal integrity)" \
	"seal: $TOOWEAK;accepted;"
same "an unsealed privacy call on a sealed context: refused" \
	"$(claim privacy+seal privacy)" "seal: accepted;$FAILED;"
same "an unsealed body claiming none on a sealed context: refused, context ended" \
	"$(claim privacy+seal none)" "seal: accepted;rejected: RPC_AUTHERROR RPCSEC_GSS_CTXPROBLEM;"
same "a plain RPCSEC_GSS privacy client (no sealing) is still served" \
	"$(claim privacy privacy)" "accepted;"
check "the refusals were logged" \
	grep -q "refused proc=SEAL_BEGIN .*sealing starts only from a privacy context" "$SERVER_LOG"
check "...with the unsealed call's claim" \
	grep -q "refused proc=WHOAMI .*claimed=privacy .*unsealed call on a sealed context" "$SERVER_LOG"
