/* The kiosk UI model: state, input events, the widget list a screen builds, and ui_step. */
#ifndef WLK_UI_H
#define WLK_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <jansson.h>

#include "input.h"
#include "kconfig.h"
#include "view.h"
#include "wijkloket/auth.h"
#include "wijkloket/booking.h"
#include "wijkloket/classify.h"
#include "wijkloket/i18n.h"
#include "wijkloket/env.h"
#include "wijkloket/intake.h"
#include "wijkloket/journey.h"
#include "wijkloket/msg.h"
#include "wijkloket/pictograms.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/store.h"

/* ---- screens ----------------------------------------------------------------------------- */
typedef enum {
    SCR_WELCOME, SCR_MENU, SCR_HELP, SCR_CONSENT, SCR_QUESTION, SCR_SUMMARY, SCR_RESULT,
    SCR_STOP, SCR_LOGIN, SCR_STAFF, SCR_MINIMA, SCR_APPOINTMENTS, SCR_URGENT, SCR_COUNT
} screen_id_t;

typedef struct ui ui_t;

/* One row in the screen registry: how a screen draws itself and what its taps do. */
typedef struct {
    const char *name;
    void (*build)(ui_t *ui, view_t *v);
    void (*act)(ui_t *ui, const widget_t *w);
    void (*input)(ui_t *ui, const ui_event_t *ev); /* typed text and keys; may be NULL */
    bool has_session;  /* true: the screen shows a citizen's session (idle wipe applies) */
    void (*wipe)(void);     /* forgets this screen's own per-citizen state (zeroed); may be NULL */
    void (*shutdown)(void); /* frees what the screen keeps for the program's life; may be NULL */
} screen_t;

/* Actions shared by several screens; screens add their own above A_SCREEN_BASE. */
enum {
    A_NONE = 0, A_IDLE_CONTINUE, A_VOORLEZEN, A_IDLE_MORE, A_CONFIRM_YES, A_CONFIRM_NO,
    A_HELP_REQUEST, A_HELP_CLOSE, A_SPEAK_PERSONAL, A_SCREEN_BASE = 100
};

/* ---- state ------------------------------------------------------------------------------- */
#define UI_MSG 512
#define UI_BUF 256
#define UI_MAX_USERS 12

/* Everything about the person at the kiosk now: their language, answers (in the journey), typed
 * text, messages, result and reference, the volunteer helping them, a login in progress.
 * Written once as a list so it is both a struct of its own (ui->session, wiped with one
 * explicit_bzero by ui_session_wipe) and fields the screens reach directly (ui->buf). */
#define UI_SESSION_FIELDS                                                                          \
    int lang;                  /* index into cfg->languages; 0 is the default */                  \
    wl_journey_t *journey;     /* core's use case: answers, submit, booking (owned) */            \
    const wl_intake_t *intake; /* the journey's answers, read-only for drawing; NULL when none */  \
    size_t cur;                /* current question index */                                       \
    bool editing_from_summary;                                                                    \
    char buf[UI_BUF];          /* text or number being typed */                                  \
    char date[3][5];           /* day, month, year being typed */                                 \
    int date_field;                                                                               \
    bool date_replace;         /* a tapped or full date field: the next digit starts it anew */   \
    bool shift;                                                                                   \
    int kbd_page;              /* compact keyboard: 0 letters, 1 digits and accents */            \
    wl_msg_t msg;              /* inline message on the current screen (msgid + arguments) */     \
    int page;                  /* summary page */                                                 \
    json_t *result;            /* classification after saving (a reference of our own) */        \
    char ref[16];              /* reference code after saving */                                  \
    screen_id_t stop_return;   /* where "Nee, verder gaan" returns */                             \
    bool urgent;               /* the acute questions were answered: something cannot wait */     \
    bool urgent_talk;          /* ... and the person wants to speak the WIJ-team today */         \
    bool urgent_raised;        /* the urgent_request event for staff was stored */                \
    char volunteer[64];        /* volunteer-assisted (kept by Klaar for the next person) */       \
    wl_role_t login_role;      /* login screen for volunteer or staff */                          \
    char users[UI_MAX_USERS][64];                                                                 \
    int n_users;                                                                                  \
    int login_pick;            /* -1 until a name is chosen */                                    \
    char pin[16];                                                                                 \
    char staff_user[64];       /* the staff member signed in on the staff screen */              \
    bool speak_personal;       /* headphone: the citizen asked for their own answers to be read */

typedef struct { UI_SESSION_FIELDS } ui_session_t;

struct ui {
    const kcfg_t *cfg;
    const wl_questionnaire_t *q;
    const wl_rules_t *rules;
    const wl_pictograms_t *pictos; /* pictogram name -> glyph (borrowed; NULL: none drawn) */
    wl_store_t *store;
    /* Where appointments are booked: wijkloket-server when the kiosk has server_url (set by
     * main.c after ui_init), else NULL and the screens book in store (the embedded default). */
    const wl_booking_provider_t *booking;
    wl_i18n_t *i18n[KCFG_MAX_LANGS]; /* one per configured language; [0] default */
    int w, h;

    screen_id_t screen;
    int64_t now_ms;          /* last time seen by ui_step (monotonic, virtual in scripts) */
    int64_t unix_base;       /* unix seconds at now_ms == 0 */
    int64_t last_input_ms;
    bool idle_prompt;        /* "Bent u er nog?" is showing */
    int64_t idle_extra_ms;   /* "Ik heb meer tijd nodig": added to the idle time for this session */
    int64_t idle_prompt_ms;
    bool quit;               /* the program should end */
    bool dirty;              /* something changed: draw a new frame */
    struct speech_player *speech; /* Voorlezen (NULL when off); speaking: the screen is being read */
    bool speaking;

    /* Press tracking: a tap acts on release over the control it started on, only when that
     * control had been on screen, in the same place, for TAP_GUARD_MS before the finger came
     * down, on the same page (so the second half of a double tap never presses what just
     * appeared). The guard is per control: a control appearing elsewhere on the page (the
     * "Leegmaken" button once something is typed) does not make the others wait. */
    bool down;
    int down_x, down_y;
    int64_t down_ms;
    bool long_press_done;
    bool down_ok;            /* the control under the press was settled */
    uint64_t down_key;       /* that control (ui_control_key) */
    uint64_t down_sig;       /* the page the press began on */
    uint64_t layout_sig;     /* the page now: screen, overlay, titles (ui_layout_sig) */
    int64_t layout_ms;       /* when that page appeared */
    int n_seen;              /* the page's tappable controls and since when each is there */
    struct { uint64_t key; int64_t since; rect_t r; } seen[VIEW_MAX_WIDGETS];

    /* The clock and random bytes core uses (env.now reads this UI's clock; random is NULL,
     * the CSPRNG, except in the test-only build). */
    wl_env_t env;

    /* The citizen's session (see UI_SESSION_FIELDS): one block, wiped in one call. */
    union {
        struct { UI_SESSION_FIELDS };
        ui_session_t session;
    };

    /* Staff lock: citizens see "Deze zuil is even buiten gebruik" until a staff member
     * unlocks (kept across sessions, not across restarts). */
    bool locked;

    /* The daily retention purge (purge.c): runs on the untouched welcome screen only. */
    int64_t next_purge_ms;   /* due at or after this now_ms */
    bool purge_ran;          /* at least one attempt since start */
    bool purge_failed;       /* the last attempt failed (an event was raised for staff) */
    int64_t purge_at;        /* unix time of the last attempt */
    int64_t purge_deleted, purge_anonymised, purge_held;

    /* A question asked over the screen before something that cannot be undone (cancelling an
     * appointment, closing the kiosk): the screen's own action runs again once confirmed. */
    struct {
        bool active;
        int action, arg;
        const char *question, *detail, *yes; /* Dutch msgids (static strings) */
    } confirm;
    bool confirming;         /* the screen's act() is running a confirmed action */
    bool help_shown;         /* "Er komt iemand naar u toe" is showing over the screen */

    /* Help requests raised (for the log and tests). */
    int help_requests;
    /* Intakes saved by this process (for tests). */
    int saved;
};

/* Sets up the UI over borrowed core objects. Never fails. */
void ui_init(ui_t *ui, const kcfg_t *cfg, const wl_questionnaire_t *q, const wl_rules_t *rules,
             wl_store_t *store, wl_i18n_t **i18n, int w, int h, int64_t unix_base);
/* Wipes the session and frees what the UI owns (not the borrowed objects). */
void ui_free(ui_t *ui);

/* A control that just appeared or moved ignores taps this long (a new page: every control):
 * the second tap of a double tap lands on whatever appeared under the finger. */
#define TAP_GUARD_MS 400

/* Advances the state machine with one event at now_ms. Deterministic: the same events at the
 * same times give the same states. */
void ui_step(ui_t *ui, const ui_event_t *ev, int64_t now_ms);
/* The next time (ms) at which ui_step must get a TICK even without input, or -1 for never. */
int64_t ui_next_deadline(const ui_t *ui);
/* Builds the current frame's widget list (deterministic, no SDL). */
void ui_view(ui_t *ui, view_t *v);
/* Fingerprint of a frame's page: the screen, an overlay (dialog, idle question) and the titles.
 * A new question or page changes it and so restarts the guard of every control on it. */
uint64_t ui_layout_sig(const ui_t *ui, const view_t *v);
/* Fingerprint of one tappable control: its action, argument and place. Styles (a chosen
 * option, Hoofdletter on) and typed text do not count, so typing or choosing never starts
 * the guard of a control that stays. */
uint64_t ui_control_key(const widget_t *w);
/* How long (ms) before a tap at x,y would count: 0 when the control there has been in place
 * for TAP_GUARD_MS (or there is none). */
int64_t ui_tap_wait_ms(ui_t *ui, int x, int y);

/* Forgets everything of the current citizen: answers (wiped by wl_intake_free), inputs,
 * messages, result, reference; back to the welcome screen in the default language. */
void ui_session_wipe(ui_t *ui);

/* Marks a Dutch msgid in a table for locale/wijkloket.pot; it is translated where it is shown. */
#define N_(s) (s)
/* Translation of a Dutch msgid into the current language. */
const char *T(const ui_t *ui, const char *msgid);
/* Copies tmpl into dst with its first "%s" replaced by value (translations are data, so they
 * never reach printf as a format). */
void ui_subst(char *dst, size_t n, const char *tmpl, const char *value);
/* Current unix time. */
int64_t ui_unix_now(const ui_t *ui);
/* Sets the inline message to a Dutch msgid without arguments. */
void ui_say(ui_t *ui, const char *msgid);
/* The inline message translated and filled in (in the view's arena); "" when there is none. */
const char *ui_msg_text(const ui_t *ui, view_t *v);
/* Ends the citizen's journey: wipes and frees the answers (the result and reference stay). */
void ui_end_journey(ui_t *ui);

/* ---- frame pieces shared by screens (layout.c; they need the UI for texts and banner) ---- */
/* Adds the volunteer banner when assisted, Voorlezen when on and "Hulp vragen" on citizen
 * screens; returns the y below them. */
int layout_top(ui_t *ui, view_t *v);
/* The same, but (without a banner) the help button shares the row of the first lines, whose
 * width *reserve_w then gives: for screens where every pixel of height counts. */
int layout_top_inline(ui_t *ui, view_t *v, int *reserve_w);
/* The pictogram called name (assets/pictograms.json) centred in r, in style's text colour;
 * mirrored in a right-to-left layout only when the map marks it directional. NULL (nothing
 * added) when name is NULL or unknown. */
widget_t *layout_picto(ui_t *ui, view_t *v, rect_t r, const char *name, wstyle_t style);
/* The pictograms the kiosk's own screens draw (menu, navigation, yes/no, the chosen mark), NULL
 * ended; false with err naming the map and the first one it lacks. */
extern const char *const UI_PICTOGRAMS[];
bool ui_pictograms_complete(const wl_pictograms_t *m, wl_err_t *err);
/* Puts pictogram name (size side pixels) inside button b at its text's starting side (at_end:
 * its ending side, for "Volgende"), and keeps the text clear of it. */
void layout_button_picto(ui_t *ui, view_t *v, widget_t *b, const char *name, int side, bool at_end);
/* Bottom navigation bar: Terug / Stoppen / Volgende (labels may be NULL to omit). Returns its top y. */
int layout_nav(ui_t *ui, view_t *v, const char *back, int back_action, const char *stop,
               int stop_action, const char *next, int next_action);

/* ---- screens (screens_*.c) ---------------------------------------------------------------- */
extern const screen_t SCREEN_WELCOME, SCREEN_MENU, SCREEN_HELP, SCREEN_CONSENT, SCREEN_QUESTION,
    SCREEN_SUMMARY, SCREEN_RESULT, SCREEN_STOP, SCREEN_LOGIN, SCREEN_STAFF, SCREEN_URGENT;

/* The registry name of a screen ("welcome", "question", ...). */
const char *ui_screen_name(screen_id_t s);
/* Moves to another screen and clears the inline message. */
void ui_go(ui_t *ui, screen_id_t s);
/* Question flow helpers (screens_question.c). */
void ui_enter_question(ui_t *ui, size_t idx);
void ui_begin_session(ui_t *ui);
/* Login screen entry for a role (screens_login.c). */
void ui_begin_login(ui_t *ui, wl_role_t role);
/* A readable answer for the summary, in the view arena. */
const char *ui_answer_text(ui_t *ui, view_t *v, size_t idx);
/* After the question qid was answered: when it is the acute follow-up, raises the urgent event
 * (once per session, when the person wants to talk today) and shows the emergency screen;
 * returns whether it did (screen_urgent.c). */
bool ui_urgent_after(ui_t *ui, const char *qid);
/* Asks question (with detail and the yes label) over the screen before w's action; returns true
 * when the action should run now (it was just confirmed), false when the question was put. */
bool ui_confirm(ui_t *ui, const widget_t *w, const char *question, const char *detail, const char *yes);
/* Raises a help request for a volunteer (store event or kiosk log). */
void ui_raise_help(ui_t *ui);
/* Opens the staff screen for the signed-in staff member (screens_staff.c). */
void ui_staff_begin(ui_t *ui, const char *user);
/* The printer setting in force: WL_PRINTER from the environment, else the configuration's. */
const char *ui_printer_spec(const ui_t *ui);

/* ---- daily purge (purge.c) ------------------------------------------------------------------ */
#define PURGE_EVERY_MS (24LL * 3600 * 1000)
#define PURGE_RETRY_MS (3600LL * 1000)
/* Whether the purge may run now: the welcome screen with no citizen's session on it. */
bool purge_allowed(const ui_t *ui);
/* Runs wl_retention_purge now if it is due and allowed; logs counts (never personal data) and
 * on failure logs and raises a "purge_failure" event. Never stops the kiosk. */
void purge_maybe_run(ui_t *ui);

#endif
