#!/usr/bin/env bash
# The installed programs are built hardened (issue 14): full RELRO (GNU_RELRO and BIND_NOW) and
# _FORTIFY_SOURCE (fortified __*_chk calls from libc). usage: hardening.sh BINARY...
set -u
fail=0
for b in "$@"; do
  n=$(basename "$b") bad=0
  if ! readelf -lW "$b" | grep -q GNU_RELRO; then echo "FAIL $n: no GNU_RELRO segment"; bad=1; fi
  if ! readelf -dW "$b" | grep -Eq 'BIND_NOW|FLAGS_1.*NOW'; then echo "FAIL $n: not linked with -z now"; bad=1; fi
  chk=$(readelf --dyn-syms -W "$b" | grep -Eo '__[a-z_]+_chk' | sort -u | tr '\n' ' ')
  if [ -z "$chk" ]; then echo "FAIL $n: no fortified calls (_FORTIFY_SOURCE)"; bad=1; fi
  if [ $bad -eq 0 ]; then echo "ok   $n: RELRO, BIND_NOW, fortified: $chk"; else fail=1; fi
done
exit $fail
