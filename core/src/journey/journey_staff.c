/* The journey's merge of answers with personal data, and classification of a given or stored record (staff). */
#include "wijkloket/journey.h"
#include "journey_internal.h"

#include <sodium.h>

json_t *journey_merge(const json_t *answers, const json_t *personal)
{
    json_t *all = json_is_object(answers) ? json_deep_copy(answers) : json_object();
    if (all && json_is_object(personal) && json_object_update_new(all, json_deep_copy(personal)) != 0) {
        json_decref(all);
        return NULL;
    }
    return all;
}

void journey_drop_merged(json_t *all)
{
    const char *k;
    json_t *v;
    json_object_foreach(all, k, v) {
        if (json_is_string(v)) sodium_memzero((char *)json_string_value(v), json_string_length(v));
    }
    json_decref(all);
}

wl_rc wl_journey_classify_answers(const wl_questionnaire_t *q, const wl_rules_t *rules, const json_t *answers,
                                  const char *today, json_t **result, wl_err_t *err)
{
    if (result) *result = NULL;
    if (!q || !rules || !result) {
        wl_err_set(err, "classify: questionnaire, rules and a result pointer are needed");
        return WL_ERR_INVALID;
    }
    if (!json_is_object(answers)) {
        wl_err_set(err, "answers: must be a JSON object {\"question_id\": value}");
        return WL_ERR_INVALID;
    }
    wl_intake_t *s = wl_intake_new(q, today);
    if (!s) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    wl_rc rc = wl_intake_load_answers(s, answers, false, err);
    if (rc == WL_OK) {
        /* The validated answers (normalised), with the personal ones: age comes from the birth date. */
        json_t *a = wl_intake_answers(s), *p = wl_intake_personal(s);
        json_t *all = a && p ? journey_merge(a, p) : NULL;
        if (!all) {
            wl_err_set(err, "out of memory");
            rc = WL_ERR_NOMEM;
        } else {
            rc = wl_classify(rules, all, today, result, err);
            journey_drop_merged(all);
        }
        if (a) journey_drop_merged(a);
        if (p) journey_drop_merged(p);
    }
    wl_intake_free(s);
    return rc;
}

wl_rc wl_journey_classify_record(const wl_rules_t *rules, const json_t *record, json_t **result, wl_err_t *err)
{
    if (result) *result = NULL;
    const json_t *answers = json_object_get(record, "answers"), *personal = json_object_get(record, "personal");
    const char *day = json_string_value(json_object_get(record, "day"));
    if (!rules || !result || !json_is_object(answers) || !day) {
        wl_err_set(err, "no answers or day in the record (abandoned, anonymised or not opened)");
        return WL_ERR_STATE;
    }
    json_t *all = journey_merge(answers, personal);
    if (!all) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    /* The day the citizen filled it in, so ages come out as they were then: only the rules differ. */
    wl_rc rc = wl_classify(rules, all, day, result, err);
    journey_drop_merged(all);
    return rc;
}
