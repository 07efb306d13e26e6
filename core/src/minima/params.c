/* Dated parameters (OpenFisca-like): load, validate and look up values by day and household. */
#include "minima/minima_internal.h"
#include "wijkloket/jsonfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const unit_names[] = {"cents_per_month", "cents_per_year", "cents", "months", NULL};
static const char *const household_names[] = {"single", "single_parent", "couple", NULL};
static const char *const band_names[] = {"18_20", "21_aow", "aow", "mixed", NULL};

static int name_index(const char *const *names, const char *s)
{
    for (int i = 0; s && names[i]; i++)
        if (!strcmp(names[i], s)) return i;
    return -1;
}

/* Parameter names are dotted lower-case words so schemes and tables can refer to them
 * without quoting surprises. */
static bool valid_name(const char *s)
{
    if (!s || !*s || strlen(s) > 80) return false;
    for (const char *p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '.'))
            return false;
    return true;
}

static char *dup_str(const char *s)
{
    return s ? strdup(s) : NULL;
}

void wl_params_free(wl_params_t *p)
{
    if (!p) return;
    for (int i = 0; i < p->n_params; i++) {
        wl_param_t *pa = &p->params[i];
        for (int j = 0; j < pa->n_values; j++) {
            free(pa->values[j].source);
            free(pa->values[j].source_date);
        }
        free(pa->values);
        free(pa->name);
        free(pa->description);
    }
    free(p->params);
    for (int i = 0; i < p->n_tables; i++) {
        free(p->tables[i].name);
        free(p->tables[i].label);
        free(p->tables[i].rows);
    }
    free(p->tables);
    free(p);
}

int wl_params_find(const wl_params_t *p, const char *name)
{
    for (int i = 0; name && i < p->n_params; i++)
        if (!strcmp(p->params[i].name, name)) return i;
    return -1;
}

int wl_params_find_table(const wl_params_t *p, const char *name)
{
    for (int i = 0; name && i < p->n_tables; i++)
        if (!strcmp(p->tables[i].name, name)) return i;
    return -1;
}

int wl_params_value_at(const wl_params_t *p, int param, int32_t day)
{
    if (param < 0 || param >= p->n_params) return -1;
    const wl_param_t *pa = &p->params[param];
    /* Values are few (two a year) and sorted: walk back from the newest. */
    for (int i = pa->n_values - 1; i >= 0; i--) {
        const wl_pvalue_t *v = &pa->values[i];
        if (v->from <= day) return (v->to == WL_DAY_NONE || day <= v->to) ? i : -1;
    }
    return -1;
}

int wl_params_table_lookup(const wl_params_t *p, int table, int household, int band)
{
    if (table < 0 || table >= p->n_tables) return -1;
    const wl_table_t *t = &p->tables[table];
    for (int i = 0; i < t->n_rows; i++) {
        const wl_trow_t *r = &t->rows[i];
        if (r->household != WL_ANY && r->household != household) continue;
        if (r->band != WL_ANY && (band == WL_BAND_UNKNOWN || r->band != band)) continue;
        return r->param;
    }
    return -1;
}

typedef struct {
    const char *path;
    wl_minima_loc_t loc;
    wl_err_t *err;
} ctx_t;

/* Reports "path:line: field: message" and returns WL_ERR_INVALID. */
static wl_rc fail_at(ctx_t *c, const char *anchor, const char *needle, int nth, const char *field,
                     const char *msg)
{
    char a[128], n[128];
    if (anchor) snprintf(a, sizeof a, "\"%s\"", anchor);
    if (needle) snprintf(n, sizeof n, "\"%s\"", needle);
    int line = wl_minima_loc_line(&c->loc, anchor ? a : NULL, needle ? n : NULL, nth);
    wl_err_set(c->err, "%s:%d: %s: %s", c->path, line, field, msg);
    return WL_ERR_INVALID;
}

static wl_rc load_value(ctx_t *c, const char *pname, const wl_param_t *pa, size_t i,
                        const json_t *jv, wl_pvalue_t *out)
{
    static const char *const keys[] = {"from", "to", "value", "source", "source_date", NULL};
    char field[200], msg[300];
    snprintf(field, sizeof field, "parameters.%s.values[%zu]", pname, i);
    if (!json_is_object(jv)) return fail_at(c, pname, "values", 0, field, "must be an object");
    const char *bad = wl_minima_unknown_key(jv, keys);
    if (bad) {
        snprintf(msg, sizeof msg, "unknown key '%s' (allowed: from, to, value, source, source_date)", bad);
        return fail_at(c, pname, bad, 0, field, msg);
    }
    const char *from = json_string_value(json_object_get(jv, "from"));
    if (!from || !wl_minima_day_parse(from, &out->from))
        return fail_at(c, pname, "from", (int)i, field, "'from' must be a date YYYY-MM-DD");
    snprintf(out->from_s, sizeof out->from_s, "%s", from);
    out->to = WL_DAY_NONE;
    const json_t *jto = json_object_get(jv, "to");
    if (jto && !json_is_null(jto)) {
        if (!json_is_string(jto) || !wl_minima_day_parse(json_string_value(jto), &out->to))
            return fail_at(c, pname, "to", 0, field, "'to' must be a date YYYY-MM-DD or null");
        if (out->to < out->from) return fail_at(c, pname, "to", 0, field, "'to' is before 'from'");
    }
    const json_t *val = json_object_get(jv, "value");
    if (!json_is_integer(val))
        return fail_at(c, pname, "value", (int)i, field,
                       "'value' must be a whole number (money in cents, ages in months)");
    out->value = json_integer_value(val);
    if (out->value < 0) return fail_at(c, pname, "value", (int)i, field, "'value' may not be negative");
    if (pa->unit == WL_UNIT_MONTHS && out->value > 150 * 12)
        return fail_at(c, pname, "value", (int)i, field, "an age above 150 years is not plausible");
    const char *src = json_string_value(json_object_get(jv, "source"));
    if (!src || !*src)
        return fail_at(c, pname, "from", (int)i, field, "'source' (where the value comes from) is required");
    const char *sd = json_string_value(json_object_get(jv, "source_date"));
    if (!wl_minima_source_date_ok(sd))
        return fail_at(c, pname, "from", (int)i, field, "'source_date' must be YYYY, YYYY-MM or YYYY-MM-DD");
    out->source = dup_str(src);
    out->source_date = dup_str(sd);
    if (!out->source || !out->source_date) {
        wl_err_set(c->err, "%s: out of memory", c->path);
        return WL_ERR_NOMEM;
    }
    return WL_OK;
}

static wl_rc load_param(ctx_t *c, const char *name, const json_t *jp, wl_param_t *pa)
{
    static const char *const keys[] = {"description", "unit", "known_until", "values", NULL};
    char field[200], msg[300];
    snprintf(field, sizeof field, "parameters.%s", name);
    pa->name = dup_str(name);
    pa->known_until = WL_DAY_NONE;
    if (!pa->name) return WL_ERR_NOMEM;
    if (!valid_name(name))
        return fail_at(c, name, NULL, 0, field, "a parameter name uses only a-z, 0-9, '_' and '.'");
    if (!json_is_object(jp)) return fail_at(c, name, NULL, 0, field, "must be an object");
    const char *bad = wl_minima_unknown_key(jp, keys);
    if (bad) {
        snprintf(msg, sizeof msg, "unknown key '%s' (allowed: description, unit, known_until, values)", bad);
        return fail_at(c, name, bad, 0, field, msg);
    }
    const char *desc = json_string_value(json_object_get(jp, "description"));
    if (!desc || !*desc) return fail_at(c, name, NULL, 0, field, "'description' is required");
    pa->description = dup_str(desc);
    if (!pa->description) return WL_ERR_NOMEM;
    int unit = name_index(unit_names, json_string_value(json_object_get(jp, "unit")));
    if (unit < 0)
        return fail_at(c, name, "unit", 0, field,
                       "'unit' must be one of cents_per_month, cents_per_year, cents, months");
    pa->unit = (wl_param_unit)unit;
    const json_t *ku = json_object_get(jp, "known_until");
    if (ku && !json_is_null(ku) &&
        (!json_is_string(ku) || !wl_minima_day_parse(json_string_value(ku), &pa->known_until)))
        return fail_at(c, name, "known_until", 0, field, "'known_until' must be a date YYYY-MM-DD or null");
    const json_t *vals = json_object_get(jp, "values");
    if (!json_is_array(vals) || json_array_size(vals) == 0)
        return fail_at(c, name, "values", 0, field, "'values' must be a non-empty list");
    pa->values = calloc(json_array_size(vals), sizeof *pa->values);
    if (!pa->values) return WL_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(vals); i++) {
        wl_rc rc = load_value(c, name, pa, i, json_array_get(vals, i), &pa->values[i]);
        pa->n_values = (int)i + 1; /* count it so its strings are freed even on error */
        if (rc != WL_OK) return rc;
        if (i == 0) continue;
        const wl_pvalue_t *prev = &pa->values[i - 1], *cur = &pa->values[i];
        snprintf(field, sizeof field, "parameters.%s.values[%zu].from", name, i);
        if (cur->from == prev->from) {
            snprintf(msg, sizeof msg, "two values start on %s (overlapping periods)", cur->from_s);
            return fail_at(c, name, "from", (int)i, field, msg);
        }
        if (cur->from < prev->from) {
            snprintf(msg, sizeof msg, "dates not in ascending order: %s comes after %s", cur->from_s,
                     prev->from_s);
            return fail_at(c, name, "from", (int)i, field, msg);
        }
        if (prev->to != WL_DAY_NONE && prev->to >= cur->from) {
            snprintf(msg, sizeof msg, "overlapping periods: the value before runs past %s", cur->from_s);
            return fail_at(c, name, "from", (int)i, field, msg);
        }
    }
    if (pa->known_until != WL_DAY_NONE && pa->known_until < pa->values[pa->n_values - 1].from)
        return fail_at(c, name, "known_until", 0, "parameters.known_until",
                       "'known_until' is before the newest value's 'from'");
    return WL_OK;
}

static wl_rc load_table(ctx_t *c, wl_params_t *p, const char *name, const json_t *jt, wl_table_t *t)
{
    static const char *const keys[] = {"label", "rows", NULL};
    static const char *const row_keys[] = {"household", "band", "parameter", NULL};
    char field[200], msg[300];
    snprintf(field, sizeof field, "tables.%s", name);
    t->name = dup_str(name);
    if (!t->name) return WL_ERR_NOMEM;
    if (!valid_name(name)) return fail_at(c, name, NULL, 0, field, "a table name uses only a-z, 0-9, '_' and '.'");
    if (!json_is_object(jt)) return fail_at(c, name, NULL, 0, field, "must be an object");
    const char *bad = wl_minima_unknown_key(jt, keys);
    if (bad) {
        snprintf(msg, sizeof msg, "unknown key '%s' (allowed: label, rows)", bad);
        return fail_at(c, name, bad, 0, field, msg);
    }
    const char *label = json_string_value(json_object_get(jt, "label"));
    if (!label || !*label) return fail_at(c, name, NULL, 0, field, "'label' (Dutch, e.g. \"de bijstandsnorm\") is required");
    t->label = dup_str(label);
    const json_t *rows = json_object_get(jt, "rows");
    if (!json_is_array(rows) || json_array_size(rows) == 0)
        return fail_at(c, name, "rows", 0, field, "'rows' must be a non-empty list");
    t->rows = calloc(json_array_size(rows), sizeof *t->rows);
    if (!t->label || !t->rows) return WL_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        const json_t *r = json_array_get(rows, i);
        snprintf(field, sizeof field, "tables.%s.rows[%zu]", name, i);
        if (!json_is_object(r)) return fail_at(c, name, "rows", 0, field, "must be an object");
        bad = wl_minima_unknown_key(r, row_keys);
        if (bad) {
            snprintf(msg, sizeof msg, "unknown key '%s' (allowed: household, band, parameter)", bad);
            return fail_at(c, name, bad, 0, field, msg);
        }
        const char *hh = json_string_value(json_object_get(r, "household"));
        const char *band = json_string_value(json_object_get(r, "band"));
        const char *pname = json_string_value(json_object_get(r, "parameter"));
        wl_trow_t *row = &t->rows[i];
        row->household = hh && !strcmp(hh, "*") ? WL_ANY : name_index(household_names, hh);
        if (!hh || (strcmp(hh, "*") && row->household < 0))
            return fail_at(c, name, "household", (int)i, field,
                           "'household' must be single, single_parent, couple or \"*\"");
        row->band = band && !strcmp(band, "*") ? WL_ANY : name_index(band_names, band);
        if (!band || (strcmp(band, "*") && row->band < 0))
            return fail_at(c, name, "band", (int)i, field, "'band' must be 18_20, 21_aow, aow, mixed or \"*\"");
        row->param = wl_params_find(p, pname);
        if (row->param < 0) {
            snprintf(msg, sizeof msg, "unknown parameter '%s'", pname ? pname : "(missing)");
            return fail_at(c, name, "parameter", (int)i, field, msg);
        }
        t->n_rows = (int)i + 1;
    }
    return WL_OK;
}

wl_rc wl_params_load(const char *path, wl_params_t **out, wl_err_t *err)
{
    static const char *const keys[] = {"description", "parameters", "tables", NULL};
    *out = NULL;
    json_t *root = NULL;
    wl_rc rc = wl_json_load_file(path, &root, err);
    if (rc != WL_OK) return rc;
    ctx_t c = {path, {path, NULL, false}, err};
    wl_params_t *p = calloc(1, sizeof *p);
    if (!p) {
        rc = WL_ERR_NOMEM;
        goto done;
    }
    char msg[300];
    if (!json_is_object(root)) {
        rc = fail_at(&c, NULL, NULL, 0, "(top)", "must be an object with 'parameters' and 'tables'");
        goto done;
    }
    const char *bad = wl_minima_unknown_key(root, keys);
    if (bad) {
        snprintf(msg, sizeof msg, "unknown key '%s' (allowed: description, parameters, tables)", bad);
        rc = fail_at(&c, bad, NULL, 0, "(top)", msg);
        goto done;
    }
    const json_t *params = json_object_get(root, "parameters");
    const json_t *tables = json_object_get(root, "tables");
    if (!json_is_object(params) || json_object_size(params) == 0) {
        rc = fail_at(&c, "parameters", NULL, 0, "parameters", "must be a non-empty object");
        goto done;
    }
    if (!json_is_object(tables)) {
        rc = fail_at(&c, "tables", NULL, 0, "tables", "must be an object");
        goto done;
    }
    p->params = calloc(json_object_size(params), sizeof *p->params);
    p->tables = calloc(json_object_size(tables) + 1, sizeof *p->tables);
    if (!p->params || !p->tables) {
        rc = WL_ERR_NOMEM;
        goto done;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)params, key, v) {
        rc = load_param(&c, key, v, &p->params[p->n_params]);
        p->n_params++;
        if (rc != WL_OK) goto done;
    }
    p->aow_param = wl_params_find(p, "aow_leeftijd");
    if (p->aow_param < 0 || p->params[p->aow_param].unit != WL_UNIT_MONTHS) {
        rc = fail_at(&c, "parameters", NULL, 0, "parameters.aow_leeftijd",
                     "required: the AOW age in months (unit \"months\")");
        goto done;
    }
    json_object_foreach((json_t *)tables, key, v) {
        rc = load_table(&c, p, key, v, &p->tables[p->n_tables]);
        p->n_tables++;
        if (rc != WL_OK) goto done;
    }
done:
    if (rc == WL_ERR_NOMEM) wl_err_set(err, "%s: out of memory", path);
    wl_minima_loc_free(&c.loc);
    json_decref(root);
    if (rc != WL_OK) {
        wl_params_free(p);
        return rc;
    }
    *out = p;
    return WL_OK;
}
