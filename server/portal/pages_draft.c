/* Save and resume by code: the draft is encrypted with a key only the citizen's code gives. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "portal_pages.h"

#define DRAFT_MAGIC "WLD1"

static const char CROCKFORD[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* A new code "XXXX-XXXX-XXXX-XXXX". */
static void code_new(char out[RESUME_CODE_BUFSZ])
{
    unsigned char raw[10];
    randombytes_buf(raw, sizeof raw);
    size_t o = 0;
    for (int i = 0; i < CODE_SYMBOLS; i++) {
        int bit = i * 5, v = 0;
        for (int k = 0; k < 5; k++, bit++) v = (v << 1) | ((raw[bit / 8] >> (7 - bit % 8)) & 1);
        if (i && i % 4 == 0) out[o++] = '-';
        out[o++] = CROCKFORD[v];
    }
    out[o] = 0;
    sodium_memzero(raw, sizeof raw);
}

typedef struct {
    char id[33];
    unsigned char key[crypto_secretbox_KEYBYTES];
} draft_keys_t;

/* The lookup id of a code: a keyed hash, so the database holds no code. */
static void draft_id(const char *canon, char id[33])
{
    unsigned char h[16];
    static const unsigned char id_key[crypto_generichash_KEYBYTES] = "wijkloket portal draft id v1....";
    crypto_generichash(h, sizeof h, (const unsigned char *)canon, strlen(canon), id_key, sizeof id_key);
    sodium_bin2hex(id, 33, h, sizeof h);
}

void draft_forget(rq_t *r)
{
    char canon[CODE_SYMBOLS + 1], id[33];
    if (!r->s->resume_code[0] || !portal_code_canonical(r->s->resume_code, canon)) return;
    draft_id(canon, id);
    wl_err_t err = {{0}};
    if (r->p->cfg.backend.draft_delete(r->p->cfg.backend.ctx, id, &err) != WL_OK)
        fprintf(stderr, "wijkloket-portal: deleting a used draft failed (it expires anyway)\n");
    sodium_memzero(canon, sizeof canon);
    explicit_bzero(r->s->resume_code, sizeof r->s->resume_code);
}

/* The lookup id and the encryption key of a code. The key comes from Argon2id, so even a copy of the database and the
 * portal's memory give nothing without the code. Slow on purpose: run without the lock. */
static bool derive(const char *canon, bool moderate, draft_keys_t *out)
{
    static const unsigned char salt_key[crypto_generichash_KEYBYTES] = "wijkloket portal draft salt v1..";
    draft_id(canon, out->id);
    unsigned char salt[crypto_pwhash_SALTBYTES];
    crypto_generichash(salt, sizeof salt, (const unsigned char *)canon, strlen(canon), salt_key, sizeof salt_key);
    return crypto_pwhash(out->key, sizeof out->key, canon, strlen(canon), salt,
                         moderate ? crypto_pwhash_OPSLIMIT_MODERATE : crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         moderate ? crypto_pwhash_MEMLIMIT_MODERATE : crypto_pwhash_MEMLIMIT_INTERACTIVE,
                         crypto_pwhash_ALG_ARGON2ID13) == 0;
}

/* Runs derive with the portal lock released; afterwards the session is looked up again
 * (it may have ended meanwhile). Returns false when the session is gone. */
static bool derive_unlocked(rq_t *r, const char *canon, draft_keys_t *k, bool *ok)
{
    char sid[SESSION_HEX];
    memcpy(sid, r->s->id, sizeof sid);
    pthread_mutex_unlock(&r->p->mu);
    *ok = derive(canon, r->p->cfg.kdf_moderate, k);
    pthread_mutex_lock(&r->p->mu);
    r->s = session_find(r->p, sid, r->req->now);
    sodium_memzero(sid, sizeof sid);
    return r->s != NULL;
}

/* ---- save ---- */

void pages_save(rq_t *r)
{
    if (!r->s->intake) return redirect(r, r->s->submitted ? "/uitslag" : "/");
    buf_t b = {0};
    page_begin(r, &b, T(r, "Opslaan en later verder"), false);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Opslaan en later verder"));
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, T(r, "U krijgt een code. Met die code gaat u later verder waar u was. U hebt geen e-mail nodig."));
    buf_puts(&b, "</p><p class=\"utrecht-paragraph\">");
    char line[256], days[16];
    snprintf(days, sizeof days, "%d", r->p->cfg.draft_days);
    subst(line, sizeof line, T(r, "Wij bewaren uw antwoorden %s dagen. Daarna wissen wij ze."), days, NULL);
    buf_esc(&b, line);
    buf_puts(&b, " ");
    buf_esc(&b, T(r, "Zonder de code kan niemand uw antwoorden lezen, ook de gemeente niet. Kwijt is kwijt."));
    buf_puts(&b, "</p><form method=\"post\" action=\"/bewaren\">");
    csrf_field(r, &b);
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Opslaan en code maken"));
    buf_puts(&b, "</button><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action\" href=\"/\">");
    buf_esc(&b, T(r, "Terug naar de vragen"));
    buf_puts(&b, "</a></div></form>");
    page_end(r, &b);
    page_send(r, 200, &b);
}

void pages_save_post(rq_t *r)
{
    session_t *s = r->s;
    if (!s->intake) return redirect(r, s->submitted ? "/uitslag" : "/");
    char code[RESUME_CODE_BUFSZ], canon[CODE_SYMBOLS + 1];
    if (s->resume_code[0]) snprintf(code, sizeof code, "%s", s->resume_code);
    else code_new(code);
    portal_code_canonical(code, canon);
    /* The draft: every answer so far, the language and when the citizen began. */
    json_t *all = wl_intake_answers(s->intake), *personal = wl_intake_personal(s->intake);
    if (all && personal) json_object_update(all, personal);
    json_decref(personal);
    json_t *d = json_pack("{s:i, s:s, s:I, s:s, s:o}", "v", 1, "lang", r->p->langs[r->lang], "started_at",
                          (json_int_t)s->started_at, "at", s->at, "answers", all ? all : json_object());
    char *text = d ? json_dumps(d, JSON_COMPACT) : NULL;
    json_decref(d);
    draft_keys_t k;
    bool kdf_ok = false;
    bool alive = text && derive_unlocked(r, canon, &k, &kdf_ok);
    wl_rc rc = WL_ERR_NOMEM;
    if (alive && kdf_ok) {
        size_t tlen = strlen(text);
        size_t blen = 4 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + tlen;
        unsigned char *blob = malloc(blen);
        if (blob) {
            memcpy(blob, DRAFT_MAGIC, 4);
            randombytes_buf(blob + 4, crypto_secretbox_NONCEBYTES);
            crypto_secretbox_easy(blob + 4 + crypto_secretbox_NONCEBYTES, (unsigned char *)text, tlen, blob + 4, k.key);
            wl_err_t err = {{0}};
            int64_t expires = r->req->now + (int64_t)r->p->cfg.draft_days * 86400;
            rc = r->p->cfg.backend.draft_put(r->p->cfg.backend.ctx, k.id, blob, blen, expires, &err);
            if (rc != WL_OK) fprintf(stderr, "wijkloket-portal: saving a draft failed (%s)\n", wl_rc_name(rc));
            free(blob);
        }
    }
    sodium_memzero(&k, sizeof k);
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
    if (!alive) {
        sodium_memzero(code, sizeof code);
        return page_expired(r);
    }
    s = r->s;
    if (rc != WL_OK) {
        sodium_memzero(code, sizeof code);
        return page_message(r, 503, T(r, "Opslaan lukte niet"),
                            T(r, "Uw antwoorden zijn nog niet opgeslagen. Probeer het over een paar minuten opnieuw."), "/",
                            T(r, "Terug naar de vragen"));
    }
    snprintf(s->resume_code, sizeof s->resume_code, "%s", code);
    buf_t b = {0};
    page_begin(r, &b, T(r, "Uw antwoorden zijn opgeslagen"), false);
    buf_puts(&b, "<div class=\"utrecht-alert utrecht-alert--ok wl-ok\" role=\"status\"><h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Uw antwoorden zijn opgeslagen"));
    buf_puts(&b, "</h1></div><div class=\"wl-refbox\"><p class=\"utrecht-paragraph wl-refbox__label\">");
    buf_esc(&b, T(r, "Uw code om verder te gaan"));
    buf_puts(&b, "</p><p class=\"wl-refbox__code wl-refbox__code--long\">");
    buf_esc(&b, code);
    buf_puts(&b, "</p><p class=\"utrecht-paragraph\">");
    time_t until = (time_t)(r->req->now + (int64_t)r->p->cfg.draft_days * 86400);
    struct tm tm;
    localtime_r(&until, &tm);
    char date[32], line[256];
    strftime(date, sizeof date, "%d-%m-%Y", &tm);
    subst(line, sizeof line, T(r, "Schrijf deze code op of maak er een foto van. De code werkt tot %s."), date, NULL);
    buf_esc(&b, line);
    buf_puts(&b, "</p></div><p class=\"utrecht-paragraph\">");
    buf_esc(&b, T(r, "Later gaat u naar deze website en kiest u Ga verder met uw code."));
    buf_puts(&b, "</p><div class=\"utrecht-button-group wl-actions\"><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action\" href=\"/\">");
    buf_esc(&b, T(r, "Nu toch verder gaan"));
    buf_puts(&b, "</a></div>");
    sodium_memzero(code, sizeof code);
    page_end(r, &b);
    page_send(r, 200, &b);
}

/* ---- resume ---- */

static void resume_form(rq_t *r, const char *error)
{
    buf_t b = {0};
    page_begin(r, &b, T(r, "Verder gaan met uw code"), error != NULL);
    if (error) error_summary(r, &b, error, "f-code");
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Verder gaan met uw code"));
    buf_puts(&b, "</h1><form method=\"post\" action=\"/hervatten\" novalidate>");
    csrf_field(r, &b);
    buf_printf(&b, "<div class=\"utrecht-form-field%s\"><label class=\"utrecht-form-label\" for=\"f-code\">", error ? " utrecht-form-field--invalid" : "");
    buf_esc(&b, T(r, "Uw code"));
    buf_puts(&b, "</label><p id=\"h-code\" class=\"utrecht-form-field-description wl-help\">");
    buf_esc(&b, T(r, "U kreeg de code toen u uw antwoorden opsloeg. Bijvoorbeeld: K7QM-2H9D-XW4B-8RTA"));
    buf_puts(&b, "</p>");
    if (error) {
        buf_puts(&b, "<p id=\"e-code\" class=\"utrecht-form-field-error-message wl-error\">");
        buf_esc(&b, error);
        buf_puts(&b, "</p>");
    }
    buf_printf(&b, "<input class=\"utrecht-textbox utrecht-textbox--html-input wl-code-input%s\" type=\"text\" id=\"f-code\" name=\"code\" "
                   "autocomplete=\"off\" autocapitalize=\"characters\" spellcheck=\"false\" maxlength=\"40\" aria-describedby=\"h-code%s\"%s></div>",
               error ? " utrecht-textbox--invalid" : "", error ? " e-code" : "", error ? " aria-invalid=\"true\"" : "");
    buf_puts(&b, "<div class=\"utrecht-button-group wl-actions\"><button class=\"utrecht-button utrecht-button--primary-action\" type=\"submit\">");
    buf_esc(&b, T(r, "Verder gaan"));
    buf_puts(&b, "</button></div></form><p class=\"utrecht-paragraph\"><a class=\"utrecht-link\" href=\"/\">");
    buf_esc(&b, T(r, "Terug naar de startpagina"));
    buf_puts(&b, "</a></p>");
    page_end(r, &b);
    page_send(r, error ? 400 : 200, &b);
}

void pages_resume(rq_t *r)
{
    if (!r->s) {
        r->s = session_create(r->p, r->req->now);
        if (!r->s)
            return page_message(r, 503, T(r, "Het is nu erg druk"), T(r, "Probeer het over een paar minuten opnieuw."), NULL, NULL);
    }
    resume_form(r, NULL);
}

/* One message for every failure: a typo, an unknown code, an expired or a damaged draft.
 * Nobody learns from the answer whether a draft exists. */
#define RESUME_REFUSED N_("Met deze code kunnen wij geen antwoorden openen. Kijk of u de code goed hebt overgenomen. Een code werkt een beperkte tijd.")

void pages_resume_post(rq_t *r)
{
    wl_portal_t *p = r->p;
    if (!rate_allow(p, r->req->remote_addr, r->req->now, true))
        return page_message(r, 429, T(r, "Even wachten"),
                            T(r, "U hebt het vaak geprobeerd. Wacht tien minuten en probeer het dan opnieuw."), NULL, NULL);
    const char *typed = form_get(&r->form, "code");
    char canon[CODE_SYMBOLS + 1];
    bool wellformed = portal_code_canonical(typed, canon);
    /* Derive even for a malformed code, so the time taken tells nothing either. */
    if (!wellformed) snprintf(canon, sizeof canon, "0000000000000000");
    draft_keys_t k;
    bool kdf_ok = false;
    if (!derive_unlocked(r, canon, &k, &kdf_ok)) {
        sodium_memzero(&k, sizeof k);
        return page_expired(r);
    }
    unsigned char *blob = NULL;
    size_t blen = 0;
    wl_err_t err = {{0}};
    json_t *d = NULL;
    if (wellformed && kdf_ok &&
        p->cfg.backend.draft_get(p->cfg.backend.ctx, k.id, r->req->now, &blob, &blen, &err) == WL_OK &&
        blen > 4 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES && !memcmp(blob, DRAFT_MAGIC, 4)) {
        size_t tlen = blen - 4 - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
        unsigned char *text = malloc(tlen + 1);
        if (text && crypto_secretbox_open_easy(text, blob + 4 + crypto_secretbox_NONCEBYTES,
                                               blen - 4 - crypto_secretbox_NONCEBYTES, blob + 4, k.key) == 0) {
            d = json_loadb((const char *)text, tlen, 0, NULL);
        }
        if (text) {
            sodium_memzero(text, tlen + 1);
            free(text);
        }
    }
    free(blob);
    sodium_memzero(&k, sizeof k);
    json_t *answers = json_object_get(d, "answers");
    if (!json_is_object(answers)) {
        json_decref(d);
        return resume_form(r, T(r, RESUME_REFUSED));
    }
    session_t *s = r->s;
    hold_drop(p, s, r->req->now);
    session_reset(s);
    char today[11];
    wl_date_today(r->req->now, today);
    s->intake = wl_intake_new(p->q, today);
    if (!s->intake) {
        json_decref(d);
        return page_message(r, 503, T(r, "Er ging iets mis"), T(r, "Probeer het over een paar minuten opnieuw."), "/", T(r, "Naar de startpagina"));
    }
    /* Questionnaire order, one by one: an answer the current questionnaire no longer takes
     * (a changed question) is asked again instead of failing the whole draft. */
    for (size_t i = 0; i < p->q->n_questions; i++) {
        const json_t *v = json_object_get(answers, p->q->questions[i].id);
        if (v) wl_intake_set(s->intake, p->q->questions[i].id, v, &err);
    }
    explicit_bzero(&err, sizeof err);
    s->consent = true;
    json_int_t started = json_integer_value(json_object_get(d, "started_at"));
    s->started_at = started > 0 ? (int64_t)started : r->req->now;
    const char *lang = json_string_value(json_object_get(d, "lang"));
    for (int i = 0; lang && i < p->n_langs; i++)
        if (!strcmp(p->langs[i], lang)) s->lang = r->lang = i;
    /* Back where the citizen was, when that question still applies. */
    size_t at_idx = SIZE_MAX;
    const char *at = json_string_value(json_object_get(d, "at"));
    bool at_ok = at && wl_questionnaire_find(p->q, at, &at_idx) && wl_intake_relevant(s->intake, at_idx);
    json_decref(d);
    /* Keep the code: saving again later updates the same draft. */
    char pretty[RESUME_CODE_BUFSZ];
    snprintf(pretty, sizeof pretty, "%.4s-%.4s-%.4s-%.4s", canon, canon + 4, canon + 8, canon + 12);
    memcpy(s->resume_code, pretty, sizeof pretty);
    sodium_memzero(canon, sizeof canon);
    sodium_memzero(pretty, sizeof pretty);
    size_t missing = SIZE_MAX;
    char path[128];
    if (at_ok) {
        snprintf(path, sizeof path, "/vraag/%s", p->q->questions[at_idx].id);
        return redirect(r, path);
    }
    if (wl_intake_complete(s->intake, &missing) == WL_OK || missing == SIZE_MAX) return redirect(r, "/overzicht");
    snprintf(path, sizeof path, "/vraag/%s", p->q->questions[missing].id);
    redirect(r, path);
}
