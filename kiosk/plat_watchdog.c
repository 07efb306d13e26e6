/* systemd notifications through libsystemd's sd_notify; the keep-alive comes from the event loop. */
#include "plat_watchdog.h"

#include <stdio.h>
#include <stdlib.h>

#include <systemd/sd-daemon.h>

static int64_t interval_ms = -1; /* keep-alive every half of WatchdogSec */
static int64_t last_ms = -1;

bool plat_watchdog_init(void)
{
    /* Not sd_watchdog_enabled(): it insists that WATCHDOG_PID is this process, but under
     * cage the kiosk is cage's child (the unit has NotifyAccess=all for that). */
    const char *v = getenv("WATCHDOG_USEC");
    if (!v || !*v || !getenv("NOTIFY_SOCKET")) return false;
    char *end;
    long long usec = strtoll(v, &end, 10);
    if (*end || usec <= 0) {
        fprintf(stderr, "wijkloket: WATCHDOG_USEC '%s' is not a number of microseconds; no watchdog\n", v);
        return false;
    }
    interval_ms = usec / 2000;
    if (interval_ms < 1) interval_ms = 1;
    return true;
}

void plat_watchdog_ready(void)
{
    if (getenv("NOTIFY_SOCKET")) sd_notify(0, "READY=1\nSTATUS=Kiosk ready");
}

int64_t plat_watchdog_due(int64_t now_ms)
{
    if (interval_ms < 0) return -1;
    if (last_ms < 0) return 0;
    int64_t left = last_ms + interval_ms - now_ms;
    return left > 0 ? left : 0;
}

void plat_watchdog_kick(int64_t now_ms)
{
    if (interval_ms < 0 || (last_ms >= 0 && now_ms - last_ms < interval_ms)) return;
    last_ms = now_ms;
    sd_notify(0, "WATCHDOG=1");
}
