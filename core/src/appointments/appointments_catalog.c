/* Loads and validates assets/locations.json and assets/services.json into a catalogue. */
#include "appointments/appointments_internal.h"
#include "base/json_text.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/questionnaire.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const WEEKDAYS[7] = {"ma", "di", "wo", "do", "vr", "za", "zo"};
static const char *const ROUTES[3] = {"zelfdoener", "klantondersteuning", "participatie"};
static const char *const KINDS[3] = {"gemeente", "wij_team", "stip"};

/* What a validator needs to name the place of a problem. */
typedef struct {
    const char *path;
    char *text;          /* the file's text, for line numbers */
    const char *section; /* "locaties" or "diensten" */
    wl_err_t *err;
    char pathbuf[1024];
} ctx_t;

/* Best-effort line of `field` inside the item whose "id" is id (or of id itself). */
static int line_of(const ctx_t *x, const char *id, const char *field)
{
    if (!x->text) return 0;
    const char *p = x->text;
    char needle[200];
    if (id) {
        snprintf(needle, sizeof needle, "\"id\": \"%s\"", id);
        const char *q = wl_json_find(x->text, p, needle);
        if (q) p = q;
    }
    if (field) {
        snprintf(needle, sizeof needle, "\"%s\"", field);
        const char *q = wl_json_find(x->text, p, needle);
        if (q) p = q;
    }
    return wl_json_line_at(x->text, p);
}

__attribute__((format(printf, 4, 5))) static wl_rc fail(const ctx_t *x, const char *id,
                                                         const char *field, const char *fmt, ...)
{
    char what[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    wl_err_set(x->err, "%s:%d: %s[%s].%s: %s", x->path, line_of(x, id, field), x->section,
               id ? id : "?", field ? field : "", what);
    return WL_ERR_INVALID;
}

static bool is_id(const char *s)
{
    if (!s || !*s || strlen(s) > 63) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; s && i < n; i++)
        if (strcmp(s, list[i]) == 0) return true;
    return false;
}

static wl_rc check_closed(const ctx_t *x, const char *id, const json_t *closed)
{
    if (!json_is_array(closed)) return fail(x, id, "gesloten_dagen", "must be a list of {\"datum\", \"reden\"}");
    size_t i;
    const json_t *d;
    json_array_foreach(closed, i, d) {
        const char *date = json_string_value(json_object_get(d, "datum"));
        if (!wl_date_parse(date, NULL, NULL, NULL))
            return fail(x, id, "gesloten_dagen", "entry %zu: \"datum\" must be a date YYYY-MM-DD", i + 1);
        if (!json_is_string(json_object_get(d, "reden")))
            return fail(x, id, "gesloten_dagen", "entry %zu (%s): \"reden\" must be a text", i + 1, date);
    }
    return WL_OK;
}

/* Parses {"ma": [["09:00","12:00"], ...], ...}: all seven days, ranges ascending, no overlap. */
static wl_rc parse_week(const ctx_t *x, const char *id, const char *field, const json_t *obj,
                        wl_week_t *w)
{
    memset(w, 0, sizeof *w);
    if (!json_is_object(obj)) return fail(x, id, field, "must be an object with the days ma..zo");
    const char *key;
    const json_t *v;
    json_object_foreach((json_t *)obj, key, v) {
        if (!in_list(key, WEEKDAYS, 7))
            return fail(x, id, field, "unknown day '%s' (use ma, di, wo, do, vr, za, zo)", key);
    }
    for (int d = 0; d < 7; d++) {
        const json_t *ranges = json_object_get(obj, WEEKDAYS[d]);
        if (!json_is_array(ranges))
            return fail(x, id, field, "day '%s' is missing or not a list of [\"HH:MM\", \"HH:MM\"]", WEEKDAYS[d]);
        if (json_array_size(ranges) > WL_APPT_MAX_RANGES)
            return fail(x, id, field, "day '%s' has more than %d time ranges", WEEKDAYS[d], WL_APPT_MAX_RANGES);
        size_t i;
        const json_t *r;
        json_array_foreach(ranges, i, r) {
            int a = json_array_size(r) == 2 ? wl_appt_parse_hhmm(json_string_value(json_array_get(r, 0))) : -1;
            int b = json_array_size(r) == 2 ? wl_appt_parse_hhmm(json_string_value(json_array_get(r, 1))) : -1;
            if (a < 0 || b < 0)
                return fail(x, id, field, "day '%s' range %zu must be [\"HH:MM\", \"HH:MM\"]", WEEKDAYS[d], i + 1);
            if (b <= a)
                return fail(x, id, field, "day '%s' range %zu ends before it starts", WEEKDAYS[d], i + 1);
            if (i > 0 && a < w->to[d][i - 1])
                return fail(x, id, field, "day '%s' range %zu overlaps or comes before the previous one",
                            WEEKDAYS[d], i + 1);
            w->from[d][i] = a;
            w->to[d][i] = b;
            w->n[d] = (int)i + 1;
        }
    }
    return WL_OK;
}

/* {"nl": "...", ...}: Dutch is required because it is the source language of every slip. */
static wl_rc check_localized(const ctx_t *x, const char *id, const char *field, const json_t *v)
{
    if (!json_is_object(v) || !json_is_string(json_object_get(v, "nl")) ||
        !*json_string_value(json_object_get(v, "nl")))
        return fail(x, id, field, "must be an object of texts per language with at least \"nl\"");
    const char *k;
    const json_t *t;
    json_object_foreach((json_t *)v, k, t) {
        if (!json_is_string(t)) return fail(x, id, field, "the \"%s\" text must be a string", k);
    }
    return WL_OK;
}

static wl_rc load_locations(wl_catalog_t *c, ctx_t *x)
{
    const json_t *root = c->loc_root;
    x->section = "locaties";
    c->closed = json_object_get(root, "gesloten_dagen");
    wl_rc rc = check_closed(x, "(alle)", c->closed);
    if (rc) return rc;
    const json_t *contact = json_object_get(root, "contact");
    c->phone = json_string_value(json_object_get(contact, "telefoon"));
    if (!c->phone || !*c->phone) return fail(x, NULL, "contact", "needs \"telefoon\": the number to change an appointment");
    const json_t *arr = json_object_get(root, "locaties");
    if (!json_is_array(arr) || json_array_size(arr) == 0)
        return fail(x, NULL, "locaties", "must be a non-empty list of locations");
    c->nlocs = json_array_size(arr);
    c->locs = calloc(c->nlocs, sizeof *c->locs);
    if (!c->locs) return WL_ERR_NOMEM;
    for (size_t i = 0; i < c->nlocs; i++) {
        const json_t *o = json_array_get(arr, i);
        wl_loc_t *l = &c->locs[i];
        l->json = o;
        l->id = json_string_value(json_object_get(o, "id"));
        if (!is_id(l->id)) return fail(x, l->id, "id", "entry %zu needs an id of a-z, 0-9 and _", i + 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->locs[j].id, l->id) == 0) return fail(x, l->id, "id", "id is used twice");
        const char *name = json_string_value(json_object_get(o, "naam"));
        if (!name || !*name) return fail(x, l->id, "naam", "must be a non-empty text");
        l->kind = json_string_value(json_object_get(o, "soort"));
        if (!in_list(l->kind, KINDS, 3)) return fail(x, l->id, "soort", "must be gemeente, wij_team or stip");
        const json_t *a = json_object_get(o, "adres");
        const char *street = json_string_value(json_object_get(a, "straat"));
        const char *city = json_string_value(json_object_get(a, "plaats"));
        if (!json_is_object(a) || !street || !*street || !city || !*city ||
            !json_is_string(json_object_get(a, "postcode")) || !json_is_boolean(json_object_get(a, "bevestigd")))
            return fail(x, l->id, "adres",
                        "needs \"straat\" and \"plaats\" (non-empty), \"postcode\" (text) and \"bevestigd\" (true/false)");
        if ((rc = parse_week(x, l->id, "openingstijden", json_object_get(o, "openingstijden"), &l->hours))) return rc;
        l->closed = json_object_get(o, "gesloten_dagen");
        if ((rc = check_closed(x, l->id, l->closed))) return rc;
        const json_t *team = json_object_get(o, "wij_team");
        if (!json_is_null(team) && !json_is_string(team))
            return fail(x, l->id, "wij_team", "must be the id of a WIJ-team location or null");
        l->wij_team = json_string_value(team);
        /* Optional: the location's own number, for a citizen who cannot book at the kiosk. */
        const json_t *tel = json_object_get(o, "telefoon");
        if (tel && (!json_is_string(tel) || !*json_string_value(tel) || strlen(json_string_value(tel)) > 30))
            return fail(x, l->id, "telefoon", "must be a phone number of 1 to 30 characters (or left out)");
    }
    for (size_t i = 0; i < c->nlocs; i++) {
        wl_loc_t *l = &c->locs[i];
        if (!l->wij_team) continue;
        const wl_loc_t *t = wl_appt_find_loc(c, l->wij_team, NULL);
        if (!t || strcmp(t->kind, "wij_team") != 0)
            return fail(x, l->id, "wij_team", "'%s' is not a location of soort wij_team", l->wij_team);
    }
    return WL_OK;
}

/* True when some weekday has a service range that fits a location range for one slot. */
static bool ever_bookable(const wl_svc_t *s, const wl_loc_t *l)
{
    for (int d = 0; d < 7; d++)
        for (int i = 0; i < s->hours.n[d]; i++)
            for (int j = 0; j < l->hours.n[d]; j++) {
                int a = s->hours.from[d][i] > l->hours.from[d][j] ? s->hours.from[d][i] : l->hours.from[d][j];
                int b = s->hours.to[d][i] < l->hours.to[d][j] ? s->hours.to[d][i] : l->hours.to[d][j];
                if (b - a >= s->duration) return true;
            }
    return false;
}

static wl_rc check_id_list(const ctx_t *x, const char *id, const char *field, const json_t *arr,
                           const char *const *allowed, size_t nallowed)
{
    if (!json_is_array(arr)) return fail(x, id, field, "must be a list of ids");
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) {
        const char *s = json_string_value(v);
        if (!is_id(s)) return fail(x, id, field, "entry %zu must be an id of a-z, 0-9 and _", i + 1);
        if (allowed && !in_list(s, allowed, nallowed)) return fail(x, id, field, "unknown value '%s'", s);
    }
    return WL_OK;
}

static wl_rc load_service(wl_catalog_t *c, ctx_t *x, size_t i)
{
    const json_t *o = json_array_get(json_object_get(c->svc_root, "diensten"), i);
    wl_svc_t *s = &c->svcs[i];
    wl_rc rc;
    s->json = o;
    s->id = json_string_value(json_object_get(o, "id"));
    if (!is_id(s->id)) return fail(x, s->id, "id", "entry %zu needs an id of a-z, 0-9 and _", i + 1);
    for (size_t j = 0; j < i; j++)
        if (strcmp(c->svcs[j].id, s->id) == 0) return fail(x, s->id, "id", "id is used twice");
    /* "naam" is what staff call the service; "naam_inwoner" is what a citizen reads at the
     * kiosk, in plain words. Both are required. */
    if ((rc = check_localized(x, s->id, "naam", json_object_get(o, "naam")))) return rc;
    if ((rc = check_localized(x, s->id, "naam_inwoner", json_object_get(o, "naam_inwoner")))) return rc;
    if ((rc = check_localized(x, s->id, "omschrijving", json_object_get(o, "omschrijving")))) return rc;
    const json_t *dur = json_object_get(o, "duur_minuten"), *cap = json_object_get(o, "capaciteit");
    if (!json_is_integer(dur) || json_integer_value(dur) < 5 || json_integer_value(dur) > 480)
        return fail(x, s->id, "duur_minuten", "must be a whole number of minutes from 5 to 480");
    if (!json_is_integer(cap) || json_integer_value(cap) < 1 || json_integer_value(cap) > 500)
        return fail(x, s->id, "capaciteit", "must be a whole number of seats from 1 to 500");
    s->duration = (int)json_integer_value(dur);
    s->capacity = (int)json_integer_value(cap);
    if ((rc = parse_week(x, s->id, "tijden", json_object_get(o, "tijden"), &s->hours))) return rc;
    s->closed = json_object_get(o, "gesloten_dagen");
    if ((rc = check_closed(x, s->id, s->closed))) return rc;
    const json_t *bring = json_object_get(o, "meenemen");
    if (!json_is_array(bring) || json_array_size(bring) == 0)
        return fail(x, s->id, "meenemen", "must list at least one thing to bring (an identity document)");
    size_t k;
    const json_t *v;
    json_array_foreach(bring, k, v) {
        if ((rc = check_localized(x, s->id, "meenemen", v))) return rc;
    }
    const json_t *locs = json_object_get(o, "locaties"), *kinds = json_object_get(o, "locatie_soorten");
    if ((rc = check_id_list(x, s->id, "locaties", locs, NULL, 0))) return rc;
    if ((rc = check_id_list(x, s->id, "locatie_soorten", kinds, KINDS, 3))) return rc;
    s->at = calloc(c->nlocs, sizeof *s->at);
    if (!s->at) return WL_ERR_NOMEM;
    json_array_foreach(locs, k, v) {
        size_t idx;
        if (!wl_appt_find_loc(c, json_string_value(v), &idx))
            return fail(x, s->id, "locaties", "unknown location '%s' (not in locations.json)", json_string_value(v));
        s->at[idx] = true;
    }
    size_t held = 0;
    for (size_t j = 0; j < c->nlocs; j++) {
        json_array_foreach(kinds, k, v) {
            if (strcmp(json_string_value(v), c->locs[j].kind) == 0) s->at[j] = true;
        }
        if (!s->at[j]) continue;
        held++;
        if (!ever_bookable(s, &c->locs[j]))
            return fail(x, s->id, "tijden", "no %d-minute slot fits the opening hours of '%s' on any day",
                        s->duration, c->locs[j].id);
    }
    if (held == 0) return fail(x, s->id, "locaties", "the service is not held at any location");
    const json_t *voor = json_object_get(o, "voor");
    if (!json_is_object(voor)) return fail(x, s->id, "voor", "must be {\"routes\": [...], \"signalen\": [...]}");
    if ((rc = check_id_list(x, s->id, "routes", json_object_get(voor, "routes"), ROUTES, 3))) return rc;
    if ((rc = check_id_list(x, s->id, "signalen", json_object_get(voor, "signalen"), NULL, 0))) return rc;
    const json_t *spoed = json_object_get(o, "spoed");
    if (spoed && !json_is_null(spoed)) {
        const json_t *days = json_object_get(spoed, "binnen_dagen");
        if ((rc = check_id_list(x, s->id, "spoed", json_object_get(spoed, "signalen"), NULL, 0))) return rc;
        if (!json_is_integer(days) || json_integer_value(days) < 1 || json_integer_value(days) > 14)
            return fail(x, s->id, "binnen_dagen", "must be a whole number of days from 1 to 14");
    }
    const json_t *own = json_object_get(o, "eigen_wij_team");
    if (own && !json_is_boolean(own)) return fail(x, s->id, "eigen_wij_team", "must be true or false");
    s->own_team = json_is_true(own);
    return WL_OK;
}

/* Is id one of the signals routing.json can raise? Its "signals" list is the contract;
 * when that list is missing the whole text is searched, so an older layout still works. */
static bool rules_know(const json_t *rules_json, const char *text, const char *id)
{
    const json_t *sigs = json_object_get(rules_json, "signals");
    if (json_is_array(sigs)) {
        size_t i;
        const json_t *v;
        json_array_foreach(sigs, i, v) {
            const char *sid = json_string_value(json_object_get(v, "id"));
            if (sid && strcmp(sid, id) == 0) return true;
        }
        return false;
    }
    char needle[80];
    snprintf(needle, sizeof needle, "\"%s\"", id);
    return strstr(text, needle) != NULL;
}

/* When the routing rules exist, every signal a service names must be one they raise, so a
 * typo in services.json cannot silently make a service unreachable. */
static wl_rc check_signals_against_rules(wl_catalog_t *c, ctx_t *x, const char *assets_dir)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/rules/routing.json", assets_dir);
    size_t len;
    char *rules = wl_json_read_text(path, &len);
    if (!rules) return WL_OK; /* The rules are checked by their own loader; none yet is fine. */
    json_t *rj = json_loads(rules, 0, NULL); /* syntax errors are the rules loader's to report */
    wl_rc rc = WL_OK;
    for (size_t i = 0; i < c->nsvcs && !rc; i++) {
        const json_t *lists[2] = {json_object_get(json_object_get(c->svcs[i].json, "voor"), "signalen"),
                                  json_object_get(json_object_get(c->svcs[i].json, "spoed"), "signalen")};
        for (int l = 0; l < 2 && !rc; l++) {
            size_t k;
            const json_t *v;
            json_array_foreach(lists[l], k, v) {
                if (!rules_know(rj, rules, json_string_value(v))) {
                    rc = fail(x, c->svcs[i].id, l ? "spoed" : "signalen", "signal '%s' is not raised by %s",
                              json_string_value(v), path);
                    break;
                }
            }
        }
    }
    json_decref(rj);
    free(rules);
    return rc;
}

static wl_rc load_file(const char *dir, const char *name, json_t **root, ctx_t *x, wl_err_t *err)
{
    snprintf(x->pathbuf, sizeof x->pathbuf, "%s/%s", dir, name);
    const char *path = x->pathbuf;
    x->path = path;
    x->err = err;
    wl_rc rc = wl_json_load_file(path, root, err);
    if (rc) return rc;
    size_t len;
    x->text = wl_json_read_text(path, &len);
    if (!json_is_object(*root)) {
        wl_err_set(err, "%s:1: the file must hold one JSON object", path);
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

wl_rc wl_catalog_load(const char *assets_dir, wl_catalog_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_catalog_t *c = calloc(1, sizeof *c);
    if (!c) return WL_ERR_NOMEM;
    ctx_t lx = {0}, sx = {0};
    wl_rc rc = load_file(assets_dir, "locations.json", &c->loc_root, &lx, err);
    if (!rc) rc = load_locations(c, &lx);
    if (!rc) rc = load_file(assets_dir, "services.json", &c->svc_root, &sx, err);
    if (!rc) {
        sx.section = "diensten";
        const json_t *arr = json_object_get(c->svc_root, "diensten");
        if (!json_is_array(arr) || json_array_size(arr) == 0) {
            rc = fail(&sx, NULL, "diensten", "must be a non-empty list of services");
        } else {
            c->nsvcs = json_array_size(arr);
            c->svcs = calloc(c->nsvcs, sizeof *c->svcs);
            if (!c->svcs) rc = WL_ERR_NOMEM;
            for (size_t i = 0; !rc && i < c->nsvcs; i++) rc = load_service(c, &sx, i);
        }
    }
    if (!rc) rc = check_signals_against_rules(c, &sx, assets_dir);
    if (rc == WL_ERR_NOMEM) wl_err_set(err, "out of memory loading %s", assets_dir);
    free(lx.text);
    free(sx.text);
    if (rc) {
        wl_catalog_free(c);
        return rc;
    }
    *out = c;
    return WL_OK;
}

void wl_catalog_free(wl_catalog_t *c)
{
    if (!c) return;
    for (size_t i = 0; c->svcs && i < c->nsvcs; i++) free(c->svcs[i].at);
    free(c->svcs);
    free(c->locs);
    json_decref(c->loc_root);
    json_decref(c->svc_root);
    free(c);
}

wl_rc wl_appointments_check_assets(const char *assets_dir, wl_err_t *err)
{
    wl_catalog_t *c = NULL;
    wl_rc rc = wl_catalog_load(assets_dir, &c, err);
    wl_catalog_free(c);
    return rc;
}

const wl_loc_t *wl_appt_find_loc(const wl_catalog_t *c, const char *id, size_t *idx)
{
    for (size_t i = 0; c && id && i < c->nlocs; i++)
        if (c->locs[i].id && strcmp(c->locs[i].id, id) == 0) {
            if (idx) *idx = i;
            return &c->locs[i];
        }
    return NULL;
}

const wl_svc_t *wl_appt_find_svc(const wl_catalog_t *c, const char *id)
{
    for (size_t i = 0; c && id && i < c->nsvcs; i++)
        if (c->svcs[i].id && strcmp(c->svcs[i].id, id) == 0) return &c->svcs[i];
    return NULL;
}

const json_t *wl_catalog_location(const wl_catalog_t *c, const char *id)
{
    const wl_loc_t *l = wl_appt_find_loc(c, id, NULL);
    return l ? l->json : NULL;
}

const json_t *wl_catalog_service(const wl_catalog_t *c, const char *id)
{
    const wl_svc_t *s = wl_appt_find_svc(c, id);
    return s ? s->json : NULL;
}

const json_t *wl_catalog_locations(const wl_catalog_t *c)
{
    return c ? json_object_get(c->loc_root, "locaties") : NULL;
}

const json_t *wl_catalog_services(const wl_catalog_t *c)
{
    return c ? json_object_get(c->svc_root, "diensten") : NULL;
}

const char *wl_catalog_phone(const wl_catalog_t *c)
{
    return c && c->phone ? c->phone : "14 050";
}

const char *wl_catalog_location_phone(const wl_catalog_t *c, const char *location)
{
    const char *t = json_string_value(json_object_get(wl_catalog_location(c, location), "telefoon"));
    return t && *t ? t : wl_catalog_phone(c);
}

const char *wl_catalog_text(const json_t *localized, const char *lang)
{
    const char *s = lang ? json_string_value(json_object_get(localized, lang)) : NULL;
    if (!s) s = json_string_value(json_object_get(localized, "nl"));
    return s ? s : "";
}

bool wl_catalog_offers(const wl_catalog_t *c, const char *service_id, const char *location_id)
{
    size_t idx;
    const wl_svc_t *s = wl_appt_find_svc(c, service_id);
    return s && wl_appt_find_loc(c, location_id, &idx) && s->at[idx];
}
