# t_gw_mime.sh -- the gateway's MIME sections against Dovecot's recorded
# answers for tests/corpus (tests/gw/mime_vs_dovecot.py; the answers come
# from tests/gw/dovecot_answers.sh).
. "$(dirname "$0")/lib.sh"
. "$TESTS_DIR/gw_lib.sh"
gw_py mime_vs_dovecot.py "$TOOLS/test_gw_mime" "$TESTS_DIR/corpus" "$TESTS_DIR/gw/dovecot"
