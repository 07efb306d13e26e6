/* Booking and lookup screens: offer, day, time, confirm, the slip (printed or on screen), lookup. */
#include "screen_appointments.h"

#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/appointments.h"
#include "wijkloket/printer.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/slip.h"

enum {
    A_OFFER = A_SCREEN_BASE + 600, /* clear of the other screens' numbers, for readable logs */
    A_BACK, A_DAY, A_TIME, A_BOOK, A_DONE, A_CHAR, A_BKSP, A_SEARCH, A_CANCEL, A_SHOW, A_PREV, A_NEXT, A_LOOKUP,
    A_STOP, A_RETRY
};

/* ST_OFFLINE: the server cannot be reached; the phone number and the citizen's code instead. */
typedef enum { ST_OFFERS, ST_DAY, ST_TIME, ST_CONFIRM, ST_SLIP, ST_LOOKUP, ST_FOUND, ST_OFFLINE } step_t;

/* What goes to the booking provider. With the server it is put off until the "Even geduld"
 * frame is on screen (appointments_tick); with the kiosk's own file it runs at once. */
typedef enum { OP_NONE, OP_SLOTS, OP_HOLD, OP_BOOK, OP_UNHOLD, OP_SEARCH, OP_CANCEL } op_t;

#define MAX_DAYS 10
#define TIMES_PER_PAGE 12

/* All state about one citizen; zeroed by screen_appointments_wipe. */
static struct {
    bool active;
    step_t step;
    screen_id_t back_to;
    json_t *offers;     /* wl_appointments_offer result */
    int offer;          /* chosen offer */
    char service[64], location[64];
    char days[MAX_DAYS][11];
    size_t ndays;
    char day[11];
    wl_slot_t *slots;
    size_t nslots;
    int page;
    char start[WL_SLOT_START_BUFSZ];
    wl_appointment_t appt; /* booked or found */
    bool printed;
    bool from_lookup;   /* started at the lookup (no booking steps before it) */
    bool from_menu;     /* no classification result: every service is offered */
    bool viewing;       /* the slip step shows a looked-up booking, not a new one */
    bool no_printer;    /* this kiosk has no printer (printer = none): the screen is the slip */
    int first_per;      /* offers that fit on the first page under the recommendation */
    char typed[24];
    const char *msg;    /* Dutch msgid shown on the current step */
    op_t op;            /* put-off work: "Even geduld" shows until it is done */
    op_t failed_op;     /* what "Opnieuw proberen" on ST_OFFLINE does again */
    step_t offline_from;/* the step that failed, for Terug on ST_OFFLINE */
    char hold[WL_HOLD_BUFSZ]; /* the seat held on the server while the citizen confirms ("" none) */
} S;

/* The provider of the running booking (kept outside S, which is wiped, so the wipe can still
 * release a hold); local is the kiosk's own file when there is no server. */
static const wl_booking_provider_t *prov;
static wl_booking_provider_t local;

static wl_catalog_t *catalog; /* no personal data: kept for the program's life */
static bool catalog_failed;

/* Gives a held seat back at once (Terug, Stoppen, the idle wipe, Klaar). When the server cannot
 * be reached the hold simply expires there by itself. */
static void release_hold(void)
{
    if (!S.hold[0] || !prov) return;
    wl_err_t err = {{0}};
    if (prov->release(prov->ctx, S.hold, &err) != WL_OK)
        fprintf(stderr, "wijkloket: releasing a hold: %s (it expires on the server by itself)\n", err.msg);
    explicit_bzero(S.hold, sizeof S.hold);
}

void screen_appointments_wipe(void)
{
    release_hold();
    json_decref(S.offers);
    free(S.slots);
    explicit_bzero(&S, sizeof S);
}

void screen_appointments_shutdown(void)
{
    screen_appointments_wipe();
    wl_catalog_free(catalog);
    catalog = NULL;
}

static const char *lang_code(const ui_t *ui)
{
    return ui->cfg->languages[ui->lang][0] ? ui->cfg->languages[ui->lang] : "nl";
}

static bool load_catalog(ui_t *ui)
{
    if (!catalog && !catalog_failed) {
        wl_err_t err = {{0}};
        if (wl_catalog_load(ui->cfg->assets, &catalog, &err) != WL_OK) {
            fprintf(stderr, "wijkloket: appointments: %s\n", err.msg);
            catalog_failed = true;
        }
    }
    return catalog != NULL;
}

static void run(ui_t *ui, op_t op);

static const wl_booking_provider_t *provider(ui_t *ui)
{
    if (ui->booking) return prov = ui->booking;
    wl_booking_local(ui->store, &local);
    return prov = &local;
}

static void go(step_t st)
{
    S.step = st;
    S.msg = NULL;
    S.page = 0;
}

/* The kiosk's location when the catalogue knows it (a test kiosk may have another id). */
static const char *kiosk_location(const ui_t *ui)
{
    return wl_catalog_location(catalog, ui->cfg->location) ? ui->cfg->location : NULL;
}

/* From the menu there is no result to fit: offer every service, the kiosk's own place first. */
static json_t *all_services(const ui_t *ui)
{
    json_t *arr = json_array();
    size_t i, k;
    const json_t *svc, *loc;
    const char *own = kiosk_location(ui);
    json_array_foreach(wl_catalog_services(catalog), i, svc) {
        const char *id = json_string_value(json_object_get(svc, "id"));
        json_t *locs = json_array();
        if (own && wl_catalog_offers(catalog, id, own)) json_array_append_new(locs, json_string(own));
        json_array_foreach(wl_catalog_locations(catalog), k, loc) {
            const char *lid = json_string_value(json_object_get(loc, "id"));
            if (wl_catalog_offers(catalog, id, lid) && !(own && strcmp(own, lid) == 0))
                json_array_append_new(locs, json_string(lid));
        }
        json_array_append_new(arr, json_pack("{s:s, s:b, s:i, s:o}", "service", id, "urgent", 0, "within_days", 0,
                                             "locations", locs));
    }
    return arr;
}

void screen_appointments_begin(ui_t *ui, screen_id_t back_to)
{
    screen_appointments_wipe();
    S.active = true;
    S.back_to = back_to;
    provider(ui);
    go(ST_OFFERS);
    if (!load_catalog(ui)) {
        S.msg = N_("Afspraken maken lukt nu niet. Vraag een medewerker om hulp.");
        return;
    }
    wl_err_t err = {{0}};
    if (!ui->result) {
        S.from_menu = true;
        S.offers = all_services(ui);
    } else if (wl_journey_offers(ui->journey, catalog, &S.offers, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: appointments offer: %s\n", err.msg);
        S.msg = N_("Afspraken maken lukt nu niet. Vraag een medewerker om hulp.");
    }
}

void screen_appointments_begin_lookup(ui_t *ui, screen_id_t back_to)
{
    screen_appointments_wipe();
    S.active = true;
    S.back_to = back_to;
    S.from_lookup = true;
    provider(ui);
    go(ST_LOOKUP);
    if (!load_catalog(ui)) S.msg = N_("Afspraken opzoeken lukt nu niet. Vraag een medewerker om hulp.");
}

/* ---- words ------------------------------------------------------------------------------ */
/* Days since 1970-01-01; -1 for a bad date. */
static int64_t day_number(const char *date)
{
    int y, m, d;
    return wl_date_parse(date, &y, &m, &d) ? wl_days_from_civil(y, m, d) : -1;
}

/* "dinsdag 24 november" for a YYYY-MM-DD date, in the view's arena. */
static const char *day_words(ui_t *ui, view_t *v, const char *date)
{
    char words[96];
    return view_str(v, wl_i18n_date(ui->i18n[ui->lang], date, true, false, words, sizeof words));
}

static const char *service_name(ui_t *ui, const char *id)
{
    /* The citizen's name of the service (staff see "naam"). */
    return wl_catalog_text(json_object_get(wl_catalog_service(catalog, id), "naam_inwoner"), lang_code(ui));
}

static const char *location_name(const char *id)
{
    const char *n = json_string_value(json_object_get(wl_catalog_location(catalog, id), "naam"));
    return n ? n : id;
}

static const char *address(view_t *v, const char *id)
{
    const json_t *a = json_object_get(wl_catalog_location(catalog, id), "adres");
    return view_fmt(v, "%s, %s", json_string_value(json_object_get(a, "straat")) ? json_string_value(json_object_get(a, "straat")) : "",
                    json_string_value(json_object_get(a, "plaats")) ? json_string_value(json_object_get(a, "plaats")) : "");
}

/* ---- steps ------------------------------------------------------------------------------ */
static void load_days(ui_t *ui)
{
    char today[11];
    int64_t now = ui_unix_now(ui);
    wl_date_today(now, today);
    wl_err_t err = {{0}};
    S.ndays = 0;
    if (wl_appointments_days(catalog, S.service, S.location, today, now, MAX_DAYS, S.days, &S.ndays, &err) != WL_OK)
        fprintf(stderr, "wijkloket: appointments days: %s\n", err.msg);
    /* Acute care: the WIJ-team today or tomorrow, not later. */
    int within = (int)json_integer_value(json_object_get(json_array_get(S.offers, (size_t)S.offer), "within_days"));
    if (within > 0) {
        int64_t t0 = day_number(today);
        size_t keep = 0;
        for (size_t i = 0; i < S.ndays; i++)
            if (day_number(S.days[i]) - t0 < within) memmove(S.days[keep++], S.days[i], 11);
        S.ndays = keep;
    }
}

/* The server cannot be reached (or did not answer in time): say so, with the phone number
 * and the citizen's code. Nothing was booked, here or there. */
static void offline(op_t op, const char *why)
{
    fprintf(stderr, "wijkloket: appointments server not reachable: %s\n", why);
    S.failed_op = op;
    S.offline_from = S.step;
    go(ST_OFFLINE);
}

/* false when the slots could not be had (the step then shows why). */
static bool load_slots(ui_t *ui)
{
    free(S.slots);
    S.slots = NULL;
    S.nslots = 0;
    wl_err_t err = {{0}};
    wl_rc rc = prov->slots(prov->ctx, catalog, S.service, S.location, S.day, ui_unix_now(ui), &S.slots, &S.nslots, &err);
    if (rc == WL_ERR_IO && prov->remote) {
        offline(OP_SLOTS, err.msg);
        return false;
    }
    if (rc != WL_OK) {
        fprintf(stderr, "wijkloket: appointments slots: %s\n", err.msg);
        S.msg = N_("Dit lukt nu niet. Vraag een medewerker om hulp.");
        return false;
    }
    return true;
}

/* The chosen time was taken by someone else meanwhile: fresh slots and a plain message. */
static void just_taken(ui_t *ui)
{
    go(ST_TIME);
    if (load_slots(ui)) S.msg = N_("Deze tijd is net bezet. Kies een andere tijd.");
}

/* Holds the chosen seat while the citizen confirms (the server keeps it a few minutes). */
static void hold(ui_t *ui)
{
    release_hold(); /* one hold per citizen */
    wl_err_t err = {{0}};
    int64_t exp = 0;
    wl_rc rc = prov->hold(prov->ctx, S.service, S.location, S.start, ui_unix_now(ui), S.hold, &exp, &err);
    if (rc == WL_OK) go(ST_CONFIRM);
    else if (rc == WL_ERR_CONFLICT) just_taken(ui);
    else if (rc == WL_ERR_IO && prov->remote) offline(OP_HOLD, err.msg);
    else {
        fprintf(stderr, "wijkloket: hold: %s\n", err.msg);
        S.msg = N_("Dit lukt nu niet. Vraag een medewerker om hulp.");
    }
}

/* One booking attempt for the citizen, on hold (may be ""). */
static wl_rc book_once(ui_t *ui, const char *hold, wl_msg_t *why, wl_err_t *err)
{
    if (ui->journey) {
        wl_journey_set_language(ui->journey, lang_code(ui));
        return wl_journey_book_via(ui->journey, prov, catalog, S.service, S.location, S.start, hold, &S.appt, why, err);
    }
    /* From the menu: no questionnaire, so a journey of its own just for the booking. */
    wl_journey_deps_t deps = {.q = ui->q, .rules = ui->rules, .env = &ui->env};
    wl_journey_start_t how = {WL_CHANNEL_KIOSK, ui->cfg->location, ui->cfg->kiosk_id, lang_code(ui), NULL};
    wl_journey_t *j = NULL;
    wl_rc rc = wl_journey_start(&deps, &how, &j, err);
    if (rc == WL_OK) rc = wl_journey_book_via(j, prov, catalog, S.service, S.location, S.start, hold, &S.appt, why, err);
    else wl_msg_set(why, N_("Dit lukt nu niet. Vraag een medewerker om hulp."));
    wl_journey_free(j);
    return rc;
}

static void book(ui_t *ui)
{
    wl_err_t err = {{0}};
    wl_msg_t why;
    wl_rc rc = book_once(ui, S.hold, &why, &err);
    if (rc == WL_ERR_CONFLICT && S.hold[0]) {
        /* Our hold ran out while the citizen took their time (the server refuses it): the seat
         * may still be free, so try once more as a plain booking before saying it is gone. */
        explicit_bzero(S.hold, sizeof S.hold);
        rc = book_once(ui, "", &why, &err);
    }
    if (rc == WL_ERR_CONFLICT) {
        just_taken(ui);
        return;
    }
    if (rc == WL_ERR_IO && prov->remote) {
        /* The hold (if the server got it) runs out by itself; the citizen may try again. */
        offline(OP_BOOK, err.msg);
        return;
    }
    if (rc != WL_OK) {
        fprintf(stderr, "wijkloket: booking: %s\n", err.msg);
        S.msg = why.id;
        return;
    }
    explicit_bzero(S.hold, sizeof S.hold); /* the held seat is the booking now */
    S.viewing = false;
    /* The booking is saved; now the paper. Any printer trouble only changes what we show. */
    const char *spec = ui_printer_spec(ui);
    wl_printer_t p;
    if (wl_printer_parse(spec && *spec ? spec : "none", &p, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: %s\n", err.msg);
        wl_printer_parse("none", &p, NULL);
    }
    wl_slip_t *slip = malloc(sizeof *slip);
    S.no_printer = p.kind == WL_PRINTER_NONE;
    if (prov->remote) /* the booking is the server's; a printer failure is still this kiosk's event */
        S.printed = slip && wl_printer_print_appointment(ui->store, catalog, &p, &S.appt, ui->i18n[ui->lang], ui->cfg->location,
                                                         ui->cfg->kiosk_id, ui_unix_now(ui), slip, &err) == WL_OK;
    else
        S.printed = slip && wl_printer_print_booking(ui->store, catalog, &p, S.appt.ref, ui->i18n[ui->lang],
                                                     ui->cfg->location, ui->cfg->kiosk_id, ui_unix_now(ui), slip,
                                                     &err) == WL_OK;
    free(slip);
    go(ST_SLIP);
}

static void search(void)
{
    wl_err_t err = {{0}};
    wl_rc rc = prov->get(prov->ctx, S.typed, &S.appt, &err);
    if (rc == WL_ERR_IO && prov->remote) {
        offline(OP_SEARCH, err.msg);
        return;
    }
    switch (rc) {
    case WL_OK: go(ST_FOUND); break;
    case WL_ERR_INVALID: S.msg = N_("Er zit een typfout in de code. Kijk nog eens goed."); break;
    case WL_ERR_PARSE: S.msg = N_("Een code heeft 9 tekens, zoals ABCD-EFGH-J. Kijk nog eens goed."); break;
    case WL_ERR_NOTFOUND: S.msg = N_("We vinden geen afspraak met deze code."); break;
    default:
        fprintf(stderr, "wijkloket: lookup: %s\n", err.msg);
        S.msg = N_("Dit lukt nu niet. Vraag een medewerker om hulp.");
    }
}

/* ---- drawing ------------------------------------------------------------------------------ */
static int title(ui_t *ui, view_t *v, int y, const char *msgid)
{
    int m = layout_margin(v);
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)}, T(ui, msgid), U(v, 62), true, S_TITLE, AL_LEFT);
    return y + U(v, 130);
}

static int message(ui_t *ui, view_t *v, int y)
{
    /* The slot stays when there is no message, so nothing below it moves when one appears. */
    int m = layout_margin(v);
    if (S.msg) view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)}, T(ui, S.msg), U(v, 42), true, S_ERROR, AL_LEFT);
    return y + U(v, 120);
}

/* The QR code as dark panels on a white panel (the widget list has no images): one panel per
 * run of dark modules in a row, so a 21x21 code needs about a hundred widgets. */
static void qr_widgets(view_t *v, const char *ref, int x, int y, int size)
{
    QRcode *qr = QRcode_encodeString(ref, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return;
    int mod = size / (qr->width + 8); /* 4 light modules of quiet zone on each side */
    if (mod < 2) mod = 2;
    int side = mod * (qr->width + 8);
    view_add(v, W_PANEL, (rect_t){x, y, side, side}, NULL, S_PANEL);
    for (int r = 0; r < qr->width; r++)
        for (int c = 0; c < qr->width;) {
            if (!(qr->data[r * qr->width + c] & 1)) {
                c++;
                continue;
            }
            int c0 = c;
            while (c < qr->width && (qr->data[r * qr->width + c] & 1)) c++;
            view_add(v, W_PANEL, (rect_t){x + (c0 + 4) * mod, y + (r + 4) * mod, (c - c0) * mod, mod}, NULL, S_PRIMARY);
        }
    QRcode_free(qr);
}

static void build_offers(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), gap = U(v, 24), bh = layout_button_h(v), ih = bh * 5 / 4;
    int y = title(ui, v, layout_top(ui, v), N_("Afspraak maken"));
    y = message(ui, v, y);
    size_t n = json_array_size(S.offers);
    if (S.from_menu) {
        view_button(v, (rect_t){m, y, v->w - 2 * m, bh}, T(ui, "Ik heb al een afspraak"), S_SECONDARY, A_LOOKUP, 0);
        y += bh + gap;
    }
    if (n == 0 && !S.msg) {
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 200)},
                  T(ui, "Er is geen afspraak die nu bij u past. Een medewerker neemt contact met u op."), U(v, 44),
                  false, S_BODY, AL_LEFT);
    } else if (n > 0 && S.from_menu) {
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 80)}, T(ui, "Waarvoor wilt u een afspraak?"), U(v, 44), false,
                  S_BODY, AL_LEFT);
        y += U(v, 100);
    }
    int nav_top = v->h - m - bh;
    size_t from = 0;
    if (!S.from_menu && n > 0 && S.page == 0) {
        /* After the questions: one service is what fits best; say so in plain words and make it
         * the main button. The others follow, under their own heading. */
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 80)}, T(ui, "Dit raden we u aan:"), U(v, 46), true, S_BODY, AL_LEFT);
        y += U(v, 90);
        const json_t *o = json_array_get(S.offers, 0);
        const char *svc = json_string_value(json_object_get(o, "service"));
        const char *loc = json_string_value(json_array_get(json_object_get(o, "locations"), 0));
        widget_t *b = view_button(v, (rect_t){m, y, v->w - 2 * m, ih}, service_name(ui, svc), S_PRIMARY, A_OFFER, 0);
        b->sub = json_is_true(json_object_get(o, "urgent")) ? view_fmt(v, "%s - %s", location_name(loc), T(ui, "zo snel mogelijk"))
                                                            : view_str(v, location_name(loc));
        y += ih + gap;
        from = 1;
        if (n > 1) {
            view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 80)}, T(ui, "Andere mogelijkheden"), U(v, 44), true, S_MUTED, AL_LEFT);
            y += U(v, 90);
        }
    }
    /* As many as fit; the rest on the next page. */
    int per = (nav_top - gap - y) / (ih + gap);
    if (per < 1) per = 1;
    size_t first = S.from_menu ? (size_t)S.page * (size_t)per : (S.page == 0 ? from : 1 + (size_t)(S.page - 1) * (size_t)per + (size_t)S.first_per);
    if (!S.from_menu && S.page == 0) S.first_per = per;
    for (size_t i = first; i < n && i < first + (size_t)per; i++) {
        const json_t *o = json_array_get(S.offers, i);
        const char *svc = json_string_value(json_object_get(o, "service"));
        const char *loc = json_string_value(json_array_get(json_object_get(o, "locations"), 0));
        bool urgent = json_is_true(json_object_get(o, "urgent"));
        widget_t *b = view_button(v, (rect_t){m, y, v->w - 2 * m, ih}, service_name(ui, svc),
                                  urgent && S.from_menu ? S_PRIMARY : S_OPTION, A_OFFER, (int)i);
        b->sub = urgent ? view_fmt(v, "%s - %s", location_name(loc), T(ui, "zo snel mogelijk"))
                        : view_str(v, location_name(loc));
        y += ih + gap;
    }
    bool more = first + (size_t)per < n;
    layout_nav(ui, v, N_("Terug"), S.page > 0 ? A_PREV : A_BACK, NULL, 0, more ? N_("Meer") : NULL, A_NEXT);
}

static void build_days(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), gap = U(v, 24), bh = layout_button_h(v);
    int y = title(ui, v, layout_top(ui, v), N_("Kies een dag"));
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 70)}, service_name(ui, S.service), U(v, 40), true, S_BODY, AL_LEFT);
    y += U(v, 80);
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 70)}, location_name(S.location), U(v, 40), false, S_BODY, AL_LEFT);
    y = message(ui, v, y + U(v, 90));
    if (S.ndays == 0)
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 200)},
                  T(ui, "Er zijn de komende tijd geen vrije dagen. Vraag een medewerker om hulp."), U(v, 44), false,
                  S_BODY, AL_LEFT);
    int cw = (v->w - 2 * m - gap) / 2;
    for (size_t i = 0; i < S.ndays; i++) {
        int col = (int)(i % 2), row = (int)(i / 2);
        view_button(v, (rect_t){m + col * (cw + gap), y + row * (bh + gap), cw, bh}, day_words(ui, v, S.days[i]),
                    S_OPTION, A_DAY, (int)i);
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, NULL, 0);
}

static void build_times(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), gap = U(v, 24), bh = layout_button_h(v);
    int y = title(ui, v, layout_top(ui, v), N_("Kies een tijd"));
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 70)}, day_words(ui, v, S.day), U(v, 44), true, S_BODY, AL_LEFT);
    y = message(ui, v, y + U(v, 90));
    int cw = (v->w - 2 * m - 2 * gap) / 3;
    size_t first = (size_t)S.page * TIMES_PER_PAGE;
    for (size_t i = first; i < S.nslots && i < first + TIMES_PER_PAGE; i++) {
        int k = (int)(i - first), col = k % 3, row = k / 3;
        bool full = S.slots[i].used >= S.slots[i].capacity;
        widget_t *b = view_button(v, (rect_t){m + col * (cw + gap), y + row * (bh + gap), cw, bh},
                                  view_fmt(v, "%s", S.slots[i].start + 11), full ? S_DISABLED : S_OPTION,
                                  full ? A_NONE : A_TIME, (int)i);
        if (full) {
            b->sub = view_str(v, T(ui, "vol"));
        } else if (S.slots[i].capacity > 1) {
            /* A group session: how many seats are left helps people pick a quiet one. */
            char n[16], line[64];
            snprintf(n, sizeof n, "%d", S.slots[i].capacity - S.slots[i].used);
            ui_subst(line, sizeof line, T(ui, "nog %s plaatsen"), n);
            b->sub = view_str(v, line);
        }
    }
    bool more = first + TIMES_PER_PAGE < S.nslots;
    layout_nav(ui, v, N_("Terug"), S.page > 0 ? A_PREV : A_BACK, NULL, 0, more ? N_("Meer tijden") : NULL, A_NEXT);
}

/* Service, day, time, place and address: the facts of the slip, for confirm and slip steps. */
static int facts(ui_t *ui, view_t *v, int y, const char *service, const char *loc, const char *start,
                 const char *end)
{
    int m = layout_margin(v), line = U(v, 64);
    const char *rows[4] = {service_name(ui, service), view_fmt(v, "%s, %s - %s", day_words(ui, v, view_fmt(v, "%.10s", start)), start + 11, end),
                           location_name(loc), address(v, loc)};
    for (int i = 0; i < 4; i++) {
        view_text(v, (rect_t){m, y, v->w - 2 * m, line}, rows[i], U(v, 42), i == 0, S_BODY, AL_LEFT);
        y += line;
    }
    return y + U(v, 20);
}

static void build_confirm(ui_t *ui, view_t *v)
{
    int y = title(ui, v, layout_top(ui, v), N_("Klopt dit?"));
    const char *end = "";
    for (size_t i = 0; i < S.nslots; i++)
        if (strcmp(S.slots[i].start, S.start) == 0) end = view_str(v, S.slots[i].end);
    y = facts(ui, v, y, S.service, S.location, S.start, end);
    message(ui, v, y);
    layout_nav(ui, v, N_("Terug"), A_BACK, N_("Stoppen"), A_STOP, N_("Afspraak maken"), A_BOOK);
}

static void build_slip(ui_t *ui, view_t *v)
{
    int m = layout_margin(v);
    int y = layout_top(ui, v);
    if (S.viewing) {
        y = title(ui, v, y, N_("Uw afspraak"));
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 120)}, T(ui, "Maak een foto of schrijf de code op."), U(v, 48),
                  true, S_BODY, AL_LEFT);
        y += U(v, 130);
    } else if (S.printed) y = title(ui, v, y, N_("Uw afspraak is gemaakt. Pak uw bon uit de printer."));
    else if (S.no_printer) {
        y = title(ui, v, y, N_("Uw afspraak is gemaakt."));
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 120)}, T(ui, "Maak een foto van dit scherm of schrijf de code op."),
                  U(v, 46), true, S_BODY, AL_LEFT);
        y += U(v, 130);
    } else {
        y = title(ui, v, y, N_("Uw afspraak is gemaakt."));
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 120)},
                  T(ui, "De printer werkt nu niet. Maak een foto of schrijf de code op."), U(v, 48), true, S_ERROR,
                  AL_LEFT);
        y += U(v, 130);
    }
    y = facts(ui, v, y, S.appt.service, S.appt.location, S.appt.start, S.appt.end);
    /* What the printed slip says too: what to bring and how to change the appointment. */
    char bring[600] = "";
    size_t k;
    const json_t *it;
    json_array_foreach(json_object_get(wl_catalog_service(catalog, S.appt.service), "meenemen"), k, it) {
        const char *t = wl_catalog_text(it, lang_code(ui));
        size_t l = strlen(bring);
        if (t) snprintf(bring + l, sizeof bring - l, "%s%s", l ? "; " : "", t);
    }
    if (bring[0]) {
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)}, view_fmt(v, "%s: %s", T(ui, "Neem mee"), bring), U(v, 38),
                  false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 120);
    }
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)},
              T(ui, "Wilt u de afspraak verzetten of afzeggen? Kies hier op de zuil \"Afspraak maken of bekijken\" en typ "
                    "uw code. Of vraag het aan de balie."),
              U(v, 36), false, S_MUTED, AL_LEFT)->top = true;
    y += U(v, 120);
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 60)}, T(ui, "Uw code"), U(v, 40), false, S_BODY, AL_LEFT);
    y += U(v, 60);
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)}, S.appt.ref, U(v, 96), true, S_TITLE, AL_CENTER);
    y += U(v, 130);
    int top = layout_nav(ui, v, S.viewing ? N_("Terug") : NULL, A_BACK, NULL, 0, N_("Klaar"), A_DONE);
    int size = top - y - U(v, 30);
    if (size > U(v, 520)) size = U(v, 520);
    if (size > 0) qr_widgets(v, S.appt.ref, (v->w - size) / 2, y, size);
}

static const char KEYS[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; /* Crockford base32: what a code holds */

static void build_lookup(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), gap = U(v, 16);
    int y = title(ui, v, layout_top(ui, v), N_("Afspraak opzoeken"));
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)},
              T(ui, "Typ de code van uw bon. Of houd de QR-code voor de scanner."), U(v, 42), false, S_BODY, AL_LEFT);
    y += U(v, 120);
    view_add(v, W_FIELD, (rect_t){m, y, v->w - 2 * m, U(v, 130)}, view_str(v, S.typed), S_FIELD)->size = U(v, 64);
    y = message(ui, v, y + U(v, 150));
    int cols = 8, kw = (v->w - 2 * m - (cols - 1) * gap) / cols, kh = U(v, 110) < v->touch ? v->touch : U(v, 110);
    for (int i = 0; KEYS[i]; i++) {
        char k[2] = {KEYS[i], 0};
        view_button(v, (rect_t){m + (i % cols) * (kw + gap), y + (i / cols) * (kh + gap), kw, kh}, view_str(v, k), S_KEY,
                    A_CHAR, KEYS[i]);
    }
    y += 4 * (kh + gap);
    view_button(v, (rect_t){m, y, 3 * kw + 2 * gap, kh}, T(ui, "Wissen"), S_KEY, A_BKSP, 0);
    layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, N_("Zoeken"), A_SEARCH);
}

static void build_found(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), gap = U(v, 28), bh = layout_button_h(v);
    int y = title(ui, v, layout_top(ui, v), N_("Uw afspraak"));
    y = facts(ui, v, y, S.appt.service, S.appt.location, S.appt.start, S.appt.end);
    bool cancelled = strcmp(S.appt.status, "cancelled") == 0;
    if (cancelled)
        view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 80)}, T(ui, "Deze afspraak is afgezegd."), U(v, 46), true,
                  S_ERROR, AL_LEFT);
    else
        y = message(ui, v, y);
    y += U(v, 100);
    if (!cancelled) {
        /* Showing the code is what most people come for; cancelling sits apart, below it, and
         * asks first. */
        int cw = v->w - 2 * m;
        view_button(v, (rect_t){m, y, cw, bh}, T(ui, "Code en QR tonen"), S_OPTION, A_SHOW, 0);
        view_button(v, (rect_t){m, y + bh + 2 * gap, cw / 2, bh}, T(ui, "Afspraak afzeggen"), S_SECONDARY, A_CANCEL, 0);
    }
    layout_nav(ui, v, N_("Terug"), A_BACK, NULL, 0, N_("Klaar"), A_DONE);
}

/* While the server is asked: no buttons to tap twice, and a word that something is happening. */
static void build_wait(ui_t *ui, view_t *v)
{
    int m = layout_margin(v);
    int y = title(ui, v, layout_top(ui, v), N_("Even geduld"));
    view_text(v, (rect_t){m, y, v->w - 2 * m, U(v, 110)}, T(ui, "We kijken in de afsprakenlijst."), U(v, 46), false,
              S_BODY, AL_LEFT);
}

/* The server cannot be reached: no appointment was made; call, and name the code. */
static void build_offline(ui_t *ui, view_t *v)
{
    int m = layout_margin(v), w = v->w - 2 * m;
    int y = title(ui, v, layout_top(ui, v), N_("De afsprakenlijst is nu niet te bereiken."));
    if (S.failed_op == OP_HOLD || S.failed_op == OP_BOOK || S.failed_op == OP_SLOTS) {
        view_text(v, (rect_t){m, y, w, U(v, 80)}, T(ui, "Er is geen afspraak gemaakt."), U(v, 46), true, S_BODY, AL_LEFT);
        y += U(v, 100);
    }
    const char *phone = wl_catalog_location_phone(catalog, S.location[0] ? S.location : ui->cfg->location);
    char line[UI_MSG];
    if (S.failed_op == OP_SEARCH || S.failed_op == OP_CANCEL) {
        /* Looking up or cancelling an appointment the citizen already has. */
        ui_subst(line, sizeof line, T(ui, "Bel ons op %s over uw afspraak."), phone);
        view_text(v, (rect_t){m, y, w, U(v, 130)}, view_str(v, line), U(v, 46), false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 140);
    } else if (ui->ref[0]) {
        ui_subst(line, sizeof line, T(ui, "Bel ons op %s. Noem dan deze code:"), phone);
        view_text(v, (rect_t){m, y, w, U(v, 130)}, view_str(v, line), U(v, 46), false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 140);
        view_text(v, (rect_t){m, y, w, U(v, 110)}, view_str(v, ui->ref), U(v, 96), true, S_TITLE, AL_CENTER);
        y += U(v, 130);
        view_text(v, (rect_t){m, y, w, U(v, 110)}, T(ui, "Maak een foto of schrijf de code op."), U(v, 42), false,
                  S_BODY, AL_LEFT)->top = true;
        y += U(v, 120);
    } else {
        ui_subst(line, sizeof line, T(ui, "Bel ons op %s. Dan maken we samen een afspraak."), phone);
        view_text(v, (rect_t){m, y, w, U(v, 130)}, view_str(v, line), U(v, 46), false, S_BODY, AL_LEFT)->top = true;
        y += U(v, 140);
    }
    view_text(v, (rect_t){m, y, w, U(v, 110)}, T(ui, "Of probeer het over een paar minuten nog eens."), U(v, 42), false,
              S_MUTED, AL_LEFT)->top = true;
    layout_nav(ui, v, N_("Terug"), A_BACK, N_("Opnieuw proberen"), A_RETRY, N_("Klaar"), A_DONE);
}

static void appointments_build(ui_t *ui, view_t *v)
{
    if (S.op != OP_NONE) {
        build_wait(ui, v);
        return;
    }
    switch (S.step) {
    case ST_OFFLINE: build_offline(ui, v); break;
    case ST_OFFERS: build_offers(ui, v); break;
    case ST_DAY: build_days(ui, v); break;
    case ST_TIME: build_times(ui, v); break;
    case ST_CONFIRM: build_confirm(ui, v); break;
    case ST_SLIP: build_slip(ui, v); break;
    case ST_LOOKUP: build_lookup(ui, v); break;
    case ST_FOUND: build_found(ui, v); break;
    }
}

/* ---- taps and typing ---------------------------------------------------------------------- */
static void finish(ui_t *ui)
{
    char vol[64];
    snprintf(vol, sizeof vol, "%s", ui->volunteer);
    ui_session_wipe(ui); /* also calls screen_appointments_wipe once plugged in */
    screen_appointments_wipe();
    snprintf(ui->volunteer, sizeof ui->volunteer, "%s", vol);
}

static void back(ui_t *ui)
{
    switch (S.step) {
    case ST_OFFERS: ui_go(ui, S.back_to); break;
    case ST_LOOKUP:
        if (S.from_lookup) ui_go(ui, S.back_to);
        else go(ST_OFFERS);
        break;
    case ST_DAY: go(ST_OFFERS); break;
    case ST_TIME: go(ST_DAY); break;
    case ST_CONFIRM:
        if (S.hold[0]) run(ui, OP_UNHOLD); /* the seat goes back at once, and the times are fresh */
        else go(ST_TIME);
        break;
    case ST_FOUND: go(ST_LOOKUP); break;
    case ST_SLIP: go(S.viewing ? ST_FOUND : ST_OFFERS); break;
    case ST_OFFLINE:
        go(S.offline_from == ST_LOOKUP || S.offline_from == ST_FOUND ? S.offline_from : ST_OFFERS);
        break;
    }
}

static void cancel_booking(ui_t *ui)
{
    wl_err_t err = {{0}};
    wl_rc rc = prov->cancel(prov->ctx, S.appt.ref, ui_unix_now(ui), &err);
    if (rc == WL_ERR_IO && prov->remote) {
        offline(OP_CANCEL, err.msg);
    } else if (rc != WL_OK) {
        fprintf(stderr, "wijkloket: cancel: %s\n", err.msg);
        S.msg = N_("Dit lukt nu niet. Vraag een medewerker om hulp.");
    } else if (prov->get(prov->ctx, S.appt.ref, &S.appt, &err) != WL_OK) {
        snprintf(S.appt.status, sizeof S.appt.status, "cancelled"); /* it is; only the re-read failed */
    }
}

static void do_op(ui_t *ui, op_t op)
{
    switch (op) {
    case OP_NONE: break;
    case OP_SLOTS:
        go(ST_TIME);
        load_slots(ui);
        break;
    case OP_HOLD: hold(ui); break;
    case OP_BOOK: book(ui); break;
    case OP_UNHOLD:
        release_hold();
        go(ST_TIME);
        load_slots(ui);
        break;
    case OP_SEARCH: search(); break;
    case OP_CANCEL: cancel_booking(ui); break;
    }
}

/* With the server the work waits for the next tick, after the "Even geduld" frame. */
static void run(ui_t *ui, op_t op)
{
    if (prov && prov->remote) S.op = op;
    else do_op(ui, op);
}

bool screen_appointments_busy(void) { return S.op != OP_NONE; }

void screen_appointments_tick(ui_t *ui)
{
    op_t op = S.op;
    S.op = OP_NONE;
    do_op(ui, op);
}

static void add_char(char c)
{
    size_t n = strlen(S.typed);
    if (n + 1 < sizeof S.typed) {
        S.typed[n] = c;
        S.typed[n + 1] = '\0';
    }
    S.msg = NULL;
}

static void appointments_act(ui_t *ui, const widget_t *w)
{
    if (S.op != OP_NONE) return; /* the server is being asked */
    switch (w->action) {
    case A_BACK: back(ui); break;
    case A_PREV: S.page--; break;
    case A_NEXT: S.page++; break;
    case A_OFFER: {
        const json_t *o = json_array_get(S.offers, (size_t)w->arg);
        if (!o) break;
        S.offer = w->arg;
        snprintf(S.service, sizeof S.service, "%s", json_string_value(json_object_get(o, "service")));
        snprintf(S.location, sizeof S.location, "%s",
                 json_string_value(json_array_get(json_object_get(o, "locations"), 0)));
        load_days(ui);
        go(ST_DAY);
        break;
    }
    case A_DAY:
        if ((size_t)w->arg >= S.ndays) break;
        memcpy(S.day, S.days[w->arg], sizeof S.day);
        run(ui, OP_SLOTS);
        break;
    case A_TIME:
        if ((size_t)w->arg >= S.nslots) break;
        memcpy(S.start, S.slots[w->arg].start, sizeof S.start);
        run(ui, OP_HOLD);
        break;
    case A_BOOK: run(ui, OP_BOOK); break;
    case A_RETRY: run(ui, S.failed_op); break;
    case A_STOP:
        /* Stoppen asks first; "Ja, stoppen" wipes the session, which gives the held seat back. */
        ui->stop_return = SCR_APPOINTMENTS;
        ui_go(ui, SCR_STOP);
        break;
    case A_DONE: finish(ui); break;
    case A_CHAR: add_char((char)w->arg); break;
    case A_BKSP: {
        size_t n = strlen(S.typed);
        if (n) S.typed[n - 1] = '\0';
        S.msg = NULL;
        break;
    }
    case A_SEARCH: run(ui, OP_SEARCH); break;
    case A_CANCEL: {
        /* Cancelling cannot be undone at the kiosk: ask first. */
        if (!ui_confirm(ui, w, N_("Wilt u deze afspraak afzeggen?"),
                        N_("De afspraak vervalt. Wilt u later toch komen? Dan maakt u een nieuwe afspraak."),
                        N_("Ja, afzeggen")))
            break;
        run(ui, OP_CANCEL);
        break;
    }
    case A_SHOW:
        S.viewing = true;
        go(ST_SLIP);
        break;
    case A_LOOKUP:
        S.typed[0] = '\0';
        go(ST_LOOKUP);
        break;
    }
}

/* A QR scanner types the code and presses Enter, like a keyboard. */
static void appointments_input(ui_t *ui, const ui_event_t *ev)
{
    if (S.step != ST_LOOKUP || S.op != OP_NONE) return;
    if (ev->type == UI_EV_TEXT) {
        for (const char *p = ev->text; *p; p++)
            if (*p != '\r' && *p != '\n') add_char(*p);
    } else if (ev->type == UI_EV_KEY && ev->key == UI_KEY_RETURN) {
        run(ui, OP_SEARCH);
    } else if (ev->type == UI_EV_KEY && ev->key == UI_KEY_BACKSPACE) {
        size_t n = strlen(S.typed);
        if (n) S.typed[n - 1] = '\0';
    }
}

const screen_t SCREEN_APPOINTMENTS = {"appointments", appointments_build, appointments_act, appointments_input, true, screen_appointments_wipe, screen_appointments_shutdown};
