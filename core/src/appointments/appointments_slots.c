/* Slots: a service's hours intersected with a location's opening hours, cut per duration. */
#include "appointments/appointments_internal.h"
#include "store/store_stmt.h"
#include "wijkloket/questionnaire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int wl_appt_parse_hhmm(const char *s)
{
    if (!s || strlen(s) != 5 || s[2] != ':') return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9')) return -1;
    int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');
    /* 24:00 closes a day that runs to midnight. */
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return -1;
    return h * 60 + m;
}

bool wl_appt_is_closed(const json_t *closed, const char *date)
{
    size_t i;
    const json_t *d;
    json_array_foreach(closed, i, d) {
        const char *s = json_string_value(json_object_get(d, "datum"));
        if (s && strcmp(s, date) == 0) return true;
    }
    return false;
}

bool wl_appointments_local_to_unix(const char *start, int64_t *out)
{
    char date[11];
    int y, m, d;
    if (!start || strlen(start) != 16 || start[10] != 'T') return false;
    memcpy(date, start, 10);
    date[10] = '\0';
    int mins = wl_appt_parse_hhmm(start + 11);
    if (!wl_date_parse(date, &y, &m, &d) || mins < 0 || mins >= 24 * 60) return false;
    struct tm tmv = {0};
    tmv.tm_year = y - 1900;
    tmv.tm_mon = m - 1;
    tmv.tm_mday = d;
    tmv.tm_hour = mins / 60;
    tmv.tm_min = mins % 60;
    tmv.tm_isdst = -1; /* let the zone rules decide summer time */
    time_t t = mktime(&tmv);
    if (t == (time_t)-1) return false;
    *out = (int64_t)t;
    return true;
}

static const char *closed_reason(const json_t *closed, const char *date)
{
    size_t i;
    const json_t *d;
    json_array_foreach(closed, i, d) {
        const char *s = json_string_value(json_object_get(d, "datum"));
        if (s && strcmp(s, date) == 0) return json_string_value(json_object_get(d, "reden"));
    }
    return NULL;
}

/* Checks ids and date and says why a day has no slots. On WL_OK *closed_why is NULL or the
 * reason the day is closed. */
static wl_rc resolve(const wl_catalog_t *c, const char *service, const char *location, const char *date,
                     const wl_svc_t **s, const wl_loc_t **l, int *weekday, const char **closed_why,
                     wl_err_t *err)
{
    size_t idx;
    int y, m, d;
    *s = wl_appt_find_svc(c, service);
    *l = wl_appt_find_loc(c, location, &idx);
    if (!*s) {
        wl_err_set(err, "unknown service '%s' (see assets/services.json)", service ? service : "");
        return WL_ERR_INVALID;
    }
    if (!*l) {
        wl_err_set(err, "unknown location '%s' (see assets/locations.json)", location ? location : "");
        return WL_ERR_INVALID;
    }
    if (!(*s)->at[idx]) {
        wl_err_set(err, "service '%s' is not held at location '%s'", service, location);
        return WL_ERR_INVALID;
    }
    if (!wl_date_parse(date, &y, &m, &d)) {
        wl_err_set(err, "'%s' is not a date (YYYY-MM-DD)", date ? date : "");
        return WL_ERR_PARSE;
    }
    *weekday = wl_weekday(wl_days_from_civil(y, m, d));
    *closed_why = closed_reason(c->closed, date);
    if (!*closed_why) *closed_why = closed_reason((*l)->closed, date);
    if (!*closed_why) *closed_why = closed_reason((*s)->closed, date);
    return WL_OK;
}

/* Writes minutes after midnight as "HH:MM" plus NUL (6 bytes); 24:00 stays 24:00. */
static void put_hhmm(char *dst, int mins)
{
    unsigned h = (unsigned)(mins / 60) % 100u, m = (unsigned)(mins % 60);
    dst[0] = (char)('0' + h / 10);
    dst[1] = (char)('0' + h % 10);
    dst[2] = ':';
    dst[3] = (char)('0' + m / 10);
    dst[4] = (char)('0' + m % 10);
    dst[5] = '\0';
}

/* Appends the slots of one day (no store, no `now` filter) to a caller array of room `cap`. */
static size_t cut_slots(const wl_svc_t *s, const wl_loc_t *l, int wd, const char *date, wl_slot_t *slots,
                        size_t cap)
{
    size_t n = 0;
    for (int i = 0; i < s->hours.n[wd]; i++)
        for (int j = 0; j < l->hours.n[wd]; j++) {
            int a = s->hours.from[wd][i] > l->hours.from[wd][j] ? s->hours.from[wd][i] : l->hours.from[wd][j];
            int b = s->hours.to[wd][i] < l->hours.to[wd][j] ? s->hours.to[wd][i] : l->hours.to[wd][j];
            /* Only whole slots: the last one must end by closing time, not run over it. */
            for (int t = a; t + s->duration <= b && n < cap; t += s->duration) {
                wl_slot_t *o = &slots[n++];
                memcpy(o->start, date, 10);
                o->start[10] = 'T';
                put_hhmm(o->start + 11, t);
                put_hhmm(o->end, t + s->duration);
                o->capacity = s->capacity;
                o->used = 0;
            }
        }
    return n;
}

static int by_start(const void *a, const void *b)
{
    return strcmp(((const wl_slot_t *)a)->start, ((const wl_slot_t *)b)->start);
}

/* Seats already taken, from slot_usage. */
static wl_rc fill_usage(wl_store_t *st, const char *service, const char *location, wl_slot_t *slots,
                        size_t n, wl_err_t *err)
{
    wl_stmt_t *q = NULL;
    wl_rc rc = wl_stmt_prepare(st, "SELECT used FROM slot_usage WHERE service = ?1 AND location = ?2 AND start = ?3",
                                &q, err);
    if (rc) return rc;
    for (size_t i = 0; i < n; i++) {
        wl_stmt_text(q, 1, service);
        wl_stmt_text(q, 2, location);
        wl_stmt_text(q, 3, slots[i].start);
        int s = wl_stmt_step(q);
        if (s == WL_ROW) slots[i].used = wl_stmt_col_int(q, 0);
        else if (s != WL_DONE) {
            rc = wl_store_step_error(st, s, "reading slot usage", err);
            break;
        }
        wl_stmt_reset(q);
    }
    wl_stmt_finalize(q);
    return rc;
}

wl_rc wl_appointments_slots(wl_store_t *st, const wl_catalog_t *c, const char *service,
                            const char *location, const char *date, int64_t now, wl_slot_t **out,
                            size_t *n, wl_err_t *err)
{
    *out = NULL;
    *n = 0;
    const wl_svc_t *s;
    const wl_loc_t *l;
    const char *why;
    int wd;
    wl_rc rc = resolve(c, service, location, date, &s, &l, &wd, &why, err);
    if (rc || why) return rc;
    /* A day holds at most 24 h / 5 min slots per range pair. */
    size_t cap = (size_t)WL_APPT_MAX_RANGES * WL_APPT_MAX_RANGES * (24 * 60 / 5);
    wl_slot_t *all = malloc(cap * sizeof *all);
    if (!all) return WL_ERR_NOMEM;
    size_t total = cut_slots(s, l, wd, date, all, cap), kept = 0;
    qsort(all, total, sizeof *all, by_start);
    /* A day that starts after now has no past slots: skip the mktime per slot. */
    char midnight[17];
    int64_t day0 = 0;
    snprintf(midnight, sizeof midnight, "%.10sT00:00", date);
    bool ahead = wl_appointments_local_to_unix(midnight, &day0) && day0 > now;
    for (size_t i = 0; i < total; i++) {
        int64_t t;
        if (!ahead && (!wl_appointments_local_to_unix(all[i].start, &t) || t <= now)) continue;
        /* Ranges of a service may overlap two location ranges at one start: keep one. */
        if (kept > 0 && strcmp(all[kept - 1].start, all[i].start) == 0) continue;
        all[kept++] = all[i];
    }
    if (kept == 0) {
        free(all);
        return WL_OK;
    }
    if (st && (rc = fill_usage(st, service, location, all, kept, err))) {
        free(all);
        return rc;
    }
    wl_slot_t *shrunk = realloc(all, kept * sizeof *all);
    *out = shrunk ? shrunk : all;
    *n = kept;
    return WL_OK;
}

wl_rc wl_appointments_days(const wl_catalog_t *c, const char *service, const char *location,
                           const char *today, int64_t now, size_t max_days, char (*days)[11],
                           size_t *n, wl_err_t *err)
{
    *n = 0;
    int y, m, d;
    if (!wl_date_parse(today, &y, &m, &d)) {
        wl_err_set(err, "'%s' is not a date (YYYY-MM-DD)", today ? today : "");
        return WL_ERR_PARSE;
    }
    int64_t day0 = wl_days_from_civil(y, m, d);
    for (int64_t k = 0; k < 60 && *n < max_days; k++) {
        char date[11];
        int yy, mm, dd;
        wl_civil_from_days(day0 + k, &yy, &mm, &dd);
        snprintf(date, sizeof date, "%04d-%02d-%02d", yy, mm, dd);
        wl_slot_t *slots;
        size_t ns;
        wl_rc rc = wl_appointments_slots(NULL, c, service, location, date, now, &slots, &ns, err);
        if (rc) return rc;
        free(slots);
        if (ns > 0) memcpy(days[(*n)++], date, 11);
    }
    return WL_OK;
}

wl_rc wl_appt_check_start(const wl_catalog_t *c, const char *service, const char *location,
                          const char *start, int64_t now, wl_slot_t *slot, int *capacity, wl_err_t *err)
{
    int64_t t;
    char date[11];
    if (!wl_appointments_local_to_unix(start, &t)) {
        wl_err_set(err, "'%s' is not a start time (YYYY-MM-DDTHH:MM)", start ? start : "");
        return WL_ERR_PARSE;
    }
    memcpy(date, start, 10);
    date[10] = '\0';
    const wl_svc_t *s;
    const wl_loc_t *l;
    const char *why;
    int wd;
    wl_rc rc = resolve(c, service, location, date, &s, &l, &wd, &why, err);
    if (rc) return rc;
    if (t <= now) {
        wl_err_set(err, "%s is in the past: choose a later time", start);
        return WL_ERR_INVALID;
    }
    if (why) {
        wl_err_set(err, "%s is a closed day (%s) for '%s' at '%s'", date, why, service, location);
        return WL_ERR_INVALID;
    }
    /* Find start among the day's slots one at a time: every booking and hold passes here, and
     * wl_appointments_slots would also allocate room for a whole day and convert each slot to
     * unix time (a mktime each) only to drop past ones, while start is known to be ahead. */
    wl_slot_t one;
    for (int i = 0; i < s->hours.n[wd]; i++)
        for (int j = 0; j < l->hours.n[wd]; j++) {
            int a = s->hours.from[wd][i] > l->hours.from[wd][j] ? s->hours.from[wd][i] : l->hours.from[wd][j];
            int b = s->hours.to[wd][i] < l->hours.to[wd][j] ? s->hours.to[wd][i] : l->hours.to[wd][j];
            for (int m = a; m + s->duration <= b; m += s->duration) {
                memcpy(one.start, date, 10);
                one.start[10] = 'T';
                put_hhmm(one.start + 11, m);
                if (strcmp(one.start, start) != 0) continue;
                put_hhmm(one.end, m + s->duration);
                one.capacity = s->capacity;
                one.used = 0;
                *slot = one;
                *capacity = s->capacity;
                return WL_OK;
            }
        }
    wl_slot_t *slots;
    size_t n;
    /* Not a slot: the message lists the times that day as a citizen would see them. */
    if ((rc = wl_appointments_slots(NULL, c, service, location, date, now, &slots, &n, err))) return rc;
    char list[200] = "";
    for (size_t i = 0; i < n && strlen(list) + 8 < sizeof list; i++) {
        strcat(list, i ? ", " : "");
        strcat(list, slots[i].start + 11);
    }
    free(slots);
    if (n == 0)
        wl_err_set(err, "%s is outside the hours of '%s' at '%s': there are no times that day", start,
                   service, location);
    else
        wl_err_set(err, "%s is outside the hours of '%s' at '%s': times that day are %s", start, service,
                   location, list);
    return WL_ERR_INVALID;
}

wl_rc wl_appointments_check_start(const wl_catalog_t *c, const char *service, const char *location,
                                  const char *start, int64_t now, wl_slot_t *slot, int *capacity, wl_err_t *err)
{
    return wl_appt_check_start(c, service, location, start, now, slot, capacity, err);
}
