/* The delivery record (wijkloket-sealed-intake/1) of an intake made on the server itself, by
 * the citizen portal: the same fields and sealed parts a kiosk's outbox sends. */
#include "wijkloket/central.h"
#include "wijkloket/seal.h"
#include "store/install_key.h"

#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

wl_rc wl_central_install_key(const char *path, bool create, unsigned char key[32], wl_err_t *err)
{
    /* The store's install key files are "<database>-install.key": the same code and format. */
    static const char suffix[] = "-install.key";
    size_t n = strlen(path), sl = sizeof suffix - 1;
    if (n <= sl || strcmp(path + n - sl, suffix) != 0) {
        wl_err_set(err, "%s: an install key file's name ends in %s", path, suffix);
        return WL_ERR_INVALID;
    }
    char prefix[4096];
    if (n - sl >= sizeof prefix) {
        wl_err_set(err, "%s: path too long", path);
        return WL_ERR_INVALID;
    }
    memcpy(prefix, path, n - sl);
    prefix[n - sl] = 0;
    bool created = false;
    return wl_install_key_load(prefix, create, key, &created, err);
}

/* {"encoding":"sealed","data":base64} of payload sealed to pk, bound to ref and kind; NULL on
 * failure (err set). */
static json_t *sealed_part(const unsigned char *pk, const unsigned char *install_key, const char *ref,
                           const char *kind, const json_t *payload, wl_err_t *err)
{
    unsigned char *blob = NULL;
    size_t len = 0;
    wl_seal_bind_t bind = {ref, kind, install_key, false};
    if (wl_seal_encode(pk, payload, &bind, &blob, &len, err) != WL_OK) return NULL;
    size_t cap = sodium_base64_encoded_len(len, sodium_base64_VARIANT_ORIGINAL);
    char *b = malloc(cap);
    json_t *o = NULL;
    if (b) {
        sodium_bin2base64(b, cap, blob, len, sodium_base64_VARIANT_ORIGINAL);
        o = json_pack("{s:s, s:s}", "encoding", "sealed", "data", b);
        free(b);
    }
    free(blob);
    if (!o) wl_err_set(err, "out of memory");
    return o;
}

wl_rc wl_central_record_build(const unsigned char pk[crypto_box_PUBLICKEYBYTES], const unsigned char install_key[32],
                              const wl_intake_record_t *rec, char **text, size_t *len, wl_err_t *err)
{
    *text = NULL;
    *len = 0;
    if (!rec || !rec->ref || !rec->location || !rec->language || !json_is_object(rec->answers) ||
        rec->completed_at <= 0 || !rec->status || strcmp(rec->status, "completed") != 0) {
        wl_err_set(err, "portal intake %s: only a completed intake with answers is stored on the server",
                   rec && rec->ref ? rec->ref : "?");
        return WL_ERR_INVALID;
    }
    const char *channel = rec->channel ? rec->channel : "kiosk";
    json_t *personal = rec->personal ? json_incref((json_t *)rec->personal) : json_object();
    json_t *o = json_object();
    json_object_set_new(o, "format", json_string("wijkloket-sealed-intake/1"));
    json_object_set_new(o, "ref", json_string(rec->ref));
    json_object_set_new(o, "channel", json_string(channel));
    json_object_set_new(o, "kiosk", str_or_null(rec->kiosk));
    json_object_set_new(o, "location", json_string(rec->location));
    json_object_set_new(o, "language", json_string(rec->language));
    json_object_set_new(o, "assisted_by", str_or_null(rec->assisted_by));
    json_object_set_new(o, "started_at", json_integer(rec->started_at));
    json_object_set_new(o, "completed_at", json_integer(rec->completed_at));
    json_object_set_new(o, "questionnaire_version", str_or_null(rec->questionnaire_version));
    json_object_set_new(o, "rules_version", str_or_null(rec->rules_version));
    json_object_set_new(o, "route", str_or_null(json_string_value(json_object_get(rec->result, "route"))));
    /* In clear only what day lists and figures need, exactly as the kiosk's store keeps it. */
    json_t *clear = wl_seal_clear_result(rec->result);
    json_object_set_new(o, "result", clear ? clear : json_null());
    wl_rc rc = WL_OK;
    json_t *a = sealed_part(pk, install_key, rec->ref, "answers", rec->answers, err);
    json_t *p = a ? sealed_part(pk, install_key, rec->ref, "personal", personal, err) : NULL;
    json_t *d = p && rec->result ? sealed_part(pk, install_key, rec->ref, "result", rec->result, err) : NULL;
    if (!a || !p || (rec->result && !d)) rc = WL_ERR_INVALID; /* err says why */
    json_object_set_new(o, "answers", a ? a : json_null());
    json_object_set_new(o, "personal", p ? p : json_null());
    json_object_set_new(o, "detail", d ? d : json_null());
    json_decref(personal);
    if (rc == WL_OK) {
        *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        if (*text) *len = strlen(*text);
        else {
            wl_err_set(err, "out of memory");
            rc = WL_ERR_NOMEM;
        }
    }
    json_decref(o);
    return rc;
}
