#!/bin/bash
# dovecot_answers.sh -- Dovecot's answers for tests/corpus/*.eml, written
# to tests/gw/dovecot/ (committed): a throwaway Dovecot on loopback with its
# own configuration (as bench/run runs it).  Run by hand when the corpus
# changes; test_gw_mime's expectations were checked against these.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/mailrpc-dovecot.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill "$pid"; sleep 0.5; rm -rf "$T"' EXIT
d=$T
mkdir -p "$d/run" "$d/state" "$d/mail" "$d/home"
chmod 755 "$d"
chown dovecot:dovecot "$d/mail" "$d/home"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
	-subj /CN=localhost -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1
echo "alice:{PLAIN}alice-pw" >"$d/passwd"
port=$("$TOP/scripts/free-port")
cat >"$d/dovecot.conf" <<CONF
base_dir = $d/run
state_dir = $d/state
instance_name = mailrpc-answers-$$
protocols = imap
listen = 127.0.0.1
log_path = $d/dovecot.log
ssl = required
ssl_cert = <$d/cert.pem
ssl_key = <$d/key.pem
mail_location = maildir:$d/mail/%u
first_valid_uid = 1
default_internal_user = dovecot
default_login_user = dovenull
auth_mechanisms = plain
passdb {
  driver = passwd-file
  args = scheme=PLAIN $d/passwd
}
userdb {
  driver = static
  args = uid=dovecot gid=dovecot home=$d/home/%u
}
service imap-login {
  inet_listener imap {
    port = 0
  }
  inet_listener imaps {
    port = $port
    ssl = yes
  }
}
CONF
dovecot -F -c "$d/dovecot.conf" >"$d/out" 2>&1 &
pid=$!
for _ in $(seq 50); do bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2>/dev/null && break; sleep 0.1; done
/usr/bin/python3 "$TOP/tests/gw/dovecot_answers.py" "$port" alice alice-pw "$TOP/tests/gw/dovecot" \
	"$TOP"/tests/corpus/*.eml
dovecot --version
