# t_inet_addr.sh -- addresses and domains (issue 13): domain and alias
# administration round trip, mailrpc-deliver -a (alias, MAILBOX@DOMAIN,
# unknown address: 67), the From: rule ("you may not send as ADDRESS";
# issue 15 item 10: a forged From: is refused, no longer kept without a
# trace), send on behalf with p (Sender: added), Date and Message-ID added
# when missing, malformed and injecting addresses refused before anything
# is stored, and the MTA's socketmap lookups (mailrpc-map).
. "$(dirname "$0")/lib.sh"
setup_realm alice bob carol
export XDG_CACHE_HOME=$T/cache
start_server
login_users alice bob carol
R=@MAILRPC.TEST
ADMIN() { "$BIN/bin/mailrpc-admin" --store "$T/store" "$@"; }
DELIVER() { "$BIN/bin/mailrpc-deliver" --store "$T/store" "$@"; }
inbox() { as "$1" --json ls Inbox | jq length; }
ok() { local n=$1; shift; local out; if out=$("$@" 2>&1); then pass "$n"; else fail "$n" "$out"; fi; }
no() {
	local n=$1 want=$2 out; shift 2
	if out=$("$@" 2>&1); then fail "$n" "succeeded: $out"; else expect_contains "$n" "$out" "$want"; fi
}
# msg FILE FROM [MORE-HEADERS]: a small message with that From: ("" none).
msg() {
	{ [ -z "$2" ] || printf 'From: %s\n' "$2"; printf '%bSubject: t\n\nhello\n' "${3:-}"; } >"$1"
}

# ---- administration round trip ----
same "domain list: example.org is the default" "$(ADMIN domain list)" "example.org  (default)"
ok  "domain add: a second domain" ADMIN domain add Other.Test
no  "domain add: twice is refused" "already a local domain" ADMIN domain add other.test
no  "domain add: not a domain name" "is not a domain name" ADMIN domain add "bad_domain"
same "domain list: both, lower case, one default" "$(ADMIN domain list)" \
	"example.org  (default)
other.test"
ok  "alias add: sales@other.test reaches bob" ADMIN alias add Sales@Other.Test bob
no  "alias add: outside the local domains" "not in a local domain" ADMIN alias add x@remote.test bob
no  "alias add: no such mailbox" "no mailbox nosuch" ADMIN alias add y@other.test nosuch
no  "alias add: an address with CR is refused" "is not an address" ADMIN alias add $'a\r@other.test' bob
no  "alias add: twice" "already exists" ADMIN alias add sales@other.test bob
expect_contains "alias list: shows it" "$(ADMIN alias list bob)" "sales@other.test"
same "alias list: not under alice" "$(ADMIN alias list alice)" ""
no  "domain rm: refused while an alias uses it" "still has aliases" ADMIN domain rm other.test
ok  "verify: consistent with domains and aliases" ADMIN verify

# ---- mailrpc-deliver -a ----
msg "$T/in" "someone@remote.test"
n0=$(inbox bob)
ok  "deliver -a: an alias reaches its mailbox" DELIVER -a sales@other.test -f someone@remote.test <"$T/in"
ok  "deliver -a: MAILBOX@DOMAIN, any case" DELIVER -a BOB@example.org <"$T/in"
same "deliver -a: both in bob's Inbox" "$(inbox bob)" "$((n0 + 2))"
id=$(as bob --json ls Inbox | jq '.[-2].id')
expect_contains "deliver -a: Delivered-To is the address" "$(as bob cat "$id")" \
	"Delivered-To: sales@other.test"
DELIVER -a nobody@example.org <"$T/in" 2>"$T/err"; rc=$?
same "deliver -a: unknown address exits 67" "$rc" 67
expect_contains "deliver -a: says so" "$(cat "$T/err")" "nobody@example.org: no such address"
DELIVER -a bob@remote.test <"$T/in" 2>"$T/err"; rc=$?
same "deliver -a: an address of another domain exits 67" "$rc" 67
DELIVER -a bob -d bob <"$T/in" 2>/dev/null; rc=$?
same "deliver: -a and -d together is a usage error" "$rc" 64

# ---- the From: rule ----
msg "$T/own" "Alice <alice@example.org>"
ok  "From: own address" as alice send --to bob "$T/own"
msg "$T/own2" "alice@OTHER.test"
ok  "From: own address in another local domain" as alice send --to bob "$T/own2"
msg "$T/forged" "Bob <bob@example.org>"
n0=$(inbox bob)
no  "From: another user's address is refused (issue 15 item 10)" \
	"you may not send as bob@example.org" as alice send --to bob "$T/forged"
same "refused: nothing was delivered" "$(inbox bob)" "$n0"
same "refused: nothing in Sent Items" "$(as alice --json ls 'Sent Items' | jq length)" 2
msg "$T/forged2" "sales@other.test"
no  "From: another user's alias is refused" "you may not send as sales@other.test" \
	as alice send --to bob "$T/forged2"
msg "$T/forged3" "ceo@remote.test"
no  "From: an address of another domain is refused" "you may not send as ceo@remote.test" \
	as alice send --to bob "$T/forged3"
msg "$T/twofrom" "alice@example.org, bob@example.org"
no  "From: two authors, one not hers" "you may not send as bob@example.org" \
	as alice send --to bob "$T/twofrom"
msg "$T/sender" "alice@example.org" 'Sender: bob@example.org\n'
no  "Sender: naming someone else is refused" "you may not send as bob@example.org" \
	as alice send --to bob "$T/sender"
msg "$T/badfrom" "not an address"
no  "From: holding no address is refused" "you may not send as" as alice send --to bob "$T/badfrom"
ok  "verify: the refused sends left the store consistent" ADMIN verify

# Send on behalf: p on bob's Outbox lets alice send as bob; Sender: added.
no  "delegate without p: refused" "you may not send as bob@example.org" \
	as alice send --to carol "$T/forged"
as bob acl Outbox set "alice$R" lp
n0=$(inbox carol)
ok  "delegate with p: alice sends as bob" as alice send --to carol "$T/forged"
same "delegate: carol got it" "$(inbox carol)" "$((n0 + 1))"
cid=$(as carol --json ls Inbox | jq '.[-1].id')
got=$(as carol cat "$cid")
expect_contains "delegate: Sender: names alice" "$got" "Sender: alice@example.org"
same "delegate: the copy is in bob's Sent Items" "$(as bob --json ls 'Sent Items' | jq length)" 1
ok  "delegate: by bob's alias too" as alice send --to carol "$T/forged2"
as bob acl Outbox set "alice$R" l
no  "delegate: p revoked, refused again" "you may not send as bob@example.org" \
	as alice send --to carol "$T/forged"

# Missing From:, Date:, Message-ID: are added.
msg "$T/bare" ""
ok  "no From:, Date:, Message-ID:: sent" as alice send --to carol "$T/bare"
cid=$(as carol --json ls Inbox | jq '.[-1].id')
got=$(as carol cat "$cid")
expect_contains "added: From: her own address" "$got" "From: alice@example.org"
expect_contains "added: Date:" "$got" "Date: "
check "added: Message-ID at her domain" grep -Eq '^Message-ID: <[0-9a-f]{32}@example.org>' <(printf '%s\n' "$got")

# ---- bad recipient addresses: refused before anything is stored ----
msg "$T/ok" "alice@example.org"
n0=$(as alice --json ls 'Sent Items' | jq length)
no  "rcpt: malformed address is named" "bob@@example.org is not a valid address" \
	as alice send --to bob@@example.org "$T/ok"
no  "rcpt: CR LF in an address is refused" "is not a valid address" \
	as alice send --to $'carol@remote.test\r\nRCPT TO:<x@evil.test>' "$T/ok"
no  "rcpt: unknown local address is named" "cannot deliver to nosuch@example.org" \
	as alice send --to bob,nosuch@example.org "$T/ok"
same "rcpt: refused sends stored nothing" "$(as alice --json ls 'Sent Items' | jq length)" "$n0"
n0=$(inbox bob)
ok  "rcpt: a display-name address and an alias in one send" \
	as alice send --to '"Bob, B." <bob@example.org>,sales@other.test' "$T/ok"
same "rcpt: bob got it once, though named twice" "$(inbox bob)" "$((n0 + 1))"

# ---- the MTA's lookups (Postfix socketmap protocol) ----
map() {
	local req out=
	for req in "$@"; do out+="${#req}:$req,"; done
	printf '%s' "$out" | "$BIN/bin/mailrpc-map" --store "$T/store"
}
same "map: a local domain" "$(map 'domain other.test')" "13:OK other.test,"
same "map: another domain" "$(map 'domain remote.test')" "9:NOTFOUND ,"
same "map: a recipient alias" "$(map 'recipient sales@other.test')" "6:OK bob,"
same "map: an unknown recipient" "$(map 'recipient nobody@example.org')" "9:NOTFOUND ,"
same "map: senders of alice's address" "$(map 'sender alice@example.org')" \
	"27:OK alice@MAILRPC.TEST,alice,"
as bob acl Outbox set "alice$R" lp
same "map: a delegation shows at once" "$(map 'sender bob@example.org')" \
	"48:OK bob@MAILRPC.TEST,bob,alice@MAILRPC.TEST,alice,"
as bob acl Outbox set "alice$R" l
same "map: and its revocation" "$(map 'sender bob@example.org')" "23:OK bob@MAILRPC.TEST,bob,"
same "map: several requests on one connection" \
	"$(map 'domain example.org' 'recipient carol@example.org')" "14:OK example.org,8:OK carol,"
ADMIN disable carol
same "map: a disabled mailbox takes no mail" "$(map 'recipient carol@example.org')" "9:NOTFOUND ,"
ADMIN enable carol

# ---- removal ----
ok  "alias rm" ADMIN alias rm SALES@other.test
no  "alias rm: twice" "no alias" ADMIN alias rm sales@other.test
DELIVER -a sales@other.test <"$T/in" 2>/dev/null; rc=$?
same "alias rm: the alias no longer delivers (67)" "$rc" 67
ok  "domain rm: once unused" ADMIN domain rm other.test
msg "$T/gone" "alice@other.test"
no  "domain rm: its addresses are no longer hers" "you may not send as alice@other.test" \
	as alice send --to bob "$T/gone"
ok  "verify: consistent after removal" ADMIN verify
