# postfix_lib.sh -- what every throwaway Postfix instance of the tests
# shares (sourced after lib.sh by t_postfix.sh and inet_lib.sh): the
# master.cf services of the MTA itself, and a bounded stop that waits for
# the master's children too.

# pf_services: master.cf lines of Postfix's own services; the caller adds
# its listener and the transports it uses.
pf_services() {
	cat <<'SERVICES'
pickup    unix  n - n 60   1 pickup
cleanup   unix  n - n -    0 cleanup
qmgr      unix  n - n 300  1 qmgr
rewrite   unix  - - n -    - trivial-rewrite
bounce    unix  - - n -    0 bounce
defer     unix  - - n -    0 bounce
trace     unix  - - n -    0 bounce
verify    unix  - - n -    1 verify
flush     unix  n - n 1000? 0 flush
proxymap  unix  - - n -    - proxymap
showq     unix  n - n -    - showq
error     unix  - - n -    - error
retry     unix  - - n -    - error
discard   unix  - - n -    - discard
anvil     unix  - - n -    1 anvil
scache    unix  - - n -    1 scache
postlog   unix-dgram n - n - 1 postlogd
SERVICES
}

# pf_stop_master DIR MASTER: stops the instance in DIR and waits (10 s at
# most) until MASTER and the children it had are gone: they end on its
# signal a moment after it does, and an smtpd still holding the listening
# socket would stop a restarted instance.  PF_STOPPED lists the processes,
# PF_STILL those still alive after the wait.
pf_stop_master() {
	local pid
	PF_STOPPED="$2 $(pgrep -P "$2" | tr '\n' ' ')"
	postfix -c "$1/etc" stop >/dev/null 2>&1
	wait_for 100 bash -c "for p in $PF_STOPPED; do ! kill -0 \$p 2>/dev/null || exit 1; done"
	PF_STILL=""
	for pid in $PF_STOPPED; do
		kill -0 "$pid" 2>/dev/null && PF_STILL="$PF_STILL $pid"
	done
	return 0
}
