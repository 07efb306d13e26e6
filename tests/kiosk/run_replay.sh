#!/usr/bin/env bash
# Runs one kiosk script replay headless in a fresh database; users named on a
# "# setup-users: NAME ROLE PIN ..." line of the script are created first; a "# config: FILE"
# line picks another configuration than tests/kiosk/test.conf. Every replay seals what it
# stores: a fresh staff key pair is made in OUTDIR and passed with --public-key.
# usage: run_replay.sh KIOSK SETUP SCRIPT OUTDIR   (run from the repository root)
set -euo pipefail
kiosk=$1 setup=$2 script=$3 out=$4
name=$(basename "$script" .script)
mkdir -p "$out"
db="$out/$name.db"
rm -f "$db" "$db-wal" "$db-shm"
users=$(sed -n 's/^# setup-users: *//p' "$script")
conf=$(sed -n 's/^# config: *//p' "$script")
conf=${conf:-tests/kiosk/test.conf}
keys="$out/$name-keys"
rm -rf "$keys"
"$setup" --keygen "$keys"
if [ -n "$users" ]; then
  # shellcheck disable=SC2086
  "$setup" "$db" $users
fi
# Times on screen (staff screen) are local: the same zone everywhere keeps the goldens stable.
export SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam
exec "$kiosk" --headless --config "$conf" --db "$db" --public-key "$keys/public.key" --script "$script" \
  --screenshots "$out/$name" --golden tests/kiosk/golden --epoch 1795000000 --test-refcodes
