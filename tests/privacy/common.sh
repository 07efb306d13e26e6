# Shared set-up for the privacy CLI tests: a fresh folder, keys, users, and check helpers.
# Sourced with: STAFF GEN ROOT as $1 $2 $3.
set -u
STAFF=$1
GEN=$2
ROOT=$3
export LC_ALL=C
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
DB="$W/wijkloket.db"
KEYS="$W/keys"
NOW=1769940000 # 2026-02-01 10:00 UTC: after the generated intakes of January
export TZ=UTC
export WL_PASSPHRASE="correct horse battery staple"
export WL_KEYS="$KEYS"
pass=0
fail=0

ok() { echo "ok   $*"; pass=$((pass + 1)); }
bad() { echo "FAIL $*"; fail=$((fail + 1)); }

# S ARGS...: the staff tool on this test's database at the fixed time.
S() { "$STAFF" --db "$DB" --now "$NOW" "$@"; }

# check NAME EXPECTED-EXIT COMMAND...: runs, keeps output in $W/out, compares the exit code.
check() {
    local name=$1 want=$2
    shift 2
    "$@" >"$W/out" 2>&1
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "$name"; else
        bad "$name: exit $got, expected $want"
        sed 's/^/     | /' "$W/out"
    fi
}

# has NAME TEXT: the last output contains TEXT.
has() {
    if grep -qF -- "$2" "$W/out"; then ok "$1"; else
        bad "$1: output lacks '$2'"
        sed 's/^/     | /' "$W/out"
    fi
}

setup_keys_and_users() {
    "$STAFF" keygen --out "$KEYS" --kdf interactive >"$W/out" 2>&1 || { cat "$W/out"; exit 1; }
    WL_NEW_PIN=4821 S user add anna --role staff >/dev/null || exit 1
    WL_NEW_PIN=7777 S user add beheer --role admin >/dev/null || exit 1
}

finish() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
