/* Figures for policy from stored intakes: the Kansen in Kaart table and advice-versus-decision agreement. */
#ifndef WL_FIGURES_H
#define WL_FIGURES_H

#include <jansson.h>
#include "wijkloket/casework.h"

/* The Kansen in Kaart table per location for the filter's location and dates (status and
 * route filters are ignored: the table is about all of them). Counts come from the stored
 * intakes plus the anonymous counts of purged ones, so a period stays right after the purge.
 * New JSON (caller decrefs):
 *   {"from","to","locations":[{"location","completed","abandoned",
 *     "routes":{"zelfdoener":n,...},"kik_status":{"arbeidspotentieel":n,...},
 *     "signals":{"schulden":n,...},"decided":n}], "total":{same without "location"}}
 * Only completed intakes count in routes, kik_status and signals. */
wl_rc wl_figures_kik(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err);

/* How often the professional's (latest) decision matched the kiosk's advice, as a confusion
 * matrix for the filter (location, dates): new JSON
 *   {"routes":[...],"matrix":{"<advised>":{"<decided>":n}},"per_route":{"<advised>":
 *    {"decided":n,"agreed":n}},"decided":n,"agreed":n,"undecided":n}
 * The advice is the route stored with the decision (the kiosk's advice at that moment). */
wl_rc wl_figures_agreement(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err);

#endif
