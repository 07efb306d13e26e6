/* systemd service notifications for the kiosk session: READY=1 and the watchdog keep-alive. */
#ifndef WLK_PLAT_WATCHDOG_H
#define WLK_PLAT_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

/* Reads $WATCHDOG_USEC (set by systemd when the unit has WatchdogSec=). Returns false (and
 * does nothing later) when not run under a watchdog. */
bool plat_watchdog_init(void);
/* Tells systemd the kiosk is up (READY=1): after the first frame is on screen. */
void plat_watchdog_ready(void);
/* Milliseconds from now_ms until the next keep-alive is due, or -1 without a watchdog; the
 * event loop never sleeps longer than this. */
int64_t plat_watchdog_due(int64_t now_ms);
/* Sends WATCHDOG=1 when due. Called from the event loop, so a hung loop stops the keep-alives
 * and systemd restarts the session. */
void plat_watchdog_kick(int64_t now_ms);

#endif
