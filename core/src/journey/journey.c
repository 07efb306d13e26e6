/* The journey use cases: a citizen's session from start through answers to a sealed, saved record. */
#include "wijkloket/journey.h"
#include "journey_internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAVE_FAILED N_("Het opslaan is niet gelukt. Vraag een medewerker om hulp.")

struct wl_journey {
    wl_journey_deps_t deps;
    wl_channel_t channel;
    char location[64], device[64], language[16], assisted_by[64];
    int64_t started_at;
    wl_intake_t *intake;   /* the answers; NULL after submit */
    json_t *result;        /* after submit */
    char ref[WL_REFCODE_BUFSZ];
};

const char *wl_channel_name(wl_channel_t c)
{
    switch (c) {
    case WL_CHANNEL_KIOSK: return "kiosk";
    case WL_CHANNEL_PORTAL: return "portal";
    }
    return NULL;
}

static bool copy_id(char *dst, size_t n, const char *src)
{
    if (!src || !*src || strlen(src) >= n) return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

wl_rc wl_journey_start(const wl_journey_deps_t *deps, const wl_journey_start_t *how, wl_journey_t **out,
                       wl_err_t *err)
{
    if (out) *out = NULL;
    if (!deps || !deps->q || !deps->rules || !how || !out) {
        wl_err_set(err, "journey start: questionnaire, rules and start details are needed");
        return WL_ERR_INVALID;
    }
    if (!wl_channel_name(how->channel)) {
        wl_err_set(err, "journey start: unknown channel %d", (int)how->channel);
        return WL_ERR_INVALID;
    }
    wl_journey_t *j = calloc(1, sizeof *j);
    if (!j) {
        wl_err_set(err, "journey start: out of memory");
        return WL_ERR_NOMEM;
    }
    j->deps = *deps;
    j->channel = how->channel;
    if (!copy_id(j->location, sizeof j->location, how->location) ||
        !copy_id(j->device, sizeof j->device, how->device)) {
        free(j);
        wl_err_set(err, "journey start: location and device must be 1 to 63 bytes");
        return WL_ERR_INVALID;
    }
    wl_journey_set_language(j, how->language);
    if (how->assisted_by && !copy_id(j->assisted_by, sizeof j->assisted_by, how->assisted_by)) j->assisted_by[0] = 0;
    j->started_at = wl_env_now(deps->env);
    char today[11];
    wl_date_today(j->started_at, today);
    j->intake = wl_intake_new(deps->q, today);
    if (!j->intake) {
        free(j);
        wl_err_set(err, "journey start: out of memory");
        return WL_ERR_NOMEM;
    }
    *out = j;
    return WL_OK;
}

wl_rc wl_journey_adopt(const wl_journey_deps_t *deps, const wl_journey_start_t *how, int64_t started_at,
                       wl_intake_t *intake, wl_journey_t **out, wl_err_t *err)
{
    if (out) *out = NULL;
    if (!intake || (deps && wl_intake_questionnaire(intake) != deps->q)) {
        wl_err_set(err, "journey adopt: the answers must be an intake over the journey's questionnaire");
        return WL_ERR_INVALID;
    }
    wl_rc rc = wl_journey_start(deps, how, out, err);
    if (rc != WL_OK) return rc;
    wl_intake_free((*out)->intake); /* the empty one start made */
    (*out)->intake = intake;
    (*out)->started_at = started_at;
    return WL_OK;
}

wl_intake_t *wl_journey_release(wl_journey_t *j)
{
    if (!j) return NULL;
    wl_intake_t *in = j->intake;
    j->intake = NULL;
    return in;
}

void wl_journey_free(wl_journey_t *j)
{
    if (!j) return;
    wl_intake_free(j->intake); /* wipes every answer string */
    json_decref(j->result);
    sodium_memzero(j, sizeof *j); /* the volunteer's name and the reference too */
    free(j);
}

void wl_journey_set_language(wl_journey_t *j, const char *language)
{
    if (!j) return;
    if (!copy_id(j->language, sizeof j->language, language)) snprintf(j->language, sizeof j->language, "nl");
}

const wl_intake_t *wl_journey_intake(const wl_journey_t *j)
{
    return j ? j->intake : NULL;
}

const char *wl_journey_ref(const wl_journey_t *j)
{
    return j ? j->ref : "";
}

const json_t *wl_journey_result(const wl_journey_t *j)
{
    return j ? j->result : NULL;
}

const char *wl_journey_assisted_by(const wl_journey_t *j)
{
    return j && j->assisted_by[0] ? j->assisted_by : NULL;
}

const char *wl_journey_location(const wl_journey_t *j)
{
    return j ? j->location : NULL;
}

const char *wl_journey_device(const wl_journey_t *j)
{
    return j ? j->device : NULL;
}

const char *wl_journey_language(const wl_journey_t *j)
{
    return j ? j->language : "nl";
}

const wl_env_t *wl_journey_env(const wl_journey_t *j)
{
    return j ? j->deps.env : NULL;
}

wl_rc wl_journey_answer(wl_journey_t *j, const char *qid, const json_t *value, wl_msg_t *msg, wl_err_t *err)
{
    wl_msg_clear(msg);
    if (!j || !j->intake) {
        wl_err_set(err, "answer: the journey is already submitted");
        return WL_ERR_STATE;
    }
    return wl_intake_set_msg(j->intake, qid, value, msg, err);
}

wl_rc wl_journey_clear(wl_journey_t *j, const char *qid)
{
    if (!j || !j->intake) return WL_ERR_STATE;
    return wl_intake_clear(j->intake, qid);
}

wl_rc wl_journey_validate(const wl_journey_t *j, size_t *missing, wl_msg_t *msg)
{
    wl_msg_clear(msg);
    if (!j || !j->intake) return WL_ERR_STATE;
    size_t m = SIZE_MAX;
    wl_rc rc = wl_intake_complete(j->intake, &m);
    if (missing) *missing = m;
    if (rc != WL_OK) wl_msg_set(msg, N_("Deze vraag moet u nog beantwoorden."));
    return rc;
}

static wl_rc classify_saved(wl_journey_t *j, const json_t *answers, const json_t *personal, json_t **result,
                            wl_err_t *err)
{
    char today[11];
    wl_date_today(wl_env_now(j->deps.env), today);
    json_t *all = journey_merge(answers, personal);
    if (!all) {
        wl_err_set(err, "submit: out of memory merging the answers");
        return WL_ERR_NOMEM;
    }
    wl_rc rc = wl_classify(j->deps.rules, all, today, result, err);
    if (rc != WL_OK) wl_err_prefix(err, "classify failed (%s): ", wl_rc_name(rc));
    journey_drop_merged(all);
    return rc;
}

wl_rc wl_journey_submit(wl_journey_t *j, size_t *missing, wl_msg_t *msg, wl_err_t *err)
{
    wl_msg_clear(msg);
    if (missing) *missing = SIZE_MAX;
    if (!j || !j->intake) {
        wl_err_set(err, "submit: the journey is already submitted");
        return WL_ERR_STATE;
    }
    wl_rc rc = wl_journey_validate(j, missing, msg);
    if (rc != WL_OK) {
        wl_err_set(err, "submit: a required question is not answered yet");
        return rc;
    }
    if (!j->deps.store && !j->deps.save) {
        wl_err_set(err, "submit: no store to save in");
        wl_msg_set(msg, SAVE_FAILED);
        return WL_ERR_STATE;
    }
    json_t *answers = wl_intake_answers(j->intake);
    json_t *personal = wl_intake_personal(j->intake);
    json_t *result = NULL;
    if (!answers || !personal) {
        wl_err_set(err, "submit: out of memory");
        rc = WL_ERR_NOMEM;
    } else {
        rc = classify_saved(j, answers, personal, &result, err);
    }
    char ref[WL_REFCODE_BUFSZ] = "";
    if (rc == WL_OK) {
        wl_intake_record_t rec = {
            .location = j->location, .kiosk = j->device, .channel = wl_channel_name(j->channel),
            .language = j->language, .assisted_by = j->assisted_by[0] ? j->assisted_by : NULL,
            .started_at = j->started_at, .completed_at = wl_env_now(j->deps.env), .status = "completed",
            .questionnaire_version = j->deps.q->version, .rules_version = wl_rules_version(j->deps.rules),
            .answers = answers, .personal = personal, .result = result,
        };
        /* A clash of 40-bit random codes is rare; a fresh try settles it. */
        for (int attempt = 0; attempt < 3; attempt++) {
            unsigned char bytes[5];
            wl_env_random(j->deps.env, bytes, sizeof bytes);
            wl_refcode_from_bytes(bytes, ref);
            sodium_memzero(bytes, sizeof bytes);
            rec.ref = ref;
            rc = j->deps.save ? j->deps.save(j->deps.save_ctx, &rec, err) : wl_store_save_intake(j->deps.store, &rec, err);
            if (rc != WL_ERR_CONFLICT) break;
        }
        if (rc != WL_OK) wl_err_prefix(err, "saving the intake failed (%s): ", wl_rc_name(rc));
    }
    if (rc == WL_OK) {
        memcpy(j->ref, ref, sizeof ref);
        j->result = result;
        result = NULL;
        /* Stored: forget the answers here at once. */
        wl_intake_free(j->intake);
        j->intake = NULL;
    } else {
        wl_msg_set(msg, SAVE_FAILED); /* answers kept: a retry is possible */
    }
    json_decref(result);
    if (answers) journey_drop_merged(answers);
    if (personal) journey_drop_merged(personal);
    return rc;
}
