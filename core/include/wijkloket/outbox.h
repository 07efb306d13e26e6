/* The kiosk's outbox: completed (sealed) intakes in the kiosk's SQLite file that still have to
 * reach wijkloket-server, and the delivery state kept beside it in "<database>.outbox".
 * Storage only; the delivery loop that sends them is client/deliver.c (wijkloket-deliver). */
#ifndef WL_OUTBOX_H
#define WL_OUTBOX_H

#include <jansson.h>

#include "wijkloket/common.h"
#include "wijkloket/refcode.h"

typedef struct wl_outbox wl_outbox_t;

/* Opens the kiosk database (must exist; only read) and its outbox file (created when
 * missing, WAL, synchronous=FULL). */
wl_rc wl_outbox_open(const char *kiosk_db, wl_outbox_t **out, wl_err_t *err);
void wl_outbox_close(wl_outbox_t *ob);

typedef struct {
    int64_t pending;         /* completed intakes not yet acknowledged by the server */
    int64_t delivered;       /* acknowledged after the server's commit */
    int64_t refused;         /* refused for good (conflict, not sealed, wrong kiosk): staff must look */
    int64_t oldest_pending;  /* completed_at of the oldest pending one, 0 when none */
    int64_t events_pending;  /* kiosk events (help, urgent, printer) not yet on the server */
} wl_outbox_status_t;
wl_rc wl_outbox_status(wl_outbox_t *ob, wl_outbox_status_t *st, wl_err_t *err);
/* New JSON array of the refused ones: {"ref","at","http","message"}. */
wl_rc wl_outbox_refused(wl_outbox_t *ob, char **json_text, wl_err_t *err);

/* The exact bytes sent for ref (format wijkloket-sealed-intake/1, docs/server-api.md): the
 * same row always gives the same bytes, so a retry is recognised by the server.
 * WL_ERR_STATE when the intake is not sealed (it is never sent). *text malloc'd. */
wl_rc wl_outbox_record(wl_outbox_t *ob, const char *ref, char **text, size_t *len, wl_err_t *err);

/* Up to max pending references, oldest first, into refs; *n says how many. */
wl_rc wl_outbox_pending(wl_outbox_t *ob, int max, char (*refs)[WL_REFCODE_BUFSZ], int *n, wl_err_t *err);
/* Marks ref delivered (after the server's 200/201) or refused for good (http is the status,
 * 0 when refused here, msg why), durably. */
wl_rc wl_outbox_mark(wl_outbox_t *ob, const char *ref, bool delivered, int http, const char *msg, wl_err_t *err);

/* Kiosk events (kiosk_events: help requests, urgent_request, printer_failure, ...) not yet
 * delivered, oldest first, at most max: a new JSON array (caller decrefs) of
 * {"id","key","kind","detail","at"}; key ("<id>@<at>") is what the server recognises a retry by. */
wl_rc wl_outbox_events_pending(wl_outbox_t *ob, int max, json_t **out, wl_err_t *err);
/* Marks event id delivered (the server stored it) or refused for good, durably. */
wl_rc wl_outbox_event_mark(wl_outbox_t *ob, int64_t id, bool delivered, int http, const char *msg, wl_err_t *err);

#endif
