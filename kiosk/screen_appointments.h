/* The appointment screens (offer, day, time, confirm, slip, lookup): one registry row. */
#ifndef WLK_SCREEN_APPOINTMENTS_H
#define WLK_SCREEN_APPOINTMENTS_H

#include "ui.h"

/* One registry row ("appointments") for all steps, like the minima wizard: plugging it in needs
 * one screen id in screen_id_t, one row in ui.c's SCREENS, and the two entry calls below.
 * has_session is true: the idle wipe applies. */
extern const screen_t SCREEN_APPOINTMENTS;

/* Starts booking from the result screen: offers what fits ui->result at ui->cfg->location.
 * back_to is where "Terug" on the first step returns (the result screen). Call before
 * ui_go(ui, <appointments screen id>). Loads the catalogue from ui->cfg->assets on first use. */
void screen_appointments_begin(ui_t *ui, screen_id_t back_to);
/* Starts the lookup by reference (typed, or scanned: a QR scanner types like a keyboard). */
void screen_appointments_begin_lookup(ui_t *ui, screen_id_t back_to);

/* A request to wijkloket-server is waiting for its turn: the screen shows "Even geduld" and
 * ui.c ticks at once, so that frame is drawn before the request (bounded by short timeouts,
 * kiosk/server_link.c) runs in screen_appointments_tick. Never true with the kiosk's own file. */
bool screen_appointments_busy(void);
void screen_appointments_tick(ui_t *ui);

/* Forgets the citizen's booking state (bytes zeroed). Call from ui_session_wipe. */
void screen_appointments_wipe(void);
/* Frees the catalogue and fonts at program end (after a wipe). */
void screen_appointments_shutdown(void);

#endif
