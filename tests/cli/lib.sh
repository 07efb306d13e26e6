# Shared by the staff command-line tests (sourced): `expect` runs one case and counts it.
# Needs $work (the test's folder) and pass=0 fail=0 set by the caller.
# expect NAME EXIT REGEX COMMAND...: the exit code and a stderr/stdout line matching REGEX.
expect() {
  local name=$1 want=$2 pattern=$3; shift 3
  "$@" >"$work/out" 2>&1; local got=$?
  if [ "$got" -ge 128 ]; then echo "FAIL $name: crashed (signal $((got-128)))"; cat "$work/out"; fail=$((fail+1)); return; fi
  if [ "$got" -ne "$want" ]; then echo "FAIL $name: exit $got, expected $want"; cat "$work/out"; fail=$((fail+1)); return; fi
  if ! grep -Eq "$pattern" "$work/out"; then echo "FAIL $name: message lacks /$pattern/"; cat "$work/out"; fail=$((fail+1)); return; fi
  echo "ok   $name"; pass=$((pass+1))
}
