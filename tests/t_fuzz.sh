# t_fuzz.sh -- every libFuzzer harness (tests/fuzz, make fuzz) briefly:
# each replays its committed corpus, where every crashing input found so
# far is kept, so a regression fails here; then fuzzes for
# MAILRPC_FUZZ_SECONDS (default 2) from it, so CI meets the shallow bugs
# a change brings.  Long runs are make fuzz FUZZ_SECONDS=N (README).
# tests/run: once: the harnesses (make fuzz-build, ASan+UBSan of their own) are the same whatever build is under test
. "$(dirname "$0")/lib.sh"

command -v clang-14 >/dev/null || skip "clang-14 is not installed (scripts/install-deps)"
ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
	skip "libFuzzer is not installed (libfuzzer-14-dev; scripts/install-deps)"

# The harnesses are built from the sources as they are now (a no-op when
# nothing changed since make fuzz-build).
if ! make -s -j2 -C "$TOP" fuzz-build >"$T/build.log" 2>&1; then
	fail "fuzz-build" "$(grep -m3 -E 'error|Error' "$T/build.log")"
	exit 1
fi
"$TOP/tests/fuzz/run" --seconds "${MAILRPC_FUZZ_SECONDS:-2}" >"$T/run.out" 2>&1
while IFS= read -r line; do
	case "$line" in
	*": OK, "*) pass "$line" ;;
	*) fail "${line%%:*}" "${line#*: }" ;;
	esac
done <"$T/run.out"
[ -s "$T/run.out" ] || fail "fuzz-run" "tests/fuzz/run printed nothing"
exit $((failures > 0))
