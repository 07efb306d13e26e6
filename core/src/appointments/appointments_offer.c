/* Offer what fits a classification result: services by route and signal, nearest place first. */
#include "appointments/appointments_internal.h"

#include <string.h>

static bool list_has(const json_t *arr, const char *s)
{
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) {
        if (s && json_is_string(v) && strcmp(json_string_value(v), s) == 0) return true;
    }
    return false;
}

static void push_loc(json_t *arr, const char *id)
{
    if (id && !list_has(arr, id)) json_array_append_new(arr, json_string(id));
}

/* The locations holding s, the preferred one first: the citizen's own WIJ-team for services
 * that follow the neighbourhood, otherwise the kiosk's own location. */
static json_t *locations_for(const wl_catalog_t *c, const wl_svc_t *s, const char *kiosk_location)
{
    json_t *arr = json_array();
    if (!arr) return NULL;
    size_t idx;
    const wl_loc_t *kiosk = wl_appt_find_loc(c, kiosk_location, &idx);
    if (kiosk) {
        const char *own = s->own_team ? kiosk->wij_team : kiosk->id;
        size_t oi;
        if (own && wl_appt_find_loc(c, own, &oi) && s->at[oi]) push_loc(arr, own);
        if (s->at[idx]) push_loc(arr, kiosk->id);
    }
    for (size_t i = 0; i < c->nlocs; i++)
        if (s->at[i]) push_loc(arr, c->locs[i].id);
    return arr;
}

wl_rc wl_appointments_offer(const wl_catalog_t *c, const json_t *result, const char *kiosk_location,
                            json_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!c || !json_is_object(result)) {
        wl_err_set(err, "offer: the classification result must be a JSON object");
        return WL_ERR_INVALID;
    }
    if (kiosk_location && !wl_appt_find_loc(c, kiosk_location, NULL)) {
        wl_err_set(err, "offer: unknown kiosk location '%s' (see assets/locations.json)", kiosk_location);
        return WL_ERR_INVALID;
    }
    const char *route = json_string_value(json_object_get(result, "route"));
    const json_t *signals = json_object_get(result, "signals");
    json_t *urgent = json_array(), *rest = json_array();
    if (!urgent || !rest) goto nomem;
    for (size_t i = 0; i < c->nsvcs; i++) {
        const wl_svc_t *s = &c->svcs[i];
        const json_t *voor = json_object_get(s->json, "voor"), *spoed = json_object_get(s->json, "spoed");
        const char *reason = NULL, *because = NULL;
        bool is_urgent = false;
        int within = 0;
        if (route && list_has(json_object_get(voor, "routes"), route)) {
            reason = "route";
            because = route;
        }
        size_t k;
        const json_t *sig;
        json_array_foreach(signals, k, sig) {
            const char *id = json_string_value(json_object_get(sig, "id"));
            if (!id) id = json_string_value(sig); /* a bare list of ids is accepted too */
            if (!id) continue;
            if (list_has(json_object_get(spoed, "signalen"), id)) {
                reason = "signal";
                because = id;
                is_urgent = true;
                within = (int)json_integer_value(json_object_get(spoed, "binnen_dagen"));
                break;
            }
            if (!reason && list_has(json_object_get(voor, "signalen"), id)) {
                reason = "signal";
                because = id;
            }
        }
        if (!reason) continue;
        json_t *locs = locations_for(c, s, kiosk_location);
        json_t *o = json_pack("{s:s, s:s, s:s, s:b, s:i, s:o}", "service", s->id, "reason", reason, "because",
                              because, "urgent", is_urgent, "within_days", within, "locations", locs);
        if (!o || json_array_append_new(is_urgent ? urgent : rest, o)) goto nomem;
    }
    /* Urgent first (acute care: today or tomorrow), then route, then signals, in file order. */
    json_array_extend(urgent, rest);
    json_decref(rest);
    *out = urgent;
    return WL_OK;
nomem:
    json_decref(urgent);
    json_decref(rest);
    wl_err_set(err, "out of memory building the offer");
    return WL_ERR_NOMEM;
}
