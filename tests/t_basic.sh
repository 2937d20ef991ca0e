# t_basic.sh -- WHOAMI end to end at privacy, CLI contract, level refusals.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as alice
start_server

out=$(mailrpc whoami 2>&1)
expect_contains "whoami prints principal" "$out" "principal:  alice@MAILRPC.TEST"
expect_contains "whoami prints mailbox" "$out" "mailbox:    alice"
expect_contains "default level is privacy" "$out" "level:      privacy"

json=$(mailrpc --json whoami)
check "json whoami has the contract keys" jq -e '
	.principal == "alice@MAILRPC.TEST" and .mailbox == "alice" and .level == "privacy"
	and (.expires_in | type == "number" and . > 0) and .max_chunk > 0' <<<"$json"

out=$(mailrpc -s "localhost:$PORT" whoami 2>&1)
expect_contains "-s overrides MAILRPC_SERVER" "$out" "mailbox:    alice"

out=$(mailrpc -l integrity whoami 2>&1); rc=$?
check "integrity against a privacy server fails" test "$rc" -ne 0
expect_contains "integrity refusal says privacy is required" "$out" "server requires privacy"
check "refusal is one line" test "$(wc -l <<<"$out")" -eq 1

out=$(mailrpc -l auth whoami 2>&1); rc=$?
check "auth against a privacy server fails" test "$rc" -ne 0
expect_contains "auth refusal names the way out" "$out" "use -l privacy"
check "server logged the refusal with principal and level" \
	grep -q "refused proc=WHOAMI principal=alice@MAILRPC.TEST level=auth .*below minimum level privacy" "$SERVER_LOG"
check "server logged the call with principal, level, sealing, peer, result" \
	grep -qE "call proc=WHOAMI principal=alice@MAILRPC.TEST mailbox=alice level=privacy seal=aes-256-gcm peer=127\.0\.0\.1:[0-9]+ result=OK" "$SERVER_LOG"

out=$(kinit_as bob && mailrpc whoami 2>&1)
expect_contains "bob maps to his own mailbox" "$out" "mailbox:    bob"
kinit_as alice

out=$(mailrpc --principal nosuch@localhost whoami 2>&1); rc=$?
check "unknown service principal fails" test "$rc" -ne 0
expect_contains "unknown service principal is named" "$out" "not found in Kerberos database"

out=$(mailrpc frobnicate 2>&1); rc=$?
check "unknown command exits 64" test "$rc" -eq 64
expect_contains "unknown command is named" "$out" 'unknown command "frobnicate"'

out=$(env -u MAILRPC_SERVER "$BIN/bin/mailrpc" whoami 2>&1); rc=$?
check "no server given is a usage error" test "$rc" -eq 64
expect_contains "no server given says how" "$out" "MAILRPC_SERVER"

out=$(mailrpc -s "localhost:$(free_port)" whoami 2>&1); rc=$?
check "nothing listening fails" test "$rc" -ne 0
expect_contains "nothing listening says so" "$out" "cannot connect"

# A server whose minimum is integrity serves integrity and privacy, not auth.
stop_server
start_server --min-level integrity
out=$(mailrpc -l integrity --json whoami)
expect_contains "integrity accepted by an integrity server" "$out" '"level":"integrity"'
expect_contains "server reports its minimum" "$out" '"min_level":"integrity"'
out=$(mailrpc -l auth whoami 2>&1); rc=$?
check "auth refused by an integrity server" test "$rc" -ne 0
stop_server
start_server --min-level auth
out=$(mailrpc -l auth --json whoami)
expect_contains "auth accepted by an auth server" "$out" '"level":"auth"'

# Protocol version 1 is gone: a v1 client is told which versions are spoken
# (libmailrpc turns that into MAILRPC_E_TOOOLD, "client too old for this
# server": t_link).
out=$("$TOOLS/rawrpc" 127.0.0.1 "$PORT" version 1)
same "a version 1 call is refused naming version 2" "$out" \
	"rejected: RPC_PROGVERSMISMATCH versions 2-2"
