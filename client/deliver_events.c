/* The events half of a delivery round: help requests, urgent_request (SPOED), printer failures
 * from the kiosk's own file to wijkloket-server, each marked only after the server stored it. */
#include "deliver.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

wl_rc wl_deliver_events_round(wl_outbox_t *ob, wl_kclient_t *k, int max, int *sent, wl_err_t *err)
{
    *sent = 0;
    if (err) err->msg[0] = 0;
    json_t *evs = NULL;
    wl_rc rc = wl_outbox_events_pending(ob, max, &evs, err);
    if (rc) return rc;
    size_t i;
    json_t *e;
    json_array_foreach(evs, i, e) {
        int64_t id = json_integer_value(json_object_get(e, "id"));
        /* Exactly what the server needs; the kiosk and location are those it registered. */
        json_t *send = json_pack("{s:O, s:O, s:O, s:O}", "kind", json_object_get(e, "kind"), "detail",
                                 json_object_get(e, "detail"), "at", json_object_get(e, "at"), "key",
                                 json_object_get(e, "key"));
        char *text = send ? json_dumps(send, JSON_COMPACT) : NULL;
        json_decref(send);
        if (!text) {
            rc = WL_ERR_NOMEM;
            break;
        }
        int status = 0;
        char *body = NULL;
        wl_err_t e2;
        wl_rc r = wl_kclient_request(k, "POST", "/api/v1/events", NULL, text, strlen(text), &status, &body, &e2);
        free(text);
        if (r) {
            *err = e2;
            rc = WL_ERR_IO;
            break;
        }
        json_t *j = json_loads(body, 0, NULL);
        const char *m = json_string_value(json_object_get(j, "message"));
        char msg[300];
        snprintf(msg, sizeof msg, "%s", m ? m : body);
        json_decref(j);
        free(body);
        if (status == 200 || status == 201) {
            /* 200: the server had it already (an earlier answer was lost on the way). */
            if ((rc = wl_outbox_event_mark(ob, id, true, status, "", err))) break;
            (*sent)++;
        } else if (status == 400 || status == 422) {
            /* This event itself is wrong for the server (too long, bad kind): never retried. */
            fprintf(stderr, "wijkloket-deliver: event %lld refused by the server (%d): %s\n", (long long)id, status, msg);
            if ((rc = wl_outbox_event_mark(ob, id, false, status, msg, err))) break;
        } else {
            wl_err_set(err, "server answered %d for event %lld: %s", status, (long long)id, msg);
            rc = WL_ERR_IO;
            break;
        }
    }
    json_decref(evs);
    return rc;
}
