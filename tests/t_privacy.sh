# t_privacy.sh -- privacy really encrypts; weak flavors and contexts below
# the minimum are refused as AUTH_TOOWEAK, dishonest level claims as
# AUTH_FAILED (the context's level is locked); each refusal is matched
# exactly.
. "$(dirname "$0")/lib.sh"
# The marker is a user name: WHOAMI carries it in its reply, and inside a
# Kerberos ticket the client name is encrypted, so only the call's own
# protection decides whether it crosses the wire readable.
MARKER=zqmarker$RANDOM$RANDOM
setup_realm alice "$MARKER"
kinit_as "$MARKER"
start_server --min-level auth

"$TOOLS/relay" 0 127.0.0.1 "$PORT" "$T/wire" >"$T/relay.out" 2>"$T/relay.err" &
PIDS+=($!)
wait_for 50 grep -q '^port ' "$T/relay.out" || { echo "FAIL setup: relay"; exit 1; }
RELAY=localhost:$(awk '/^port/ {print $2}' "$T/relay.out")

# on_wire LEVEL: runs WHOAMI through the relay; prints yes/no for the marker.
on_wire() {
	: >"$T/wire"
	local out
	out=$(mailrpc -s "$RELAY" -l "$1" whoami 2>&1) || { echo "call failed: $out"; return; }
	case "$out" in *"mailbox:    $MARKER"*) ;; *) echo "reply lacks marker: $out"; return ;; esac
	[ -s "$T/wire" ] || { echo "nothing recorded"; return; }
	if grep -qaF "$MARKER" "$T/wire"; then echo yes; else echo no; fi
}

check "privacy: marker never on the wire" test "$(on_wire privacy)" = no
check "auth: marker readable on the wire (the test can fail)" test "$(on_wire auth)" = yes
check "integrity: signed, not sealed: marker readable" test "$(on_wire integrity)" = yes

# The same for mail itself, both directions: a body carrying the marker
# goes up in UPLOAD_APPEND calls and comes back in MSG_FETCH replies.
export XDG_CACHE_HOME=$T/cache
printf 'Subject: secret\n\nThe password is %s-body.\n' "$MARKER" >"$T/secret.eml"
# mail_on_wire LEVEL: puts and cats the message through the relay.
mail_on_wire() {
	: >"$T/wire"
	local id
	id=$(mailrpc -s "$RELAY" -l "$1" put Inbox "$T/secret.eml" 2>&1) || { echo "put failed: $id"; return; }
	local up down
	up=$(grep -caF "$MARKER-body" "$T/wire")
	: >"$T/wire"
	mailrpc -s "$RELAY" -l "$1" cat "$id" >"$T/secret.back" || { echo "cat failed"; return; }
	cmp -s "$T/secret.eml" "$T/secret.back" || { echo "cat differs"; return; }
	down=$(grep -caF "$MARKER-body" "$T/wire")
	echo "up=$up down=$down"
}
check "privacy: message body never on the wire, either way" test "$(mail_on_wire privacy)" = "up=0 down=0"
check "auth: message body readable both ways (the test can fail)" test "$(mail_on_wire auth)" = "up=1 down=1"

# Non-GSS flavors: refused as too weak, whatever the server's minimum.
out=$("$TOOLS/rawrpc" 127.0.0.1 "$PORT" authnone "$(proc WHOAMI)")
check "AUTH_NONE WHOAMI refused as too weak" test "$out" = "rejected: RPC_AUTHERROR AUTH_TOOWEAK"
out=$("$TOOLS/rawrpc" 127.0.0.1 "$PORT" authsys "$(proc WHOAMI)")
check "AUTH_SYS WHOAMI refused as too weak" test "$out" = "rejected: RPC_AUTHERROR AUTH_TOOWEAK"
out=$("$TOOLS/rawrpc" 127.0.0.1 "$PORT" authnone 0)
check "NULL procedure answers without credentials" test "$out" = accepted
check "server logged the weak flavor" grep -q "refused proc=WHOAMI flavor=AUTH_SYS" "$SERVER_LOG"

# A context made at one level whose calls claim another: the level is the
# context's, and it is locked, so libtirpc refuses the changed claim.
# claimed NAME CONTEXT_LEVEL CLAIMED_LEVEL WANT: levelclaim's exact answer.
claimed() { same "$1" "$("$TOOLS/levelclaim" 127.0.0.1 "$PORT" "$2" "$3")" "$4"; }
FAILED="rejected: RPC_AUTHERROR AUTH_FAILED" TOOWEAK="rejected: RPC_AUTHERROR AUTH_TOOWEAK"
claimed "auth context claiming privacy is refused (locked context)" none privacy "$FAILED"
claimed "privacy context claiming none is refused (locked context)" privacy none "$FAILED"
claimed "honest privacy context is accepted (control)" privacy privacy accepted
claimed "honest auth context is accepted at minimum auth (control)" none none accepted
stop_server
start_server
claimed "privacy server: auth context claiming privacy is refused (locked context)" \
	none privacy "$FAILED"
# Honest contexts below the minimum: the server's own refusal.
claimed "privacy server: an honest auth context is refused as too weak" none none "$TOOWEAK"
claimed "privacy server: an honest integrity context is refused as too weak" \
	integrity integrity "$TOOWEAK"
check "privacy server: logged the level refusal" \
	grep -q "refused proc=WHOAMI principal=$MARKER@MAILRPC.TEST level=integrity .*: below minimum level privacy" "$SERVER_LOG"
out=$("$TOOLS/rawrpc" 127.0.0.1 "$PORT" authsys "$(proc WHOAMI)")
check "privacy server: AUTH_SYS refused as too weak" test "$out" = "$TOOWEAK"
