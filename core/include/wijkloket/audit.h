/* The audit trail: who did what with which record and when, append-only and hash-chained. */
#ifndef WL_AUDIT_H
#define WL_AUDIT_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/store.h"

/* Hex length of an entry hash (BLAKE2b-256) plus NUL. */
#define WL_AUDIT_HASH_HEX 65

/* Appends one entry: actor (user name), action ("show", "export", "pull", "decide",
 * "purge", "reclassify", ...), ref (reference code or NULL), detail (short text WITHOUT
 * personal data: filters, counts, routes), at time now. The entry's hash covers the previous
 * entry's hash and every field, so changing or removing an earlier entry breaks the chain.
 * Entries written by database triggers (user changes) that are not yet chained are chained
 * first, in order. Runs in its own transaction level, so a caller can put the audited action
 * and its entry in one atomic unit (wl_store_begin ... wl_store_commit). */
wl_rc wl_audit_append(wl_store_t *st, const char *actor, const char *action, const char *ref,
                      const char *detail, int64_t now, wl_err_t *err);

typedef struct {
    int64_t entries;      /* entries checked */
    int64_t pending;      /* entries found without a hash: written around Wijkloket (an error) */
    int64_t first_bad;    /* id of the first bad entry, 0 when the chain is intact */
    char head[WL_AUDIT_HASH_HEX]; /* hash of the last chained entry ("" when none) */
} wl_audit_report_t;

/* Walks the whole chain. WL_OK when intact. WL_ERR_INVALID when not: rep->first_bad and err
 * name the first bad entry and what is wrong with it (changed, missing, inserted). Read-only.
 * WL_ERR_DB when the trail cannot be read. */
wl_rc wl_audit_verify(wl_store_t *st, wl_audit_report_t *rep, wl_err_t *err);

/* New JSON array (caller decrefs) of {"id","at","actor","action","ref","detail"}, oldest
 * first; only entries for ref when ref is not NULL; at most limit entries (the newest) when
 * limit > 0. */
wl_rc wl_audit_list(wl_store_t *st, const char *ref, int64_t limit, json_t **out, wl_err_t *err);

#endif
