/* Private parts of the appointments module: the parsed catalogue and calendar helpers. */
#ifndef WL_APPOINTMENTS_INTERNAL_H
#define WL_APPOINTMENTS_INTERNAL_H

#include "wijkloket/appointments.h"
#include "wijkloket/dates.h"

#define WL_APPT_MAX_RANGES 8

/* Opening or session hours per weekday, in minutes after midnight; index 0 = Monday. */
typedef struct {
    int from[7][WL_APPT_MAX_RANGES];
    int to[7][WL_APPT_MAX_RANGES];
    int n[7];
} wl_week_t;

typedef struct {
    const char *id;     /* borrowed from json */
    const char *kind;   /* "gemeente", "wij_team", "stip" */
    const char *wij_team; /* own WIJ-team id or NULL */
    const json_t *json;
    const json_t *closed; /* array of {"datum","reden"} */
    wl_week_t hours;
} wl_loc_t;

typedef struct {
    const char *id;
    const json_t *json;
    const json_t *closed;
    wl_week_t hours;
    int duration;  /* minutes */
    int capacity;
    bool own_team; /* "eigen_wij_team": prefer the citizen's own WIJ-team */
    bool *at;      /* at[i]: held at locations[i] */
} wl_svc_t;

struct wl_catalog {
    json_t *loc_root;
    json_t *svc_root;
    const json_t *closed; /* closed days for every location */
    const char *phone;
    wl_loc_t *locs;
    size_t nlocs;
    wl_svc_t *svcs;
    size_t nsvcs;
};

const wl_loc_t *wl_appt_find_loc(const wl_catalog_t *c, const char *id, size_t *idx);
const wl_svc_t *wl_appt_find_svc(const wl_catalog_t *c, const char *id);

/* "HH:MM" to minutes after midnight; -1 when malformed. */
int wl_appt_parse_hhmm(const char *s);
/* True when date (YYYY-MM-DD) is listed in a closed-days array. */
bool wl_appt_is_closed(const json_t *closed, const char *date);
/* Explains why start is not bookable, or WL_OK with the matching slot in *slot and the
 * service's capacity. Shared by booking and lookups so the staff tool and kiosk agree. */
wl_rc wl_appt_check_start(const wl_catalog_t *c, const char *service, const char *location,
                          const char *start, int64_t now, wl_slot_t *slot, int *capacity, wl_err_t *err);

#endif
