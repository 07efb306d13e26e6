#!/usr/bin/env bash
# Sealing and the daily purge in the kiosk: no start without a usable staff public key (unless a
# test configuration says allow_unsealed = test-only, loudly); a sealed journey leaves no clear
# answers in the database file; the purge runs at start and then daily on the welcome screen, and
# a failing purge raises one staff event and never stops the kiosk.
# usage: tests/kiosk/sealing.sh KIOSK SETUP OUTDIR   (run from the repository root)
set -uo pipefail
kiosk=$1 setup=$2 out=$3
rm -rf "$out"
mkdir -p "$out"
export SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
base=$(grep -v '^allow_unsealed' tests/kiosk/test.conf)
printf 'expect_screen welcome\n' >"$out/start.script"
run() { # config, db, script, log
  "$kiosk" --headless --config "$1" --db "$2" --script "$3" --screenshots "$out/shots" --epoch 1795000000 \
    --test-refcodes 2>"$4"
}

# 1. No public_key: refused, naming the configuration, the key and the keygen command; no database made.
printf '%s\n' "$base" >"$out/nokey.conf"
if run "$out/nokey.conf" "$out/nokey.db" "$out/start.script" "$out/nokey.err"; then bad "started without a public key"
else
  grep -qF "$out/nokey.conf: public_key is not set" "$out/nokey.err" &&
    grep -qF 'wijkloket-staff keygen --out var/keys' "$out/nokey.err" && ok "no key: refused, naming the keygen command" ||
    bad "no key message: $(cat "$out/nokey.err")"
  [ ! -e "$out/nokey.db" ] && ok "no key: no database was made" || bad "no key: a database was made"
fi

# 2. A key file that is not there: refused naming file:line, the key and the path.
printf '%s\npublic_key = %s\n' "$base" "$out/nowhere/public.key" >"$out/missing.conf"
line=$(grep -n '^public_key' "$out/missing.conf" | cut -d: -f1)
if run "$out/missing.conf" "$out/missing.db" "$out/start.script" "$out/missing.err"; then bad "started with a missing key file"
else
  grep -qF "$out/missing.conf:$line: public_key: $out/nowhere/public.key" "$out/missing.err" &&
    ok "missing key file: refused naming file:line, key and path" || bad "missing key message: $(cat "$out/missing.err")"
fi

# 3. The secret key file (or any other file) given as public_key: refused.
"$setup" --keygen "$out/keys" || { bad "keygen"; exit 1; }
printf '%s\npublic_key = %s\n' "$base" "$out/keys/secret.key" >"$out/secret.conf"
if run "$out/secret.conf" "$out/secret.db" "$out/start.script" "$out/secret.err"; then bad "started with the secret key"
else
  grep -qF "public_key: $out/keys/secret.key is not a staff public key" "$out/secret.err" &&
    ok "secret key file as public_key: refused" || bad "secret key message: $(cat "$out/secret.err")"
fi

# 4. allow_unsealed = test-only: starts, with a loud warning.
printf '%s\nallow_unsealed = test-only\n' "$base" >"$out/unsealed.conf"
if run "$out/unsealed.conf" "$out/unsealed.db" "$out/start.script" "$out/unsealed.err"; then
  grep -q "WARNING: .* says allow_unsealed = test-only" "$out/unsealed.err" && grep -q "UNSEALED" "$out/unsealed.err" &&
    ok "allow_unsealed = test-only: starts with a loud warning" || bad "no warning: $(cat "$out/unsealed.err")"
else bad "allow_unsealed = test-only did not start: $(cat "$out/unsealed.err")"; fi

# 5. A sealed journey; then the kiosk again, 91 days on the welcome screen: the purge runs at
#    start and once a day, and anonymises the never-pulled intake when its 90 days have passed.
printf '%s\npublic_key = %s\n' "$base" "$out/keys/public.key" >"$out/sealed.conf"
grep -v '^compare' tests/kiosk/zelfdoener.script >"$out/sealed.script"
if run "$out/sealed.conf" "$out/sealed.db" "$out/sealed.script" "$out/sealed.err"; then
  ok "sealed journey replayed"
  enc=$(sqlite3 "$out/sealed.db" "SELECT group_concat(DISTINCT encoding) FROM intake_data")
  [ "$enc" = sealed ] && ok "answers stored sealed" || bad "encoding '$enc'"
  grep -a -q "Sanne de Vries" "$out/sealed.db" "$out/sealed.db-wal" 2>/dev/null && bad "name in the raw database" ||
    ok "name not in the raw database"
  first=$(grep -m1 'wijkloket: purge' "$out/sealed.err")
  [ "$first" = "wijkloket: purge: 0 deleted, 0 anonymised, 0 held for an appointment, 0 kept" ] &&
    ok "purge at start (before the journey)" || bad "first purge line: $first"
else bad "sealed journey: $(tail -5 "$out/sealed.err")"; fi
printf 'expect_screen welcome\nwait 91d\nexpect_screen welcome\ntap "Start"\nexpect_screen menu\n' >"$out/days.script"
if run "$out/sealed.conf" "$out/sealed.db" "$out/days.script" "$out/days.err"; then
  n=$(grep -c 'wijkloket: purge:' "$out/days.err")
  [ "$n" -eq 92 ] && ok "purge ran at start and once a day: 92 runs in 91 days" || bad "purge ran $n times in 91 days"
  grep -q 'wijkloket: purge: 0 deleted, 1 anonymised' "$out/days.err" && ok "the intake was anonymised after 90 days" ||
    bad "no anonymising purge: $(grep purge "$out/days.err" | sort | uniq -c)"
  enc=$(sqlite3 "$out/sealed.db" "SELECT count(*) FROM intake_data")
  [ "$enc" = 0 ] && ok "its sealed answers are gone" || bad "$enc sealed parts left"
  grep -q 'Sanne\|AX60' <(grep purge "$out/days.err") && bad "purge log names a person or reference" || ok "purge log has counts only"
else bad "91 days: $(tail -5 "$out/days.err")"; fi

# 6. A purge that falls due while someone is busy waits for the welcome screen.
busy='expect_screen welcome\nwait 86390s\ntap "Start"\nwait 50s\nexpect_screen menu\n'
printf "$busy" >"$out/busy.script"
printf "${busy}tap \"Terug\"\nexpect_screen welcome\n" >"$out/back.script"
if run "$out/sealed.conf" "$out/busy.db" "$out/busy.script" "$out/busy.err" &&
   run "$out/sealed.conf" "$out/back.db" "$out/back.script" "$out/back.err"; then
  n1=$(grep -c 'wijkloket: purge:' "$out/busy.err") n2=$(grep -c 'wijkloket: purge:' "$out/back.err")
  [ "$n1" -eq 1 ] && [ "$n2" -eq 2 ] && ok "a purge due during a session waits for the welcome screen" ||
    bad "purges with a session open past the due time: $n1 (expected 1), after it: $n2 (expected 2)"
else bad "busy replay: $(tail -3 "$out/busy.err" "$out/back.err")"; fi

# 7. A purge that fails (no retention.json): logged, one staff event, retried hourly, kiosk keeps going.
mkdir -p "$out/assets"
for f in assets/*; do [ "$(basename "$f")" = retention.json ] || ln -s "$PWD/$f" "$out/assets/"; done
printf '%s\npublic_key = %s\nassets = %s\n' "$base" "$out/keys/public.key" "$out/assets" | grep -v '^assets = assets$' >"$out/fail.conf"
printf 'expect_screen welcome\ntap "Start"\nexpect_event purge_failure\ntap "Terug"\nwait 3h\nexpect_screen welcome\ntap "Start"\nexpect_screen menu\n' >"$out/fail.script"
if run "$out/fail.conf" "$out/fail.db" "$out/fail.script" "$out/fail.err"; then
  grep -q 'wijkloket: purge failed: .*retention.json' "$out/fail.err" && ok "failed purge logged with the reason" ||
    bad "failed purge log: $(cat "$out/fail.err")"
  n=$(grep -c 'wijkloket: purge failed' "$out/fail.err")
  [ "$n" -eq 4 ] && ok "retried every hour (4 attempts in 3 hours)" || bad "$n attempts in 3 hours"
  ev=$(sqlite3 "$out/fail.db" "SELECT count(*) FROM kiosk_events WHERE kind = 'purge_failure'")
  [ "$ev" = 1 ] && ok "one purge_failure event for staff" || bad "$ev purge_failure events"
else bad "kiosk with a failing purge: $(tail -5 "$out/fail.err")"; fi

echo "sealing: $fails failed"
[ "$fails" -eq 0 ]
