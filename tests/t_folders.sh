# t_folders.sh -- folders end to end: well-known folders, nested names with
# spaces, rename with subfolders, delete (recursive or not), name rules.
. "$(dirname "$0")/lib.sh"
setup_realm
kinit_as alice
start_server

# jq_check NAME JSON FILTER: passes when the filter is true for the JSON.
jq_check() {
	if jq -e "$3" >/dev/null <<<"$2"; then pass "$1"; else fail "$1" "jq $3 on: $2"; fi
}

# fails_with NAME EXPECTED COMMAND...: the command fails, with one line on
# stderr containing EXPECTED, and exit status 1.
fails_with() {
	local name=$1 expected=$2 out rc; shift 2
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -ne 1 ]; then fail "$name" "exit status $rc (want 1): $out"; return; fi
	if [ "$(wc -l <<<"$out")" -ne 1 ]; then fail "$name" "not one line: $out"; return; fi
	expect_contains "$name" "$out" "$expected"
}

paths() { mailrpc --json folders | jq -r '.[].path'; }

json=$(mailrpc --json folders)
jq_check "first call shows the five well-known folders" "$json" '
	[.[] | select(.well_known) | .path] | sort ==
	["Deleted Items", "Drafts", "Inbox", "Outbox", "Sent Items"]'
jq_check "folders json has path, total, unread, size" "$json" '
	all(.[]; (.path | type == "string") and .total == 0 and .unread == 0 and .size == 0)'
out=$(mailrpc folders)
expect_contains "folders table has a header" "$out" "FOLDER"
expect_contains "folders table lists Sent Items" "$out" "Sent Items"

check "mkfolder Projects" mailrpc mkfolder Projects
check "mkfolder nested with a space" mailrpc mkfolder "Projects/Big Plan"
check "mkfolder deeper" mailrpc mkfolder "Projects/Big Plan/2024"
fails_with "mkfolder without parent names the parent" "no such folder: Rechnungen" \
	mailrpc mkfolder "Rechnungen/Übersicht"
check "mkfolder unicode top level" mailrpc mkfolder "Rechnungen"
check "mkfolder unicode child" mailrpc mkfolder "Rechnungen/Übersicht"
fails_with "mkfolder twice says it exists" "already exists: Projects/Big Plan" \
	mailrpc mkfolder "Projects/Big Plan"
jq_check "nested folder with a space is listed" "$(mailrpc --json folders)" '
	[.[].path] | index("Projects/Big Plan") != null and index("Projects/Big Plan/2024") != null
	and index("Rechnungen/Übersicht") != null'
jq_check "user folders are not well-known" "$(mailrpc --json folders)" '
	all(.[] | select(.path | startswith("Projects")); .well_known == false)'
paths >"$T/paths"
check "folders come in path order" cmp -s "$T/paths" <(LC_ALL=C sort "$T/paths")

# Rename moves the subfolders along.
check "mvfolder renames a tree" mailrpc mvfolder Projects Work
json=$(mailrpc --json folders)
jq_check "renamed tree keeps its subfolders" "$json" '
	[.[].path] | index("Work/Big Plan/2024") != null and index("Projects") == null
	and index("Projects/Big Plan") == null'
check "mvfolder moves a folder under another" mailrpc mvfolder "Work/Big Plan" "Rechnungen/Big Plan"
jq_check "moved folder and its child are in the new place" "$(mailrpc --json folders)" '
	[.[].path] | index("Rechnungen/Big Plan/2024") != null and index("Work/Big Plan") == null'
fails_with "mvfolder onto an existing folder" "already exists" mailrpc mvfolder Work Rechnungen
fails_with "mvfolder of a missing folder" "no such folder: Nope" mailrpc mvfolder Nope Elsewhere
fails_with "mvfolder into itself is refused" "" mailrpc mvfolder Rechnungen "Rechnungen/Big Plan/x"

# Well-known folders stay.
for f in Inbox "Sent Items" "Deleted Items" Drafts Outbox; do
	fails_with "cannot rename $f" "well-known folders cannot be renamed or deleted" \
		mailrpc mvfolder "$f" "Old $f"
	fails_with "cannot delete $f" "well-known folders cannot be renamed or deleted" \
		mailrpc rmfolder -r "$f"
done

# Delete: refused with subfolders unless -r.
fails_with "rmfolder refuses a folder with subfolders" "folder is not empty: Rechnungen" \
	mailrpc rmfolder Rechnungen
out=$(mailrpc rmfolder Rechnungen 2>&1)
expect_contains "rmfolder refusal names -r" "$out" "rmfolder -r"
check "rmfolder -r deletes the tree" mailrpc rmfolder -r Rechnungen
jq_check "deleted tree is gone" "$(mailrpc --json folders)" '
	all(.[]; .path | startswith("Rechnungen") | not)'
check "rmfolder of an empty folder" mailrpc rmfolder Work
fails_with "rmfolder of a missing folder" "no such folder: Work" mailrpc rmfolder Work
jq_check "only the well-known folders are left" "$(mailrpc --json folders)" 'length == 5'

# Name rules: one clear error for every bad name.
bad=invalid\ folder\ name
fails_with "empty name" "$bad" mailrpc mkfolder ""
fails_with "256-byte name" "$bad" mailrpc mkfolder "$(printf 'a%.0s' $(seq 256))"
check "255-byte name is fine" mailrpc mkfolder "$(printf 'b%.0s' $(seq 255))"
fails_with "invalid UTF-8" "$bad" mailrpc mkfolder "$(printf 'x\xffy')"
fails_with "control character" "$bad" mailrpc mkfolder "$(printf 'tab\there')"
fails_with "dot-dot component" "$bad" mailrpc mkfolder "Inbox/../x"
fails_with "dot component" "$bad" mailrpc mkfolder "./x"
fails_with "empty component" "$bad" mailrpc mkfolder "a//b"
fails_with "trailing slash" "$bad" mailrpc mkfolder "a/"
fails_with "bad rename target" "$bad" mailrpc mvfolder Drafts ".."
fails_with "unknown folder in ls" "no such folder: Archive" mailrpc ls Archive

# Usage errors exit 64.
mailrpc mkfolder >/dev/null 2>&1; rc=$?
check "mkfolder without a path is a usage error" test "$rc" -eq 64
mailrpc mvfolder a >/dev/null 2>&1; rc=$?
check "mvfolder with one name is a usage error" test "$rc" -eq 64
mailrpc rmfolder --bogus x >/dev/null 2>&1; rc=$?
check "rmfolder with an unknown option is a usage error" test "$rc" -eq 64

# Folders are per mailbox.
kinit_as bob
jq_check "bob has only his own well-known folders" "$(mailrpc --json folders)" 'length == 5'
kinit_as alice
jq_check "alice still has her 255-byte folder" "$(mailrpc --json folders)" 'length == 6'
