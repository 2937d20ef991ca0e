# t_corrupt.sh -- corruption is a status, not an abort: a corrupt record
# fails the call that reads it (logged with its database and key) while
# the same connection goes on serving; mailrpc-deliver defers and says
# why; mailrpc-admin verify lists every bad record by key, goes on to the
# end and exits 1.  Records are broken by tests/tools/breakstore.c.
. "$(dirname "$0")/lib.sh"
setup_realm alice
export XDG_CACHE_HOME=$T/cache
start_server
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
MSG=$TESTS_DIR/corpus/01-plain-lf.eml
kinit_as alice
good=$(mailrpc put Inbox "$MSG")
bad=$(mailrpc put Inbox "$MSG")
mailrpc mkfolder Projects
check "verify: clean before anything is broken" ADMIN verify

# ---- a message record that does not decode ----
"$TOOLS/breakstore" "$T/store" message alice "$bad"
"$TOOLS/session" "localhost:$PORT" corrupt "$bad" "$good" >"$T/session.out" 2>&1
out=$(cat "$T/session.out")
same "reading the corrupt message is an error saying so" "$(grep '^bad:' <<<"$out")" \
	"bad: a stored record is damaged; the administrator has been told"
same "the same connection then reads another message" "$(grep '^good:' <<<"$out")" "good: ok"
same "... lists the folders" "$(grep '^folders:' <<<"$out")" "folders: ok"
same "... and answers WHOAMI" "$(grep '^whoami:' <<<"$out")" "whoami: ok"
# The failed call was answered (logged with its result), by the process
# that then served the rest: no reconnection hid a dead process.
calls=$(grep -E 'proc=(MSG_FETCH|FOLDER_LIST|WHOAMI) ' "$SERVER_LOG")
check "the fetch of the corrupt message $bad was answered, with an error" \
	grep -q "proc=MSG_FETCH .* id=$bad offset=0 result=a stored record is damaged" "$SERVER_LOG"
served=$(grep -o 'mailrpcd\[[0-9]*\]' <<<"$calls" | sort -u)
check "one connection process served the 4 calls, the failed one first ($served)" \
	test "$(wc -l <<<"$calls")" -eq 4 -a "$(wc -l <<<"$served")" -eq 1
line=$(grep "store: corrupt record db=msg" "$SERVER_LOG" | head -1)
mbid=$(sed -n 's|.*db=msg key=\([0-9]*\)/.*|\1|p' <<<"$line")
expect_contains "the server's log names the database and the key (mailbox id/message id)" "$line" \
	"warning: store: corrupt record db=msg key=$mbid/$bad: message record of 12 bytes does not decode"
expect_not_contains "no connection process died" "$(cat "$SERVER_LOG")" "died of signal"
out=$(mailrpc cat "$bad" 2>&1); rc=$?
check "mailrpc cat of it fails (exit $rc)" test "$rc" -ne 0
expect_contains "mailrpc cat says so" "$out" "a stored record is damaged"
check "the other message still reads byte-exact" bash -c "'$BIN/bin/mailrpc' cat $good | cmp -s '$MSG' -"
check "the server is still running" kill -0 "$SERVER_PID"

# ---- a folder record and an op record too ----
"$TOOLS/breakstore" "$T/store" folder alice Projects
"$TOOLS/breakstore" "$T/store" op alice
"$BIN/bin/mailrpc-deliver" --store "$T/store" -d alice -m Projects <"$MSG" 2>"$T/deliver.err"
rc=$?
check "a delivery into the corrupt folder defers (exit $rc), losing nothing" test "$rc" -eq 75
expect_contains "mailrpc-deliver shows the store's line on stderr" "$(cat "$T/deliver.err")" \
	"mailrpc-deliver: store: corrupt record db=folder key=$mbid/"
expect_contains "... and its own status line" "$(cat "$T/deliver.err")" "try again later"

out=$(ADMIN verify 2>"$T/verify.err"); rc=$?
check "verify exits 1, not killed by a signal (exit $rc)" test "$rc" -eq 1
expect_contains "verify lists the message record by key" "$out" \
	"problem: corrupt record db=msg key=$mbid/$bad: message record does not decode"
expect_contains "verify lists the folder record by key" "$out" \
	"problem: corrupt record db=folder key=$mbid/"
expect_contains "verify lists the op record by key" "$out" \
	"problem: corrupt record db=op key=$mbid/42424242424242424242424242424242: value too short"
expect_contains "verify goes on to the invariants between records" "$out" \
	"alice: mailbox says 2 messages"
expect_contains "verify ends with its count" "$out" "problems found"
