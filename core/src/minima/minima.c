/* The minima engine: loads the scheme catalogue and evaluates a household against it. */
#include "minima/minima_internal.h"
#include "wijkloket/jsonfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *wl_minima_status_name(wl_minima_status s)
{
    switch (s) {
    case WL_MINIMA_ELIGIBLE: return "eligible";
    case WL_MINIMA_MAYBE: return "maybe";
    case WL_MINIMA_NOT_ELIGIBLE: return "not_eligible";
    case WL_MINIMA_NOT_OFFERED: return "not_offered";
    }
    return "not_offered";
}

/* ---------------------------------------------------------------- loading the catalogue */

typedef struct {
    const char *path;
    wl_minima_loc_t loc;
    wl_err_t *err;
    char anchor[160]; /* "id": "<scheme id>" of the scheme being read, for line numbers */
} sctx_t;

static wl_rc sfail(sctx_t *c, const char *needle_key, int nth, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static wl_rc sfail(sctx_t *c, const char *needle_key, int nth, const char *field, const char *fmt, ...)
{
    char needle[128], msg[400];
    if (needle_key) snprintf(needle, sizeof needle, "\"%s\"", needle_key);
    int line = wl_minima_loc_line(&c->loc, c->anchor[0] ? c->anchor : NULL, needle_key ? needle : NULL, nth);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    wl_err_set(c->err, "%s:%d: %s: %s", c->path, line, field, msg);
    return WL_ERR_INVALID;
}

static bool valid_id(const char *s)
{
    if (!s || !*s || strlen(s) > 60) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
    return true;
}

/* Reads an optional whole number in [lo, hi]; *out stays -1 when absent. */
static bool opt_int(const json_t *obj, const char *key, int lo, int hi, int *out, bool *bad)
{
    const json_t *v = json_object_get(obj, key);
    if (!v) return false;
    if (!json_is_integer(v) || json_integer_value(v) < lo || json_integer_value(v) > hi) {
        *bad = true;
        return false;
    }
    *out = (int)json_integer_value(v);
    return true;
}

static const char *school_names[] = {"unknown", "none", "primary", "secondary", "other", NULL};

static wl_rc load_condition(sctx_t *c, const struct wl_minima *m, const json_t *jc, int ci,
                            const char *field, wl_cond_t *out)
{
    memset(out, 0, sizeof *out);
    out->table = -1;
    out->min = out->max = -1;
    out->school = -1;
    if (!json_is_object(jc)) return sfail(c, "conditions", 0, field, "must be an object with a 'type'");
    const char *type = json_string_value(json_object_get(jc, "type"));
    if (!type) return sfail(c, "type", ci, field, "'type' is required");
    bool bad = false;
    const char *unknown = NULL;
    if (!strcmp(type, "income_pct") || !strcmp(type, "assets") || !strcmp(type, "gross_income_year")) {
        bool income = !strcmp(type, "income_pct");
        static const char *const k_income[] = {"type", "table", "max_pct", NULL};
        static const char *const k_table[] = {"type", "table", NULL};
        unknown = wl_minima_unknown_key(jc, income ? k_income : k_table);
        if (unknown) goto unknown_key;
        out->type = income ? WL_COND_INCOME_PCT
                           : !strcmp(type, "assets") ? WL_COND_ASSETS : WL_COND_GROSS_YEAR;
        const char *table = json_string_value(json_object_get(jc, "table"));
        out->table = wl_params_find_table(m->params, table);
        if (out->table < 0)
            return sfail(c, "table", ci, field, "unknown parameter table '%s' (tables are defined in parameters.json)",
                         table ? table : "(missing)");
        if (income && !opt_int(jc, "max_pct", 1, 1000, &out->pct, &bad))
            return sfail(c, "max_pct", 0, field, "'max_pct' must be a whole percentage 1..1000");
    } else if (!strcmp(type, "age")) {
        static const char *const k[] = {"type", "min_years", "max_years", NULL};
        if ((unknown = wl_minima_unknown_key(jc, k))) goto unknown_key;
        out->type = WL_COND_AGE;
        bool any = opt_int(jc, "min_years", 0, 150, &out->min, &bad);
        any |= opt_int(jc, "max_years", 0, 150, &out->max, &bad);
        if (bad || !any) return sfail(c, "type", ci, field, "'age' needs min_years and/or max_years (0..150)");
        if (out->max >= 0 && out->min > out->max) return sfail(c, "type", ci, field, "min_years is above max_years");
    } else if (!strcmp(type, "aow_age") || !strcmp(type, "student") || !strcmp(type, "chronic_illness")) {
        const char *key = !strcmp(type, "aow_age") ? "reached" : !strcmp(type, "student") ? "allowed" : "required";
        const char *k[] = {"type", key, NULL};
        if ((unknown = wl_minima_unknown_key(jc, k))) goto unknown_key;
        out->type = !strcmp(type, "aow_age") ? WL_COND_AOW_AGE
                    : !strcmp(type, "student") ? WL_COND_STUDENT : WL_COND_CHRONIC;
        const json_t *f = json_object_get(jc, key);
        if (!json_is_boolean(f)) return sfail(c, "type", ci, field, "'%s' needs '%s': true or false", type, key);
        out->flag = json_is_true(f);
    } else if (!strcmp(type, "children")) {
        static const char *const k[] = {"type", "min_age", "max_age", "school", NULL};
        if ((unknown = wl_minima_unknown_key(jc, k))) goto unknown_key;
        out->type = WL_COND_CHILDREN;
        opt_int(jc, "min_age", 0, 40, &out->min, &bad);
        opt_int(jc, "max_age", 0, 40, &out->max, &bad);
        if (bad) return sfail(c, "type", ci, field, "min_age and max_age must be whole years 0..40");
        if (out->max >= 0 && out->min > out->max) return sfail(c, "type", ci, field, "min_age is above max_age");
        const json_t *sc = json_object_get(jc, "school");
        if (sc) {
            const char *s = json_string_value(sc);
            for (int i = 1; s && school_names[i]; i++)
                if (!strcmp(school_names[i], s)) out->school = i;
            if (out->school < 0)
                return sfail(c, "school", 0, field, "'school' must be none, primary, secondary or other");
        }
    } else if (!strcmp(type, "years_low_income")) {
        static const char *const k[] = {"type", "min_years", "more_than_years", NULL};
        if ((unknown = wl_minima_unknown_key(jc, k))) goto unknown_key;
        out->type = WL_COND_YEARS_LOW;
        bool a = opt_int(jc, "min_years", 0, 100, &out->min, &bad);
        bool b = opt_int(jc, "more_than_years", 0, 100, &out->min, &bad);
        if (bad || a == b)
            return sfail(c, "type", ci, field, "'years_low_income' needs exactly one of min_years or more_than_years");
        out->strict = b;
    } else {
        return sfail(c, "type", ci, field,
                     "unknown condition type '%s' (known: income_pct, assets, gross_income_year, age, "
                     "aow_age, children, years_low_income, student, chronic_illness)",
                     type);
    }
    return WL_OK;
unknown_key:
    return sfail(c, unknown, 0, field, "unknown key '%s' for a '%s' condition", unknown, type);
}

static bool string_list(const json_t *v)
{
    if (!json_is_array(v)) return false;
    for (size_t i = 0; i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s || !*s) return false;
    }
    return true;
}

static wl_rc load_scheme(sctx_t *c, struct wl_minima *m, const json_t *js, size_t idx, wl_scheme_t *s)
{
    static const char *const keys[] = {"id", "name", "description", "valid_from", "valid_to",
                                       "ask_about", "conditions", "apply", "bring", "notes",
                                       "source", "source_date", NULL};
    char field[200];
    snprintf(field, sizeof field, "schemes[%zu]", idx);
    s->valid_from = s->valid_to = WL_DAY_NONE;
    if (!json_is_object(js)) return sfail(c, NULL, 0, field, "must be an object");
    const char *id = json_string_value(json_object_get(js, "id"));
    if (!valid_id(id)) return sfail(c, "schemes", 0, field, "'id' must be a-z, 0-9 and '_' (at most 60)");
    snprintf(c->anchor, sizeof c->anchor, "\"id\": \"%s\"", id);
    snprintf(field, sizeof field, "schemes[%zu] (%s)", idx, id);
    for (int i = 0; i < m->n_schemes; i++)
        if (!strcmp(m->schemes[i].id, id)) return sfail(c, NULL, 0, field, "duplicate scheme id '%s'", id);
    const char *unknown = wl_minima_unknown_key(js, keys);
    if (unknown) return sfail(c, unknown, 0, field, "unknown key '%s'", unknown);
    const char *name = json_string_value(json_object_get(js, "name"));
    const char *desc = json_string_value(json_object_get(js, "description"));
    if (!name || !*name) return sfail(c, NULL, 0, field, "'name' (Dutch) is required");
    if (!desc || !*desc) return sfail(c, NULL, 0, field, "'description' (B1 Dutch) is required");
    s->id = strdup(id);
    s->name = strdup(name);
    s->description = strdup(desc);
    if (!s->id || !s->name || !s->description) return WL_ERR_NOMEM;
    static const char *const date_keys[2] = {"valid_from", "valid_to"};
    int32_t *days[2] = {&s->valid_from, &s->valid_to};
    for (int k = 0; k < 2; k++) {
        const json_t *v = json_object_get(js, date_keys[k]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_string(v) || !wl_minima_day_parse(json_string_value(v), days[k]))
            return sfail(c, date_keys[k], 0, field, "'%s' must be a date YYYY-MM-DD or null", date_keys[k]);
    }
    if (s->valid_from != WL_DAY_NONE && s->valid_to != WL_DAY_NONE && s->valid_to < s->valid_from)
        return sfail(c, "valid_to", 0, field, "'valid_to' is before 'valid_from'");
    const json_t *ask = json_object_get(js, "ask_about");
    if (ask && (!json_is_string(ask) || !*json_string_value(ask)))
        return sfail(c, "ask_about", 0, field, "'ask_about' must be a B1 sentence");
    if (ask && !(s->ask_about = strdup(json_string_value(ask)))) return WL_ERR_NOMEM;
    const json_t *conds = json_object_get(js, "conditions");
    if (!json_is_array(conds)) return sfail(c, "conditions", 0, field, "'conditions' must be a list (may be empty)");
    if (json_array_size(conds) > WL_MINIMA_MAX_CONDITIONS)
        return sfail(c, "conditions", 0, field, "at most %d conditions per scheme", WL_MINIMA_MAX_CONDITIONS);
    if (json_array_size(conds) == 0 && !s->ask_about)
        return sfail(c, "conditions", 0, field,
                     "a scheme without conditions would be 'eligible' for everyone: add conditions or 'ask_about'");
    for (size_t i = 0; i < json_array_size(conds); i++) {
        char cf[240];
        snprintf(cf, sizeof cf, "%s.conditions[%zu]", field, i);
        wl_rc rc = load_condition(c, m, json_array_get(conds, i), (int)i, cf, &s->conds[i]);
        if (rc != WL_OK) return rc;
        s->n_conds = (int)i + 1;
    }
    const json_t *apply = json_object_get(js, "apply");
    const char *where = json_string_value(json_object_get(apply, "where"));
    const char *how = json_string_value(json_object_get(apply, "how"));
    static const char *const apply_keys[] = {"where", "how", NULL};
    if (!json_is_object(apply) || !where || !*where || !how || !*how || wl_minima_unknown_key(apply, apply_keys))
        return sfail(c, "apply", 0, field, "'apply' must be {\"where\": \"...\", \"how\": \"...\"}");
    if (!string_list(json_object_get(js, "bring")))
        return sfail(c, "bring", 0, field, "'bring' must be a list of things to bring (Dutch text)");
    const json_t *notes = json_object_get(js, "notes");
    if (notes && !string_list(notes)) return sfail(c, "notes", 0, field, "'notes' must be a list of Dutch sentences");
    const char *src = json_string_value(json_object_get(js, "source"));
    if (!src || !*src) return sfail(c, NULL, 0, field, "'source' is required");
    /* null is allowed but must be written: "we do not know when the source said this" is a
     * deliberate statement that docs/minima.md lists as to be verified. */
    const json_t *sdate = json_object_get(js, "source_date");
    if (!sdate || (!json_is_null(sdate) && !wl_minima_source_date_ok(json_string_value(sdate))))
        return sfail(c, "source_date", 0, field, "'source_date' must be YYYY, YYYY-MM, YYYY-MM-DD or null (unknown)");
    json_t *note_list = notes ? json_incref((json_t *)notes) : json_array();
    s->info = json_pack("{s:O,s:O,s:o,s:s,s:O}", "apply", apply, "bring", json_object_get(js, "bring"),
                        "notes", note_list, "source", src, "source_date", json_object_get(js, "source_date"));
    if (!s->info) return WL_ERR_NOMEM;
    return WL_OK;
}

wl_rc wl_minima_schemes_load(const char *path, struct wl_minima *m, wl_err_t *err)
{
    static const char *const keys[] = {"description", "margin_pct", "schemes", NULL};
    json_t *root = NULL;
    wl_rc rc = wl_json_load_file(path, &root, err);
    if (rc != WL_OK) return rc;
    sctx_t c = {path, {path, NULL, false}, err, ""};
    const json_t *list = json_object_get(root, "schemes");
    const char *unknown;
    if (!json_is_object(root)) {
        rc = sfail(&c, NULL, 0, "(top)", "must be an object with 'margin_pct' and 'schemes'");
        goto done;
    }
    if ((unknown = wl_minima_unknown_key(root, keys))) {
        rc = sfail(&c, unknown, 0, "(top)", "unknown key '%s' (allowed: description, margin_pct, schemes)", unknown);
        goto done;
    }
    bool bad = false;
    if (!opt_int(root, "margin_pct", 0, 50, &m->margin_pct, &bad)) {
        rc = sfail(&c, "margin_pct", 0, "margin_pct", "required: whole percentage points 0..50");
        goto done;
    }
    if (!json_is_array(list) || json_array_size(list) == 0) {
        rc = sfail(&c, "schemes", 0, "schemes", "must be a non-empty list");
        goto done;
    }
    if (json_array_size(list) > WL_MINIMA_MAX_SCHEMES) {
        rc = sfail(&c, "schemes", 0, "schemes", "at most %d schemes", WL_MINIMA_MAX_SCHEMES);
        goto done;
    }
    m->schemes = calloc(json_array_size(list), sizeof *m->schemes);
    if (!m->schemes) {
        rc = WL_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < json_array_size(list); i++) {
        c.anchor[0] = '\0';
        rc = load_scheme(&c, m, json_array_get(list, i), i, &m->schemes[i]);
        m->n_schemes = (int)i + 1;
        if (rc != WL_OK) goto done;
    }
done:
    if (rc == WL_ERR_NOMEM) wl_err_set(err, "%s: out of memory", path);
    wl_minima_loc_free(&c.loc);
    json_decref(root);
    return rc;
}

void wl_minima_free(wl_minima_t *m)
{
    if (!m) return;
    for (int i = 0; i < m->n_schemes; i++) {
        wl_scheme_t *s = &m->schemes[i];
        free(s->id);
        free(s->name);
        free(s->description);
        free(s->ask_about);
        json_decref(s->info);
    }
    free(m->schemes);
    wl_params_free(m->params);
    free(m);
}

wl_rc wl_minima_load_files(const char *params_path, const char *schemes_path, wl_minima_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_minima_t *m = calloc(1, sizeof *m);
    if (!m) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    wl_rc rc = wl_params_load(params_path, &m->params, err);
    if (rc == WL_OK) rc = wl_minima_schemes_load(schemes_path, m, err);
    if (rc != WL_OK) {
        wl_minima_free(m);
        return rc;
    }
    *out = m;
    return WL_OK;
}

wl_rc wl_minima_load(const char *assets_dir, wl_minima_t **out, wl_err_t *err)
{
    char pp[4096], sp[4096];
    snprintf(pp, sizeof pp, "%s/minima/parameters.json", assets_dir);
    snprintf(sp, sizeof sp, "%s/minima/schemes.json", assets_dir);
    return wl_minima_load_files(pp, sp, out, err);
}

wl_rc wl_minima_check_assets(const char *assets_dir, wl_err_t *err)
{
    wl_minima_t *m = NULL;
    wl_rc rc = wl_minima_load(assets_dir, &m, err);
    wl_minima_free(m);
    return rc;
}

int wl_minima_scheme_count(const wl_minima_t *m)
{
    return m ? m->n_schemes : 0;
}

const char *wl_minima_scheme_id(const wl_minima_t *m, int i)
{
    return m && i >= 0 && i < m->n_schemes ? m->schemes[i].id : NULL;
}

const char *wl_minima_scheme_name(const wl_minima_t *m, int i)
{
    return m && i >= 0 && i < m->n_schemes ? m->schemes[i].name : NULL;
}

/* ---------------------------------------------------------------- evaluating */

wl_minima_result_t *wl_minima_result_new(void)
{
    return calloc(1, sizeof(wl_minima_result_t));
}

void wl_minima_result_free(wl_minima_result_t *r)
{
    free(r);
}

wl_minima_status wl_minima_result_status(const wl_minima_result_t *r, int i)
{
    return r && i >= 0 && i < r->n_schemes ? r->schemes[i].status : WL_MINIMA_NOT_OFFERED;
}

/* 1 reached the AOW age, 0 not, -1 cannot tell (months not given and the AOW age falls
 * inside the year of age, or no AOW age known for the day). */
static int reached_aow(const wl_minima_person_t *p, int aow_months)
{
    if (aow_months < 0) return -1;
    int lo = p->age_years * 12 + (p->age_months >= 0 ? p->age_months : 0);
    int hi = p->age_years * 12 + (p->age_months >= 0 ? p->age_months : 11);
    if (lo >= aow_months) return 1;
    if (hi < aow_months) return 0;
    return -1;
}

static int person_band(const wl_minima_person_t *p, int aow_months)
{
    int r = reached_aow(p, aow_months);
    if (r == 1) return WL_BAND_AOW;
    if (p->age_years < 21) return WL_BAND_18_20;
    return r == 0 ? WL_BAND_21_AOW : WL_BAND_UNKNOWN;
}

/* Picks the table's parameter for the household and its value on the day; the check gets
 * param/vidx and the outcome UNKNOWN when either is missing. Returns the value or -1. */
static int64_t table_value(const wl_minima_t *m, const wl_minima_result_t *r, int table, wl_check_t *k)
{
    k->param = (int16_t)wl_params_table_lookup(m->params, table, r->household, r->band);
    k->vidx = (int16_t)(k->param >= 0 ? wl_params_value_at(m->params, k->param, r->day) : -1);
    if (k->vidx < 0) {
        k->outcome = WL_OUT_UNKNOWN;
        return -1;
    }
    return m->params->params[k->param].values[k->vidx].value;
}

static bool stale(const wl_minima_t *m, const wl_minima_result_t *r, const wl_check_t *k)
{
    return r->day > m->params->params[k->param].known_until;
}

static void check_one(const wl_minima_t *m, const wl_cond_t *c, const wl_minima_household_t *h,
                      const wl_minima_result_t *r, wl_check_t *k)
{
    k->outcome = WL_OUT_PASS;
    k->param = k->vidx = -1;
    k->fig[0] = k->fig[1] = k->fig[2] = k->fig[3] = -1;
    switch (c->type) {
    case WL_COND_INCOME_PCT: {
        /* fig: income, norm, limit (floor(norm * pct / 100)), income as basis points of the
         * norm (floored). The comparison itself is exact: income * 100 <= norm * pct. */
        int64_t income = h->net_monthly_income, norm = table_value(m, r, c->table, k);
        k->fig[0] = income;
        if (norm <= 0) {
            k->outcome = WL_OUT_UNKNOWN;
            return;
        }
        k->fig[1] = norm;
        k->fig[2] = norm * c->pct / 100;
        k->fig[3] = income * 10000 / norm;
        if (income * 100 <= norm * c->pct)
            k->outcome = stale(m, r, k) ? WL_OUT_STALE : WL_OUT_PASS;
        else if (income * 100 <= norm * (c->pct + m->margin_pct))
            k->outcome = WL_OUT_NEAR;
        else
            k->outcome = WL_OUT_FAIL;
        return;
    }
    case WL_COND_ASSETS:
    case WL_COND_GROSS_YEAR: {
        /* fig: low end, high end (-1 open), limit. */
        int64_t limit = table_value(m, r, c->table, k);
        int64_t lo = c->type == WL_COND_ASSETS ? h->assets_min : h->gross_yearly_income;
        int64_t hi = c->type == WL_COND_ASSETS ? h->assets_max : h->gross_yearly_income;
        k->fig[0] = lo;
        k->fig[1] = hi;
        k->fig[2] = limit;
        if (limit < 0) return; /* outcome already UNKNOWN */
        if (lo < 0) k->outcome = WL_OUT_UNKNOWN;
        else if (lo > limit) k->outcome = WL_OUT_FAIL;
        else if (hi >= 0 && hi <= limit) k->outcome = stale(m, r, k) ? WL_OUT_STALE : WL_OUT_PASS;
        else k->outcome = WL_OUT_UNKNOWN; /* the band straddles the limit */
        return;
    }
    case WL_COND_AGE:
        k->fig[0] = h->applicant.age_years;
        if ((c->min >= 0 && h->applicant.age_years < c->min) || (c->max >= 0 && h->applicant.age_years > c->max))
            k->outcome = WL_OUT_FAIL;
        return;
    case WL_COND_AOW_AGE: {
        int reached = reached_aow(&h->applicant, r->aow_months);
        k->fig[0] = r->aow_months;
        k->fig[1] = reached;
        k->param = (int16_t)m->params->aow_param;
        k->vidx = (int16_t)wl_params_value_at(m->params, k->param, r->day);
        if (reached < 0) k->outcome = WL_OUT_UNKNOWN;
        else if ((reached == 1) != c->flag) k->outcome = WL_OUT_FAIL;
        return;
    }
    case WL_COND_CHILDREN: {
        /* fig: children matching, children who match if their school is what is asked,
         * children in the household, the age of the youngest match (or -1). */
        int match = 0, possible = 0;
        int64_t youngest = -1;
        for (int i = 0; i < h->n_children; i++) {
            const wl_minima_child_t *ch = &h->children[i];
            if ((c->min >= 0 && ch->age < c->min) || (c->max >= 0 && ch->age > c->max)) continue;
            if (c->school >= 0 && (int)ch->school != c->school) {
                if (ch->school == WL_SCHOOL_UNKNOWN) possible++;
                continue;
            }
            if (youngest < 0 || ch->age < youngest) youngest = ch->age;
            match++;
        }
        k->fig[0] = match;
        k->fig[1] = possible;
        k->fig[2] = h->n_children;
        k->fig[3] = youngest;
        k->outcome = match ? WL_OUT_PASS : possible ? WL_OUT_UNKNOWN : WL_OUT_FAIL;
        return;
    }
    case WL_COND_YEARS_LOW:
        k->fig[0] = h->years_low_income;
        k->fig[1] = c->min;
        if (h->years_low_income < 0) k->outcome = WL_OUT_UNKNOWN;
        else if (c->strict && h->years_low_income == c->min)
            k->outcome = WL_OUT_UNKNOWN; /* "5 years" in whole years may well be 5 and a bit */
        else if (h->years_low_income < c->min + (c->strict ? 1 : 0)) k->outcome = WL_OUT_FAIL;
        return;
    case WL_COND_STUDENT:
        k->fig[0] = h->student;
        if (h->student < 0) k->outcome = c->flag ? WL_OUT_PASS : WL_OUT_UNKNOWN;
        else if (h->student == 1 && !c->flag) k->outcome = WL_OUT_FAIL;
        return;
    case WL_COND_CHRONIC:
        k->fig[0] = h->chronic_illness;
        if (!c->flag) return;
        if (h->chronic_illness < 0) k->outcome = WL_OUT_UNKNOWN;
        else if (h->chronic_illness == 0) k->outcome = WL_OUT_FAIL;
        return;
    }
}

/* Sets r->aow_months, r->household and r->band for h on r->day. */
static void place_household(const wl_minima_t *m, const wl_minima_household_t *h, wl_minima_result_t *r)
{
    int av = wl_params_value_at(m->params, m->params->aow_param, r->day);
    r->aow_months = av >= 0 ? (int)m->params->params[m->params->aow_param].values[av].value : -1;
    bool minors = false;
    for (int i = 0; i < h->n_children; i++)
        if (h->children[i].age < 18) minors = true;
    r->household = h->has_partner ? WL_HH_COUPLE : minors ? WL_HH_SINGLE_PARENT : WL_HH_SINGLE;
    int band = person_band(&h->applicant, r->aow_months);
    if (h->has_partner) {
        int pb = person_band(&h->partner, r->aow_months);
        if (band == WL_BAND_UNKNOWN || pb == WL_BAND_UNKNOWN) band = WL_BAND_UNKNOWN;
        else if (band != pb) band = WL_BAND_MIXED;
    }
    r->band = band;
}

wl_rc wl_minima_table_amount(const wl_minima_t *m, const char *table, const wl_minima_household_t *h,
                             const char *date, int64_t *cents, wl_err_t *err)
{
    *cents = -1;
    int t = m ? wl_params_find_table(m->params, table) : -1;
    if (t < 0) {
        wl_err_set(err, "minima: no parameter table '%s'", table ? table : "(null)");
        return WL_ERR_NOTFOUND;
    }
    wl_minima_result_t r;
    r.n_schemes = 0;
    if (!wl_minima_day_parse(date, &r.day)) {
        wl_err_set(err, "date '%s' is not a date (YYYY-MM-DD)", date ? date : "(null)");
        return WL_ERR_INVALID;
    }
    place_household(m, h, &r);
    int p = wl_params_table_lookup(m->params, t, r.household, r.band);
    int v = p >= 0 ? wl_params_value_at(m->params, p, r.day) : -1;
    if (v < 0) {
        wl_err_set(err, "minima: table '%s' has no amount for this household on %s", table, date);
        return WL_ERR_NOTFOUND;
    }
    *cents = m->params->params[p].values[v].value;
    return WL_OK;
}

wl_rc wl_minima_evaluate(const wl_minima_t *m, const wl_minima_household_t *h, const char *date,
                         wl_minima_result_t *r, wl_err_t *err)
{
    if (!m || !h || !r) {
        wl_err_set(err, "minima: nothing to evaluate");
        return WL_ERR_INVALID;
    }
    int32_t day;
    if (!wl_minima_day_parse(date, &day)) {
        wl_err_set(err, "date '%s' is not a date (YYYY-MM-DD)", date ? date : "(null)");
        return WL_ERR_INVALID;
    }
    wl_rc rc = wl_minima_household_validate(h, err);
    if (rc != WL_OK) return rc;
    r->day = day;
    place_household(m, h, r);
    r->n_schemes = m->n_schemes;
    for (int i = 0; i < m->n_schemes; i++) {
        const wl_scheme_t *s = &m->schemes[i];
        wl_scheme_result_t *sr = &r->schemes[i];
        if ((s->valid_from != WL_DAY_NONE && day < s->valid_from) || (s->valid_to != WL_DAY_NONE && day > s->valid_to)) {
            sr->status = WL_MINIMA_NOT_OFFERED;
            continue;
        }
        int worst = WL_OUT_PASS;
        for (int j = 0; j < s->n_conds; j++) {
            check_one(m, &s->conds[j], h, r, &sr->checks[j]);
            if (sr->checks[j].outcome > worst) worst = sr->checks[j].outcome;
        }
        sr->status = worst == WL_OUT_FAIL ? WL_MINIMA_NOT_ELIGIBLE
                     : worst == WL_OUT_PASS && !s->ask_about ? WL_MINIMA_ELIGIBLE
                                                             : WL_MINIMA_MAYBE;
    }
    return WL_OK;
}
