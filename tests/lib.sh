# lib.sh -- shared set-up for mailrpc's test scripts (sourced, bash).
#
# Each test script gets its own throwaway realm and its own mailrpcd on
# loopback, reports one line per case ("PASS name" / "FAIL name: why";
# "SKIP name: why" for a case that cannot run here), and stops only the
# processes it started, by PID.  A script that cannot run here at all
# calls skip "why": it is then counted as skipped, never as passed (see
# tests/run).
set -u

BIN=${MAILRPC_BIN:?run tests through tests/run}
TOOLS=$BIN/tests
TESTS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$TESTS_DIR/.." && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/mailrpc-test.XXXXXX")
PIDS=()
SERVER_PID=
PORT=
failures=0

# max_allocation_size_mb: the sanitizer build's stand-in for the memory
# cap a connection process sets with setrlimit (which ASan cannot live with).
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=1:max_allocation_size_mb=256}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$TESTS_DIR/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failures=$((failures + 1)); }
# skip WHY: the whole script cannot run here (tests/run counts it as
# skipped: exit status 77, the automake convention).
skip() { echo "SKIP $(basename "$0" .sh): $1"; exit 77; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name=$1; shift
	if "$@"; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# expect_contains NAME HAYSTACK NEEDLE
expect_contains() {
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "expected \"$3\" in: $2" ;;
	esac
}

expect_not_contains() {
	case "$2" in
	*"$3"*) fail "$1" "did not expect \"$3\" in: $2" ;;
	*) pass "$1" ;;
	esac
}

free_port() { "$TOP/scripts/free-port"; }

# Wait (bounded, in tenths of a second) until a command succeeds.
wait_for() {
	local tenths=$1; shift
	for _ in $(seq 1 "$tenths"); do
		"$@" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

setup_realm() {
	"$TOP/scripts/realm" create "$T/realm" "$@" >"$T/realm.log" 2>&1 ||
		{ sed 's/^/# /' "$T/realm.log" "$T/realm/kdc.log" 2>/dev/null | tail -20
		  echo "FAIL setup: realm"; exit 1; }
	# shellcheck disable=SC1091
	. "$T/realm/env.sh"
	KEYTAB=$T/realm/mailrpc.keytab
}

# kinit_as USER [CCACHE]: password is "<user>-pw" (see scripts/realm).
kinit_as() {
	local user=$1 cc=${2:-$KRB5CCNAME}
	echo "$user-pw" | KRB5CCNAME=$cc kinit "$user" >/dev/null
}

# as USER ARGS...: mailrpc as USER, with the ticket login_users got.
as() {
	local u=$1; shift
	KRB5CCNAME=FILE:$T/cc.$u "$BIN/bin/mailrpc" "$@"
}

# login_users USER...: a ticket of its own for each, and its mailbox made.
login_users() {
	local u
	for u in "$@"; do
		kinit_as "$u" "FILE:$T/cc.$u"
		as "$u" whoami >/dev/null
	done
}

# many_users PREFIX N: users PREFIX1..PREFIXN (listed in $users), each
# with a principal, a ticket of its own and a mailbox made by the admin
# tool in $T/store (before any server runs: load tests).
many_users() {
	local i u
	users=()
	for i in $(seq 1 "$2"); do users+=("$1$i"); done
	setup_realm "${users[@]}"
	mkdir -p "$T/store"
	for u in "${users[@]}"; do
		kinit_as "$u" "FILE:$T/cc.$u"
		"$BIN/bin/mailrpc-admin" --store "$T/store" create "$u" ||
			{ echo "FAIL setup: mailbox $u"; exit 1; }
	done
}

# same NAME GOT WANT: passes when the two strings are equal.
same() { if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "got [$2] want [$3]"; fi; }

# The test corpus is written by alice@example.org and friends: example.org
# is the store's local domain, so the From: rule lets alice send it.
test_domain() {
	"$BIN/bin/mailrpc-admin" --store "$T/store" domain list | grep -q '^example\.org' ||
		"$BIN/bin/mailrpc-admin" --store "$T/store" domain add example.org
}

# start_server [mailrpcd flags...]: sets PORT, SERVER_PID, SERVER_LOG.
# A port taken between choosing and binding is retried with another.
start_server() {
	local attempt
	for attempt in 1 2 3; do
		PORT=$(free_port)
		SERVER_LOG=$T/mailrpcd.$PORT.log
		"$BIN/bin/mailrpcd" --listen "127.0.0.1:$PORT" --store "$T/store" --keytab "$KEYTAB" \
			--principal mailrpc@localhost --foreground "$@" >"$SERVER_LOG" 2>&1 &
		SERVER_PID=$!
		PIDS+=("$SERVER_PID")
		if wait_for 200 grep -q "listening on" "$SERVER_LOG"; then
			export MAILRPC_SERVER=localhost:$PORT
			test_domain
			return 0
		fi
		grep -q "cannot listen" "$SERVER_LOG" || break
	done
	sed 's/^/# /' "$SERVER_LOG"
	echo "FAIL setup: mailrpcd did not start"
	exit 1
}

stop_server() {
	[ -n "$SERVER_PID" ] || return 0
	kill "$SERVER_PID" 2>/dev/null
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

mailrpc() { "$BIN/bin/mailrpc" "$@"; }

# proc NAME: the number of procedure MR_NAME in idl/mailrpc.x.
proc() { sed -n "s/.* MR_$1(.*= *\([0-9]*\);.*/\1/p" "$TOP/idl/mailrpc.x"; }

# relay_start PORT CUT [LOSE_PROC]: a recording relay (tests/tools/relay.c)
# to the server on PORT (0: any), cutting each connection after CUT bytes
# (0: never), and losing the reply to the first call of procedure
# LOSE_PROC; sets RELAY_PID, RP (its port) and REC (its recording).
relay_start() {
	local args=("$1" 127.0.0.1 "$PORT" "$T/rec.$1.$$" "$2" ${3:+"$3"})
	# Gone first: the wait below must not find an earlier relay's port.
	rm -f "$T/relay.out"
	"$TOOLS/relay" "${args[@]}" >"$T/relay.out" 2>&1 &
	RELAY_PID=$!
	PIDS+=("$RELAY_PID")
	wait_for 100 grep -q '^port ' "$T/relay.out" || { echo "FAIL setup: relay"; exit 1; }
	RP=$(awk '/^port /{print $2}' "$T/relay.out")
	REC=$T/rec.$1.$$
}
relay_stop() { kill "$RELAY_PID" 2>/dev/null; wait "$RELAY_PID" 2>/dev/null; }

# Sanitizer reports in any server log are failures of the suite.
check_sanitizers() {
	local f
	for f in "$T"/mailrpcd.*.log "$T"/gateway.*.log; do
		[ -f "$f" ] || continue
		# Errors only: "WARNING: AddressSanitizer failed to allocate" is the
		# memory cap doing its job (see max_allocation_size_mb above).
		if grep -qE "ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:" "$f"; then
			fail "sanitizer-clean $(basename "$f")" "$(grep -m3 -E 'ERROR: .*Sanitizer|runtime error' "$f")"
		fi
	done
}

cleanup() {
	local pid
	check_sanitizers
	for pid in "${PIDS[@]}"; do
		# A backgrounded shell function is a subshell: its command is a
		# child, which would outlive it.
		pkill -P "$pid" 2>/dev/null
		kill "$pid" 2>/dev/null
	done
	for pid in "${PIDS[@]}"; do
		wait "$pid" 2>/dev/null
	done
	local kdc
	for kdc in "$T"/*/kdc.pid; do  # every realm the test made
		[ -f "$kdc" ] && "$TOP/scripts/realm" stop "$(dirname "$kdc")" 2>/dev/null
	done
	if [ "$failures" -eq 0 ] && [ -z "${KEEP:-}" ]; then
		rm -rf "$T"
	else
		echo "# kept $T for inspection"
	fi
}
trap cleanup EXIT
