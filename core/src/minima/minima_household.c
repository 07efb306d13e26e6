/* Household input for the minima engine: JSON form (CLI, tests) and range checks for every source. */
#include "minima/minima_internal.h"

#include <stdio.h>
#include <string.h>

/* Limits for "absurd" input: far beyond anyone a minima wizard serves, so hitting one is a
 * typing error (euros typed as cents, an extra zero), not a rich household. */
#define MAX_NET_MONTHLY 10000000LL      /* € 100.000 a month */
#define MAX_GROSS_YEARLY 100000000LL    /* € 1.000.000 a year */
#define MAX_ASSETS 10000000000LL        /* € 100 miljoen */

wl_rc wl_minima_household_validate(const wl_minima_household_t *h, wl_err_t *err)
{
    const wl_minima_person_t *people[2] = {&h->applicant, &h->partner};
    const char *who[2] = {"applicant", "partner"};
    for (int i = 0; i < (h->has_partner ? 2 : 1); i++) {
        if (people[i]->age_years < 18 || people[i]->age_years > 130) {
            wl_err_set(err, "%s.age: %d is not allowed (18 to 130 years; the wizard is for adults)", who[i],
                       people[i]->age_years);
            return WL_ERR_INVALID;
        }
        if (people[i]->age_months < -1 || people[i]->age_months > 11) {
            wl_err_set(err, "%s.age_months: %d is not allowed (0 to 11)", who[i], people[i]->age_months);
            return WL_ERR_INVALID;
        }
    }
    if (h->n_children < 0 || h->n_children > WL_MINIMA_MAX_CHILDREN) {
        wl_err_set(err, "children: %d children is not allowed (0 to %d)", h->n_children, WL_MINIMA_MAX_CHILDREN);
        return WL_ERR_INVALID;
    }
    for (int i = 0; i < h->n_children; i++) {
        if (h->children[i].age < 0 || h->children[i].age > 40) {
            wl_err_set(err, "children[%d].age: %d is not allowed (0 to 40)", i, h->children[i].age);
            return WL_ERR_INVALID;
        }
        if (h->children[i].school < WL_SCHOOL_UNKNOWN || h->children[i].school > WL_SCHOOL_OTHER) {
            wl_err_set(err, "children[%d].school: not a known school type", i);
            return WL_ERR_INVALID;
        }
    }
    if (h->net_monthly_income < 0 || h->net_monthly_income > MAX_NET_MONTHLY) {
        wl_err_set(err, "net_monthly_income_cents: %lld is not allowed (0 to %lld cents, € 100.000 a month)",
                   (long long)h->net_monthly_income, MAX_NET_MONTHLY);
        return WL_ERR_INVALID;
    }
    if (h->gross_yearly_income < -1 || h->gross_yearly_income > MAX_GROSS_YEARLY) {
        wl_err_set(err, "gross_yearly_income_cents: %lld is not allowed (0 to %lld cents, or unknown)",
                   (long long)h->gross_yearly_income, MAX_GROSS_YEARLY);
        return WL_ERR_INVALID;
    }
    if (h->assets_min < -1 || h->assets_min > MAX_ASSETS || h->assets_max < -1 || h->assets_max > MAX_ASSETS ||
        (h->assets_min >= 0 && h->assets_max >= 0 && h->assets_max < h->assets_min)) {
        wl_err_set(err, "assets: %lld..%lld is not allowed (0 to %lld cents, max not below min)",
                   (long long)h->assets_min, (long long)h->assets_max, MAX_ASSETS);
        return WL_ERR_INVALID;
    }
    if (h->years_low_income < -1 || h->years_low_income > h->applicant.age_years) {
        wl_err_set(err, "years_low_income: %d is not allowed (0 to the applicant's age)", h->years_low_income);
        return WL_ERR_INVALID;
    }
    if (h->student < -1 || h->student > 1 || h->chronic_illness < -1 || h->chronic_illness > 1) {
        wl_err_set(err, "student/chronic_illness: must be yes, no or unknown");
        return WL_ERR_INVALID;
    }
    return WL_OK;
}

/* Reads a whole number field into *out. required: missing is an error; otherwise missing or
 * null leaves *out alone. */
static wl_rc get_int(const json_t *obj, const char *key, const char *name, const char *field,
                     bool required, long long lo, long long hi, int64_t *out, wl_err_t *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (!required) return WL_OK;
        wl_err_set(err, "%s: %s: missing (required)", name, field);
        return WL_ERR_INVALID;
    }
    if (!json_is_integer(v)) {
        wl_err_set(err, "%s: %s: must be a whole number%s", name, field,
                   json_is_real(v) ? " (money in cents, without a decimal point)" : "");
        return WL_ERR_INVALID;
    }
    long long x = json_integer_value(v);
    if (x < lo || x > hi) {
        wl_err_set(err, "%s: %s: %lld is out of range (%lld to %lld)", name, field, x, lo, hi);
        return WL_ERR_INVALID;
    }
    *out = x;
    return WL_OK;
}

static wl_rc get_bool(const json_t *obj, const char *key, const char *name, int *out, wl_err_t *err)
{
    const json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return WL_OK;
    if (!json_is_boolean(v)) {
        wl_err_set(err, "%s: %s: must be true, false or null (unknown)", name, key);
        return WL_ERR_INVALID;
    }
    *out = json_is_true(v) ? 1 : 0;
    return WL_OK;
}

static wl_rc unknown_key(const json_t *obj, const char *const *keys, const char *name, const char *where,
                         wl_err_t *err)
{
    const char *bad = wl_minima_unknown_key(obj, keys);
    if (!bad) return WL_OK;
    wl_err_set(err, "%s: %s%sunknown field '%s'", name, where, *where ? ": " : "", bad);
    return WL_ERR_INVALID;
}

static wl_rc get_person(const json_t *jp, const char *name, const char *who, wl_minima_person_t *p, wl_err_t *err)
{
    static const char *const keys[] = {"age", "age_months", NULL};
    char field[64];
    if (!json_is_object(jp)) {
        wl_err_set(err, "%s: %s: must be an object like {\"age\": 35}", name, who);
        return WL_ERR_INVALID;
    }
    wl_rc rc = unknown_key(jp, keys, name, who, err);
    int64_t age = 0, months = -1;
    snprintf(field, sizeof field, "%s.age", who);
    if (rc == WL_OK) rc = get_int(jp, "age", name, field, true, 18, 130, &age, err);
    snprintf(field, sizeof field, "%s.age_months", who);
    if (rc == WL_OK) rc = get_int(jp, "age_months", name, field, false, 0, 11, &months, err);
    p->age_years = (int)age;
    p->age_months = (int)months;
    return rc;
}

static wl_rc get_children(const json_t *jc, const char *name, wl_minima_household_t *h, wl_err_t *err)
{
    static const char *const keys[] = {"age", "school", NULL};
    static const char *const schools[] = {"unknown", "none", "primary", "secondary", "other", NULL};
    if (!json_is_array(jc)) {
        wl_err_set(err, "%s: children: missing (required; [] when there are none)", name);
        return WL_ERR_INVALID;
    }
    if (json_array_size(jc) > WL_MINIMA_MAX_CHILDREN) {
        wl_err_set(err, "%s: children: at most %d", name, WL_MINIMA_MAX_CHILDREN);
        return WL_ERR_INVALID;
    }
    for (size_t i = 0; i < json_array_size(jc); i++) {
        const json_t *c = json_array_get(jc, i);
        char field[48];
        snprintf(field, sizeof field, "children[%zu]", i);
        if (!json_is_object(c)) {
            wl_err_set(err, "%s: %s: must be an object like {\"age\": 7}", name, field);
            return WL_ERR_INVALID;
        }
        wl_rc rc = unknown_key(c, keys, name, field, err);
        int64_t age = 0;
        snprintf(field, sizeof field, "children[%zu].age", i);
        if (rc == WL_OK) rc = get_int(c, "age", name, field, true, 0, 40, &age, err);
        if (rc != WL_OK) return rc;
        h->children[i].age = (int)age;
        h->children[i].school = WL_SCHOOL_UNKNOWN;
        const json_t *s = json_object_get(c, "school");
        if (s && !json_is_null(s)) {
            int found = -1;
            for (int k = 0; json_is_string(s) && schools[k]; k++)
                if (!strcmp(schools[k], json_string_value(s))) found = k;
            if (found < 0) {
                wl_err_set(err, "%s: children[%zu].school: must be none, primary, secondary, other or null", name, i);
                return WL_ERR_INVALID;
            }
            h->children[i].school = (wl_minima_school)found;
        }
        h->n_children = (int)i + 1;
    }
    return WL_OK;
}

static wl_rc get_assets(const json_t *j, const char *name, wl_minima_household_t *h, wl_err_t *err)
{
    static const char *const keys[] = {"min_cents", "max_cents", NULL};
    const json_t *a = json_object_get(j, "assets_cents");
    h->assets_min = h->assets_max = -1;
    if (!a || json_is_null(a)) return WL_OK;
    if (json_is_object(a)) {
        /* A band as the kiosk asks it: "between € 5.000 and € 10.000"; max null = no upper end. */
        wl_rc rc = unknown_key(a, keys, name, "assets_cents", err);
        if (rc == WL_OK) rc = get_int(a, "min_cents", name, "assets_cents.min_cents", true, 0, MAX_ASSETS, &h->assets_min, err);
        if (rc == WL_OK) rc = get_int(a, "max_cents", name, "assets_cents.max_cents", false, 0, MAX_ASSETS, &h->assets_max, err);
        if (rc == WL_OK && h->assets_max >= 0 && h->assets_max < h->assets_min) {
            wl_err_set(err, "%s: assets_cents: max_cents is below min_cents", name);
            rc = WL_ERR_INVALID;
        }
        return rc;
    }
    wl_rc rc = get_int(j, "assets_cents", name, "assets_cents", true, 0, MAX_ASSETS, &h->assets_min, err);
    h->assets_max = h->assets_min;
    return rc;
}

wl_rc wl_minima_household_parse(const json_t *j, const char *name, wl_minima_household_t *h, wl_err_t *err)
{
    static const char *const keys[] = {"applicant", "partner", "children", "net_monthly_income_cents",
                                       "gross_yearly_income_cents", "assets_cents", "years_low_income",
                                       "student", "chronic_illness", NULL};
    if (!name) name = "household";
    memset(h, 0, sizeof *h);
    h->gross_yearly_income = h->assets_min = h->assets_max = -1;
    h->years_low_income = h->student = h->chronic_illness = -1;
    h->partner.age_months = -1;
    if (!json_is_object(j)) {
        wl_err_set(err, "%s: a household must be a JSON object", name);
        return WL_ERR_INVALID;
    }
    wl_rc rc = unknown_key(j, keys, name, "", err);
    if (rc == WL_OK && !json_object_get(j, "applicant")) {
        wl_err_set(err, "%s: applicant: missing (required, e.g. {\"age\": 35})", name);
        rc = WL_ERR_INVALID;
    }
    if (rc == WL_OK) rc = get_person(json_object_get(j, "applicant"), name, "applicant", &h->applicant, err);
    const json_t *partner = json_object_get(j, "partner");
    if (rc == WL_OK && !partner) {
        wl_err_set(err, "%s: partner: missing (required: null when living alone, else {\"age\": ...})", name);
        rc = WL_ERR_INVALID;
    }
    if (rc == WL_OK && !json_is_null(partner)) {
        h->has_partner = true;
        rc = get_person(partner, name, "partner", &h->partner, err);
    }
    if (rc == WL_OK) rc = get_children(json_object_get(j, "children"), name, h, err);
    if (rc == WL_OK)
        rc = get_int(j, "net_monthly_income_cents", name, "net_monthly_income_cents", true, 0, MAX_NET_MONTHLY,
                     &h->net_monthly_income, err);
    if (rc == WL_OK)
        rc = get_int(j, "gross_yearly_income_cents", name, "gross_yearly_income_cents", false, 0, MAX_GROSS_YEARLY,
                     &h->gross_yearly_income, err);
    if (rc == WL_OK) rc = get_assets(j, name, h, err);
    int64_t years = -1;
    if (rc == WL_OK) rc = get_int(j, "years_low_income", name, "years_low_income", false, 0, 130, &years, err);
    h->years_low_income = (int)years;
    if (rc == WL_OK) rc = get_bool(j, "student", name, &h->student, err);
    if (rc == WL_OK) rc = get_bool(j, "chronic_illness", name, &h->chronic_illness, err);
    if (rc == WL_OK) {
        rc = wl_minima_household_validate(h, err);
        if (rc != WL_OK) wl_err_prefix(err, "%s: ", name);
    }
    return rc;
}
