/* Builds the slip's layout model from a booking: worded in the citizen's language and in Dutch. */
#include "wijkloket/slip.h"
#include "wijkloket/dates.h"
#include "wijkloket/i18n.h"
#include "wijkloket/msg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The slip's own labels are Dutch msgids, translated through the same catalogues as every
 * other citizen text (locale/<lang>.po); the weekday and month too (wl_i18n_date). */

static void add(wl_slip_t *s, wl_slip_kind_t kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void add(wl_slip_t *s, wl_slip_kind_t kind, const char *fmt, ...)
{
    /* The model is bounded; services.json's validation keeps lists far below the limit. */
    if (s->n >= WL_SLIP_MAX_BLOCKS) return;
    wl_slip_block_t *b = &s->blocks[s->n++];
    b->kind = kind;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b->text, sizeof b->text, fmt ? fmt : "", ap);
    va_end(ap);
}

/* One language's part (t NULL: Dutch): everything a citizen needs, in that language. */
static void part(wl_slip_t *s, const wl_i18n_t *t, const wl_catalog_t *c, const json_t *svc, const json_t *loc,
                 const wl_appointment_t *a, bool with_code)
{
    char date[11], line[320], words[96];
    memcpy(date, a->start, 10);
    date[10] = '\0';
    const char *lang = wl_i18n_lang(t);
    const json_t *adr = json_object_get(loc, "adres");
    const char *street = json_string_value(json_object_get(adr, "straat"));
    const char *postcode = json_string_value(json_object_get(adr, "postcode"));
    const char *city = json_string_value(json_object_get(adr, "plaats"));

    add(s, WL_SLIP_TITLE, "%s", wl_i18n_get(t, N_("Uw afspraak")));
    add(s, WL_SLIP_HEADING, "%s", wl_catalog_text(json_object_get(svc, "naam"), lang));
    add(s, WL_SLIP_TEXT, "%s: %s", wl_i18n_get(t, N_("Datum")), wl_i18n_date(t, date, true, true, words, sizeof words));
    add(s, WL_SLIP_TEXT, "%s: %s - %s", wl_i18n_get(t, N_("Tijd")), a->start + 11, a->end);
    add(s, WL_SLIP_TEXT, "%s: %s", wl_i18n_get(t, N_("Plaats")), json_string_value(json_object_get(loc, "naam")));
    add(s, WL_SLIP_TEXT, "%s: %s, %s%s%s", wl_i18n_get(t, N_("Adres")), street ? street : "",
        postcode && *postcode ? postcode : "", postcode && *postcode ? " " : "", city ? city : "");
    if (with_code) {
        add(s, WL_SLIP_SMALL, "%s", wl_i18n_get(t, N_("Uw code")));
        add(s, WL_SLIP_REF, "%s", a->ref);
        add(s, WL_SLIP_QR, "%s", a->ref);
    }
    add(s, WL_SLIP_HEADING, "%s", wl_i18n_get(t, N_("Neem mee:")));
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(svc, "meenemen"), i, item) {
        add(s, WL_SLIP_BULLET, "%s", wl_catalog_text(item, lang));
    }
    add(s, WL_SLIP_HEADING, "%s", wl_i18n_get(t, N_("Afspraak wijzigen of afzeggen?")));
    /* A translation is data, never a printf format: the phone number goes in through wl_msg. */
    const char *phone = wl_catalog_phone(c);
    wl_msg_fill(line, sizeof line,
                wl_i18n_get(t, N_("Typ uw code bij de kiosk. Of bel %1$s en noem uw code. Kunt u niet komen? "
                                  "Zeg het af, dan kan iemand anders komen.")),
                &phone, 1);
    add(s, WL_SLIP_SMALL, "%s", line);
}

wl_rc wl_slip_build(const wl_catalog_t *c, const wl_appointment_t *a, const wl_i18n_t *t, wl_slip_t *out,
                    wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    const json_t *svc = wl_catalog_service(c, a->service), *loc = wl_catalog_location(c, a->location);
    if (!svc || !loc) {
        wl_err_set(err, "slip for %s: unknown %s '%s' in the assets", a->ref, svc ? "location" : "service",
                   svc ? a->location : a->service);
        return WL_ERR_INVALID;
    }
    if (strlen(a->start) != 16) {
        wl_err_set(err, "slip for %s: start '%s' is not YYYY-MM-DDTHH:MM", a->ref, a->start);
        return WL_ERR_INVALID;
    }
    bool dutch = !strcmp(wl_i18n_lang(t), "nl");
    snprintf(out->ref, sizeof out->ref, "%s", a->ref);
    snprintf(out->lang, sizeof out->lang, "%s", wl_i18n_lang(t));
    part(out, dutch ? NULL : t, c, svc, loc, a, true);
    if (!dutch) {
        /* Dutch too: the staff at the desk read the slip as well. */
        add(out, WL_SLIP_RULE, "%s", "");
        part(out, NULL, c, svc, loc, a, false);
    }
    return WL_OK;
}

wl_rc wl_slip_catalogue(const char *locale_dir, const wl_appointment_t *a, const char *lang, wl_i18n_t **out,
                        wl_err_t *err)
{
    *out = NULL;
    if (!lang || !*lang) lang = a && a->language[0] ? a->language : "nl";
    if (!strcmp(lang, "nl")) return WL_OK;
    wl_err_t why = {{0}};
    if (wl_i18n_load(locale_dir, lang, out, &why) == WL_OK) return WL_OK;
    /* No catalogue for this language: better a widely read language than none. */
    return wl_i18n_load(locale_dir, "en", out, err);
}
