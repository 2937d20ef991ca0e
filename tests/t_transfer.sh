# t_transfer.sh -- messages in and out, byte-exact, at privacy level:
# the corpus, 50 MiB both ways, interrupted uploads and downloads resuming.
. "$(dirname "$0")/lib.sh"
setup_realm alice bob
kinit_as alice
start_server
export XDG_CACHE_HOME=$T/cache

# Byte-exact round trip of every corpus message, from a file and from a pipe.
for f in "$TESTS_DIR"/corpus/*.eml; do
	name=$(basename "$f")
	id=$(mailrpc put Inbox "$f")
	check "corpus $name: put prints an id ($id)" test -n "$id"
	mailrpc cat "$id" >"$T/cat.out"
	check "corpus $name: cat is byte-exact" cmp -s "$f" "$T/cat.out"
	mailrpc get "$id" -o "$T/get.out"
	check "corpus $name: get is byte-exact" cmp -s "$f" "$T/get.out"
	id2=$(mailrpc put Inbox <"$f")
	check "corpus $name: put from a pipe is byte-exact" \
		bash -c "'$BIN/bin/mailrpc' cat '$id2' | cmp -s '$f' -"
done

json=$(mailrpc --json put Drafts "$TESTS_DIR/corpus/01-plain-lf.eml")
check "put --json prints {\"id\": N}" jq -e '.id | type == "number"' <<<"$json"

out=$(mailrpc put "No Such Folder" "$TESTS_DIR/corpus/01-plain-lf.eml" 2>&1); rc=$?
check "put into an unknown folder fails" test "$rc" -ne 0
expect_contains "put into an unknown folder names it" "$out" "no such folder: No Such Folder"
out=$(mailrpc cat 999999 2>&1); rc=$?
check "cat of an unknown id fails" test "$rc" -ne 0
expect_contains "cat of an unknown id says so" "$out" "no such message"
out=$(mailrpc cat abc 2>&1); rc=$?
check "cat of a non-number is a usage error" test "$rc" -eq 64

# upload_chunks LINE: the UPLOAD_APPEND calls the server logged from LINE
# on, as "CALLS SIZExCOUNT... contiguous|gaps END" (each offset where the
# last chunk ended; END: where the last one ended).
upload_chunks() {
	tail -n +"$1" "$SERVER_LOG" | grep 'proc=UPLOAD_APPEND .*result=OK' |
		sed 's/.* offset=\([0-9]*\) len=\([0-9]*\) .*/\1 \2/' |
		awk 'BEGIN { end = 0; ok = 1 }
		     { if ($1 != end) ok = 0; end = $1 + $2; size[$2]++; n++ }
		     END { s = ""; for (k in size) s = s k "x" size[k] " ";
		           print n, s (ok ? "contiguous" : "gaps"), end }'
}
# fetch_chunks LINE ID: the MSG_FETCH calls for message ID from LINE on,
# by offset, as "CALLS FIRST LAST STEPxCOUNT..." (the steps between
# successive offsets: the chunk size).
fetch_chunks() {
	tail -n +"$1" "$SERVER_LOG" | grep "proc=MSG_FETCH .* id=$2 offset=.*result=OK" |
		sed 's/.* offset=\([0-9]*\) .*/\1/' | sort -n |
		awk 'NR == 1 { first = $1 } NR > 1 { step[$1 - prev]++ } { prev = $1; n++ }
		     END { s = ""; for (k in step) s = s " " k "x" step[k]; print n, first, prev s }'
}

# 50 MiB both ways at privacy, in chunks of 128 KiB up (the most a chunk
# may be) and 252 KiB down (the most a fetch reply may carry on a sealed
# context); on loopback the link model asks for that.
MiB=$((1024 * 1024)) CHUNK=131072 FCHUNK=258048
NFETCH=$(((50 * MiB + FCHUNK - 1) / FCHUNK))
head -c $((50 * MiB)) /dev/urandom >"$T/big"
want=$(sha256sum <"$T/big" | cut -d' ' -f1)
mark=$(( $(wc -l <"$SERVER_LOG") + 1 ))
big=$(mailrpc put Inbox "$T/big")
check "50 MiB put at privacy" test -n "$big"
same "the 50 MiB went up in 400 chunks of exactly 128 KiB, back to back" \
	"$(upload_chunks "$mark")" "400 ${CHUNK}x400 contiguous $((50 * MiB))"
mark=$(( $(wc -l <"$SERVER_LOG") + 1 ))
mailrpc get "$big" -o "$T/big.back"
check "50 MiB get at privacy is byte-exact" test "$(sha256sum <"$T/big.back" | cut -d' ' -f1)" = "$want"
same "the 50 MiB came down in $NFETCH sealed fetches 252 KiB apart" \
	"$(fetch_chunks "$mark" "$big")" "$NFETCH 0 $(((NFETCH - 1) * FCHUNK)) ${FCHUNK}x$((NFETCH - 1))"

# A link that drops midway (a relay that cuts each connection after
# 12 MiB), with reconnection off (--retries 0; t_retry covers it on):
# rerunning the same put resumes, and so does get --resume.
"$TOOLS/relay" 0 127.0.0.1 "$PORT" /dev/null $((12 * 1024 * 1024)) >"$T/relay.out" 2>/dev/null &
PIDS+=($!)
wait_for 50 grep -q '^port ' "$T/relay.out" || { echo "FAIL setup: relay"; exit 1; }
CUT=localhost:$(awk '/^port/ {print $2}' "$T/relay.out")
head -c $((40 * 1024 * 1024)) /dev/urandom >"$T/big2"
want2=$(sha256sum <"$T/big2" | cut -d' ' -f1)
out=$(mailrpc --retries 0 -s "$CUT" put Inbox "$T/big2" 2>&1); rc=$?
check "upload over a dropping link fails" test "$rc" -ne 0
expect_contains "upload over a dropping link: connection lost" "$out" "connection to the server lost"
check "the unfinished upload is remembered" test -n "$(ls "$XDG_CACHE_HOME/mailrpc")"
mark=$(( $(wc -l <"$SERVER_LOG") + 1 ))
id=""
for attempt in 1 2 3 4 5; do
	id=$(mailrpc --retries 0 -s "$CUT" put Inbox "$T/big2" 2>/dev/null) && break
done
check "repeated put finished within 5 attempts (id ${id:-none})" test -n "$id"
first=$(tail -n +"$mark" "$SERVER_LOG" | grep -m1 "proc=UPLOAD_APPEND" | sed 's/.*offset=\([0-9]*\).*/\1/')
check "rerun resumed the upload (first chunk at offset ${first:-none})" test "${first:-0}" -gt 0
check "no new upload was begun by the reruns" \
	bash -c "! tail -n +$mark '$SERVER_LOG' | grep -q 'proc=UPLOAD_BEGIN'"
check "resumed upload is byte-exact" \
	test "$("$BIN/bin/mailrpc" cat "$id" | sha256sum | cut -d' ' -f1)" = "$want2"
check "a finished upload's state is forgotten" test -z "$(ls "$XDG_CACHE_HOME/mailrpc")"

out=$(mailrpc --retries 0 -s "$CUT" get "$big" -o "$T/partial" 2>&1); rc=$?
have=$(stat -c %s "$T/partial")
check "download over a dropping link fails midway ($have bytes kept)" \
	test "$rc" -ne 0 -a "$have" -gt 0 -a "$have" -lt $((50 * 1024 * 1024))
mark=$(( $(wc -l <"$SERVER_LOG") + 1 ))
for attempt in 1 2 3 4 5 6; do
	mailrpc --retries 0 -s "$CUT" get "$big" -o "$T/partial" --resume 2>/dev/null && break
done
first=$(tail -n +"$mark" "$SERVER_LOG" | grep -m1 "proc=MSG_FETCH" | sed 's/.*offset=\([0-9]*\).*/\1/')
check "--resume continued from the partial file (offset ${first:-none})" test "${first:-0}" -gt 0
check "resumed download is byte-exact" test "$(sha256sum <"$T/partial" | cut -d' ' -f1)" = "$want"

# A partial file that is not the start of the message is caught.
head -c 1000 /dev/urandom >"$T/wrong"
out=$(mailrpc get "$big" -o "$T/wrong" --resume 2>&1); rc=$?
check "resume onto foreign bytes fails" test "$rc" -ne 0
expect_contains "resume onto foreign bytes says SHA-256" "$out" "does not match the server's SHA-256"

# Another user cannot read alice's message, and cannot tell it exists.
kinit_as bob
out1=$(mailrpc cat "$big" 2>&1)
out2=$(mailrpc cat 987654 2>&1)
expect_contains "bob cannot read alice's message" "$out1" "no such message"
check "bob's error is the same as for a missing id" test "${out1%:*}" = "${out2%:*}"
