# t_inet_send.sh -- mail to and from other domains through real Postfix
# (issue 13).  Our Postfix on 127.0.0.1 is set up from docs/postfix.md
# (its main.cf and master.cf blocks are extracted from the document, so
# the two cannot drift): mailrpc-map answers its lookups, mailrpc-deliver
# -a delivers; mailrpcd hands mail for other domains to it with sendmail.
# A second Postfix on 127.0.0.2 stands in for remote.test, delivering to
# a Maildir.  Tested: a remote send arrives intact, mixed with a local
# recipient; a reply comes back into the Inbox; an unknown remote user
# bounces into the Inbox; an MTA that cannot take mail gets a logged
# error and the message waits (pending) and goes once it can; mailrpcd
# killed with SIGKILL after acknowledging hands it over after restart,
# with the same Message-ID; the remote down: delivered once it is up.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/inet_lib.sh"
setup_realm alice bob
export XDG_CACHE_HOME=$T/cache
chmod 711 "$T"
mkdir -p "$T/bin" "$T/remote"
PF1=$T/pf1 PF2=$T/pf2
P1=$(free_port) P2=$(free_port)
# mailrpcd's sendmail is our instance's (-C: its config directory, read
# from $T/mta-conf).  Postfix's sendmail queues even while Postfix is
# stopped (its maildrop), so the MTA is "down" for a hand-over when the
# real sendmail fails: pointed at a missing configuration, it exits 75.
echo "$PF1/etc" >"$T/mta-conf"
printf '#!/bin/sh\nexec /usr/sbin/sendmail -C "$(cat %s/mta-conf)" "$@"\n' "$T" >"$T/bin/sendmail"
chmod 755 "$T/bin/sendmail"
install -m 755 "$BIN/bin/mailrpc-deliver" "$BIN/bin/mailrpc-map" "$T/bin/"
start_server --sendmail "$T/bin/sendmail"
login_users alice bob
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
chown -R "$DELIVERY_USER:" "$T/store" "$T/remote"

pf_start "$PF1" 127.0.0.1 "$P1" "myhostname = mx.example.org
mydestination =
default_transport = error:this test relays only to remote.test
transport_maps = inline:{ remote.test=smtp:[127.0.0.2]:$P2 }
$(doc_block main.cf)" "$(doc_block master.cf)"
PF2_MAIN="myhostname = mx.remote.test
mydestination =
default_transport = error:this test relays only to example.org
transport_maps = inline:{ example.org=smtp:[127.0.0.1]:$P1 }
virtual_mailbox_domains = remote.test
virtual_mailbox_base = $T/remote
virtual_mailbox_maps = inline:{ carol@remote.test=carol/ }
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534"
pf_start "$PF2" 127.0.0.2 "$P2" "$PF2_MAIN" ""

inbox() { as "$1" --json ls Inbox | jq length; }
# remote_with TEXT: the number of carol's messages at remote.test with TEXT.
remote_with() { grep -rlF -- "$1" "$T/remote/carol/new" 2>/dev/null | wc -l; }
remote_has() { test "$(remote_with "$1")" -ge "${2:-1}"; }

# ---- a remote send, mixed with a local recipient ----
cat >"$T/m1" <<'EOF'
From: Alice <alice@example.org>
To: carol@remote.test, bob@example.org
Subject: across the Internet
Date: Mon, 01 Jan 2024 12:00:00 +0000
Message-ID: <m1@example.org>

Hello Carol,
.a line SMTP dot-stuffs
From here the line starts with From.
EOF
out=$(as alice send --to 'Carol <carol@remote.test>,bob' "$T/m1" 2>&1)
expect_contains "send: accepted for 1 local and 1 remote recipient" "$out" "sent to 2 recipients"
check "remote: it arrives at remote.test" wait_for 200 remote_has "<m1@example.org>"
f=$(grep -rlF "<m1@example.org>" "$T/remote/carol/new" | head -1)
check "remote: the body is intact" bash -c "tail -n 4 '$f' | cmp -s - <(tail -n 4 '$T/m1')"
check "remote: the headers are intact" grep -qx "Subject: across the Internet" "$f"
check "remote: the envelope sender is alice's address" grep -qx "Return-Path: <alice@example.org>" "$f"
same "local: bob got it in the same send" "$(inbox bob)" 1
same "Sent Items: one copy" "$(as alice --json ls 'Sent Items' | jq length)" 1
check "mailrpcd logged the hand-over" grep -aq "handed over to the MTA: .*message-id=<m1@example.org>" "$SERVER_LOG"
same "pending: nothing waits" "$(ADMIN pending)" ""

# ---- a reply from remote.test comes back into the Inbox ----
printf 'From: carol@remote.test\nTo: alice@example.org\nSubject: Re: across\nMessage-ID: <r1@remote.test>\n\nthanks\n' |
	/usr/sbin/sendmail -C "$PF2/etc" -f carol@remote.test alice@example.org
check "reply: delivered by mailrpc-deliver -a" \
	pf_logged "$PF1" 1 "to=<alice@example.org>, relay=mailrpc.*status=sent"
check "reply: in alice's Inbox" wait_for 50 bash -c \
	"KRB5CCNAME=FILE:$T/cc.alice '$BIN/bin/mailrpc' --json ls Inbox | jq -e 'map(.subject) | index(\"Re: across\")' >/dev/null"

# ---- unknown remote user: a bounce (DSN) in the sender's Inbox ----
printf 'From: alice@example.org\nSubject: to nobody\n\nanyone?\n' >"$T/m2"
ok_out=$(as alice send --to nobody@remote.test "$T/m2" 2>&1)
expect_contains "unknown remote user: the send itself succeeds" "$ok_out" "sent to 1 recipient"
check "unknown remote user: Postfix bounced it" pf_logged "$PF1" 1 "to=<nobody@remote.test>.*status=bounced"
check "unknown remote user: the bounce is in alice's Inbox" wait_for 100 bash -c \
	"KRB5CCNAME=FILE:$T/cc.alice '$BIN/bin/mailrpc' --json ls Inbox | jq -e 'map(.subject) | index(\"Undelivered Mail Returned to Sender\")' >/dev/null"

# ---- the MTA cannot take mail: logged, pending, handed over later ----
mta_down() { echo "$T/no-such-postfix" >"$T/mta-conf"; }
mta_up() { echo "$PF1/etc" >"$T/mta-conf"; }
mta_down
printf 'From: alice@example.org\nSubject: while the MTA is down\nMessage-ID: <m3@example.org>\n\nlater\n' >"$T/m3"
out=$(as alice send --to carol@remote.test "$T/m3" 2>&1)
expect_contains "MTA down: the send succeeds (the server has it)" "$out" "sent to 1 recipient"
check "MTA down: the failure is logged clearly" wait_for 100 \
	grep -aq "hand-over to the MTA failed (attempt 1): .*message-id=<m3@example.org>.*sendmail exited with status 75.*next attempt in 5 s" "$SERVER_LOG"
pending=$(ADMIN pending)
expect_contains "MTA down: pending lists it" "$pending" "message-id <m3@example.org>"
expect_contains "MTA down: with its recipient" "$pending" "to carol@remote.test"
expect_contains "MTA down: and the last error" "$pending" "last error: "
mta_up
check "MTA back: handed over on the retry and delivered" wait_for 300 remote_has "<m3@example.org>"
same "MTA back: pending is empty" "$(ADMIN pending)" ""
same "MTA back: delivered once" "$(remote_with "<m3@example.org>")" 1

# ---- mailrpcd killed right after acknowledging: handed over on restart ----
mta_down
printf 'From: alice@example.org\nSubject: across a crash\n\nstill here\n' >"$T/m4"
out=$(as alice send --to carol@remote.test "$T/m4" 2>&1)
expect_contains "SIGKILL: the send was acknowledged" "$out" "sent to 1 recipient"
check "SIGKILL: the first hand-over failed" wait_for 100 bash -c "'$BIN/bin/mailrpc-admin' --store '$T/store' pending | grep -q 'attempts 1'"
mid=$(ADMIN pending | sed -n 's/.*message-id \(<[^>]*>\).*/\1/p' | head -1)
check "SIGKILL: a Message-ID was added and kept with the hand-over ($mid)" test -n "$mid"
kids=$(pgrep -P "$SERVER_PID" | tr '\n' ' ')
kill -KILL "$SERVER_PID" $kids 2>/dev/null
wait "$SERVER_PID" 2>/dev/null
SERVER_PID=
mta_up
check "SIGKILL: nothing reached remote.test before the restart" test "$(remote_with "still here")" -eq 0
start_server --sendmail "$T/bin/sendmail"
check "SIGKILL: after restart the message reaches remote.test" wait_for 300 remote_has "still here"
f=$(grep -rlF "still here" "$T/remote/carol/new" | head -1)
check "SIGKILL: with the Message-ID the send gave it" grep -qxF "Message-ID: $mid" "$f"
check "SIGKILL: and a Date" grep -q "^Date: " "$f"
same "SIGKILL: pending is empty" "$(ADMIN pending)" ""

# ---- remote.test down: delivered once it is up ----
pf_stop "$PF2"
printf 'From: alice@example.org\nSubject: remote down\nMessage-ID: <m5@example.org>\n\nwait for it\n' >"$T/m5"
out=$(as alice send --to carol@remote.test "$T/m5" 2>&1)
expect_contains "remote down: the send succeeds" "$out" "sent to 1 recipient"
check "remote down: Postfix defers it" pf_logged "$PF1" 1 "to=<carol@remote.test>.*status=deferred"
pf_start "$PF2" 127.0.0.2 "$P2" "$PF2_MAIN" ""
postqueue -c "$PF1/etc" -f
check "remote up: delivered" wait_for 300 remote_has "<m5@example.org>"
