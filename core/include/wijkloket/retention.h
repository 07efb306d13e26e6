/* Retention: how long intakes are kept per status, and the purge that deletes or anonymises them. */
#ifndef WL_RETENTION_H
#define WL_RETENTION_H

#include "wijkloket/common.h"
#include "wijkloket/store.h"

typedef enum { WL_RETAIN_DELETE = 1, WL_RETAIN_ANONYMISE = 2 } wl_retain_action_t;

typedef struct {
    int keep_days;               /* days after the moment that starts the clock */
    wl_retain_action_t action;
} wl_retention_rule_t;

/* assets/retention.json, validated. The clock starts at: pulled_at for "pulled",
 * completed_at for "not_pulled", started_at for "abandoned". */
typedef struct {
    char version[32];
    wl_retention_rule_t pulled, not_pulled, abandoned;
    bool keep_while_appointment_ahead; /* a booked appointment still ahead holds the record */
    int appointment_keep_days;   /* an appointment is deleted this many days after its start
                                    ("appointments": {"keep_days"}; 30 when absent) */
} wl_retention_policy_t;

/* Loads and validates a policy file; errors name file:line and field (unknown keys, missing
 * status, keep_days not an integer in 0..3650, action not delete|anonymise). */
wl_rc wl_retention_load(const char *path, wl_retention_policy_t *out, wl_err_t *err);

typedef struct {
    int64_t deleted;              /* records removed (only anonymous counts remain) */
    int64_t anonymised;           /* records whose answers, personal data and reasons were removed */
    int64_t held_for_appointment; /* due, but kept because an appointment is still ahead */
    int64_t kept;                 /* not yet due */
    int64_t appointments;         /* appointments deleted: with their intake, or past their own retention */
} wl_retention_report_t;

/* Applies <assets_dir>/retention.json at time now in one transaction: every record past its
 * retention is deleted or anonymised as its status's rule says, after adding it to the
 * anonymous day counts (purged_counts, purged_signals) so statistics stay right. Records with
 * a booked appointment at or after now (appointments.intake_ref, local time) are held when
 * the policy says so. actor ("kiosk", or the staff user) goes into one audit entry with the
 * counts. dry_run: compute the report only, change nothing. The kiosk calls this daily. */
wl_rc wl_retention_purge(wl_store_t *st, const char *assets_dir, int64_t now, const char *actor, bool dry_run,
                         wl_retention_report_t *rep, wl_err_t *err);

/* Erases one record now, on the citizen's request (AVG art. 17): as a purge deletes it
 * (anonymous counts kept, sealed data, result detail and decisions removed), with an audit
 * entry "forget" by actor. WL_ERR_NOTFOUND when there is no such record. */
wl_rc wl_retention_forget(wl_store_t *st, const char *ref, const char *actor, int64_t now, wl_err_t *err);

/* Same with an already loaded policy. */
wl_rc wl_retention_apply(wl_store_t *st, const wl_retention_policy_t *pol, int64_t now, const char *actor,
                         bool dry_run, wl_retention_report_t *rep, wl_err_t *err);

#endif
