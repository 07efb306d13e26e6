#!/usr/bin/env bash
# Sourced by CUPS tests: starts a private cupsd on a local socket in $CT (a folder under /tmp),
# with the queues given as NAME=DEVICE_URI[,ERROR_POLICY] in $CUPS_QUEUES (@CT@ in a URI stands
# for that folder); exports CUPS_SERVER. Device "wlfile:PATH" is a backend (below) that writes
# the job to PATH, and fails, as a real device does, when it cannot (a folder that is missing).
# Raw queues with CUPS's own file: URIs run nothing at all, so they cannot show a failure.
# The caller's EXIT trap must call cupsd_stop.
CT=$(mktemp -d /tmp/wl-cups-XXXXXX)
chmod 0755 "$CT"
mkdir -p "$CT"/{etc,etc/ppd,spool,spool/tmp,cache,state,log,tmp,out,bin/backend}
# CUPS's own programs, plus the test backend.
for d in filter daemon cgi-bin monitor notifier driver; do
  [ -e /usr/lib/cups/$d ] && ln -s /usr/lib/cups/$d "$CT/bin/$d"
done
cat > "$CT/bin/backend/wlfile" <<'EOB'
#!/bin/sh
# CUPS backend for tests: writes the job to the path after "wlfile:" in DEVICE_URI.
if [ $# -eq 0 ]; then echo 'direct wlfile "Unknown" "Wijkloket test file"'; exit 0; fi
out=${DEVICE_URI#wlfile:}
if [ $# -ge 6 ]; then cat "$6" > "$out" || exit 1; else cat > "$out" || exit 1; fi
echo "INFO: written to $out" >&2
exit 0
EOB
chmod 0755 "$CT/bin/backend/wlfile" "$CT/bin" "$CT/bin/backend"
# Jobs write their output as cupsd's User (lp when run as root): let it into out/.
chmod 1777 "$CT/out" "$CT/tmp" "$CT/spool/tmp"
if [ "$(id -u)" -eq 0 ]; then RUNAS="User lp
Group lp
SystemGroup root"; else RUNAS="SystemGroup $(id -gn)"; fi
cat > "$CT/etc/cups-files.conf" <<EOC
ServerRoot $CT/etc
RequestRoot $CT/spool
CacheDir $CT/cache
StateDir $CT/state
TempDir $CT/tmp
ServerBin $CT/bin
DataDir /usr/share/cups
ErrorLog $CT/log/error_log
AccessLog $CT/log/access_log
PageLog $CT/log/page_log
FileDevice Yes
Sandboxing Relaxed
$RUNAS
EOC
cat > "$CT/etc/cupsd.conf" <<EOC
Listen $CT/cups.sock
LogLevel debug
Browsing No
DefaultAuthType None
JobRetryLimit 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOC
: > "$CT/etc/printers.conf"
for q in $CUPS_QUEUES; do
  name=${q%%=*}; rest=${q#*=}; uri=${rest%%,*}; policy=stop-printer
  [ "$rest" != "$uri" ] && policy=${rest#*,}
  printf '<Printer %s>\nDeviceURI %s\nState Idle\nAccepting Yes\nShared No\nErrorPolicy %s\n</Printer>\n' \
    "$name" "${uri//@CT@/$CT}" "$policy" >> "$CT/etc/printers.conf"
done
chmod 0644 "$CT"/etc/*.conf
/usr/sbin/cupsd -f -c "$CT/etc/cupsd.conf" -s "$CT/etc/cups-files.conf" > "$CT/log/stdout" 2>&1 &
CUPSD_PID=$!
export CUPS_SERVER="$CT/cups.sock"
for _ in $(seq 100); do [ -S "$CUPS_SERVER" ] && break; sleep 0.1; done
if [ ! -S "$CUPS_SERVER" ]; then
  echo "cupsd did not start:" >&2; cat "$CT/log/stdout" "$CT/log/error_log" >&2 2>/dev/null; exit 1
fi
cupsd_stop() {
  kill "$CUPSD_PID" 2>/dev/null; wait "$CUPSD_PID" 2>/dev/null
  rm -rf "$CT"
}
