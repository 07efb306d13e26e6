/* The SQLite store: schema migrations, durable completed intakes, and the handle others use. */
#ifndef WL_STORE_H
#define WL_STORE_H

#include <jansson.h>
#include "wijkloket/common.h"

typedef struct wl_store wl_store_t;

/* Opens (creating if needed) the database at path, sets WAL, foreign keys, synchronous=FULL,
 * a busy timeout, and applies every pending migration in one transaction each.
 * A foreign, truncated or newer-than-known database is refused with a clear message.
 * A missing folder is created. Caller closes with wl_store_close. */
wl_rc wl_store_open(const char *path, wl_store_t **out, wl_err_t *err);
/* Opens an existing, up-to-date database for reading only (a file or folder this user may not
 * write): no migration, no new files. Every write on it (wl_store_begin) is refused with a
 * message that says the database is read-only. */
wl_rc wl_store_open_read(const char *path, wl_store_t **out, wl_err_t *err);
/* True for a store opened with wl_store_open_read. */
bool wl_store_read_only(const wl_store_t *st);
void wl_store_close(wl_store_t *st);
/* On PostgreSQL (database setting postgresql://...) the install key cannot sit beside a file:
 * the caller names it. It keys the audit chain and binds sealed parts, so every machine that
 * writes the central database (the server, staff PCs) uses the same file, handed out like the
 * staff public key. key_file must end in "-install.key"; when missing and create is true it is
 * made (0600). The audit head of this machine lives beside it ("...-audit.head"). Until this
 * is called, audit entries and sealed writes on PostgreSQL are refused with a message saying
 * so. On an SQLite store the key beside the file is used and this is WL_ERR_STATE. */
wl_rc wl_store_use_install_key(wl_store_t *st, const char *key_file, bool create, wl_err_t *err);
/* The server's origin public key (wijkloket/origin.h, 32 bytes, copied), pinned on this
 * machine. On a central (PostgreSQL) store the casework commands open a delivered record's
 * sealed parts only when the server's signature on the record in public.intakes holds and the
 * parts are the ones it signed; without this key they open none (docs/security.md §1). */
void wl_store_set_origin_public(wl_store_t *st, const unsigned char pk[32]);
/* The key set above, or NULL. */
const unsigned char *wl_store_origin_public(wl_store_t *st);
/* Schema version now in the file. */
int wl_store_schema_version(wl_store_t *st);
/* The newest schema version this build knows. */
int wl_store_latest_version(void);

/* How a completed (or abandoned) intake arrives at the store. Strings are borrowed. */
typedef struct {
    const char *ref;            /* canonical reference code */
    const char *location;       /* location id */
    const char *kiosk;          /* kiosk id (the portal: its server id) */
    const char *language;       /* "nl", "en", ... */
    const char *assisted_by;    /* volunteer user name, or NULL */
    int64_t started_at;         /* unix seconds */
    int64_t completed_at;
    const char *status;         /* "completed" */
    const char *questionnaire_version;
    const char *rules_version;
    const json_t *answers;      /* non-personal answers object */
    const json_t *personal;     /* identification answers object */
    const json_t *result;       /* classification result */
    const char *channel;        /* "kiosk" or "portal"; NULL = "kiosk" (last: older code
                                 * fills this struct by position) */
} wl_intake_record_t;

/* Stores one intake in a single transaction and returns only after SQLite's commit has
 * reached the disk (synchronous=FULL in WAL mode fsyncs the WAL on commit). Only after WL_OK
 * may anyone tell the citizen it is saved. On a full disk or read-only file: WL_ERR_IO and
 * nothing half-written. A duplicate reference is WL_ERR_CONFLICT. */
wl_rc wl_store_save_intake(wl_store_t *st, const wl_intake_record_t *rec, wl_err_t *err);

/* Reads one intake as a new JSON object (caller decrefs): the record's fields, "answers",
 * "personal" and "result". WL_ERR_NOTFOUND when there is none. */
wl_rc wl_store_get_intake(wl_store_t *st, const char *ref, json_t **out, wl_err_t *err);

/* Draft blobs of the citizen portal: an opaque id (1..64 characters [A-Za-z0-9_-]) to bytes
 * the portal encrypted itself, with an expiry (unix seconds). put replaces an existing draft
 * with the same id. get: unknown or expired (expires_at <= now) is WL_ERR_NOTFOUND; *data is
 * malloc'd (caller frees). Deleting an unknown id is not an error. purge deletes every
 * expired draft (secure_delete is on, so no old bytes stay in free pages); *removed may be
 * NULL. */
wl_rc wl_store_draft_put(wl_store_t *st, const char *id, const unsigned char *data, size_t len,
                         int64_t expires_at, wl_err_t *err);
wl_rc wl_store_draft_get(wl_store_t *st, const char *id, int64_t now, unsigned char **data,
                         size_t *len, wl_err_t *err);
wl_rc wl_store_draft_delete(wl_store_t *st, const char *id, wl_err_t *err);
wl_rc wl_store_draft_purge(wl_store_t *st, int64_t now, int64_t *removed, wl_err_t *err);

/* Counts intakes (all statuses); -1 on error. */
int64_t wl_store_count_intakes(wl_store_t *st);

/* Kiosk events that staff must see (help requested by a citizen, printer failure, ...):
 * kind is a short id ("help_request", "printer_failure"), detail free text without personal
 * data. Stored durably; wl_store_open_events lists the ones not yet acknowledged. */
wl_rc wl_store_log_event(wl_store_t *st, const char *kind, const char *location, const char *kiosk,
                         const char *detail, int64_t now, wl_err_t *err);
/* New JSON array of {"id","kind","location","kiosk","detail","at"} not yet acknowledged,
 * newest first (caller decrefs). */
wl_rc wl_store_open_events(wl_store_t *st, json_t **out, wl_err_t *err);
wl_rc wl_store_ack_event(wl_store_t *st, int64_t id, const char *by, int64_t now, wl_err_t *err);

#endif
