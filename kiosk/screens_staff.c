/* The staff screen behind the staff PIN: today's counts, printer, open events, lock, leave. */
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkloket/casework.h"
#include "wijkloket/outbox.h"
#include "wijkloket/printer.h"

enum { A_QUIT = A_SCREEN_BASE, A_HOME, A_LOCK, A_ACK, A_REFRESH };

#define STAFF_MAX_EVENTS 24

/* What the screen shows, read from the store and the printer when the screen opens and after
 * every action (not per frame: a printer status query may take 300 ms). No personal data:
 * counts, the printer's answer, and event texts that core keeps free of personal data. */
static struct {
    bool counts_ok;
    int completed;
    int per_route[3];
    int other_route;
    char printer[320];
    bool printer_ok;
    bool outbox_on;   /* a server is configured: show the delivery backlog */
    bool outbox_bad;  /* refused records or an unreadable outbox: staff must look */
    char outbox[320];
    bool secret_beside; /* the staff secret key lies beside the public key on this kiosk */
    int n_ev;
    int total_ev;
    struct {
        int64_t id;
        char kind[32];
        char detail[200];
        int64_t at;
    } ev[STAFF_MAX_EVENTS];
} S;

static const char *const ROUTES[3] = { "zelfdoener", "klantondersteuning", "participatie" };

const char *ui_printer_spec(const ui_t *ui)
{
    const char *env = getenv("WL_PRINTER"); /* tests and the appointments tooling set it */
    return env && *env ? env : ui->cfg->printer;
}

static void read_counts(ui_t *ui)
{
    char today[11];
    wl_date_today(ui_unix_now(ui), today);
    wl_case_filter_t f = { .location = ui->cfg->location, .from = today, .to = today, .status = "completed" };
    json_t *list = NULL;
    wl_err_t err = { { 0 } };
    S.counts_ok = wl_case_list(ui->store, &f, &list, &err) == WL_OK;
    if (!S.counts_ok) {
        fprintf(stderr, "wijkloket: staff screen: cannot count today's intakes: %s\n", err.msg);
        return;
    }
    size_t i;
    json_t *r;
    json_array_foreach(list, i, r) {
        const char *route = json_string_value(json_object_get(r, "route"));
        S.completed++;
        int k = -1;
        for (int j = 0; j < 3; j++)
            if (route && !strcmp(route, ROUTES[j])) k = j;
        if (k >= 0) S.per_route[k]++;
        else S.other_route++;
    }
    json_decref(list);
}

static void read_printer(ui_t *ui)
{
    const char *spec = ui_printer_spec(ui);
    wl_printer_t p;
    wl_err_t err = { { 0 } };
    if (wl_printer_parse(spec, &p, &err) != WL_OK) {
        snprintf(S.printer, sizeof S.printer, "%.300s", err.msg);
        S.printer_ok = false;
        return;
    }
    if (p.kind == WL_PRINTER_NONE) {
        snprintf(S.printer, sizeof S.printer, "%s", T(ui, "geen printer ingesteld"));
        S.printer_ok = true;
        return;
    }
    S.printer_ok = wl_printer_status(&p, &err) == WL_OK;
    char tmpl[160];
    snprintf(tmpl, sizeof tmpl, "%s", S.printer_ok ? T(ui, "%s: klaar om te printen") : T(ui, "%s: werkt niet"));
    ui_subst(S.printer, sizeof S.printer, tmpl, spec);
    if (!S.printer_ok) {
        size_t n = strlen(S.printer);
        snprintf(S.printer + n, sizeof S.printer - n, " (%s)", err.msg);
    }
}

static void read_events(ui_t *ui)
{
    json_t *ev = NULL;
    wl_err_t err = { { 0 } };
    if (wl_store_open_events(ui->store, &ev, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: staff screen: cannot read events: %s\n", err.msg);
        S.total_ev = -1;
        return;
    }
    size_t i;
    json_t *e;
    json_array_foreach(ev, i, e) {
        /* This location's events: help requests and printer trouble are for the people here. */
        const char *loc = json_string_value(json_object_get(e, "location"));
        if (loc && strcmp(loc, ui->cfg->location)) continue;
        S.total_ev++;
        if (S.n_ev == STAFF_MAX_EVENTS) continue;
        const char *kind = json_string_value(json_object_get(e, "kind"));
        const char *detail = json_string_value(json_object_get(e, "detail"));
        S.ev[S.n_ev].id = (int64_t)json_integer_value(json_object_get(e, "id"));
        S.ev[S.n_ev].at = (int64_t)json_integer_value(json_object_get(e, "at"));
        snprintf(S.ev[S.n_ev].kind, sizeof S.ev[0].kind, "%s", kind ? kind : "?");
        snprintf(S.ev[S.n_ev].detail, sizeof S.ev[0].detail, "%s", detail ? detail : "");
        S.n_ev++;
    }
    json_decref(ev);
    /* Urgent requests first: someone at the kiosk cannot wait. */
    for (int i = 1; i < S.n_ev; i++)
        for (int j = i; j > 0 && !strcmp(S.ev[j].kind, "urgent_request") && strcmp(S.ev[j - 1].kind, "urgent_request"); j--) {
            __typeof__(S.ev[0]) t = S.ev[j];
            S.ev[j] = S.ev[j - 1];
            S.ev[j - 1] = t;
        }
}

/* "14:05" for today, "17-11 14:05" for another day (local time, as the day list). */
static void when(const ui_t *ui, int64_t at, char *buf, size_t n)
{
    time_t t = (time_t)at, now = (time_t)ui_unix_now(ui);
    struct tm a, b;
    localtime_r(&t, &a);
    localtime_r(&now, &b);
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) strftime(buf, n, "%H:%M", &a);
    else strftime(buf, n, "%d-%m %H:%M", &a);
}

/* The delivery backlog to the central server (wijkloket-deliver keeps it beside the database). */
static void read_outbox(ui_t *ui)
{
    S.outbox_on = ui->cfg->server_url[0] != 0;
    if (!S.outbox_on) return;
    wl_outbox_t *ob;
    wl_outbox_status_t st;
    wl_err_t err;
    if (wl_outbox_open(ui->cfg->database, &ob, &err) != WL_OK || wl_outbox_status(ob, &st, &err) != WL_OK) {
        if (err.msg[0]) fprintf(stderr, "wijkloket: staff screen: outbox: %s\n", err.msg);
        snprintf(S.outbox, sizeof S.outbox, "%s", T(ui, "De wachtrij is nu niet te lezen (zie het kiosklog)."));
        S.outbox_bad = true;
        return;
    }
    wl_outbox_close(ob);
    char since[40] = "";
    if (st.pending) {
        char t[32];
        when(ui, st.oldest_pending, t, sizeof t);
        snprintf(since, sizeof since, " (%s %s)", T(ui, "oudste van"), t);
    }
    snprintf(S.outbox, sizeof S.outbox, "%s: %lld%s\n%s %lld · %s %lld", T(ui, "Te verzenden"), (long long)st.pending,
             since, T(ui, "verzonden"), (long long)st.delivered, T(ui, "geweigerd"), (long long)st.refused);
    S.outbox_bad = st.refused > 0;
}

static void refresh(ui_t *ui)
{
    memset(&S, 0, sizeof S);
    read_counts(ui);
    read_printer(ui);
    read_outbox(ui);
    read_events(ui);
    char secret[KCFG_PATH + 32];
    S.secret_beside = kcfg_secret_key_beside(ui->cfg, secret, sizeof secret);
    ui->dirty = true;
}

void ui_staff_begin(ui_t *ui, const char *user)
{
    snprintf(ui->staff_user, sizeof ui->staff_user, "%s", user);
    refresh(ui);
    ui_go(ui, SCR_STAFF);
}

static const char *kind_label(const ui_t *ui, const char *kind)
{
    if (!strcmp(kind, "urgent_request")) return T(ui, "SPOED");
    if (!strcmp(kind, "help_request")) return T(ui, "Hulpvraag");
    if (!strcmp(kind, "printer_failure")) return T(ui, "Printer");
    if (!strcmp(kind, "purge_failure")) return T(ui, "Opschonen");
    return kind;
}

static int section(ui_t *ui, view_t *v, int x, int y, int w, const char *title, const char *body, int body_h,
                   wstyle_t body_style)
{
    view_text(v, (rect_t){ x, y, w, U(v, 64) }, T(ui, title), U(v, 44), true, S_BODY, AL_LEFT);
    y += U(v, 64);
    view_text(v, (rect_t){ x, y, w, body_h }, body, U(v, 36), false, body_style, AL_LEFT)->top = true;
    return y + body_h + U(v, 16);
}

static void staff_build(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), bh = layout_button_h(v), gap = U(v, 28);
    int y = m;
    int cw = v->w - 2 * m;
    bool land = v->w > v->h;
    view_text(v, (rect_t){ m, y, cw / 2, U(v, 100) }, T(ui, "Beheer"), U(v, 64), true, S_TITLE, AL_LEFT);
    view_button(v, (rect_t){ m + cw - cw / 3, y, cw / 3, U(v, 100) > v->touch ? U(v, 100) : v->touch },
                T(ui, "Vernieuwen"), S_SECONDARY, A_REFRESH, 0);
    y += (U(v, 100) > v->touch ? U(v, 100) : v->touch) + U(v, 8);
    char line[400];
    snprintf(line, sizeof line, "%s %s · %s %s · %s %s", T(ui, "Zuil"), ui->cfg->kiosk_id, T(ui, "locatie"),
             ui->cfg->location, T(ui, "aangemeld:"), ui->staff_user);
    view_text(v, (rect_t){ m, y, cw, U(v, 56) }, line, U(v, 34), false, S_MUTED, AL_LEFT);
    y += U(v, 70);
    if (ui->locked) {
        view_text(v, (rect_t){ m, y, cw, U(v, 60) }, T(ui, "De zuil is vergrendeld: inwoners zien \"buiten gebruik\"."),
                  U(v, 36), true, S_ERROR, AL_LEFT);
        y += U(v, 70);
    }
    if (S.secret_beside) {
        /* The log says it at every start; staff must see it too (docs/privacy.md, section 4). */
        view_text(v, (rect_t){ m, y, cw, U(v, 120) },
                  T(ui, "Let op: de geheime sleutel (secret.key) staat op deze zuil. Wie de schijf kopieert, kan alle dossiers openen. Zet secret.key op de beheercomputer of op een USB-stick in de kluis."),
                  U(v, 32), true, S_ERROR, AL_LEFT)->top = true;
        y += U(v, 130);
    }

    /* Left (or top): figures; right (or below): the open events with their buttons. */
    int colw = land ? (cw - gap) / 2 : cw;
    int nav_top = v->h - m - bh;
    char body[400];
    if (!S.counts_ok) {
        snprintf(body, sizeof body, "%s", T(ui, "De telling lukt nu niet (zie het kiosklog)."));
    } else {
        snprintf(body, sizeof body, "%s: %d\n%s %d · %s %d · %s %d", T(ui, "Afgerond hier"), S.completed, ROUTES[0],
                 S.per_route[0], ROUTES[1], S.per_route[1], ROUTES[2], S.per_route[2]);
    }
    int yl = section(ui, v, m, y, colw, N_("Vandaag"), body, U(v, 100), S_BODY);
    yl = section(ui, v, m, yl, colw, N_("Printer"), S.printer, S.printer_ok ? U(v, 90) : U(v, 150), S.printer_ok ? S_BODY : S_ERROR);
    char pl[300];
    if (!ui->purge_ran) {
        snprintf(pl, sizeof pl, "%s", T(ui, "Nog niet gedaan sinds de start."));
    } else {
        char t[32];
        when(ui, ui->purge_at, t, sizeof t);
        if (ui->purge_failed)
            snprintf(pl, sizeof pl, "%s %s: %s", T(ui, "Laatst"), t, T(ui, "mislukt (zie het kiosklog)"));
        else
            snprintf(pl, sizeof pl, "%s %s: %lld %s, %lld %s, %lld %s", T(ui, "Laatst"), t, (long long)ui->purge_deleted,
                     T(ui, "gewist"), (long long)ui->purge_anonymised, T(ui, "geanonimiseerd"),
                     (long long)ui->purge_held, T(ui, "bewaard voor een afspraak"));
    }
    yl = section(ui, v, m, yl, colw, N_("Opschonen"), pl, U(v, 90), ui->purge_failed ? S_ERROR : S_BODY);
    if (S.outbox_on)
        yl = section(ui, v, m, yl, colw, N_("Bezorging"), S.outbox, U(v, 90), S.outbox_bad ? S_ERROR : S_BODY);

    int x = land ? m + colw + gap : m;
    int ye = land ? y : yl;
    char head[120];
    if (S.total_ev < 0) snprintf(head, sizeof head, "%s", T(ui, "Meldingen: lezen lukt niet"));
    else snprintf(head, sizeof head, "%s: %d", T(ui, "Open meldingen"), S.total_ev);
    view_text(v, (rect_t){ x, ye, colw, U(v, 64) }, head, U(v, 44), true, S_BODY, AL_LEFT);
    ye += U(v, 70);
    if (S.total_ev == 0) {
        view_text(v, (rect_t){ x, ye, colw, U(v, 60) }, T(ui, "Geen open meldingen."), U(v, 36), false, S_MUTED, AL_LEFT);
    }
    int rowh = bh, bw = colw / 3;
    int shown = 0;
    for (int i = 0; i < S.n_ev; i++) {
        if (ye + rowh > nav_top - gap - U(v, 50)) break;
        char t[32];
        when(ui, S.ev[i].at, t, sizeof t);
        char row[320];
        snprintf(row, sizeof row, "%s %s: %s", t, kind_label(ui, S.ev[i].kind), S.ev[i].detail);
        bool urgent = !strcmp(S.ev[i].kind, "urgent_request");
        view_text(v, (rect_t){ x, ye, colw - bw - gap / 2, rowh }, row, U(v, 32), urgent, urgent ? S_ERROR : S_BODY, AL_LEFT);
        view_button(v, (rect_t){ x + colw - bw, ye, bw, rowh }, T(ui, "Afgehandeld"), S_OPTION, A_ACK, i)->size = U(v, 36);
        ye += rowh + gap / 2;
        shown++;
    }
    if (S.total_ev > shown) {
        char more[16], ml[120];
        snprintf(more, sizeof more, "%d", S.total_ev - shown);
        ui_subst(ml, sizeof ml, T(ui, "En nog %s meer (wijkloket-staff events)."), more);
        view_text(v, (rect_t){ x, ye, colw, U(v, 50) }, ml, U(v, 32), false, S_MUTED, AL_LEFT);
    }

    /* Bottom row: lock, leave, back. */
    int b3 = (cw - 2 * gap) / 3;
    view_button(v, (rect_t){ m, nav_top, b3, bh }, ui->locked ? T(ui, "Zuil ontgrendelen") : T(ui, "Zuil vergrendelen"),
                S_SECONDARY, A_LOCK, 0);
    view_button(v, (rect_t){ m + b3 + gap, nav_top, b3, bh }, T(ui, "Kiosk afsluiten"), S_SECONDARY, A_QUIT, 0);
    view_button(v, (rect_t){ m + 2 * (b3 + gap), nav_top, cw - 2 * (b3 + gap), bh }, T(ui, "Terug naar het begin"),
                S_PRIMARY, A_HOME, 0);
}

static void staff_act(ui_t *ui, const widget_t *w)
{
    switch (w->action) {
    case A_QUIT:
        if (!ui_confirm(ui, w, N_("Kiosk afsluiten?"),
                        N_("Het programma stopt. Inwoners kunnen de zuil dan niet gebruiken tot iemand hem opnieuw start."),
                        N_("Ja, afsluiten")))
            break;
        fprintf(stderr, "wijkloket: closed by staff\n");
        ui->quit = true;
        break;
    case A_HOME:
        memset(&S, 0, sizeof S);
        ui_session_wipe(ui); /* also forgets who was signed in */
        break;
    case A_LOCK:
        ui->locked = !ui->locked;
        fprintf(stderr, "wijkloket: %s by staff\n", ui->locked ? "locked" : "unlocked");
        ui->dirty = true;
        break;
    case A_ACK:
        if (w->arg >= 0 && w->arg < S.n_ev) {
            wl_err_t err = { { 0 } };
            if (wl_store_ack_event(ui->store, S.ev[w->arg].id, ui->staff_user, ui_unix_now(ui), &err) != WL_OK)
                fprintf(stderr, "wijkloket: event %lld not marked handled: %s\n", (long long)S.ev[w->arg].id, err.msg);
            else
                fprintf(stderr, "wijkloket: event %lld (%s) handled by staff\n", (long long)S.ev[w->arg].id,
                        S.ev[w->arg].kind);
        }
        refresh(ui);
        break;
    case A_REFRESH: refresh(ui); break;
    }
}

const screen_t SCREEN_STAFF = { "staff", staff_build, staff_act, NULL, false, NULL, NULL };
