/* Appointments on the web: the services that fit the result, free times, booking and the slip. */
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_pages.h"
#include "wijkloket/slip.h"

#define MAX_DAYS 5

static bool need_result(rq_t *r)
{
    if (r->s->submitted && r->s->result) return true;
    redirect(r, r->s->intake ? "/overzicht" : "/");
    return false;
}

static const char *loc_name(const wl_catalog_t *c, const char *id)
{
    const char *n = json_string_value(json_object_get(wl_catalog_location(c, id), "naam"));
    return n ? n : id;
}

static void day_words(rq_t *r, const char *date, char *out, size_t size)
{
    wl_i18n_date(r->p->i18n[r->lang], date, true, false, out, size);
}

/* The offer for this result: a new array (caller decrefs) or NULL. */
static json_t *offer(rq_t *r)
{
    json_t *out = NULL;
    wl_err_t err = {{0}};
    if (wl_appointments_offer(r->p->catalog, r->s->result, NULL, &out, &err) != WL_OK) return NULL;
    return out;
}

static const char *jstr(const json_t *j)
{
    const char *v = json_string_value(j);
    return v ? v : "";
}

static bool offered(const json_t *off, const char *svc, const char *loc)
{
    size_t i, k;
    json_t *o, *l;
    json_array_foreach(off, i, o) {
        if (strcmp(jstr(json_object_get(o, "service")), svc)) continue;
        json_array_foreach(json_object_get(o, "locations"), k, l) if (!strcmp(jstr(l), loc)) return true;
    }
    return false;
}

static void booking_page(rq_t *r, const char *error)
{
    const wl_catalog_t *c = r->p->catalog;
    json_t *off = offer(r);
    buf_t b = {0};
    page_begin(r, &b, T(r, "Afspraak maken"), error != NULL);
    if (error) error_summary(r, &b, error, "f-dienst");
    if (!json_array_size(off)) {
        buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
        buf_esc(&b, T(r, "Afspraak maken"));
        buf_puts(&b, "</h1><p class=\"utrecht-paragraph\">");
        buf_esc(&b, T(r, "Er is nu geen afspraak die u zelf kunt maken. Een medewerker neemt contact met u op."));
        buf_puts(&b, "</p>");
    } else {
        buf_puts(&b, "<form method=\"post\" action=\"/afspraak\" novalidate>");
        csrf_field(r, &b);
        buf_printf(&b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset%s\"%s>"
                       "<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend\"><h1 class=\"utrecht-heading-1 wl-question\">",
                   error ? " utrecht-form-fieldset--invalid" : "", error ? " aria-describedby=\"e-dienst\"" : "");
        buf_esc(&b, T(r, "Waarvoor wilt u een afspraak?"));
        buf_puts(&b, "</h1></legend>");
        if (error) {
            buf_puts(&b, "<p id=\"e-dienst\" class=\"utrecht-form-field-error-message wl-error\">");
            buf_esc(&b, error);
            buf_puts(&b, "</p>");
        }
        buf_puts(&b, "<div class=\"wl-options\">");
        size_t i, k, n = 0;
        json_t *o, *l;
        json_array_foreach(off, i, o) {
            const char *svc = json_string_value(json_object_get(o, "service"));
            const json_t *sj = wl_catalog_service(c, svc);
            if (!sj) continue;
            json_array_foreach(json_object_get(o, "locations"), k, l) {
                if (k >= 3) break;
                const char *loc = json_string_value(l);
                char id[32];
                if (n == 0) snprintf(id, sizeof id, "f-dienst");
                else snprintf(id, sizeof id, "f-dienst-%zu", n);
                n++;
                buf_printf(&b, "<div class=\"wl-option wl-option--card\"><input class=\"utrecht-radio-button utrecht-radio-button--html-input\" type=\"radio\" name=\"keuze\" id=\"%s\" value=\"", id);
                buf_esc(&b, svc);
                buf_puts(&b, "|");
                buf_esc(&b, loc);
                buf_printf(&b, "\"><label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"%s\"><strong>", id);
                buf_esc(&b, wl_catalog_text(json_object_get(sj, "naam"), r->p->langs[r->lang]));
                buf_puts(&b, "</strong><span class=\"wl-option__sub\">");
                buf_esc(&b, loc_name(c, loc));
                buf_puts(&b, "</span><span class=\"wl-option__sub\">");
                buf_esc(&b, wl_catalog_text(json_object_get(sj, "omschrijving"), r->p->langs[r->lang]));
                buf_puts(&b, "</span></label></div>");
            }
        }
        buf_puts(&b, "</div></fieldset><div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
        buf_esc(&b, T(r, "Volgende"));
        buf_puts(&b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/uitslag\">");
        buf_esc(&b, T(r, "Terug"));
        buf_puts(&b, "</a></div></form>");
    }
    json_decref(off);
    page_end(r, &b);
    page_send(r, error ? 400 : 200, &b);
}

void pages_booking(rq_t *r)
{
    if (!need_result(r)) return;
    if (r->s->booked) return redirect(r, "/afspraak/bon");
    hold_drop(r->p, r->s, r->req->now);
    booking_page(r, NULL);
}

void pages_booking_post(rq_t *r)
{
    if (!need_result(r)) return;
    if (r->s->booked) return redirect(r, "/afspraak/bon");
    const char *v = form_get(&r->form, "keuze");
    char tmp[160];
    snprintf(tmp, sizeof tmp, "%s", v ? v : "");
    char *bar = strchr(tmp, '|');
    json_t *off = offer(r);
    bool ok = bar && (*bar = 0, strlen(tmp) < sizeof r->s->service && strlen(bar + 1) < sizeof r->s->location) &&
              offered(off, tmp, bar + 1);
    json_decref(off);
    if (!ok) return booking_page(r, T(r, "Kies waarvoor u een afspraak wilt."));
    hold_drop(r->p, r->s, r->req->now);
    memcpy(r->s->service, tmp, strlen(tmp) + 1);
    memcpy(r->s->location, bar + 1, strlen(bar + 1) + 1);
    redirect(r, "/afspraak/tijd");
}

static void slots_page(rq_t *r, const char *error)
{
    wl_portal_t *p = r->p;
    session_t *s = r->s;
    char today[11], days[MAX_DAYS][11];
    size_t nd = 0;
    wl_err_t err = {{0}};
    wl_date_today(r->req->now, today);
    wl_appointments_days(p->catalog, s->service, s->location, today, r->req->now, MAX_DAYS, days, &nd, &err);
    buf_t b = {0};
    page_begin(r, &b, T(r, "Kies een tijd"), error != NULL);
    if (error) error_summary(r, &b, error, "f-tijd");
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Kies een tijd"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    const json_t *sj = wl_catalog_service(p->catalog, s->service);
    buf_esc(&b, wl_catalog_text(json_object_get(sj, "naam"), p->langs[r->lang]));
    buf_puts(&b, " · ");
    buf_esc(&b, loc_name(p->catalog, s->location));
    buf_puts(&b, "</p>");
    if (error) {
        buf_puts(&b, "<p id=\"e-tijd\" class=\"utrecht-form-field-error-message wl-error\">");
        buf_esc(&b, error);
        buf_puts(&b, "</p>");
    }
    buf_puts(&b, "<form method=\"post\" action=\"/afspraak/tijd\" novalidate>");
    csrf_field(r, &b);
    size_t shown = 0;
    for (size_t d = 0; d < nd; d++) {
        wl_slot_t *sl = NULL;
        size_t n = 0;
        if (p->cfg.backend.slots(p->cfg.backend.ctx, p->catalog, s->service, s->location, days[d], r->req->now, &sl, &n, &err) != WL_OK)
            continue;
        size_t free_n = 0;
        for (size_t i = 0; i < n; i++) free_n += sl[i].used < sl[i].capacity;
        if (free_n) {
            char words[64];
            day_words(r, days[d], words, sizeof words);
            buf_puts(&b, "<fieldset class=\"utrecht-form-fieldset utrecht-form-fieldset--html-fieldset wl-day\"><legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend wl-legend-small\">");
            buf_esc(&b, words);
            buf_puts(&b, "</legend><div class=\"wl-slots\">");
            for (size_t i = 0; i < n; i++) {
                if (sl[i].used >= sl[i].capacity) continue;
                char id[32];
                if (shown == 0) snprintf(id, sizeof id, "f-tijd");
                else snprintf(id, sizeof id, "f-tijd-%zu", shown);
                shown++;
                buf_printf(&b, "<div class=\"wl-option wl-option--slot\"><input class=\"utrecht-radio-button utrecht-radio-button--html-input\" type=\"radio\" name=\"tijd\" id=\"%s\" value=\"%s\">"
                               "<label class=\"utrecht-form-label utrecht-form-label--radio\" for=\"%s\">%.5s – %s</label></div>",
                           id, sl[i].start, id, sl[i].start + 11, sl[i].end);
            }
            buf_puts(&b, "</div></fieldset>");
        }
        free(sl);
    }
    if (!shown) {
        buf_puts(&b, "<p class=\"utrecht-paragraph\">");
        buf_esc(&b, T(r, "Er zijn de komende tijd geen vrije tijden. Bel 14 050, dan zoeken wij samen een moment."));
        buf_puts(&b, "</p>");
    }
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\">");
    if (shown) {
        buf_puts(&b, "<button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
        buf_esc(&b, T(r, "Afspraak maken"));
        buf_puts(&b, "</button>");
    }
    buf_puts(&b, "<a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/afspraak\">");
    buf_esc(&b, T(r, "Terug"));
    buf_puts(&b, "</a></div></form>");
    page_end(r, &b);
    page_send(r, error ? 400 : 200, &b);
}

void hold_drop(wl_portal_t *p, session_t *s, int64_t now)
{
    if (s->hold_id[0] && p->cfg.backend.hold_release) {
        wl_err_t err = {{0}};
        /* Already expired (or taken over by the booking) is WL_ERR_NOTFOUND: nothing to free. */
        wl_rc rc = p->cfg.backend.hold_release(p->cfg.backend.ctx, s->hold_id, now, &err);
        if (rc != WL_OK && rc != WL_ERR_NOTFOUND) fprintf(stderr, "wijkloket-portal: releasing a hold failed (%s)\n", wl_rc_name(rc));
    }
    explicit_bzero(s->hold_id, sizeof s->hold_id);
    explicit_bzero(s->hold_start, sizeof s->hold_start);
    s->hold_until = 0;
}

void pages_slots(rq_t *r)
{
    if (!need_result(r)) return;
    if (r->s->booked) return redirect(r, "/afspraak/bon");
    if (!r->s->service[0]) return redirect(r, "/afspraak");
    /* Choosing a time again: a seat held for an earlier choice goes back. */
    hold_drop(r->p, r->s, r->req->now);
    slots_page(r, NULL);
}

static wl_booking_request_t booking_request(rq_t *r, const char *start)
{
    session_t *s = r->s;
    /* "portal" in the kiosk column: the hold and the booking must name the same taker. */
    return (wl_booking_request_t){.service = s->service, .location = s->location, .start = start,
                                  .language = r->p->langs[r->lang], .intake_ref = s->ref, .kiosk = "portal"};
}

static void taken_page(rq_t *r)
{
    slots_page(r, T(r, "Deze tijd is net door iemand anders gekozen. Kies een andere tijd."));
    r->res->status = 409;
}

void pages_slots_post(rq_t *r)
{
    if (!need_result(r)) return;
    session_t *s = r->s;
    if (s->booked) return redirect(r, "/afspraak/bon");
    if (!s->service[0]) return redirect(r, "/afspraak");
    hold_drop(r->p, s, r->req->now);
    const char *start = form_get(&r->form, "tijd");
    if (!start || strlen(start) != WL_SLOT_START_BUFSZ - 1) return slots_page(r, T(r, "Kies een tijd."));
    const wl_portal_backend_t *be = &r->p->cfg.backend;
    wl_booking_request_t req = booking_request(r, start);
    if (be->hold) {
        /* The seat is taken from the shared capacity now, so it cannot go to someone else
         * while the citizen reads the confirmation page. */
        wl_err_t err = {{0}};
        int64_t until = 0;
        wl_rc rc = be->hold(be->ctx, r->p->catalog, &req, r->req->now, r->p->cfg.hold_seconds, s->hold_id, &until, &err);
        if (rc == WL_ERR_CONFLICT) return taken_page(r);
        if (rc == WL_ERR_INVALID || rc == WL_ERR_NOTFOUND) return slots_page(r, T(r, "Kies een tijd."));
        if (rc != WL_OK) {
            fprintf(stderr, "wijkloket-portal: holding a time failed (%s)\n", wl_rc_name(rc));
            return page_message(r, 503, T(r, "Afspraak maken lukte niet"),
                                T(r, "Probeer het over een paar minuten opnieuw, of bel 14 050."), "/afspraak/tijd", T(r, "Opnieuw proberen"));
        }
        s->hold_until = until;
    } else {
        wl_slot_t slot;
        int cap;
        wl_err_t err = {{0}};
        if (wl_appointments_check_start(r->p->catalog, s->service, s->location, start, r->req->now, &slot, &cap, &err) != WL_OK)
            return slots_page(r, T(r, "Kies een tijd."));
        s->hold_until = 0;
    }
    memcpy(s->hold_start, start, WL_SLOT_START_BUFSZ);
    redirect(r, "/afspraak/bevestigen");
}

void pages_confirm(rq_t *r)
{
    if (!need_result(r)) return;
    session_t *s = r->s;
    if (s->booked) return redirect(r, "/afspraak/bon");
    if (!s->hold_start[0]) return redirect(r, s->service[0] ? "/afspraak/tijd" : "/afspraak");
    wl_portal_t *p = r->p;
    buf_t b = {0};
    page_begin(r, &b, T(r, "Bevestig uw afspraak"), false);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Bevestig uw afspraak"));
    char day[11], when[96];
    snprintf(day, sizeof day, "%.10s", s->hold_start);
    day_words(r, day, when, sizeof when);
    snprintf(when + strlen(when), sizeof when - strlen(when), ", %.5s", s->hold_start + 11);
    const char *rows[3][2] = {
        {T(r, "Waarvoor"), wl_catalog_text(json_object_get(wl_catalog_service(p->catalog, s->service), "naam"), p->langs[r->lang])},
        {T(r, "Waar"), loc_name(p->catalog, s->location)},
        {T(r, "Wanneer"), when},
    };
    buf_puts(&b, "</h1><dl class=\"wl-summary__list\">");
    for (int i = 0; i < 3; i++) {
        buf_puts(&b, "<div class=\"wl-summary__row\"><dt class=\"wl-summary__q\">");
        buf_esc(&b, rows[i][0]);
        buf_puts(&b, "</dt><dd class=\"wl-summary__a\">");
        buf_esc(&b, rows[i][1] ? rows[i][1] : "");
        buf_puts(&b, "</dd></div>");
    }
    buf_puts(&b, "</dl>");
    if (s->hold_id[0]) {
        /* The clock time the seat goes back, in the server's local time like the session notice. */
        char hm[8], msg[320];
        time_t t = (time_t)s->hold_until;
        struct tm tm;
        localtime_r(&t, &tm);
        strftime(hm, sizeof hm, "%H:%M", &tm);
        subst(msg, sizeof msg, T(r, "Wij houden deze tijd voor u vast tot %s. Bevestig de afspraak voor die tijd. Daarna kan iemand anders deze tijd kiezen."), hm, NULL);
        buf_puts(&b, "<p class=\"utrecht-paragraph\">");
        buf_esc(&b, msg);
        buf_puts(&b, "</p>");
    }
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><form method=\"post\" action=\"/afspraak/bevestigen\">");
    csrf_field(r, &b);
    buf_puts(&b, "<button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Afspraak bevestigen"));
    buf_puts(&b, "</button></form><form method=\"post\" action=\"/afspraak/vrijgeven\">");
    csrf_field(r, &b);
    buf_puts(&b, "<button class=\"utrecht-button utrecht-button--secondary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Andere tijd kiezen"));
    buf_puts(&b, "</button></form></div>");
    page_end(r, &b);
    page_send(r, 200, &b);
}

void pages_release_post(rq_t *r)
{
    if (!need_result(r)) return;
    if (r->s->booked) return redirect(r, "/afspraak/bon");
    hold_drop(r->p, r->s, r->req->now);
    redirect(r, "/afspraak/tijd");
}

void pages_confirm_post(rq_t *r)
{
    if (!need_result(r)) return;
    session_t *s = r->s;
    if (s->booked) return redirect(r, "/afspraak/bon");
    if (!s->hold_start[0]) return redirect(r, s->service[0] ? "/afspraak/tijd" : "/afspraak");
    const wl_portal_backend_t *be = &r->p->cfg.backend;
    char start[WL_SLOT_START_BUFSZ];
    memcpy(start, s->hold_start, sizeof start);
    wl_booking_request_t req = booking_request(r, start);
    wl_err_t err = {{0}};
    wl_rc rc = be->book(be->ctx, r->p->catalog, &req, s->hold_id[0] ? s->hold_id : NULL, r->req->now, &s->appt, &err);
    if (rc == WL_ERR_STATE) {
        /* The hold ran out while the citizen read the page: the seat may still be free. */
        explicit_bzero(s->hold_id, sizeof s->hold_id);
        rc = be->book(be->ctx, r->p->catalog, &req, NULL, r->req->now, &s->appt, &err);
    }
    if (rc == WL_OK) {
        explicit_bzero(s->hold_id, sizeof s->hold_id); /* the held seat is the booking now */
        hold_drop(r->p, s, r->req->now);
        s->booked = true;
        return redirect(r, "/afspraak/bon");
    }
    hold_drop(r->p, s, r->req->now);
    if (rc == WL_ERR_CONFLICT) return taken_page(r);
    if (rc == WL_ERR_INVALID) return slots_page(r, T(r, "Kies een tijd."));
    fprintf(stderr, "wijkloket-portal: booking failed (%s)\n", wl_rc_name(rc));
    page_message(r, 503, T(r, "Afspraak maken lukte niet"), T(r, "Probeer het over een paar minuten opnieuw, of bel 14 050."),
                 "/afspraak/tijd", T(r, "Opnieuw proberen"));
}

void pages_slip(rq_t *r)
{
    if (!need_result(r)) return;
    session_t *s = r->s;
    if (!s->booked) return redirect(r, "/afspraak");
    wl_slip_t *slip = calloc(1, sizeof *slip);
    wl_err_t err = {{0}};
    if (!slip || wl_slip_build(r->p->catalog, &s->appt, r->p->i18n[r->lang], slip, &err) != WL_OK) {
        free(slip);
        return page_message(r, 500, T(r, "Er ging iets mis"), T(r, "Bel 14 050 en noem uw code."), "/uitslag", T(r, "Terug"));
    }
    buf_t b = {0};
    page_begin(r, &b, T(r, "Uw afspraak"), false);
    buf_puts(&b, "<div class=\"utrecht-alert utrecht-alert--ok wl-ok\" role=\"status\"><p class=\"utrecht-paragraph\">");
    buf_esc(&b, T(r, "Uw afspraak is gemaakt."));
    buf_puts(&b, "</p></div><article class=\"wl-slip\">");
    bool h1 = false, in_list = false;
    for (size_t i = 0; i < slip->n; i++) {
        const wl_slip_block_t *bl = &slip->blocks[i];
        if (in_list && bl->kind != WL_SLIP_BULLET) {
            buf_puts(&b, "</ul>");
            in_list = false;
        }
        switch (bl->kind) {
        case WL_SLIP_TITLE:
            buf_puts(&b, h1 ? "<h2 class=\"utrecht-heading-2\">" : "<h1 class=\"utrecht-heading-1\">");
            buf_esc(&b, bl->text);
            buf_puts(&b, h1 ? "</h2>" : "</h1>");
            h1 = true;
            break;
        case WL_SLIP_HEADING:
            buf_puts(&b, "<h3 class=\"utrecht-heading-3\">");
            buf_esc(&b, bl->text);
            buf_puts(&b, "</h3>");
            break;
        case WL_SLIP_BULLET:
            if (!in_list) buf_puts(&b, "<ul class=\"utrecht-unordered-list wl-list\">");
            in_list = true;
            buf_puts(&b, "<li>");
            buf_esc(&b, bl->text);
            buf_puts(&b, "</li>");
            break;
        case WL_SLIP_REF:
            buf_puts(&b, "<p class=\"wl-refbox__code\">");
            buf_esc(&b, bl->text);
            buf_puts(&b, "</p>");
            break;
        case WL_SLIP_QR: {
            char alt[128];
            subst(alt, sizeof alt, T(r, "QR-code met uw code %s"), s->appt.ref, NULL);
            buf_puts(&b, "<p><img class=\"wl-qr\" src=\"/afspraak/bon.png\" width=\"200\" height=\"200\" alt=\"");
            buf_esc(&b, alt);
            buf_puts(&b, "\"></p>");
            break;
        }
        case WL_SLIP_RULE: buf_puts(&b, "<hr class=\"utrecht-separator\">"); break;
        case WL_SLIP_SMALL:
            buf_puts(&b, "<p class=\"utrecht-paragraph wl-muted\">");
            buf_esc(&b, bl->text);
            buf_puts(&b, "</p>");
            break;
        default:
            buf_puts(&b, "<p class=\"utrecht-paragraph\">");
            buf_esc(&b, bl->text);
            buf_puts(&b, "</p>");
            break;
        }
    }
    if (in_list) buf_puts(&b, "</ul>");
    buf_puts(&b, "</article><div class=\"utrecht-button-group wl-actions wl-noprint\"><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action\" href=\"/afspraak/bon.pdf\">");
    buf_esc(&b, T(r, "Afspraakbon downloaden (PDF)"));
    buf_puts(&b, "</a><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/uitslag\">");
    buf_esc(&b, T(r, "Terug naar uw advies"));
    buf_puts(&b, "</a></div>");
    free(slip);
    page_end(r, &b);
    page_send(r, 200, &b);
}

/* The QR code alone as a PNG (8 px a module, 4 modules quiet zone), for the slip page. */
static wl_rc qr_png(const char *text, unsigned char **png, size_t *len, wl_err_t *err)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        wl_err_set(err, "QR encoding failed");
        return WL_ERR_NOMEM;
    }
    int scale = 8, quiet = 4, w = (qr->width + 2 * quiet) * scale;
    wl_raster_t ras = {w, w, malloc((size_t)w * (size_t)w)};
    if (!ras.px) {
        QRcode_free(qr);
        return WL_ERR_NOMEM;
    }
    memset(ras.px, 255, (size_t)w * (size_t)w);
    for (int y = 0; y < qr->width; y++)
        for (int x = 0; x < qr->width; x++)
            if (qr->data[y * qr->width + x] & 1)
                for (int dy = 0; dy < scale; dy++)
                    memset(ras.px + (size_t)((y + quiet) * scale + dy) * (size_t)w + (size_t)(x + quiet) * (size_t)scale, 0, (size_t)scale);
    QRcode_free(qr);
    wl_rc rc = wl_slip_png(&ras, png, len, err);
    wl_raster_free(&ras);
    return rc;
}

void pages_slip_file(rq_t *r, bool pdf)
{
    session_t *s = r->s;
    if (!s->submitted || !s->booked) return redirect(r, "/afspraak");
    unsigned char *out = NULL;
    size_t len = 0;
    wl_err_t err = {{0}};
    wl_rc rc;
    if (pdf) {
        wl_slip_t *slip = calloc(1, sizeof *slip);
        wl_raster_t ras = {0};
        rc = slip ? wl_slip_build(r->p->catalog, &s->appt, r->p->i18n[r->lang], slip, &err) : WL_ERR_NOMEM;
        if (rc == WL_OK) rc = wl_slip_render(slip, WL_SLIP_A6, NULL, &ras, &err);
        if (rc == WL_OK) rc = wl_slip_pdf(&ras, &out, &len, &err);
        wl_raster_free(&ras);
        free(slip);
    } else {
        rc = qr_png(s->appt.ref, &out, &len, &err);
    }
    if (rc != WL_OK) {
        free(out);
        fprintf(stderr, "wijkloket-portal: slip rendering failed (%s): %s\n", wl_rc_name(rc), err.msg);
        return page_message(r, 500, T(r, "Er ging iets mis"), T(r, "De afspraakbon kon niet gemaakt worden. Uw afspraak staat wel."),
                            "/afspraak/bon", T(r, "Terug"));
    }
    wl_http_response_set(r->res, 200, pdf ? "application/pdf" : "image/png", out, len);
    free(out);
    if (pdf) wl_http_response_header(r->res, "content-disposition", "attachment; filename=\"afspraak.pdf\"");
    wl_http_response_header(r->res, "cache-control", "no-store");
    wl_http_response_header(r->res, "x-content-type-options", "nosniff");
    wl_http_response_header(r->res, "content-security-policy", "default-src 'none'");
}
