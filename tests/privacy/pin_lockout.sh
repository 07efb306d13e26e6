#!/usr/bin/env bash
# Must show: five wrong PINs lock a staff user out of the privacy commands, with a clear message; time or an admin lifts it.
. "$(dirname "$0")/common.sh"
setup_keys_and_users
"$GEN" --db "$DB" --public-key "$KEYS/public.key" --count 3 --seed 3 || exit 1
A() { env WL_PIN="$1" "$STAFF" --db "$DB" --now "$NOW" --user anna list; }

check "no --user is a usage error" 2 env WL_PIN=4821 "$STAFF" --db "$DB" list
check "right PIN works" 0 A 4821
for i in 1 2 3 4; do
    check "wrong PIN $i refused" 5 A 0000
    has "wrong PIN $i says how many tries are left" "tries left before a lock: $((5 - i))"
done
check "fifth wrong PIN locks" 5 A 0000
has "the lock is announced" "locked for 1 minute"
check "the right PIN is refused while locked" 5 A 4821
has "locked message is clear" "is locked after too many wrong PINs"
has "nothing was shown" "Nothing was shown or changed"
if grep -q "REF" "$W/out"; then bad "the day list leaked while locked"; else ok "no day list while locked"; fi
check "the lock ends after its period" 0 env WL_PIN=4821 "$STAFF" --db "$DB" --now $((NOW + 120)) --user anna list
check "an unknown user gets the same answer as a wrong PIN" 5 env WL_PIN=4821 "$STAFF" --db "$DB" --now "$NOW" --user nobody list
has "no name probing" "name or PIN is wrong"
check "a staff user cannot purge (admin only)" 5 env WL_PIN=4821 "$STAFF" --db "$DB" --now $((NOW + 200)) --user anna purge
check "the lock is in the audit trail" 0 env WL_PIN=7777 "$STAFF" --db "$DB" --now "$NOW" --user beheer audit list
has "audit shows user.locked" "user.locked"
finish
