/* Routing: rules from data turn answers into route, signals, regie, domains and a trace. */
#ifndef WL_CLASSIFY_H
#define WL_CLASSIFY_H

#include <jansson.h>
#include "wijkloket/common.h"
#include "wijkloket/questionnaire.h"

typedef struct wl_rules wl_rules_t;

/* Loads and validates assets/rules/routing.json against questionnaire q (borrowed; every var
 * a rule uses must be a question id or a computed name). Errors name file, line and field. */
wl_rc wl_rules_load(const char *path, const wl_questionnaire_t *q, wl_rules_t **out, wl_err_t *err);
void wl_rules_free(wl_rules_t *r);
const char *wl_rules_version(const wl_rules_t *r);

/* Classifies one set of (non-personal + personal) answers as of `today` (YYYY-MM-DD).
 * *result is a new JSON object (caller decrefs) with at least:
 *   "route": "zelfdoener" | "klantondersteuning" | "participatie",
 *   "participatie": {"form": "dagbesteding"|"vrijwilligerswerk"|"beschut_werk"|null,
 *                    "kik_status": "..."} (only for route participatie; null otherwise),
 *   "kik_status": Kansen in Kaart category (see docs/routing.md),
 *   "signals": [ {"id": "...", "text": "B1 text", "urgent": bool}, ... ],
 *   "regie": "wij_team" | "gkb" | "inkomen" | "werk",
 *   "gesprek": {"nodig": bool, "redenen": [ {"rule": "id", "text": "B1 reason"
 *               [, "missing": ["question_id", ...]]}, ... ]}: staff must talk with the
 *               citizen first (required answers missing, answers that contradict each other,
 *               cases the rules cannot judge); the advice is then only a first guess,
 *   "reasons": [ {"rule": "id", "text": "B1 reason"}, ... ]: the few reasons that mattered
 *               most, for the citizen (at most the rules' max_reasons, default 3): why a
 *               conversation is needed, why this route (and form),
 *               who leads. The texts are Dutch; front ends pass them through translation,
 * *   "domains": {"count": n, "band": "green"|"orange"|"red", "problems": ["financien", ...]},
 *   "scores": {"kunnen": n, "willen": n, "netwerk": n, "werkvermogen": n},
 *   "trace": [ {"rule": "id", "reason": "B1 text", "source": "seed file §section"}, ... ],
 *   "rules_version": "..."
 * Also "urgent": true when any signal is urgent; trace entries carry "stage" (and "points"
 * for score terms). Key order: route, participatie, kik_status, signals, urgent, regie,
 * gesprek, reasons, domains, scores, trace, rules_version.
 * The trace entries are shared with the loaded rules (they are built once per rule): treat
 * them as read-only, or json_deep_copy the result before changing a trace entry. Everything
 * else in the result is the caller's own.
 * Deterministic: same answers + rules + today give byte-identical JSON (json_dumps with
 * JSON_SORT_KEYS is not needed; key order is fixed). Thread-safe for one rules object shared
 * by several threads (rules are only read). */
wl_rc wl_classify(const wl_rules_t *r, const json_t *answers, const char *today,
                  json_t **result, wl_err_t *err);

/* Writes a plain-Dutch explanation of a result (as `classify --explain` prints) into a new
 * malloc'd string the caller frees. NULL when out of memory. */
char *wl_classify_explain(const json_t *result);

#endif
