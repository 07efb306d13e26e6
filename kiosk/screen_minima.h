/* The minimaregelingen wizard screen ("Regelingen checken"): its registry entry and session hooks. */
#ifndef WLK_SCREEN_MINIMA_H
#define WLK_SCREEN_MINIMA_H

#include "ui.h"

/* One registry row ("minima") for the whole wizard: its steps are internal, so plugging it in
 * needs one screen id. has_session is true: the idle wipe applies. */
extern const screen_t SCREEN_MINIMA;

/* Starts the wizard afresh; call before ui_go(ui, <minima screen id>) from the menu. Loads the
 * scheme catalogue from ui->cfg->assets on first use (kept: it holds no personal data). */
void screen_minima_begin(ui_t *ui);

/* Keeps what the citizen's questionnaire answers already tell the wizard (the age from the
 * birth date; assets/minima/wizard.json "from_questionnaire"), so a minima check later in the
 * same session does not ask it again. Call just before the answers are stored and wiped. */
void screen_minima_remember(ui_t *ui, const wl_intake_t *answers);

/* Forgets every answer and result of the wizard (bytes zeroed). Call from ui_session_wipe:
 * the wizard stores nothing, and nothing may outlive the citizen's session. */
void screen_minima_wipe(void);

/* Frees the catalogue at program end (after a wipe). */
void screen_minima_shutdown(void);

#endif
