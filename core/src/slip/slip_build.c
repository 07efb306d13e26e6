/* Builds the slip's layout model from a booking: worded in the citizen's language and in Dutch. */
#include "wijkloket/slip.h"
#include "wijkloket/dates.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The slip's own labels. Dutch is B1 and uses "u"; add a language by adding a column here
 * and its texts in services.json. */
typedef struct {
    const char *lang;
    const char *title, *date, *time, *place, *address, *code, *bring, *change_head, *change_fmt;
    const char *weekdays[7];
    const char *months[12];
} labels_t;

static const labels_t LABELS[] = {
    {"nl", "Uw afspraak", "Datum", "Tijd", "Plaats", "Adres", "Uw code", "Neem mee:",
     "Afspraak wijzigen of afzeggen?",
     "Typ uw code bij de kiosk. Of bel %s en noem uw code. Kunt u niet komen? Zeg het af, dan kan iemand anders komen.",
     {"maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"},
     {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
      "november", "december"}},
    {"en", "Your appointment", "Date", "Time", "Place", "Address", "Your code", "Please bring:",
     "Change or cancel?",
     "Type your code at the kiosk. Or call %s and give your code. Cannot come? Please cancel, so someone else can come.",
     {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"},
     {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
      "November", "December"}},
};

static const labels_t *labels_for(const char *lang)
{
    for (size_t i = 0; i < sizeof LABELS / sizeof LABELS[0]; i++)
        if (lang && strcmp(LABELS[i].lang, lang) == 0) return &LABELS[i];
    return NULL;
}

bool wl_slip_language_supported(const char *lang)
{
    return labels_for(lang) != NULL;
}

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

/* One language's part: everything a citizen needs, in that language. */
static void part(wl_slip_t *s, const labels_t *L, const wl_catalog_t *c, const json_t *svc, const json_t *loc,
                 const wl_appointment_t *a, bool with_code)
{
    int y = 0, m = 1, d = 1;
    char date[11];
    memcpy(date, a->start, 10);
    date[10] = '\0';
    wl_date_parse(date, &y, &m, &d);
    int wd = wl_weekday(wl_days_from_civil(y, m, d));
    const json_t *adr = json_object_get(loc, "adres");
    const char *street = json_string_value(json_object_get(adr, "straat"));
    const char *postcode = json_string_value(json_object_get(adr, "postcode"));
    const char *city = json_string_value(json_object_get(adr, "plaats"));

    add(s, WL_SLIP_TITLE, "%s", L->title);
    add(s, WL_SLIP_HEADING, "%s", wl_catalog_text(json_object_get(svc, "naam"), L->lang));
    add(s, WL_SLIP_TEXT, "%s: %s %d %s %d", L->date, L->weekdays[wd], d, L->months[m - 1], y);
    add(s, WL_SLIP_TEXT, "%s: %s - %s", L->time, a->start + 11, a->end);
    add(s, WL_SLIP_TEXT, "%s: %s", L->place, json_string_value(json_object_get(loc, "naam")));
    add(s, WL_SLIP_TEXT, "%s: %s, %s%s%s", L->address, street ? street : "", postcode && *postcode ? postcode : "",
        postcode && *postcode ? " " : "", city ? city : "");
    if (with_code) {
        add(s, WL_SLIP_SMALL, "%s", L->code);
        add(s, WL_SLIP_REF, "%s", a->ref);
        add(s, WL_SLIP_QR, "%s", a->ref);
    }
    add(s, WL_SLIP_HEADING, "%s", L->bring);
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(svc, "meenemen"), i, item) {
        add(s, WL_SLIP_BULLET, "%s", wl_catalog_text(item, L->lang));
    }
    add(s, WL_SLIP_HEADING, "%s", L->change_head);
    add(s, WL_SLIP_SMALL, L->change_fmt, wl_catalog_phone(c));
}

wl_rc wl_slip_build(const wl_catalog_t *c, const wl_appointment_t *a, const char *lang, wl_slip_t *out,
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
    if (!lang || !*lang) lang = a->language;
    const labels_t *first = labels_for(lang);
    if (!first) first = labels_for("en"); /* better a widely read language than none */
    snprintf(out->ref, sizeof out->ref, "%s", a->ref);
    snprintf(out->lang, sizeof out->lang, "%s", first->lang);
    part(out, first, c, svc, loc, a, true);
    if (strcmp(first->lang, "nl") != 0) {
        /* Dutch too: the staff at the desk read the slip as well. */
        add(out, WL_SLIP_RULE, "%s", "");
        part(out, labels_for("nl"), c, svc, loc, a, false);
    }
    return WL_OK;
}
