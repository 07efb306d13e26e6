/* Private parts of the central store: the libpq connection, statement helpers and error mapping. */
#ifndef WL_CENTRAL_INTERNAL_H
#define WL_CENTRAL_INTERNAL_H

#include <libpq-fe.h>
#include "wijkloket/central.h"
#include "wijkloket/origin.h"

struct wl_central {
    PGconn *conn;
    char *conninfo;
    unsigned nonce_calls; /* old nonces are swept every so many calls */
    bool has_origin;      /* origin_sk loaded (wl_central_set_origin_key) */
    unsigned char origin_sk[crypto_sign_SECRETKEYBYTES]; /* signs stored records and registrations */
    /* Registrations whose signature this connection has verified, as read (id, location,
     * enabled, public key, signature): the same row again needs no second Ed25519 check. */
    struct {
        unsigned char digest[32];
        bool used;
    } verified[8];
    unsigned verified_next;
};

/* Signs text with c's origin key; WL_ERR_STATE when none is loaded. */
wl_rc wl_central_origin_sign(wl_central_t *c, const char *text, int len, unsigned char sig[crypto_sign_BYTES],
                             wl_err_t *err);

/* Runs sql with n text parameters (NULL = SQL NULL). lens/binary may be NULL (all text);
 * a parameter with binary[i] set is sent as bytes of lens[i]. On success *res (may be NULL
 * to discard) holds the result (caller PQclear). An error becomes a wl_rc through the
 * SQLSTATE: unique or check violation WL_ERR_CONFLICT, anything else WL_ERR_DB, with
 * "what: reason" in err. A broken connection is reset once before the statement. */
wl_rc wl_pq_exec(wl_central_t *c, const char *what, const char *sql, int n, const char *const *vals,
                 const int *lens, const int *binary, PGresult **res, wl_err_t *err);
/* The SQLSTATE of the last failed wl_pq_exec on c ("" when none). */
const char *wl_pq_last_state(wl_central_t *c);
/* BEGIN / COMMIT / ROLLBACK. */
wl_rc wl_pq_begin(wl_central_t *c, wl_err_t *err);
wl_rc wl_pq_commit(wl_central_t *c, wl_err_t *err);
void wl_pq_rollback(wl_central_t *c);
/* int64 to decimal text in buf (at least 24 bytes); returns buf. */
const char *wl_pq_i64(char *buf, int64_t v);
int64_t wl_pq_get_i64(const PGresult *r, int row, int col);
/* Every so many calls on c, drops request nonces older than the replay window. */
void wl_pq_nonce_sweep(wl_central_t *c, int64_t now);

#endif
