/* Staff work on stored intakes: day lists, opening sealed records, pulling, and the professional's decision. */
#ifndef WL_CASEWORK_H
#define WL_CASEWORK_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/seal.h"
#include "wijkloket/store.h"

/* Filters for lists, exports and figures; NULL members do not filter. Dates are
 * "YYYY-MM-DD", inclusive, compared with the local day the intake was completed (started,
 * for abandoned ones). status: "completed", "abandoned", "pulled" or "not_pulled" (completed
 * and not yet pulled). route: the kiosk's advised route. */
typedef struct {
    const char *location;
    const char *from;
    const char *to;
    const char *status;
    const char *route;
} wl_case_filter_t;

/* Checks a filter: real dates, from <= to, known status and route. WL_ERR_INVALID naming
 * the field otherwise. */
wl_rc wl_case_filter_check(const wl_case_filter_t *f, wl_err_t *err);

/* The day list: a new JSON array (caller decrefs), oldest first, of objects with only the
 * fields kept in clear: ref, location, kiosk, language, assisted, day, started_at,
 * completed_at, status, route, kik_status, urgent (signal ids marked urgent), signals (ids),
 * regie, pulled_by, pulled_at, decided_route, sealed. No answers, no personal data. */
wl_rc wl_case_list(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err);

/* Opens one record with the secret key: a new JSON object (caller decrefs) with the clear
 * fields as in wl_case_list plus "answers", "personal", "result" (the full result when it
 * was sealed), "decisions" (with reasons opened) and "problems": an array of readable
 * messages for parts that could not be opened (damaged or sealed to another key); those
 * parts are null and the rest is still there. sk may be NULL: then only clear fields and
 * problems. WL_ERR_NOTFOUND when there is no such record. The caller writes the audit entry. */
wl_rc wl_case_open(wl_store_t *st, const wl_seal_secret_t *sk, const char *ref, json_t **out, wl_err_t *err);

/* Calls fn for every record the filter selects, oldest first, opened as wl_case_open does
 * (one at a time, so memory stays flat for 100,000 records). A non-OK rc from fn stops the
 * walk and is returned. */
typedef wl_rc (*wl_case_each_fn)(void *ctx, json_t *record, wl_err_t *err);
wl_rc wl_case_each(wl_store_t *st, const wl_seal_secret_t *sk, const wl_case_filter_t *f, wl_case_each_fn fn,
                   void *ctx, wl_err_t *err);

/* The same walk with the per-record work spread over the cores: map(ctx, record) runs on
 * worker threads (it may only touch that record and data nobody changes meanwhile) and
 * returns one malloc'd block (or NULL when out of memory); emit(ctx, block, err) then runs
 * in the calling thread in record order and owns the block (frees it). After an emit fails,
 * the remaining blocks are freed with free() and not emitted. Used by export. */
typedef void *(*wl_case_map_fn)(void *ctx, json_t *record);
typedef wl_rc (*wl_case_emit_fn)(void *ctx, void *block, wl_err_t *err);
wl_rc wl_case_each_mapped(wl_store_t *st, const wl_seal_secret_t *sk, const wl_case_filter_t *f, wl_case_map_fn map,
                          wl_case_emit_fn emit, void *ctx, wl_err_t *err);

/* Marks a completed record as pulled by `by` at now, with its audit entry, in one
 * transaction. Pulling twice keeps the first puller and time and returns WL_ERR_CONFLICT
 * naming them. An abandoned record cannot be pulled (WL_ERR_STATE). */
wl_rc wl_case_pull(wl_store_t *st, const char *ref, const char *by, int64_t now, wl_err_t *err);

/* Records the professional's decision (route zelfdoener|klantondersteuning|participatie)
 * with its reason sealed to pk, next to the kiosk's advice at that moment, plus the audit
 * entry. A later decision supersedes an earlier one; both stay. Empty reason: WL_ERR_INVALID. */
wl_rc wl_case_decide(wl_store_t *st, const unsigned char pk[crypto_box_PUBLICKEYBYTES], const char *ref,
                     const char *route, const char *reason, const char *by, int64_t now, wl_err_t *err);

/* Whether s is one of the three routes. */
bool wl_case_route_valid(const char *s);

#endif
