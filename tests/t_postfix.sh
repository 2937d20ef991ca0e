# t_postfix.sh -- a real MTA in front of mailrpc: a throwaway Postfix on
# 127.0.0.1 (its own config, queue and data directories under the test's
# temporary directory; nothing in /etc is touched) hands mail to
# mailrpc-deliver through a pipe(8) transport, as docs/postfix.md sets it
# up.  Mail submitted over SMTP arrives in the right mailboxes; an unknown
# recipient bounces back to the sender; an over-quota recipient stays
# queued and is delivered once there is room.
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/postfix_lib.sh"
for tool in postfix postqueue; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL setup: $tool is missing (scripts/install-deps installs postfix)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "FAIL setup: running a Postfix instance needs root"; exit 1; }
# pipe(8) runs no command as root: deliveries run as nobody.
DELIVERY_USER=nobody
id "$DELIVERY_USER" >/dev/null 2>&1 || { echo "FAIL setup: no user $DELIVERY_USER"; exit 1; }
getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	{ echo "FAIL setup: the postfix package's postfix user or postdrop group is missing"; exit 1; }

setup_realm alice bob carol
export XDG_CACHE_HOME=$T/cache
start_server
for u in carol bob alice; do kinit_as $u; mailrpc whoami >/dev/null; done
admin() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
count() { mailrpc --json ls "${1:-Inbox}" | jq length; }

# The delivery user must reach the store and the program; mailrpcd runs
# as root here and reaches everything.  The program is copied next to the
# store (it links no library of the build), so a build directory under a
# private home works too.
chmod 711 "$T"
chown -R "$DELIVERY_USER:" "$T/store"
install -D -m 755 "$BIN/bin/mailrpc-deliver" "$T/bin/mailrpc-deliver"
runuser -u "$DELIVERY_USER" -- "$T/bin/mailrpc-deliver" --help >/dev/null &&
	runuser -u "$DELIVERY_USER" -- test -w "$T/store/data.mdb" -a -w "$T/store/lock.mdb" ||
	{ echo "FAIL setup: $DELIVERY_USER cannot run mailrpc-deliver or write the store in $T"; exit 1; }

# ---- the throwaway Postfix ----
PF=$T/postfix
MASTER=
mkdir -p "$PF/etc" "$PF/spool" "$PF/data"
chown postfix: "$PF/data"
SMTP_PORT=$(free_port)
cat >"$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $PF/spool
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $PF/maillog
maillog_file_prefixes = $PF
myhostname = mx.mailrpc.test
mydomain = mailrpc.test
myorigin = \$mydomain
mydestination = mailrpc.test
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost =
default_transport = error:this test relays nothing
relay_transport = error:this test relays nothing
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
# As in docs/postfix.md: every local recipient goes to mailrpc-deliver,
# which decides whether the mailbox exists.
local_transport = mailrpc
local_recipient_maps =
mailrpc_destination_recipient_limit = 1
EOF
{
	echo "127.0.0.1:$SMTP_PORT inet n - n - - smtpd"
	pf_services
	cat <<EOF
mailrpc   unix  - n n -    - pipe
  flags=u user=$DELIVERY_USER null_sender=
  argv=$T/bin/mailrpc-deliver --store $T/store -d \${user} -f \${sender}
EOF
} >"$PF/etc/master.cf"

# Stops the instance: STOPPED lists the master and its processes, left
# those still alive afterwards (killed on exit, by PID).
stop_postfix() {
	[ -n "$MASTER" ] || return 0
	pf_stop_master "$PF" "$MASTER"
	STOPPED=$PF_STOPPED left=$PF_STILL
	MASTER=
}
kill_leftovers() {
	local pid
	for pid in $left; do
		kill -KILL "$pid" 2>/dev/null
	done
}
left=""
trap 'stop_postfix; kill_leftovers; cleanup' EXIT

postfix -c "$PF/etc" start >"$PF/start.log" 2>&1 ||
	{ sed 's/^/# /' "$PF/start.log" "$PF/maillog" 2>/dev/null; echo "FAIL setup: postfix did not start"; exit 1; }
wait_for 100 test -s "$PF/spool/pid/master.pid"
MASTER=$(tr -d ' \n' <"$PF/spool/pid/master.pid" 2>/dev/null)
wait_for 100 bash -c "exec 3<>/dev/tcp/127.0.0.1/$SMTP_PORT" ||
	{ sed 's/^/# /' "$PF/maillog"; echo "FAIL setup: postfix is not listening on 127.0.0.1:$SMTP_PORT"; exit 1; }
# A minimal SMTP client over bash's /dev/tcp: it sends the file's bytes
# exactly (CRLF line ends, dot-stuffed), which general tools do not
# promise (swaks, for one, adds an empty line).
# smtp_reply CODE: reads one reply, possibly multi-line; 0 if it is CODE.
smtp_reply() {
	local line
	while IFS= read -r -t 20 line <&5; do
		[[ $line == [0-9][0-9][0-9]-* ]] && continue
		[[ $line == "$1"* ]] && return 0
		echo "# SMTP: ${line%$'\r'}"
		return 1
	done
	echo "# SMTP: no reply"
	return 1
}
smtp_cmd() { printf '%s\r\n' "$1" >&5 && smtp_reply "$2"; }
# smtp FROM TO[,TO...] FILE: submits FILE (whose lines end in LF).
smtp() {
	local rcpt rc=1
	exec 5<>"/dev/tcp/127.0.0.1/$SMTP_PORT" || return 1
	if smtp_reply 220 && smtp_cmd "EHLO client.mailrpc.test" 250 &&
		smtp_cmd "MAIL FROM:<$1>" 250; then
		rc=0
		for rcpt in ${2//,/ }; do
			smtp_cmd "RCPT TO:<$rcpt>" 250 || rc=1
		done
	fi
	if [ "$rc" -eq 0 ] && smtp_cmd DATA 354; then
		sed -e 's/^\./../' -e 's/$/\r/' "$3" >&5
		smtp_cmd . 250 || rc=1
	else
		rc=1
	fi
	smtp_cmd QUIT 221 >/dev/null
	exec 5>&-
	return "$rc"
}
log_has() { test "$(grep -c -- "$2" "$PF/maillog")" -ge "$1"; }
# logged N PATTERN: waits (bounded) until the Postfix log has N lines
# matching PATTERN.
logged() { wait_for 150 log_has "$@"; }

# ---- delivery: headers added, the message itself byte-exact ----
cat >"$T/m1.eml" <<'EOF'
From: Alice <alice@mailrpc.test>
To: Bob <bob@mailrpc.test>
Subject: through Postfix
Date: Mon, 01 Jan 2024 12:00:00 +0000
Message-ID: <m1@mailrpc.test>

Hello Bob,
From here on the line starts with From.
.a line that SMTP dot-stuffs
..and another
EOF
check "SMTP: message to bob accepted" smtp alice@mailrpc.test bob@mailrpc.test "$T/m1.eml"
check "Postfix log: delivered via the mailrpc pipe" logged 1 "to=<bob@mailrpc.test>, relay=mailrpc.*status=sent"
kinit_as bob
check "bob's Inbox has it" test "$(count)" -eq 1
id=$(mailrpc --json ls | jq '.[0].id')
mailrpc cat "$id" >"$T/got"
check "first line: Return-Path: <alice@mailrpc.test>" test "$(sed -n 1p "$T/got")" = "Return-Path: <alice@mailrpc.test>"
check "second line: Delivered-To: bob" test "$(sed -n 2p "$T/got")" = "Delivered-To: bob"
check "then Postfix's Received: line" bash -c "sed -n 3p '$T/got' | grep -q '^Received: from '"
check "the submitted message follows byte-exact" \
	bash -c "tail -c $(stat -c %s "$T/m1.eml") '$T/got' | cmp -s '$T/m1.eml' -"

# ---- several recipients: one delivery (and Delivered-To) each ----
printf 'From: alice@mailrpc.test\nSubject: to two\nDate: Mon, 01 Jan 2024 12:00:00 +0000\nMessage-ID: <m2@mailrpc.test>\n\nhi both\n' >"$T/m2.eml"
check "SMTP: message to bob and Carol accepted" smtp alice@mailrpc.test bob@mailrpc.test,Carol@mailrpc.test "$T/m2.eml"
check "Postfix log: carol's copy delivered" logged 1 "to=<Carol@mailrpc.test>, relay=mailrpc.*status=sent"
check "Postfix log: bob's copy delivered" logged 2 "to=<bob@mailrpc.test>, relay=mailrpc.*status=sent"
check "bob has his copy" test "$(mailrpc --json ls | jq '[.[] | select(.subject == "to two")] | length')" -eq 1
kinit_as carol
check "carol has hers (recipient folded to lower case)" test "$(count)" -eq 1
check "carol's copy says Delivered-To: carol" \
	bash -c "'$BIN/bin/mailrpc' cat $(mailrpc --json ls | jq '.[0].id') | sed -n 2p | grep -qx 'Delivered-To: carol'"

# ---- unknown recipient: bounced to the sender ----
printf 'From: alice@mailrpc.test\nTo: nosuch@mailrpc.test\nSubject: to nobody\nDate: Mon, 01 Jan 2024 12:00:00 +0000\nMessage-ID: <m3@mailrpc.test>\n\nanyone?\n' >"$T/m3.eml"
check "SMTP: message to an unknown user accepted" smtp alice@mailrpc.test nosuch@mailrpc.test "$T/m3.eml"
check "Postfix log: bounced, user unknown, with mailrpc-deliver's reason" \
	logged 1 "to=<nosuch@mailrpc.test>, relay=mailrpc.*dsn=5.1.1, status=bounced.*nosuch: no such mailbox"
check "Postfix log: the bounce delivered to alice" \
	logged 1 "to=<alice@mailrpc.test>, relay=mailrpc.*status=sent"
kinit_as alice
bounce=$(mailrpc --json ls | jq -c '[.[] | select(.subject == "Undelivered Mail Returned to Sender")]')
check "the bounce arrived in alice's Inbox" test "$(jq length <<<"$bounce")" -eq 1
mailrpc cat "$(jq '.[0].id' <<<"$bounce")" >"$T/bounce"
check "the bounce came from the null sender (Return-Path: <>)" test "$(sed -n 1p "$T/bounce")" = "Return-Path: <>"
expect_contains "the bounce quotes the reason" "$(tr -d '\n' <"$T/bounce" | tr -s ' ')" "nosuch: no such mailbox"

# ---- over quota: deferred, queued, delivered once there is room ----
admin quota carol 1 >/dev/null
printf 'From: alice@mailrpc.test\nTo: carol@mailrpc.test\nSubject: wait for room\nDate: Mon, 01 Jan 2024 12:00:00 +0000\nMessage-ID: <m4@mailrpc.test>\n\nlater\n' >"$T/m4.eml"
check "SMTP: message to carol (over quota) accepted" smtp alice@mailrpc.test carol@mailrpc.test "$T/m4.eml"
check "Postfix log: deferred (EX_TEMPFAIL), with the reason" \
	logged 1 "to=<carol@mailrpc.test>, relay=mailrpc.*status=deferred.*carol: mailbox over quota"
carol_deferred() {
	test "$(postqueue -c "$PF/etc" -j |
		jq -r 'select(.queue_name == "deferred") | .recipients[].address')" = carol@mailrpc.test
}
check "it stays in the deferred queue" wait_for 50 carol_deferred
kinit_as carol
check "carol has not got it yet" test "$(count)" -eq 1
admin quota carol 0 >/dev/null
postqueue -c "$PF/etc" -f
check "after the quota is raised and the queue flushed: delivered" \
	logged 1 "to=<carol@mailrpc.test>, relay=mailrpc.*status=sent"
check "carol has it now" test "$(mailrpc --json ls | jq '[.[] | select(.subject == "wait for room")] | length')" -eq 1
check "the queue is empty" test -z "$(postqueue -c "$PF/etc" -j)"

# ---- stop: nothing of the instance is left ----
stop_postfix
check "postfix stop: master and its processes ($STOPPED) are gone${left:+; left:$left}" \
	test -z "$left"
