/* The minimaregelingen wizard: a few household questions, then the schemes with a status each. */
#include "screen_minima.h"
#include "screen_appointments.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/minima.h"
#include "wijkloket/minima_wizard.h"
#include "wijkloket/printer.h"
#include "wijkloket/questionnaire.h"

enum {
    A_START = A_SCREEN_BASE + 400, /* well above the other screens' numbers, for readable logs */
    A_BACK, A_NEXT, A_STOP, A_CHOICE, A_DIGIT, A_BKSP, A_HELP, A_UNKNOWN, A_SCHEME, A_LIST,
    A_DONE, A_PREV_PAGE, A_NEXT_PAGE, A_BOOK, A_PRINT
};

typedef enum {
    ST_INTRO, ST_PARTNER, ST_AGE, ST_PARTNER_AGE, ST_CHILDREN, ST_CHILD_AGE, ST_CHILD_SCHOOL,
    ST_INCOME, ST_ASSETS, ST_YEARS, ST_STUDENT, ST_CHRONIC, ST_GROSS, ST_RESULTS, ST_DETAIL
} step_t;

#define MAX_HISTORY 64
#define MAX_CHILDREN_ASKED 6

typedef struct {
    step_t step;
    int child;
} pos_t;

/* The wizard's whole state. Everything but the catalogue is about one citizen and is zeroed by
 * screen_minima_wipe. */
static struct {
    bool active;
    pos_t at;
    pos_t history[MAX_HISTORY];
    int n_history;
    int n_children;            /* how many children the citizen said live at home */
    int asked_partner;         /* -1 not answered, 0 alone, 1 with a partner */
    int assets_choice;         /* -1 not answered, 0 at most the limit, 1 above it, 2 not known */
    wl_minima_household_t h;
    char buf[16];              /* digits being typed */
    bool help;                 /* the "what counts as income" text is open */
    const char *msg;           /* inline message (Dutch msgid) */
    wl_minima_result_t *r;
    json_t *result;            /* rendered result for the list and detail pages */
    int detail;                /* scheme shown on the detail page */
    int page;
    bool counted;
    bool printed;              /* the last print worked (message style) */
} S;

/* What the citizen's questionnaire already told (wl_minima_wizard_known), kept from just before
 * the answers were stored until the session ends, so the wizard does not ask it again. */
static wl_wiz_known_t known;
static bool have_known;

static wl_minima_t *catalogue; /* no personal data: kept for the program's life */
static wl_minima_wizard_t *wizard; /* the questions, ranges and school-age rule (assets/minima/wizard.json) */
static bool catalogue_failed;

/* The wizard's own state only (a new run in the same session keeps what is known). */
static void wizard_reset(void)
{
    json_decref(S.result);
    wl_minima_result_free(S.r); /* only figures, but zero the memory like the rest */
    explicit_bzero(&S, sizeof S);
}

void screen_minima_wipe(void)
{
    wizard_reset();
    explicit_bzero(&known, sizeof known);
    have_known = false;
}

void screen_minima_shutdown(void)
{
    screen_minima_wipe();
    wl_minima_free(catalogue);
    catalogue = NULL;
    wl_minima_wizard_free(wizard);
    wizard = NULL;
}

static void reset_household(void)
{
    memset(&S.h, 0, sizeof S.h);
    S.h.applicant.age_months = -1;
    S.h.partner.age_months = -1;
    S.h.gross_yearly_income = -1;
    S.h.assets_min = S.h.assets_max = -1;
    S.h.years_low_income = -1;
    S.h.student = -1;
    S.h.chronic_illness = -1;
}

/* Fills in what the questionnaire already told: an exact number (the age) is taken and its
 * step skipped (skip_known); a choice is chosen in advance and still shown. */
static void apply_known(void)
{
    if (known.number[WL_WIZ_AGE] >= 0) S.h.applicant.age_years = (int)known.number[WL_WIZ_AGE];
    if (known.option[WL_WIZ_PARTNER] >= 0) {
        S.asked_partner = known.option[WL_WIZ_PARTNER];
        S.h.has_partner = S.asked_partner == 1;
    }
    if (known.option[WL_WIZ_CHILDREN] >= 0) S.n_children = S.h.n_children = known.option[WL_WIZ_CHILDREN];
    if (known.option[WL_WIZ_STUDENT] >= 0) S.h.student = known.option[WL_WIZ_STUDENT] == 0 ? 1 : 0;
    if (known.option[WL_WIZ_CHRONIC] >= 0)
        S.h.chronic_illness = known.option[WL_WIZ_CHRONIC] == 0 ? 1 : known.option[WL_WIZ_CHRONIC] == 1 ? 0 : -1;
}

static void load_catalogue(ui_t *ui)
{
    if (!catalogue && !catalogue_failed) {
        wl_err_t err = {{0}};
        if (wl_minima_load(ui->cfg->assets, &catalogue, &err) != WL_OK ||
            wl_minima_wizard_load(ui->cfg->assets, &wizard, &err) != WL_OK) {
            fprintf(stderr, "wijkloket: minima catalogue: %s\n", err.msg);
            wl_minima_free(catalogue);
            catalogue = NULL;
            catalogue_failed = true;
        }
    }
}

void screen_minima_remember(ui_t *ui, const wl_intake_t *answers)
{
    load_catalogue(ui);
    char date[11];
    wl_date_today(ui_unix_now(ui), date);
    wl_minima_wizard_known(wizard, answers, date, &known);
    have_known = known.n_known > 0;
}

void screen_minima_begin(ui_t *ui)
{
    wizard_reset();
    load_catalogue(ui);
    S.active = true;
    S.at.step = ST_INTRO;
    S.asked_partner = -1;
    S.assets_choice = -1;
    S.n_children = -1; /* nothing chosen in advance: "Geen kinderen" must be a choice */
    reset_household();
    if (have_known) apply_known();
}

static void today(const ui_t *ui, char buf[11])
{
    wl_date_today(ui_unix_now(ui), buf);
}

/* ---- moving between steps ------------------------------------------------------------------ */
static void go(step_t step, int child)
{
    /* The age the birth date already gave is not asked again. */
    if (step == ST_AGE && have_known && known.number[WL_WIZ_AGE] >= 0) step = S.h.has_partner ? ST_PARTNER_AGE : ST_CHILDREN;
    if (S.n_history < MAX_HISTORY) S.history[S.n_history++] = S.at;
    S.at.step = step;
    S.at.child = child;
    explicit_bzero(S.buf, sizeof S.buf);
    S.help = false;
    S.msg = NULL;
    S.page = 0;
}

/* The step after the children's questions, or the next child's. */
static void after_child(int child)
{
    if (child + 1 < S.n_children) go(ST_CHILD_AGE, child + 1);
    else go(ST_INCOME, 0);
}

static void evaluate(ui_t *ui)
{
    char date[11];
    wl_err_t err = {{0}};
    today(ui, date);
    json_decref(S.result);
    S.result = NULL;
    if (!S.r) S.r = wl_minima_result_new();
    if (!S.r || wl_minima_evaluate(catalogue, &S.h, date, S.r, &err) != WL_OK ||
        wl_minima_result_json(catalogue, &S.h, S.r, &S.result, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: minima: %s\n", err.msg);
        S.msg = N_("Dit lukt nu niet. Vraag een medewerker om hulp.");
        return;
    }
    /* Anonymous management figures: which schemes were shown, today, here. Once per wizard. */
    if (!S.counted && ui->store) {
        if (wl_minima_count_shown(ui->store, catalogue, S.r, ui->cfg->location, &err) != WL_OK)
            fprintf(stderr, "wijkloket: minima count: %s\n", err.msg);
        S.counted = true;
    }
    go(ST_RESULTS, 0);
}

/* The typed number for a step, checked against the step's range in wizard.json. */
static bool read_number(wl_wiz_step_id step, long *out)
{
    wl_msg_t m;
    if (wl_minima_wizard_number(wl_minima_wizard_step(wizard, step), S.buf, S.h.applicant.age_years, out, &m) != WL_OK) {
        S.msg = m.id;
        return false;
    }
    return true;
}

/* An age: too young and too old get their own words (150 is not "18 or older" advice). */
static bool read_age(wl_wiz_step_id step, long *out)
{
    if (!read_number(step, out)) {
        char *end;
        long v = S.buf[0] ? strtol(S.buf, &end, 10) : -1;
        if (S.buf[0] && !*end && v > 130) S.msg = N_("Deze leeftijd is te hoog. Vul een leeftijd in van 18 tot en met 130 jaar.");
        return false;
    }
    return true;
}

static void next(ui_t *ui)
{
    long v;
    switch (S.at.step) {
    case ST_INTRO: go(ST_PARTNER, 0); break;
    case ST_PARTNER:
        if (S.asked_partner < 0) S.msg = N_("Kies een antwoord.");
        else go(ST_AGE, 0);
        break;
    case ST_AGE:
        if (!read_age(WL_WIZ_AGE, &v)) break;
        S.h.applicant.age_years = (int)v;
        go(S.h.has_partner ? ST_PARTNER_AGE : ST_CHILDREN, 0);
        break;
    case ST_PARTNER_AGE:
        if (!read_age(WL_WIZ_PARTNER_AGE, &v)) break;
        S.h.partner.age_years = (int)v;
        go(ST_CHILDREN, 0);
        break;
    case ST_CHILDREN:
        if (S.n_children < 0) S.msg = N_("Kies een antwoord.");
        else if (S.n_children == 0) go(ST_INCOME, 0);
        else go(ST_CHILD_AGE, 0);
        break;
    case ST_CHILD_AGE:
        if (!read_number(WL_WIZ_CHILD_AGE, &v)) break;
        S.h.children[S.at.child].age = (int)v;
        S.h.children[S.at.child].school = WL_SCHOOL_UNKNOWN;
        /* Only children of school age are asked which school (wizard.json school_age). */
        if (wl_minima_wizard_ask_school(wizard, (int)v, &S.h.children[S.at.child].school)) go(ST_CHILD_SCHOOL, S.at.child);
        else after_child(S.at.child);
        break;
    case ST_CHILD_SCHOOL:
        if (S.h.children[S.at.child].school == WL_SCHOOL_UNKNOWN) S.msg = N_("Kies een antwoord.");
        else after_child(S.at.child);
        break;
    case ST_INCOME:
        if (!read_number(WL_WIZ_INCOME, &v)) break;
        S.h.net_monthly_income = (int64_t)v * 100;
        go(ST_ASSETS, 0);
        break;
    case ST_ASSETS:
        if (S.assets_choice < 0) S.msg = N_("Kies een antwoord.");
        else go(ST_YEARS, 0);
        break;
    case ST_YEARS:
        if (!read_number(WL_WIZ_YEARS, &v)) break;
        S.h.years_low_income = (int)v;
        go(ST_STUDENT, 0);
        break;
    case ST_STUDENT:
        if (S.h.student < 0) S.msg = N_("Kies een antwoord.");
        else go(ST_CHRONIC, 0);
        break;
    case ST_CHRONIC:
        if (S.h.chronic_illness == 1) go(ST_GROSS, 0);
        else evaluate(ui);
        break;
    case ST_GROSS:
        if (!read_number(WL_WIZ_GROSS, &v)) break;
        S.h.gross_yearly_income = (int64_t)v * 100;
        evaluate(ui);
        break;
    case ST_RESULTS:
    case ST_DETAIL: break;
    }
}

/* Prints the list on the kiosk's printer (ui_printer_spec, as the appointment slips). On failure the
 * citizen is told to take a photo of the screen; staff see the reason in the log. */
static void print_list(const ui_t *ui)
{
    wl_err_t err = {{0}};
    const char *spec = ui_printer_spec(ui);
    wl_printer_t p;
    wl_slip_t *slip = malloc(sizeof *slip);
    S.printed = slip && wl_printer_parse(spec && *spec ? spec : "none", &p, &err) == WL_OK &&
                wl_minima_slip(catalogue, S.r, ui->i18n[ui->lang], slip, &err) == WL_OK && wl_printer_print(&p, slip, NULL, &err) == WL_OK;
    if (!S.printed) fprintf(stderr, "wijkloket: minima list not printed: %s\n", err.msg[0] ? err.msg : "out of memory");
    S.msg = S.printed ? N_("De lijst komt uit de printer.")
                      : N_("De printer werkt nu niet. Maak een foto van dit scherm of vraag hulp.");
    free(slip);
}

static void back(ui_t *ui)
{
    if (S.at.step == ST_DETAIL) {
        S.at.step = ST_RESULTS;
        return;
    }
    if (S.n_history == 0) {
        screen_minima_wipe();
        ui_go(ui, SCR_MENU);
        return;
    }
    S.at = S.history[--S.n_history];
    explicit_bzero(S.buf, sizeof S.buf);
    S.msg = NULL;
    S.help = false;
}

/* ---- drawing helpers ----------------------------------------------------------------------- */
static void keypad(ui_t *ui, view_t *v, rect_t area)
{
    int gap = U(v, 20), cols = 3, rows = 4;
    int w = area.w > U(v, 800) ? U(v, 800) : area.w;
    int kw = (w - (cols - 1) * gap) / cols;
    int kh = (area.h - (rows - 1) * gap) / rows;
    if (kh > layout_button_h(v)) kh = layout_button_h(v);
    int x0 = area.x + (area.w - w) / 2;
    static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", NULL, "0", "Wissen"};
    for (int i = 0; i < 12; i++) {
        if (!keys[i]) continue;
        rect_t r = {x0 + (i % cols) * (kw + gap), area.y + (i / cols) * (kh + gap), kw, kh};
        widget_t *b = i == 11 ? view_button(v, r, T(ui, keys[i]), S_KEY, A_BKSP, 0)
                              : view_button(v, r, keys[i], S_KEY, A_DIGIT, keys[i][0] - '0');
        b->size = i == 11 ? U(v, 40) : U(v, 60);
    }
}

/* Title, optional help and message; returns the top of the answer area. */
static int frame(ui_t *ui, view_t *v, const char *question, const char *help)
{
    int m = layout_margin(v), cw = v->w - 2 * m;
    int y = layout_top(ui, v);
    view_text(v, (rect_t){m, y, cw, U(v, 60)}, T(ui, wizard ? wl_minima_wizard_title(wizard) : N_("Regelingen checken")), U(v, 38), true, S_MUTED, AL_LEFT);
    y += U(v, 70);
    view_text(v, (rect_t){m, y, cw, U(v, 170)}, T(ui, question), U(v, 58), true, S_TITLE, AL_LEFT)->top = true;
    y += U(v, 180);
    if (help) {
        view_text(v, (rect_t){m, y, cw, U(v, 110)}, T(ui, help), U(v, 38), false, S_MUTED, AL_LEFT)->top = true;
        y += U(v, 120);
    }
    /* The slot stays when there is no message, so nothing below it moves when one appears. */
    if (S.msg) view_text(v, (rect_t){m, y, cw, U(v, 80)}, T(ui, S.msg), U(v, 42), true, S_ERROR, AL_LEFT)->top = true;
    y += U(v, 90);
    return y;
}

/* pictos: one pictogram name per label (wizard.json), drawn at the label's starting side. */
static void choices(ui_t *ui, view_t *v, int y, const char *const *labels, const char *const *pictos, int n, int chosen)
{
    int m = layout_margin(v), cw = v->w - 2 * m, gap = U(v, 24), bh = layout_button_h(v);
    /* Two columns in landscape, and whenever one column would run under the Terug/Volgende row
     * (seven "Hoeveel kinderen" options in portrait). */
    int nav_top = v->h - m - bh;
    int cols = (v->w > v->h && n > 2) || y + n * (bh + gap) > nav_top ? 2 : 1;
    int bw = (cw - (cols - 1) * gap) / cols;
    for (int i = 0; i < n; i++) {
        rect_t r = {m + (i % cols) * (bw + gap), y + (i / cols) * (bh + gap), bw, bh};
        widget_t *b = view_button(v, r, T(ui, labels[i]), i == chosen ? S_SELECTED : S_OPTION, A_CHOICE, i);
        b->align = AL_LEFT;
        b->bold = i == chosen;
        if (i == chosen) b->sub = view_str(v, T(ui, "Gekozen"));
        /* As on the questionnaire: the option's pictogram at its start, a tick once chosen. */
        int pmax = cols > 1 ? U(v, 52) : U(v, 60);
        int ps = bh * 2 / 5 < pmax ? bh * 2 / 5 : pmax;
        layout_button_picto(ui, v, b, i == chosen ? "gekozen" : pictos[i], ps, false);
    }
}

/* A number typed on the keypad. unit "€" shows the amount as money ("€ 1.600"); other units
 * follow the number. side_label/side_action: an optional button next to the field. */
static void number_step(ui_t *ui, view_t *v, const char *question, const char *help, const char *unit,
                        const char *side_label, int side_action)
{
    int m = layout_margin(v), cw = v->w - 2 * m, gap = U(v, 24), bh = layout_button_h(v);
    int y = frame(ui, v, question, help);
    char shown[64] = "";
    if (S.buf[0] && unit && !strcmp(unit, "€")) wl_minima_money(atoll(S.buf) * 100, shown, sizeof shown);
    else if (S.buf[0]) snprintf(shown, sizeof shown, "%s%s%s", S.buf, unit ? " " : "", unit ? T(ui, unit) : "");
    int fw = side_label ? cw * 3 / 5 : cw;
    widget_t *f = view_add(v, W_FIELD, (rect_t){m, y, fw, bh}, shown, S_FIELD);
    f->align = AL_LEFT;
    f->size = U(v, 54);
    if (side_label)
        view_button(v, (rect_t){m + fw + gap, y, cw - fw - gap, bh}, T(ui, side_label),
                    side_action == A_HELP ? S_SECONDARY : S_OPTION, side_action, 0)->size = U(v, 40);
    y += bh + gap;
    int nav_top = v->h - m - bh;
    keypad(ui, v, (rect_t){m, y, cw, nav_top - gap - y});
}

static const char *status_icon(const char *status, wstyle_t *style)
{
    if (!strcmp(status, "eligible")) {
        *style = S_SELECTED;
        return N_("Ja");
    }
    if (!strcmp(status, "maybe")) {
        *style = S_BANNER;
        return "?";
    }
    *style = S_DISABLED;
    return N_("Nee");
}

static const char *status_text(const char *status)
{
    if (!strcmp(status, "eligible")) return N_("U komt waarschijnlijk in aanmerking");
    if (!strcmp(status, "maybe")) return N_("Misschien: vraag het na");
    return N_("Waarschijnlijk niet");
}

/* Schemes to list: offered ones only, likely first, then maybe, then not. */
static int listed(int *idx, int cap)
{
    static const char *const order[] = {"eligible", "maybe", "not_eligible"};
    json_t *schemes = json_object_get(S.result, "schemes");
    int n = 0;
    for (int o = 0; o < 3; o++) {
        size_t i;
        json_t *s;
        json_array_foreach(schemes, i, s) {
            const char *st = json_string_value(json_object_get(s, "status"));
            if (st && !strcmp(st, order[o]) && n < cap) idx[n++] = (int)i;
        }
    }
    return n;
}

static void results_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), cw = v->w - 2 * m, gap = U(v, 20), bh = layout_button_h(v);
    int y = layout_top(ui, v);
    view_text(v, (rect_t){m, y, cw, U(v, 100)}, T(ui, "Regelingen voor u"), U(v, 62), true, S_TITLE, AL_LEFT);
    y += U(v, 110);
    view_text(v, (rect_t){m, y, cw, U(v, 110)},
              T(ui, "Dit is een advies. De gemeente beslist. Tik op een regeling voor uitleg en wat u moet meenemen."),
              U(v, 36), false, S_MUTED, AL_LEFT)->top = true;
    y += U(v, 120);
    if (S.msg) view_text(v, (rect_t){m, y, cw, U(v, 70)}, T(ui, S.msg), U(v, 38), true, S.printed ? S_BODY : S_ERROR, AL_LEFT);
    y += U(v, 80);
    int idx[WL_MINIMA_MAX_SCHEMES];
    int n = listed(idx, WL_MINIMA_MAX_SCHEMES);
    int nav_top = v->h - m - bh;
    int row_h = bh + U(v, 30);
    int per = (nav_top - 2 * gap - bh - y) / (row_h + gap);
    if (per < 1) per = 1;
    int pages = (n + per - 1) / per;
    if (pages < 1) pages = 1;
    if (S.page >= pages) S.page = pages - 1;
    int icon = row_h;
    for (int k = 0; k < per; k++) {
        int i = S.page * per + k;
        if (i >= n) break;
        json_t *s = json_array_get(json_object_get(S.result, "schemes"), (size_t)idx[i]);
        const char *st = json_string_value(json_object_get(s, "status"));
        wstyle_t style;
        const char *mark = status_icon(st, &style);
        int ry = y + k * (row_h + gap);
        widget_t *ic = view_add(v, W_PANEL, (rect_t){m, ry, icon, row_h}, NULL, style);
        (void)ic;
        view_text(v, (rect_t){m, ry, icon, row_h}, T(ui, mark), U(v, 56), true, style, AL_CENTER);
        widget_t *b = view_button(v, (rect_t){m + icon + gap, ry, cw - icon - gap, row_h},
                                  T(ui, json_string_value(json_object_get(s, "name"))), S_OPTION, A_SCHEME, idx[i]);
        b->align = AL_LEFT;
        b->bold = true;
        b->sub = view_str(v, T(ui, status_text(st)));
    }
    /* Page buttons at the sides, printing the list in the middle. */
    int py = nav_top - gap - bh, pw = (cw - 2 * gap) / 3;
    if (S.page > 0)
        view_button(v, (rect_t){m, py, pw, bh}, T(ui, "Vorige pagina"), S_OPTION, A_PREV_PAGE, 0)->size = U(v, 40);
    view_button(v, (rect_t){m + pw + gap, py, pw, bh}, T(ui, "Print de lijst"), S_SECONDARY, A_PRINT, 0)->size = U(v, 40);
    if (S.page < pages - 1)
        view_button(v, (rect_t){m + 2 * (pw + gap), py, cw - 2 * (pw + gap), bh}, T(ui, "Volgende pagina"), S_OPTION,
                    A_NEXT_PAGE, 0)->size = U(v, 40);
    /* Hand-off to booking: the appointment screens offer the financieel spreekuur among the
     * services; "Terug" there comes back to this list. */
    int bw = (cw - gap) / 2;
    widget_t *a = view_button(v, (rect_t){m, nav_top, bw, bh}, T(ui, "Afspraak maken"), S_SECONDARY, A_BOOK, 0);
    a->sub = view_str(v, T(ui, "Bijvoorbeeld het financieel spreekuur"));
    view_button(v, (rect_t){m + bw + gap, nav_top, cw - bw - gap, bh}, T(ui, "Klaar"), S_PRIMARY, A_DONE, 0);
}

/* Appends "• item" lines of a JSON list to buf: msgid strings, or reasons as messages
 * (template plus figures, wl_msg_json), translated before the figures are filled in. */
static void list_lines(char *buf, size_t size, const json_t *list, const ui_t *ui)
{
    size_t i;
    json_t *it;
    json_array_foreach(list, i, it) {
        char one[1024];
        size_t l = strlen(buf);
        snprintf(buf + l, size - l, "%s• %s", l ? "\n" : "", wl_i18n_msg_json(ui->i18n[ui->lang], it, one, sizeof one));
    }
}

static void detail_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), cw = v->w - 2 * m, gap = U(v, 20), bh = layout_button_h(v);
    json_t *s = json_array_get(json_object_get(S.result, "schemes"), (size_t)S.detail);
    if (!s) {
        S.at.step = ST_RESULTS;
        results_build(ui, v);
        return;
    }
    int y = layout_top(ui, v);
    const char *st = json_string_value(json_object_get(s, "status"));
    wstyle_t style;
    const char *mark = status_icon(st, &style);
    int icon = U(v, 130);
    view_add(v, W_PANEL, (rect_t){m, y, icon, icon}, NULL, style);
    view_text(v, (rect_t){m, y, icon, icon}, T(ui, mark), U(v, 56), true, style, AL_CENTER);
    view_text(v, (rect_t){m + icon + gap, y, cw - icon - gap, icon / 2}, T(ui, json_string_value(json_object_get(s, "name"))),
              U(v, 54), true, S_TITLE, AL_LEFT);
    view_text(v, (rect_t){m + icon + gap, y + icon / 2, cw - icon - gap, icon / 2}, T(ui, status_text(st)), U(v, 38), true,
              S_BODY, AL_LEFT);
    y += icon + gap;
    int nav_top = v->h - m - bh;
    int avail = nav_top - gap - y;
    char text[4096];
    snprintf(text, sizeof text, "%s", T(ui, json_string_value(json_object_get(s, "description"))));
    view_text(v, (rect_t){m, y, cw, avail / 5}, text, U(v, 36), false, S_BODY, AL_LEFT)->top = true;
    y += avail / 5;
    text[0] = '\0';
    list_lines(text, sizeof text, json_object_get(s, "reasons"), ui);
    list_lines(text, sizeof text, json_object_get(s, "notes"), ui);
    view_text(v, (rect_t){m, y, cw, avail * 3 / 10}, text, U(v, 34), false, S_BODY, AL_LEFT)->top = true;
    y += avail * 3 / 10;
    const json_t *apply = json_object_get(s, "apply");
    char line[1024];
    snprintf(line, sizeof line, "%s %s. %s", T(ui, "Aanvragen bij:"), T(ui, json_string_value(json_object_get(apply, "where"))),
             T(ui, json_string_value(json_object_get(apply, "how"))));
    view_add(v, W_PANEL, (rect_t){m, y, cw, avail / 2 - gap}, NULL, S_PANEL);
    view_text(v, (rect_t){m + gap, y + gap / 2, cw - 2 * gap, avail / 5}, line, U(v, 34), false, S_PANEL, AL_LEFT)->top = true;
    text[0] = '\0';
    if (json_array_size(json_object_get(s, "bring"))) {
        snprintf(text, sizeof text, "%s", T(ui, "Neem mee:"));
        size_t l = strlen(text);
        snprintf(text + l, sizeof text - l, "\n");
        char items[3000] = "";
        list_lines(items, sizeof items, json_object_get(s, "bring"), ui);
        l = strlen(text);
        snprintf(text + l, sizeof text - l, "%s", items);
    }
    view_text(v, (rect_t){m + gap, y + avail / 5 + gap / 2, cw - 2 * gap, avail * 3 / 10 - 2 * gap}, text, U(v, 34), false,
              S_PANEL, AL_LEFT)->top = true;
    layout_nav(ui, v, N_("Terug"), A_LIST, NULL, 0, NULL, 0);
}

/* ---- the screen ---------------------------------------------------------------------------- */
/* The school answers in the order of the child_school options in wizard.json. */
static const wl_minima_school SCHOOL_OPTION[4] = {WL_SCHOOL_PRIMARY, WL_SCHOOL_SECONDARY, WL_SCHOOL_OTHER, WL_SCHOOL_NONE};

/* The wizard step a screen step shows (the result pages have none). */
static const wl_wiz_step_t *step_of(step_t st)
{
    static const wl_wiz_step_id map[] = {
        [ST_INTRO] = WL_WIZ_INTRO, [ST_PARTNER] = WL_WIZ_PARTNER, [ST_AGE] = WL_WIZ_AGE,
        [ST_PARTNER_AGE] = WL_WIZ_PARTNER_AGE, [ST_CHILDREN] = WL_WIZ_CHILDREN, [ST_CHILD_AGE] = WL_WIZ_CHILD_AGE,
        [ST_CHILD_SCHOOL] = WL_WIZ_CHILD_SCHOOL, [ST_INCOME] = WL_WIZ_INCOME, [ST_ASSETS] = WL_WIZ_ASSETS,
        [ST_YEARS] = WL_WIZ_YEARS, [ST_STUDENT] = WL_WIZ_STUDENT, [ST_CHRONIC] = WL_WIZ_CHRONIC, [ST_GROSS] = WL_WIZ_GROSS};
    return st < ST_RESULTS ? wl_minima_wizard_step(wizard, map[st]) : NULL;
}

/* "Hoe oud is kind %1$s?" translated, with the child's number filled in. */
static void child_question(ui_t *ui, const wl_wiz_step_t *st, char *q, size_t n)
{
    char num[16];
    snprintf(num, sizeof num, "%d", S.at.child + 1);
    const char *args[] = {num};
    wl_msg_fill(q, n, T(ui, st->question), args, 1);
}

static void minima_build(ui_t *ui, view_t *v)
{
    if (!S.active) screen_minima_begin(ui); /* reached without the menu's begin: start clean */
    int m = layout_margin(v), cw = v->w - 2 * m, bh = layout_button_h(v);
    if (!catalogue || !wizard) {
        int y = frame(ui, v, N_("Regelingen checken kan nu niet."), N_("Vraag een medewerker om hulp."));
        (void)y;
        layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, NULL, 0);
        return;
    }
    /* Texts, options and ranges come from assets/minima/wizard.json; this only lays them out. */
    const wl_wiz_step_t *st = step_of(S.at.step);
    const char *next_label = st && st->next_label ? st->next_label : N_("Volgende");
    switch (S.at.step) {
    case ST_INTRO: {
        int y = frame(ui, v, st->question, NULL);
        if (st->n_text > 0)
            view_text(v, (rect_t){m, y, cw, U(v, 260)}, T(ui, st->text[0]), U(v, 44), false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 280);
        if (st->n_text > 1)
            view_text(v, (rect_t){m, y, cw, U(v, 160)}, T(ui, st->text[1]), U(v, 42), true, S_BODY, AL_LEFT)->top = true;
        break;
    }
    case ST_PARTNER: {
        int y = frame(ui, v, st->question, st->help);
        choices(ui, v, y, st->options, st->pictograms, st->n_options, S.asked_partner);
        break;
    }
    case ST_AGE:
    case ST_PARTNER_AGE: number_step(ui, v, st->question, st->help, st->unit, NULL, 0); break;
    case ST_CHILDREN: {
        int y = frame(ui, v, st->question, st->help);
        choices(ui, v, y, st->options, st->pictograms, st->n_options, S.n_children);
        break;
    }
    case ST_CHILD_AGE: {
        char q[160];
        child_question(ui, st, q, sizeof q);
        number_step(ui, v, q, st->help, st->unit, NULL, 0);
        break;
    }
    case ST_CHILD_SCHOOL: {
        char q[160];
        child_question(ui, st, q, sizeof q);
        int y = frame(ui, v, q, st->help);
        int chosen = -1;
        for (int i = 0; i < 4; i++)
            if (S.h.children[S.at.child].school == SCHOOL_OPTION[i]) chosen = i;
        choices(ui, v, y, st->options, st->pictograms, st->n_options, chosen);
        break;
    }
    case ST_INCOME: {
        /* No partner words for someone who lives alone. */
        number_step(ui, v, st->question, S.h.has_partner ? st->help : N_("Netto per maand."), st->unit, st->side_label,
                    st->side_text ? A_HELP : 0);
        if (S.help && st->side_text) {
            /* A dialog over the whole screen: only its own button reacts. */
            int top = layout_top(ui, v), bottom = v->h - m;
            v->modal_from = v->n;
            view_add(v, W_PANEL, (rect_t){m, top, cw, bottom - top}, NULL, S_PANEL);
            view_text(v, (rect_t){m + U(v, 30), top + U(v, 20), cw - U(v, 60), bottom - top - bh - U(v, 60)},
                      T(ui, st->side_text), U(v, 38), false, S_PANEL, AL_LEFT)->top = true;
            view_button(v, (rect_t){m + U(v, 30), bottom - bh - U(v, 30), cw - U(v, 60), bh}, T(ui, "Sluiten"), S_PRIMARY,
                        A_HELP, 0);
            return;
        }
        break;
    }
    case ST_ASSETS: {
        char date[11], a[48], b[48], l0[128], l1[128];
        int64_t limit = -1;
        today(ui, date);
        wl_minima_table_amount(catalogue, "vermogensgrens", &S.h, date, &limit, NULL);
        int y = frame(ui, v, S.h.has_partner ? st->question : N_("Hoeveel spaargeld en bezit hebt u?"), st->help);
        if (limit >= 0) {
            wl_minima_money(limit, a, sizeof a);
            wl_minima_money(limit, b, sizeof b);
            const char *one[] = {a}, *other[] = {b};
            wl_msg_fill(l0, sizeof l0, T(ui, st->options[0]), one, 1);
            wl_msg_fill(l1, sizeof l1, T(ui, st->options[1]), other, 1);
            const char *opts[] = {l0, l1, st->options[2]};
            choices(ui, v, y, opts, st->pictograms, 3, S.assets_choice);
        } else {
            const char *opts[] = {st->options[2]}, *pics[] = {st->pictograms[2]};
            choices(ui, v, y, opts, pics, 1, S.assets_choice == 2 ? 0 : -1);
        }
        break;
    }
    case ST_YEARS:
    case ST_GROSS: number_step(ui, v, st->question, st->help, st->unit, st->side_label, A_UNKNOWN); break;
    case ST_STUDENT: {
        int y = frame(ui, v, st->question, st->help);
        choices(ui, v, y, st->options, st->pictograms, st->n_options, S.h.student == 1 ? 0 : S.h.student == 0 ? 1 : -1);
        break;
    }
    case ST_CHRONIC: {
        int y = frame(ui, v, st->question, st->help);
        choices(ui, v, y, st->options, st->pictograms, st->n_options, S.h.chronic_illness == 1 ? 0 : S.h.chronic_illness == 0 ? 1 : -1);
        break;
    }
    case ST_RESULTS: results_build(ui, v); return;
    case ST_DETAIL: detail_build(ui, v); return;
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, N_("Stoppen"), A_STOP, next_label, A_NEXT);
}

static void choose(ui_t *ui, int i)
{
    (void)ui;
    S.msg = NULL;
    switch (S.at.step) {
    case ST_PARTNER:
        if (i < 0 || i > 1) return;
        S.asked_partner = i;
        S.h.has_partner = i == 1;
        break;
    case ST_CHILDREN:
        if (i < 0 || i > MAX_CHILDREN_ASKED) return;
        S.n_children = i;
        S.h.n_children = i;
        break;
    case ST_CHILD_SCHOOL:
        if (i >= 0 && i < 4) S.h.children[S.at.child].school = SCHOOL_OPTION[i];
        break;
    case ST_ASSETS: {
        char date[11];
        int64_t limit = -1;
        today(ui, date);
        wl_minima_table_amount(catalogue, "vermogensgrens", &S.h, date, &limit, NULL);
        /* A band against the household's own limit: that is all the schemes ask. */
        if (limit >= 0 && i == 0) {
            S.h.assets_min = 0;
            S.h.assets_max = limit;
            S.assets_choice = 0;
        } else if (limit >= 0 && i == 1) {
            S.h.assets_min = limit + 1;
            S.h.assets_max = -1;
            S.assets_choice = 1;
        } else {
            S.h.assets_min = S.h.assets_max = -1;
            S.assets_choice = 2;
        }
        break;
    }
    case ST_STUDENT: S.h.student = i == 0 ? 1 : 0; break;
    case ST_CHRONIC: S.h.chronic_illness = i == 0 ? 1 : i == 1 ? 0 : -1; break;
    default: break;
    }
}

static void unknown(ui_t *ui)
{
    if (S.at.step == ST_YEARS) {
        S.h.years_low_income = -1;
        go(ST_STUDENT, 0);
    } else if (S.at.step == ST_GROSS) {
        S.h.gross_yearly_income = -1;
        evaluate(ui);
    }
}

static void type_digit(char c)
{
    size_t l = strlen(S.buf);
    if (c < '0' || c > '9' || l >= 7) return;
    if (l == 1 && S.buf[0] == '0') l = 0; /* no leading zeros */
    S.buf[l] = c;
    S.buf[l + 1] = '\0';
    S.msg = NULL;
}

static void minima_act(ui_t *ui, const widget_t *w)
{
    switch (w->action) {
    case A_NEXT: next(ui); break;
    case A_BACK: back(ui); break;
    case A_STOP:
    case A_DONE:
        screen_minima_wipe();
        ui_go(ui, SCR_MENU);
        break;
    case A_CHOICE: choose(ui, w->arg); break;
    case A_DIGIT: type_digit((char)('0' + w->arg)); break;
    case A_BKSP:
        if (S.buf[0]) S.buf[strlen(S.buf) - 1] = '\0';
        break;
    case A_HELP: S.help = !S.help; break;
    case A_UNKNOWN: unknown(ui); break;
    case A_SCHEME:
        S.detail = w->arg;
        S.at.step = ST_DETAIL;
        break;
    case A_LIST: S.at.step = ST_RESULTS; break;
    case A_PRINT: print_list(ui); break;
    case A_BOOK:
        screen_appointments_begin(ui, SCR_MINIMA);
        ui_go(ui, SCR_APPOINTMENTS);
        break;
    case A_PREV_PAGE: S.page--; break;
    case A_NEXT_PAGE: S.page++; break;
    }
    if (S.page < 0) S.page = 0;
}

static void minima_input(ui_t *ui, const ui_event_t *ev)
{
    if (ev->type == UI_EV_TEXT) {
        for (const char *p = ev->text; *p; p++) type_digit(*p);
    } else if (ev->type == UI_EV_KEY && ev->key == UI_KEY_BACKSPACE) {
        if (S.buf[0]) S.buf[strlen(S.buf) - 1] = '\0';
    } else if (ev->type == UI_EV_KEY && ev->key == UI_KEY_RETURN) {
        next(ui);
    }
}

const screen_t SCREEN_MINIMA = {"minima", minima_build, minima_act, minima_input, true, screen_minima_wipe, screen_minima_shutdown};
