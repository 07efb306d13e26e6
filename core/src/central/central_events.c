/* Central store: kiosk events delivered from a kiosk's outbox, stored once per kiosk key. */
#include "central/central_internal.h"

#include <string.h>

wl_rc wl_central_event_put(wl_central_t *c, const char *kiosk, const char *location, const char *kind,
                           const char *detail, int64_t at, const char *key, int64_t *id, bool *created, wl_err_t *err)
{
    *created = false;
    if (!key || !*key) {
        *created = true;
        return wl_central_event_add(c, kiosk, location, kind, detail, at, id, err);
    }
    char t[24];
    const char *vals[6] = {kind, location, kiosk, detail ? detail : "", wl_pq_i64(t, at), key};
    PGresult *r;
    /* One statement: a retry racing the first delivery still ends with one row. */
    wl_rc rc = wl_pq_exec(c, "saving the event",
                          "INSERT INTO events (kind, location, kiosk, detail, at, kiosk_key) "
                          "VALUES ($1, $2, $3, $4, $5::bigint, $6) "
                          "ON CONFLICT (kiosk, kiosk_key) WHERE kiosk_key IS NOT NULL DO NOTHING RETURNING id",
                          6, vals, NULL, NULL, &r, err);
    if (rc == WL_ERR_CONFLICT) wl_err_set(err, "event kind must be 1-40 characters, detail at most 500, key 1-64");
    if (rc) return rc;
    if (PQntuples(r) == 1) {
        *id = wl_pq_get_i64(r, 0, 0);
        *created = true;
        PQclear(r);
        return WL_OK;
    }
    PQclear(r);
    const char *v2[2] = {kiosk, key};
    rc = wl_pq_exec(c, "reading the event", "SELECT id FROM events WHERE kiosk = $1 AND kiosk_key = $2", 2, v2, NULL,
                    NULL, &r, err);
    if (rc) return rc;
    if (PQntuples(r) != 1) {
        PQclear(r);
        wl_err_set(err, "event %s of kiosk %s vanished while it was stored", key, kiosk);
        return WL_ERR_DB;
    }
    *id = wl_pq_get_i64(r, 0, 0);
    PQclear(r);
    return WL_OK;
}
