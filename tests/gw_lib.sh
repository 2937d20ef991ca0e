# gw_lib.sh -- helpers for the IMAP/POP3 gateway's tests (sourced after
# lib.sh).  The test logic is Python (imaplib, poplib, python3-gssapi) in
# tests/gw/, printing PASS/FAIL lines like the shell tests.

# Debian's interpreter: python3-gssapi is installed for it, not for others.
PY=/usr/bin/python3

# A throwaway self-signed certificate for localhost: $T/cert.pem, $T/key.pem.
make_cert() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/key.pem" -out "$T/cert.pem" \
		-days 2 -subj /CN=localhost >/dev/null 2>&1 || { echo "FAIL setup: openssl req"; exit 1; }
}

# start_gateway imap|pop3 [flags...]: a gateway on a plain and an implicit
# TLS port, serving the store $T/store (mailrpcd's in these tests); sets
# GW_PORT, GW_TLS_PORT, GW_PID, GW_LOG.
start_gateway() {
	local proto=$1 attempt; shift
	for attempt in 1 2 3; do
		GW_PORT=$(free_port)
		GW_TLS_PORT=$(free_port)
		GW_LOG=$T/gateway.$proto.$GW_PORT.log
		"$BIN/bin/mailrpc-${proto}d" --listen "127.0.0.1:$GW_PORT" \
			--listen-tls "127.0.0.1:$GW_TLS_PORT" --cert "$T/cert.pem" --key "$T/key.pem" \
			--store "$T/store" \
			--keytab "$KEYTAB" --hostname localhost --foreground "$@" >"$GW_LOG" 2>&1 &
		GW_PID=$!
		PIDS+=("$GW_PID")
		if wait_for 200 grep -q "serving" "$GW_LOG"; then
			return 0
		fi
		grep -q "cannot listen" "$GW_LOG" || break
	done
	sed 's/^/# /' "$GW_LOG"
	echo "FAIL setup: mailrpc-${proto}d did not start"
	exit 1
}

stop_gateway() {
	[ -n "${GW_PID:-}" ] || return 0
	kill "$GW_PID" 2>/dev/null
	wait "$GW_PID" 2>/dev/null
	GW_PID=
}

# gw_py SCRIPT ARGS...: runs tests/gw/SCRIPT; its PASS/FAIL lines count.
gw_py() {
	local script=$1 out rc n; shift
	out=$("$PY" "$TESTS_DIR/gw/$script" "$@" 2>&1); rc=$?
	grep -E '^(PASS|FAIL|#)' <<<"$out"
	n=$(grep -c '^FAIL' <<<"$out")
	failures=$((failures + n))
	if [ "$rc" -ne 0 ] && [ "$n" -eq 0 ]; then
		fail "$script" "exited with status $rc: $(tail -5 <<<"$out" | tr '\n' ' ')"
	fi
}
