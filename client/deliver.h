/* One delivery round from the kiosk's outbox to wijkloket-server (used by wijkloket-deliver). */
#ifndef WL_DELIVER_H
#define WL_DELIVER_H

#include "kclient.h"
#include "wijkloket/outbox.h"

/* Sends up to max pending intakes, oldest first, as one batch (at most 200 KiB), each marked
 * delivered only after the server's 200/201 for it. A 409 (same reference, other contents)
 * or another refusal of the record itself (400/403/422) is marked refused and reported in
 * err, and delivery goes on. A transport failure, 401, 429 or 5xx ends the round with
 * WL_ERR_IO (the caller backs off). *sent counts the acknowledged ones. */
wl_rc wl_deliver_round(wl_outbox_t *ob, wl_kclient_t *k, int max, int *sent, wl_err_t *err);

/* Sends up to max undelivered kiosk events (help_request, urgent_request, printer_failure,
 * ...), oldest first, one POST /api/v1/events each with the event's key, so a retry after a
 * lost answer is stored once (the server answers 200). Each is marked delivered only after the
 * server's 200/201; a 400/422 marks it refused. Transport trouble, 401, 429 or 5xx end the
 * round with WL_ERR_IO (the caller backs off). *sent counts the stored ones. */
wl_rc wl_deliver_events_round(wl_outbox_t *ob, wl_kclient_t *k, int max, int *sent, wl_err_t *err);

#endif
