#!/usr/bin/env bash
# Runs one kiosk script replay headless in a fresh database; users named on a
# "# setup-users: NAME ROLE PIN ..." line of the script are created first; a "# config: FILE"
# line picks another configuration than tests/kiosk/test.conf; a "# sizes: WxH ..." line replays
# the script once per screen size (each in its own database). Every replay seals what it
# stores: a fresh staff key pair is made in OUTDIR and its public key passed with --public-key.
# usage: run_replay.sh KIOSK SETUP SCRIPT OUTDIR   (run from the repository root)
set -euo pipefail
kiosk=$1 setup=$2 script=$3 out=$4
name=$(basename "$script" .script)
mkdir -p "$out"
sizes=$(sed -n 's/^# sizes: *//p' "$script")
if [ -n "$sizes" ] && [ -z "${WL_REPLAY_SIZE:-}" ]; then
  for s in $sizes; do
    WL_REPLAY_SIZE=$s WL_REPLAY_NAME=$name-$s "$0" "$kiosk" "$setup" "$script" "$out" || { echo "$script failed at $s" >&2; exit 1; }
  done
  exit 0
fi
name=${WL_REPLAY_NAME:-$name}
size_opt=()
if [ -n "${WL_REPLAY_SIZE:-}" ]; then size_opt=(--size "$WL_REPLAY_SIZE"); fi
db="$out/$name.db"
rm -f "$db" "$db-wal" "$db-shm"
users=$(sed -n 's/^# setup-users: *//p' "$script")
conf=$(sed -n 's/^# config: *//p' "$script")
conf=${conf:-tests/kiosk/test.conf}
keys="$out/$name-keys"
rm -rf "$keys"
"$setup" --keygen "$keys"
# As deployed: the secret key on the staff computer, not beside the public key on the kiosk
# (the kiosk warns on its staff screen when it is; a "# secret-key-beside-public: yes" line
# keeps it there to test that warning).
if [ "$(sed -n 's/^# secret-key-beside-public: *//p' "$script")" != yes ]; then
  rm -rf "$keys-staff"; mkdir -p "$keys-staff"; mv "$keys/secret.key" "$keys-staff/secret.key"
fi
if [ -n "$users" ]; then
  # shellcheck disable=SC2086
  "$setup" "$db" $users
fi
# Times on screen (staff screen) are local: the same zone everywhere keeps the goldens stable.
export SDL_VIDEODRIVER=dummy TZ=Europe/Amsterdam
exec "$kiosk" --headless --config "$conf" "${size_opt[@]}" --db "$db" --public-key "$keys/public.key" --script "$script" \
  --screenshots "$out/$name" --golden tests/kiosk/golden --epoch 1795000000 --test-refcodes
