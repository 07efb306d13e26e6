/* The delivery round of wijkloket-deliver: sends the outbox's pending sealed intakes as one
 * NDJSON batch and records the server's verdict on each. */
#include "deliver.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The "message" of a server error body, or the body itself. */
static void server_message(const char *body, char *buf, size_t size)
{
    json_t *j = json_loads(body, 0, NULL);
    const char *m = j ? json_string_value(json_object_get(j, "message")) : NULL;
    snprintf(buf, size, "%s", m ? m : body);
    json_decref(j);
}

/* Most bytes one batch request carries (the server's default limit is 256 KiB). */
#define WL_OUTBOX_BATCH_BYTES (200 * 1024)

/* Applies the server's verdict on one record. */
static wl_rc apply(wl_outbox_t *ob, const char *ref, int status, const char *msg, int *sent, int *refused, wl_err_t *err)
{
    if (status == 200 || status == 201) {
        /* Acknowledged after the server's commit: only now is it delivered here. */
        wl_rc rc = wl_outbox_mark(ob, ref, true, status, "", err);
        if (!rc) (*sent)++;
        if (status == 200)
            fprintf(stderr, "wijkloket-deliver: intake %s was already on the server (an earlier "
                            "acknowledgement was lost); marked delivered\n", ref);
        return rc;
    }
    if (status == 400 || status == 403 || status == 409 || status == 422) {
        (*refused)++;
        fprintf(stderr, "wijkloket-deliver: intake %s refused by the server (%d): %s\n", ref, status, msg);
        return wl_outbox_mark(ob, ref, false, status, msg, err);
    }
    wl_err_set(err, "server answered %d for %s: %s", status, ref, msg);
    return WL_ERR_IO;
}

wl_rc wl_deliver_round(wl_outbox_t *ob, wl_kclient_t *k, int max, int *sent, wl_err_t *err)
{
    *sent = 0;
    if (err) err->msg[0] = 0;
    char (*refs)[WL_REFCODE_BUFSZ] = calloc((size_t)max, sizeof *refs);
    int n = 0;
    if (!refs) return WL_ERR_NOMEM;
    wl_rc prc = wl_outbox_pending(ob, max, refs, &n, err);
    if (prc) {
        free(refs);
        return prc;
    }
    /* The records go as one NDJSON batch (one commit on the server); each line is exactly
     * the bytes the single endpoint would get, so retries match whichever way they went. */
    char *batch = NULL;
    size_t blen = 0;
    char (*in_batch)[16] = calloc((size_t)max, sizeof *in_batch);
    int nb = 0, refused = 0;
    wl_rc rc = refs && in_batch ? WL_OK : WL_ERR_NOMEM;
    for (int i = 0; rc == WL_OK && i < n; i++) {
        char *text = NULL;
        size_t len = 0;
        wl_err_t e;
        wl_rc r = wl_outbox_record(ob, refs[i], &text, &len, &e);
        if (r == WL_ERR_STATE) {
            rc = wl_outbox_mark(ob, refs[i], false, 0, e.msg, err);
            refused++;
            continue;
        }
        if (r) {
            *err = e;
            rc = r;
            break;
        }
        if (nb > 0 && blen + len + 1 > WL_OUTBOX_BATCH_BYTES) {
            free(text);
            break; /* the rest goes next round */
        }
        char *nbuf = realloc(batch, blen + len + 2);
        if (!nbuf) {
            free(text);
            rc = WL_ERR_NOMEM;
            break;
        }
        batch = nbuf;
        memcpy(batch + blen, text, len);
        blen += len;
        batch[blen++] = '\n';
        batch[blen] = 0;
        snprintf(in_batch[nb++], 16, "%s", refs[i]);
        free(text);
    }
    if (rc == WL_OK && nb > 0) {
        int status = 0;
        char *body = NULL;
        wl_err_t e;
        wl_rc r = wl_kclient_request(k, "POST", "/api/v1/intakes/batch", NULL, batch, blen, &status, &body, &e);
        if (r) {
            *err = e;
            rc = WL_ERR_IO;
        } else if (status != 200) {
            char m[400];
            server_message(body, m, sizeof m);
            wl_err_set(err, "server answered %d: %s", status, m);
            rc = WL_ERR_IO;
        } else {
            json_t *j = json_loads(body, 0, NULL);
            json_t *res = json_object_get(j, "results");
            if (json_array_size(res) != (size_t)nb) {
                wl_err_set(err, "the server's answer does not list every record; sending again later");
                rc = WL_ERR_IO;
            }
            for (int i = 0; rc == WL_OK && i < nb; i++) {
                json_t *o = json_array_get(res, (size_t)i);
                const char *m = json_string_value(json_object_get(o, "message"));
                rc = apply(ob, in_batch[i], (int)json_integer_value(json_object_get(o, "status")), m ? m : "", sent,
                           &refused, err);
            }
            json_decref(j);
        }
        free(body);
    }
    free(batch);
    free(in_batch);
    free(refs);
    if (rc == WL_OK && refused) wl_err_set(err, "%d intake(s) refused; see `wijkloket-deliver --status`", refused);
    return rc;
}
