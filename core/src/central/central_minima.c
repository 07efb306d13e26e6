/* Anonymous counts of the portal's minima check in PostgreSQL: which schemes were shown, per day and location. */
#include "central/central_internal.h"

#include <string.h>

#include "wijkloket/dates.h"

/* Only (day, location, scheme, status) and a count, as on a kiosk (minima_count.c): no time of
 * day, no household figure, no session, so no row leads back to the citizen. */
wl_rc wl_central_minima_count_shown(wl_central_t *c, const wl_minima_t *m, const wl_minima_result_t *r,
                                    const char *day, const char *location, wl_err_t *err)
{
    if (!m || !r || !day || !wl_date_parse(day, NULL, NULL, NULL)) {
        wl_err_set(err, "minima count: no result, or the day is not YYYY-MM-DD");
        return WL_ERR_INVALID;
    }
    if (!location || !*location || strlen(location) > 64) {
        wl_err_set(err, "minima count: location id must be 1 to 64 characters");
        return WL_ERR_INVALID;
    }
    wl_rc rc = wl_pq_begin(c, err);
    const char *v[4] = {day, location, NULL, NULL};
    if (rc == WL_OK)
        rc = wl_pq_exec(c, "counting a minima check",
                        "INSERT INTO minima_runs (day, location, count) VALUES ($1, $2, 1) "
                        "ON CONFLICT (day, location) DO UPDATE SET count = minima_runs.count + 1",
                        2, v, NULL, NULL, NULL, err);
    int n = wl_minima_scheme_count(m);
    for (int i = 0; rc == WL_OK && i < n; i++) {
        wl_minima_status s = wl_minima_result_status(r, i);
        if (s != WL_MINIMA_ELIGIBLE && s != WL_MINIMA_MAYBE) continue;
        v[2] = wl_minima_scheme_id(m, i);
        v[3] = wl_minima_status_name(s);
        rc = wl_pq_exec(c, "counting a shown scheme",
                        "INSERT INTO minima_shown (day, location, scheme, status, count) VALUES ($1, $2, $3, $4, 1) "
                        "ON CONFLICT (day, location, scheme, status) DO UPDATE SET count = minima_shown.count + 1",
                        4, v, NULL, NULL, NULL, err);
    }
    if (rc) {
        wl_pq_rollback(c);
        return rc;
    }
    return wl_pq_commit(c, err);
}

/* Rows of sql (day, location[, scheme, status], count) between from and to as JSON objects. */
static wl_rc rows(wl_central_t *c, const char *what, const char *sql, bool shown, const char *from, const char *to,
                  json_t **out, wl_err_t *err)
{
    const char *v[2] = {from, to};
    PGresult *r;
    wl_rc rc = wl_pq_exec(c, what, sql, 2, v, NULL, NULL, &r, err);
    if (rc) return rc;
    json_t *list = json_array();
    for (int i = 0; list && i < PQntuples(r); i++) {
        json_t *row = shown ? json_pack("{s:s,s:s,s:s,s:s,s:I}", "date", PQgetvalue(r, i, 0), "location",
                                        PQgetvalue(r, i, 1), "scheme", PQgetvalue(r, i, 2), "status",
                                        PQgetvalue(r, i, 3), "count", (json_int_t)wl_pq_get_i64(r, i, 4))
                            : json_pack("{s:s,s:s,s:I}", "date", PQgetvalue(r, i, 0), "location", PQgetvalue(r, i, 1),
                                        "count", (json_int_t)wl_pq_get_i64(r, i, 2));
        if (!row || json_array_append_new(list, row)) {
            json_decref(list);
            list = NULL;
        }
    }
    PQclear(r);
    if (!list) {
        wl_err_set(err, "%s: out of memory", what);
        return WL_ERR_NOMEM;
    }
    *out = list;
    return WL_OK;
}

wl_rc wl_central_minima_counts(wl_central_t *c, const char *from, const char *to, json_t **out, json_t **runs,
                               wl_err_t *err)
{
    *out = NULL;
    if (runs) *runs = NULL;
    if (!wl_date_parse(from, NULL, NULL, NULL) || !wl_date_parse(to, NULL, NULL, NULL)) {
        wl_err_set(err, "minima counts: from and to must be dates YYYY-MM-DD");
        return WL_ERR_INVALID;
    }
    wl_rc rc = rows(c, "reading minima counts",
                    "SELECT day, location, scheme, status, count FROM minima_shown WHERE day BETWEEN $1 AND $2 "
                    "ORDER BY day, location, scheme, status",
                    true, from, to, out, err);
    if (rc == WL_OK && runs)
        rc = rows(c, "reading minima checks",
                  "SELECT day, location, count FROM minima_runs WHERE day BETWEEN $1 AND $2 ORDER BY day, location",
                  false, from, to, runs, err);
    if (rc) {
        json_decref(*out);
        *out = NULL;
    }
    return rc;
}
