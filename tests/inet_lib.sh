# inet_lib.sh -- throwaway Postfix instances for the Internet-mail tests
# (sourced after lib.sh): each has its own config, queue and data
# directories under $T, listens on one loopback address, and is stopped
# (and whatever it left running killed, by PID) on exit.  Nothing in /etc
# is touched.
for tool in postfix postqueue postconf; do
	command -v "$tool" >/dev/null ||
		{ echo "FAIL setup: $tool is missing (scripts/install-deps installs postfix)"; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "FAIL setup: running a Postfix instance needs root"; exit 1; }
. "$TESTS_DIR/postfix_lib.sh"
DELIVERY_USER=nobody
getent passwd postfix >/dev/null && getent group postdrop >/dev/null ||
	{ echo "FAIL setup: the postfix package's postfix user or postdrop group is missing"; exit 1; }

PF_MASTERS=()
PF_LEFT=""

# doc_block NAME: the code block after "<!-- test: NAME -->" in
# docs/postfix.md, with the documented paths and user made this test's.
doc_block() {
	awk -v m="<!-- test: $1 -->" '
		$0 == m { armed = 1; next }
		armed && /^```/ { if (inside) exit; inside = 1; next }
		inside { print }' "$TOP/docs/postfix.md" |
		sed -e "s|/usr/local/sbin/|$T/bin/|g" -e "s|/var/lib/mailrpc|$T/store|g" \
			-e "s|user=mailrpc |user=$DELIVERY_USER |g"
}

# pf_start DIR ADDR PORT MAIN-EXTRA MASTER-EXTRA: a Postfix instance in
# DIR, SMTP on ADDR:PORT, short queue timers.
pf_start() {
	local d=$1 addr=$2 port=$3
	mkdir -p "$d/etc" "$d/spool" "$d/data"
	chown postfix: "$d/data"
	cat >"$d/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $d/spool
data_directory = $d/data
mail_owner = postfix
setgid_group = postdrop
maillog_file = $d/maillog
maillog_file_prefixes = $d
# Postfix accepts only interface addresses here (127.0.0.2 is not one,
# though lo answers it): the listener's own address is in master.cf.
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_bind_address = $addr
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
biff = no
smtputf8_enable = no
smtp_host_lookup = native
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
delay_warning_time = 0
$4
EOF
	{
		echo "$addr:$port inet n - n - - smtpd"
		pf_services
		cat <<EOF
smtp      unix  - - n -    - smtp
relay     unix  - - n -    - smtp
virtual   unix  - n n -    - virtual
tlsmgr    unix  - - n 1000? 1 tlsmgr
$5
EOF
	} >"$d/etc/master.cf"
	postfix -c "$d/etc" start >"$d/start.log" 2>&1 ||
		{ sed 's/^/# /' "$d/start.log" "$d/maillog" 2>/dev/null; echo "FAIL setup: postfix in $d did not start"; exit 1; }
	wait_for 100 test -s "$d/spool/pid/master.pid"
	PF_MASTERS+=("$d:$(tr -d ' \n' <"$d/spool/pid/master.pid")")
	wait_for 100 bash -c "exec 3<>/dev/tcp/$addr/$port" ||
		{ sed 's/^/# /' "$d/maillog"; echo "FAIL setup: postfix is not listening on $addr:$port"; exit 1; }
}

# pf_stop DIR: stops that instance; PF_LEFT collects processes left alive.
pf_stop() {
	local entry rest=()
	for entry in "${PF_MASTERS[@]}"; do
		if [ "${entry%%:*}" != "$1" ]; then rest+=("$entry"); continue; fi
		pf_stop_master "$1" "${entry##*:}"
		PF_LEFT="$PF_LEFT $PF_STILL"
	done
	PF_MASTERS=("${rest[@]}")
}
pf_stop_all() {
	local entry pid
	for entry in "${PF_MASTERS[@]}"; do pf_stop "${entry%%:*}"; done
	for pid in $PF_LEFT; do kill -KILL "$pid" 2>/dev/null; done
}
trap 'pf_stop_all; cleanup' EXIT

# pf_logged DIR N PATTERN: waits (bounded) for N lines matching PATTERN
# in that instance's log.
pf_log_has() { test "$(grep -c -- "$3" "$1/maillog" 2>/dev/null)" -ge "$2"; }
pf_logged() { wait_for 200 pf_log_has "$@"; }
