#!/usr/bin/env bash
# Users and PINs through the staff tool: add, list, bad PIN format, duplicate, disable, reset,
# volunteers' locations.
set -u
staff=$1
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
db="$work/test.db"
pass=0; fail=0
check() { # check NAME EXPECTED-EXIT COMMAND...
  local name=$1 want=$2; shift 2
  "$@" >"$work/out" 2>&1; local got=$?
  if [ "$got" -eq "$want" ]; then echo "ok   $name"; pass=$((pass+1));
  else echo "FAIL $name: exit $got, expected $want"; cat "$work/out"; fail=$((fail+1)); fi
}
S() { "$staff" --db "$db" "$@"; }

check "add volunteer" 0 env WL_NEW_PIN=918273 "$staff" --db "$db" user add "Anna de Vries" --role volunteer
check "add staff" 0 env WL_NEW_PIN=98765 "$staff" --db "$db" user add medewerker1 --role staff
check "duplicate name refused" 7 env WL_NEW_PIN=918273 "$staff" --db "$db" user add "Anna de Vries" --role volunteer
check "PIN with letters refused" 3 env WL_NEW_PIN=12ab "$staff" --db "$db" user add piet --role staff
check "too short PIN refused" 3 env WL_NEW_PIN=12 "$staff" --db "$db" user add piet --role staff
check "unknown role refused" 2 env WL_NEW_PIN=1234 "$staff" --db "$db" user add piet --role boss
check "list" 0 S user list
if grep -q "Anna de Vries *volunteer *active" "$work/out"; then echo "ok   list shows the volunteer"; pass=$((pass+1));
else echo "FAIL list content"; cat "$work/out"; fail=$((fail+1)); fi
if grep -q 918273 "$work/out" || grep -aq 918273 "$db"*; then echo "FAIL PIN visible in list or database"; fail=$((fail+1));
else echo "ok   PIN stored only as a hash"; pass=$((pass+1)); fi
check "disable" 0 S user disable "Anna de Vries"
check "disable unknown user" 6 S user disable nobody
check "reset-pin" 0 env WL_NEW_PIN=4321 "$staff" --db "$db" user reset-pin medewerker1
check "no arguments is usage" 2 S user

# Once the first admin exists, every user change needs an admin's name and PIN.
check "first admin made without a PIN (bootstrap)" 0 env WL_NEW_PIN=555111 "$staff" --db "$db" user add beheer --role admin
check "change without --user refused" 5 env WL_NEW_PIN=2468 "$staff" --db "$db" user add kees --role volunteer
check "change with a wrong admin PIN refused" 5 env WL_PIN=000000 WL_NEW_PIN=2468 "$staff" --db "$db" --user beheer user add kees --role volunteer
check "change by a staff user refused" 5 env WL_PIN=4321 WL_NEW_PIN=2468 "$staff" --db "$db" --user medewerker1 user add kees --role volunteer
check "change by the admin with its PIN" 0 env WL_PIN=555111 WL_NEW_PIN=2468 "$staff" --db "$db" --user beheer user add kees --role volunteer
check "disable by the admin" 0 env WL_PIN=555111 "$staff" --db "$db" --user beheer user disable kees
check "listing needs no admin" 0 S user list

# A volunteer helps at given locations; a kiosk lists only the volunteers of its own location.
A() { env WL_PIN=555111 WL_NEW_PIN=2468 "$staff" --db "$db" --user beheer "$@"; }
check "add a volunteer with a location" 0 A user add lies --role volunteer --location wij_vinkhuizen
check "unknown location refused" 2 A user add piet --role volunteer --location nergens
check "set two locations" 0 A user locations lies --location wij_de_wijert --location wij_vinkhuizen
check "locations of an unknown user" 6 A user locations niemand --location wij_vinkhuizen
check "list shows the locations" 0 S user list
if grep -q "lies .*volunteer .*wij_de_wijert,wij_vinkhuizen" "$work/out"; then echo "ok   list shows both locations"; pass=$((pass+1));
else echo "FAIL list locations"; cat "$work/out"; fail=$((fail+1)); fi
if grep -q "^piet" "$work/out"; then echo "FAIL refused user was added"; fail=$((fail+1)); else echo "ok   refused user not added"; pass=$((pass+1)); fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
