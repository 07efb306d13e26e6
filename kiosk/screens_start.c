/* The screens before and around the questions: welcome (or "buiten gebruik"), menu, help, consent, stop. */
#include "ui.h"
#include "screen_appointments.h"
#include "screen_minima.h"

#include <stdio.h>
#include <string.h>

enum {
    A_START = A_SCREEN_BASE, A_LANG, A_VOLUNTEER, A_VOLUNTEER_OFF, A_FEATURE, A_HOME,
    A_CONSENT_YES, A_CONSENT_NO, A_STOP_YES, A_STOP_NO
};

/* ---- welcome ------------------------------------------------------------------------------ */
/* A kiosk that staff locked: nothing to tap (staff still reach their screen through the
 * corner long-press and PIN). */
static void locked_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v);
    int cw = v->w - 2 * m;
    int y = v->h / 4;
    view_text(v, (rect_t){ m, y, cw, U(v, 260) }, T(ui, "Deze zuil is even buiten gebruik"), U(v, 84), true, S_TITLE,
              AL_CENTER);
    y += U(v, 300);
    view_text(v, (rect_t){ m, y, cw, U(v, 200) }, T(ui, "Vraag een medewerker om hulp. Of kom later terug."), U(v, 50),
              false, S_BODY, AL_CENTER);
}

static void welcome_build(ui_t *ui, view_t *v)
{
    if (ui->locked) {
        locked_build(ui, v);
        return;
    }
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    bool land = v->w > v->h;
    int reserve = 0; /* landscape: "Hulp vragen" shares the title's row */
    int y = land ? layout_top_inline(ui, v, &reserve) : layout_top(ui, v);
    int cw = v->w - 2 * m;
    /* Portrait has room to breathe; landscape and small screens pack the same parts tighter. */
    y += land ? 0 : v->h / 10;
    int th = land ? U(v, 130) : U(v, 200), bodyh = land ? U(v, 120) : U(v, 200);
    /* Landscape: the title takes the row left of the top buttons, whose place does not mirror,
     * so neither does the title's (centred on both sides of them it was cut at 800x480). */
    widget_t *title = view_text(v, (rect_t){ m, y, cw - reserve, th }, T(ui, "Welkom bij het Wijkloket"), U(v, 84), true,
                                S_TITLE, AL_CENTER);
    title->fixed = reserve > 0;
    y += th + U(v, 10);
    view_text(v, (rect_t){ m, y, cw, bodyh }, /* Honest: the questions take most people 15 minutes and some 30 (issue 12). */
              T(ui, "Hier vult u ongeveer 30 vragen in over werk, geld en hulp. Neem er 20 tot 30 minuten voor. U kunt altijd hulp vragen."),
              U(v, 46), false, S_BODY, AL_CENTER);
    y += bodyh + (land ? U(v, 20) : U(v, 30));
    int sw = land ? cw / 2 : cw, sh = land ? bh * 5 / 4 : bh * 3 / 2;
    widget_t *s = view_button(v, (rect_t){ m + (cw - sw) / 2, y, sw, sh }, T(ui, "Start"), S_PRIMARY, A_START, 0);
    s->size = U(v, 64);
    y += sh + (land ? U(v, 30) : U(v, 80));
    view_text(v, (rect_t){ m, y, cw, U(v, 60) }, T(ui, "Kies uw taal"), U(v, 40), false, S_MUTED, AL_CENTER);
    y += U(v, 66);
    int n = ui->cfg->n_languages, per = n < 3 ? n : 3;
    int lw = (cw - (per - 1) * gap) / per;
    if (land) lw = lw * 2 / 3; /* leave the lower right for the volunteer button */
    for (int i = 0; i < n; i++) {
        int col = i % per, row = i / per;
        widget_t *b = view_button(v, (rect_t){ m + col * (lw + gap), y + row * (bh + gap), lw, bh },
                                  wl_i18n_endonym(ui->cfg->languages[i]), i == ui->lang ? S_SELECTED : S_OPTION, A_LANG, i);
        b->bold = i == ui->lang;
    }
    int vy = v->h - m - bh;
    int vw = land ? cw / 3 : cw / 2;
    if (ui->volunteer[0])
        view_button(v, (rect_t){ m + cw - vw, vy, vw, bh }, T(ui, "Vrijwilliger afmelden"), S_SECONDARY, A_VOLUNTEER_OFF, 0);
    else
        view_button(v, (rect_t){ m + cw - vw, vy, vw, bh }, T(ui, "Ik ben vrijwilliger"), S_SECONDARY, A_VOLUNTEER, 0);
}

static void welcome_act(ui_t *ui, const widget_t *w)
{
    switch (w->action) {
    case A_START: ui_go(ui, SCR_MENU); break;
    case A_LANG:
        if (w->arg >= 0 && w->arg < ui->cfg->n_languages) ui->lang = w->arg;
        break;
    case A_VOLUNTEER: ui_begin_login(ui, WL_ROLE_VOLUNTEER); break;
    case A_VOLUNTEER_OFF:
        fprintf(stderr, "wijkloket: volunteer signed out\n");
        explicit_bzero(ui->volunteer, sizeof ui->volunteer);
        break;
    }
}

const screen_t SCREEN_WELCOME = { "welcome", welcome_build, welcome_act, NULL, false, NULL, NULL };

/* ---- menu --------------------------------------------------------------------------------- */
/* What the menu offers. A feature that is not delivered yet has target SCR_COUNT and shows as
 * "Nog niet beschikbaar" (greyed, does nothing); plugging one in means giving it its screen id
 * here and calling its begin function in menu_act. */
typedef struct {
    const char *label, *sub;
    screen_id_t target;
    const char *picto; /* its pictogram's name in assets/pictograms.json */
} menu_item_t;

static const menu_item_t MENU[] = {
    { N_("Entreevragenlijst invullen"), N_("Vragen over werk, geld en hulp"), SCR_CONSENT, "vragenlijst" },
    { N_("Regelingen checken"), N_("Hulp als u weinig geld hebt"), SCR_MINIMA, "regelingen" },
    { N_("Afspraak maken of bekijken"), N_("Of uw afspraak afzeggen"), SCR_APPOINTMENTS, "afspraak" },
    { N_("Ik wil hulp van een vrijwilliger"), N_("Er komt iemand naar u toe"), SCR_HELP, "vrijwilliger" },
};

static void menu_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 36);
    int y = layout_top(ui, v);
    int cw = v->w - 2 * m;
    view_text(v, (rect_t){ m, y, cw, U(v, 140) }, T(ui, "Wat wilt u doen?"), U(v, 72), true, S_TITLE, AL_LEFT);
    y += U(v, 170);
    int n = (int)(sizeof MENU / sizeof MENU[0]);
    bool land = v->w > v->h;
    int cols = land ? 2 : 1;
    int nav_top = v->h - m - bh;
    int rows = (n + cols - 1) / cols;
    int ih = (nav_top - gap - y - (rows - 1) * gap) / rows;
    if (ih > bh * 2) ih = bh * 2;
    int iw = (cw - (cols - 1) * gap) / cols;
    for (int i = 0; i < n; i++) {
        bool avail = MENU[i].target != SCR_COUNT;
        rect_t r = { m + (i % cols) * (iw + gap), y + (i / cols) * (ih + gap), iw, ih };
        widget_t *b = view_button(v, r, T(ui, MENU[i].label), avail ? (i == 0 ? S_PRIMARY : S_OPTION) : S_DISABLED,
                                  avail ? A_FEATURE : A_NONE, i);
        b->sub = view_str(v, T(ui, MENU[i].sub));
        b->bold = true;
        int ps = ih / 2 < U(v, 110) ? ih / 2 : U(v, 110);
        layout_button_picto(ui, v, b, MENU[i].picto, ps, false);
    }
    layout_nav(ui, v, N_("Terug"), A_HOME, NULL, 0, NULL, 0);
}

static void menu_act(ui_t *ui, const widget_t *w)
{
    if (w->action == A_HOME) {
        ui_go(ui, SCR_WELCOME);
    } else if (w->action == A_FEATURE && w->arg >= 0 && w->arg < (int)(sizeof MENU / sizeof MENU[0])) {
        screen_id_t t = MENU[w->arg].target;
        if (t == SCR_HELP) ui_raise_help(ui);
        if (t == SCR_MINIMA) screen_minima_begin(ui);
        if (t == SCR_APPOINTMENTS) screen_appointments_begin(ui, SCR_MENU);
        if (t != SCR_COUNT) ui_go(ui, t);
    }
}

const screen_t SCREEN_MENU = { "menu", menu_build, menu_act, NULL, false, NULL, NULL };

/* ---- help --------------------------------------------------------------------------------- */
void ui_raise_help(ui_t *ui)
{
    wl_err_t err = { { 0 } };
    ui->help_requests++;
    /* The kiosk log always gets a line (no personal data); staff see it via the store's events
     * (wijkloket-staff events). A store failure must not stop the calm message on screen. */
    fprintf(stderr, "wijkloket: help_request location=%s kiosk=%s\n", ui->cfg->location, ui->cfg->kiosk_id);
    if (wl_store_log_event(ui->store, "help_request", ui->cfg->location, ui->cfg->kiosk_id,
                           "Iemand aan de kiosk vraagt om hulp van een vrijwilliger", ui_unix_now(ui), &err) != WL_OK)
        fprintf(stderr, "wijkloket: help_request not stored: %s\n", err.msg);
}

static void help_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v);
    int y = layout_top(ui, v) + v->h / 8;
    int cw = v->w - 2 * m;
    view_text(v, (rect_t){ m, y, cw, U(v, 220) }, T(ui, "Er komt iemand naar u toe"), U(v, 84), true, S_TITLE, AL_CENTER);
    y += U(v, 260);
    view_text(v, (rect_t){ m, y, cw, U(v, 260) },
              T(ui, "Blijf hier rustig zitten. Een vrijwilliger of medewerker komt zo bij u."),
              U(v, 50), false, S_BODY, AL_CENTER);
    layout_nav(ui, v, NULL, 0, NULL, 0, N_("Terug naar het menu"), A_HOME);
}

static void help_act(ui_t *ui, const widget_t *w)
{
    if (w->action == A_HOME) ui_go(ui, SCR_MENU);
}

const screen_t SCREEN_HELP = { "help", help_build, help_act, NULL, false, NULL, NULL };

/* ---- consent ------------------------------------------------------------------------------ */
static void consent_build(ui_t *ui, view_t *v)
{
    static const char *const BLOCKS[][2] = {
        { N_("Wat vragen we?"), N_("Vragen over uw werk, uw geld, uw gezondheid en uw situatie thuis. En uw naam en geboortedatum.") },
        { N_("Waarom?"), N_("Zo zien we welke hulp bij u past. U praat daarna met een medewerker. Die beslist samen met u.") },
        { N_("Wie ziet het?"), N_("Alleen de medewerkers van de gemeente die u helpen, zoals het WIJ-team en Werk en Inkomen.") },
        { N_("Hoe lang bewaren we het?"), N_("Niet langer dan nodig voor uw hulp. Daarna wissen we het. Stopt u halverwege? Dan wissen we alles meteen.") },
    };
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = layout_top(ui, v);
    int cw = v->w - 2 * m;
    bool land = v->w > v->h;
    view_text(v, (rect_t){ m, y, cw, U(v, 120) }, T(ui, "Voordat u begint"), U(v, 72), true, S_TITLE, AL_LEFT);
    y += U(v, 140);
    int bottom = v->h - m - bh - gap;
    int cols = land ? 2 : 1;
    int colw = (cw - (cols - 1) * gap) / cols;
    int bhgt = (bottom - y) / (4 / cols);
    for (int i = 0; i < 4; i++) {
        int x = m + (i % cols) * (colw + gap), yy = y + (i / cols) * bhgt;
        view_text(v, (rect_t){ x, yy, colw, U(v, 70) }, T(ui, BLOCKS[i][0]), U(v, 48), true, S_BODY, AL_LEFT);
        view_text(v, (rect_t){ x, yy + U(v, 72), colw, bhgt - U(v, 90) }, T(ui, BLOCKS[i][1]), U(v, 42), false, S_BODY, AL_LEFT);
    }
    int top = v->h - m - bh;
    int bw = (cw - gap) / 2;
    view_button(v, (rect_t){ m, top, bw, bh }, T(ui, "Nee, liever niet"), S_SECONDARY, A_CONSENT_NO, 0);
    view_button(v, (rect_t){ m + bw + gap, top, cw - bw - gap, bh }, T(ui, "Ja, ik doe mee"), S_PRIMARY, A_CONSENT_YES, 0);
}

static void consent_act(ui_t *ui, const widget_t *w)
{
    if (w->action == A_CONSENT_YES) {
        if (ui->intake) {
            /* Came back here with Terug: the answers so far stay. */
            size_t first = wl_intake_next(ui->intake, SIZE_MAX);
            if (first != SIZE_MAX) ui_enter_question(ui, first);
        } else {
            ui_begin_session(ui);
        }
    } else if (w->action == A_CONSENT_NO) {
        /* Refusing keeps nothing: drop any answers given after an earlier yes. */
        ui_end_journey(ui);
        ui_go(ui, SCR_MENU);
    }
}

const screen_t SCREEN_CONSENT = { "consent", consent_build, consent_act, NULL, false, NULL, NULL };

/* ---- stop --------------------------------------------------------------------------------- */
static void stop_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = layout_top(ui, v) + v->h / 8;
    int cw = v->w - 2 * m;
    view_text(v, (rect_t){ m, y, cw, U(v, 160) }, T(ui, "Wilt u stoppen?"), U(v, 84), true, S_TITLE, AL_CENTER);
    y += U(v, 200);
    view_text(v, (rect_t){ m, y, cw, U(v, 200) },
              T(ui, "Uw antwoorden worden dan gewist. Er wordt niets bewaard."), U(v, 50), false, S_BODY, AL_CENTER);
    int top = v->h - m - bh;
    int bw = (cw - gap) / 2;
    view_button(v, (rect_t){ m, top, bw, bh }, T(ui, "Ja, stoppen"), S_SECONDARY, A_STOP_YES, 0);
    view_button(v, (rect_t){ m + bw + gap, top, cw - bw - gap, bh }, T(ui, "Nee, verder gaan"), S_PRIMARY, A_STOP_NO, 0);
}

static void stop_act(ui_t *ui, const widget_t *w)
{
    if (w->action == A_STOP_YES) {
        char vol[64];
        /* Stopping ends the citizen's session, not the volunteer's shift. */
        snprintf(vol, sizeof vol, "%s", ui->volunteer);
        ui_session_wipe(ui);
        snprintf(ui->volunteer, sizeof ui->volunteer, "%s", vol);
    } else if (w->action == A_STOP_NO) {
        ui->screen = ui->stop_return;
        ui->dirty = true;
    }
}

const screen_t SCREEN_STOP = { "stop", stop_build, stop_act, NULL, true, NULL, NULL };
