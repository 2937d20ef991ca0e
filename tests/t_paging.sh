# t_paging.sh -- listing 10,000 messages over RPC: every sort order both
# ways is a correct total order, and any page equals that slice of the
# whole listing (pages are cut to the reply budget, so the library pages).
. "$(dirname "$0")/lib.sh"
setup_realm alice
kinit_as alice
start_server
mailrpc whoami >/dev/null
"$TOOLS/seedstore" "$T/store" alice Inbox 10000 42 || { echo "FAIL setup: seedstore"; exit 1; }

check "folders counts 10000 in Inbox" \
	test "$(mailrpc --json folders | jq '.[] | select(.path == "Inbox") | .total')" -eq 10000

# key_of SORT: the jq expression the listing must be ordered by (ties: id).
key_of() {
	case "$1" in
	date) echo '[.received, .id]' ;;
	size) echo '[.size, .id]' ;;
	from) echo '[(.from | ascii_downcase), .id]' ;;
	subject) echo '[(.subject | ascii_downcase), .id]' ;;
	esac
}

for sort in date size from subject; do
	for dir in "" --reverse; do
		label="$sort${dir:+ $dir}"
		mailrpc --json ls Inbox --sort "$sort" $dir --limit 0 >"$T/full.json"
		key=$(key_of "$sort")
		check "ls --sort $label: all 10000 listed" test "$(jq length "$T/full.json")" -eq 10000
		order='map('"$key"') as $k | $k == ($k | sort)'
		[ -n "$dir" ] && order='map('"$key"') as $k | $k == ($k | sort | reverse)'
		check "ls --sort $label: in order" jq -e "$order" "$T/full.json"
		for off in 0 4321 9990; do
			page=$(mailrpc --json ls Inbox --sort "$sort" $dir --offset "$off" --limit 50 | jq -c 'map(.id)')
			want=$(jq -c ".[$off:$off+50] | map(.id)" "$T/full.json")
			check "ls --sort $label --offset $off --limit 50 is that slice" test "$page" = "$want"
		done
	done
done

unread=$(mailrpc --json folders | jq '.[] | select(.path == "Inbox") | .unread')
check "ls --unread lists exactly the unread ($unread)" \
	test "$(mailrpc --json ls Inbox --unread --limit 0 | jq 'map(select(.flags | index("seen") | not)) | length')" -eq "$unread"
check "ls --unread lists nothing seen" \
	test "$(mailrpc --json ls Inbox --unread --limit 0 | jq length)" -eq "$unread"
