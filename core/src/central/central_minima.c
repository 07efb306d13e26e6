/* Anonymous counts of the portal's minima check in PostgreSQL: which schemes were shown, per day and location.
 * They go into the store's own tables (wl_store.minima_*, migration 8): one home for the
 * figures of kiosks and portal, read by `wijkloket-staff minima-counts` through the store. */
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
                        "INSERT INTO wl_store.minima_runs (day, location, count) VALUES ($1, $2, 1) "
                        "ON CONFLICT (day, location) DO UPDATE SET count = wl_store.minima_runs.count + 1",
                        2, v, NULL, NULL, NULL, err);
    int n = wl_minima_scheme_count(m);
    for (int i = 0; rc == WL_OK && i < n; i++) {
        wl_minima_status s = wl_minima_result_status(r, i);
        if (s != WL_MINIMA_ELIGIBLE && s != WL_MINIMA_MAYBE) continue;
        v[2] = wl_minima_scheme_id(m, i);
        v[3] = wl_minima_status_name(s);
        rc = wl_pq_exec(c, "counting a shown scheme",
                        "INSERT INTO wl_store.minima_shown (day, location, scheme, status, count) VALUES ($1, $2, $3, $4, 1) "
                        "ON CONFLICT (day, location, scheme, status) DO UPDATE SET count = wl_store.minima_shown.count + 1",
                        4, v, NULL, NULL, NULL, err);
    }
    if (rc) {
        wl_pq_rollback(c);
        return rc;
    }
    return wl_pq_commit(c, err);
}
