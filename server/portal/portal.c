/* The portal's entry points: loading, routing one request, the stylesheet, housekeeping. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "portal_pages.h"
#include "wijkloket/minima.h"

void wl_portal_config_defaults(wl_portal_config_t *c)
{
    memset(c, 0, sizeof *c);
    c->assets_dir = "assets";
    c->locale_dir = "locale";
    c->web_dir = "server/portal/web";
    c->languages = "nl,en,ar,tr,pl,uk,ti";
    c->location = "online";
    c->session_seconds = 20 * 60;
    c->draft_days = 28;
    c->rate_per_minute = 300;
    c->max_sessions = 20000;
    c->hold_seconds = 300;
}

static unsigned char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char *data = NULL;
    if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        if (n >= 0 && fseek(f, 0, SEEK_SET) == 0 && (data = malloc((size_t)n + 1))) {
            if (fread(data, 1, (size_t)n, f) != (size_t)n) {
                free(data);
                data = NULL;
            } else {
                *len = (size_t)n;
            }
        }
    }
    fclose(f);
    return data;
}

/* The NL Design System tokens and components (from npm, installed by
 * scripts/install-web-deps.sh) and our own layer, served as one file from here. */
static wl_rc load_css(wl_portal_t *p, wl_err_t *err)
{
    static const char *parts[] = {
        "node_modules/@utrecht/design-tokens/dist/root.css",
        "node_modules/@utrecht/component-library-css/dist/index.css",
        "portal.css",
    };
    buf_t b = {0};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", p->web_dir, parts[i]);
        size_t n = 0;
        unsigned char *d = read_file(path, &n);
        if (!d) {
            buf_free(&b);
            wl_err_set(err, "%s: cannot read the portal stylesheet (run scripts/install-web-deps.sh)", path);
            return WL_ERR_IO;
        }
        buf_add(&b, (const char *)d, n);
        buf_puts(&b, "\n");
        free(d);
    }
    if (b.failed) {
        buf_free(&b);
        return WL_ERR_NOMEM;
    }
    p->css = (unsigned char *)b.p;
    p->css_len = b.len;
    unsigned char h[8];
    crypto_generichash(h, sizeof h, p->css, p->css_len, NULL, 0);
    sodium_bin2hex(p->css_etag, sizeof p->css_etag, h, sizeof h);
    return WL_OK;
}

wl_rc wl_portal_new(const wl_portal_config_t *cfg, wl_portal_t **out, wl_err_t *err)
{
    *out = NULL;
    if (sodium_init() < 0) {
        wl_err_set(err, "libsodium could not start");
        return WL_ERR_NOMEM;
    }
    if (!cfg->backend.save_intake) {
        wl_err_set(err, "portal: no storage backend configured");
        return WL_ERR_INVALID;
    }
    if (cfg->session_seconds < 1 || cfg->draft_days < 1 || cfg->rate_per_minute < 1 || cfg->max_sessions < 1 ||
        cfg->hold_seconds < 10 || cfg->hold_seconds > 3600) {
        wl_err_set(err, "portal: session_seconds, draft_days, rate_per_minute and max_sessions must be positive, hold_seconds 10 to 3600");
        return WL_ERR_INVALID;
    }
    wl_portal_t *p = calloc(1, sizeof *p);
    if (!p) return WL_ERR_NOMEM;
    p->cfg = *cfg;
    snprintf(p->assets_dir, sizeof p->assets_dir, "%s", cfg->assets_dir);
    snprintf(p->locale_dir, sizeof p->locale_dir, "%s", cfg->locale_dir);
    snprintf(p->web_dir, sizeof p->web_dir, "%s", cfg->web_dir);
    snprintf(p->location, sizeof p->location, "%s", cfg->location);
    pthread_mutex_init(&p->mu, NULL);
    char path[1024];
    snprintf(path, sizeof path, "%s/questionnaires/entreevragenlijst.json", p->assets_dir);
    wl_rc rc = wl_questionnaire_load(path, &p->q, err);
    if (rc == WL_OK) {
        snprintf(path, sizeof path, "%s/rules/routing.json", p->assets_dir);
        rc = wl_rules_load(path, p->q, &p->rules, err);
    }
    if (rc == WL_OK) rc = wl_catalog_load(p->assets_dir, &p->catalog, err);
    if (rc == WL_OK) rc = wl_minima_load(p->assets_dir, &p->minima, err);
    if (rc == WL_OK) rc = wl_minima_wizard_load(p->assets_dir, &p->wizard, err);
    /* Languages: "nl,en,ar" -> one catalogue each (Dutch needs no file). */
    const char *l = cfg->languages;
    while (rc == WL_OK && l && *l) {
        size_t n = strcspn(l, ", ");
        if (n > 0 && n < sizeof p->langs[0] && p->n_langs < PORTAL_MAX_LANGS) {
            memcpy(p->langs[p->n_langs], l, n);
            p->langs[p->n_langs][n] = 0;
            rc = wl_i18n_load(p->locale_dir, p->langs[p->n_langs], &p->i18n[p->n_langs], err);
            if (rc == WL_OK) p->n_langs++;
        }
        l += n;
        while (*l == ',' || *l == ' ') l++;
    }
    if (rc == WL_OK && p->n_langs == 0) {
        wl_err_set(err, "portal: no languages configured");
        rc = WL_ERR_INVALID;
    }
    if (rc == WL_OK) rc = load_css(p, err);
    if (rc != WL_OK) {
        p->cfg.backend.close = NULL; /* the caller still owns the backend on failure */
        wl_portal_free(p);
        return rc;
    }
    *out = p;
    return WL_OK;
}

void wl_portal_free(wl_portal_t *p)
{
    if (!p) return;
    for (size_t b = 0; b < SESSION_BUCKETS; b++)
        while (p->buckets[b]) session_end(p, p->buckets[b]);
    for (int i = 0; i < p->n_langs; i++) wl_i18n_free(p->i18n[i]);
    wl_catalog_free(p->catalog);
    wl_minima_free(p->minima);
    wl_minima_wizard_free(p->wizard);
    wl_rules_free(p->rules);
    wl_questionnaire_free(p->q);
    free(p->css);
    if (p->cfg.backend.close) p->cfg.backend.close(p->cfg.backend.ctx);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

void wl_portal_housekeeping(wl_portal_t *p, int64_t now)
{
    pthread_mutex_lock(&p->mu);
    session_sweep(p, now);
    pthread_mutex_unlock(&p->mu);
    wl_err_t err = {{0}};
    int64_t removed = 0;
    if (p->cfg.backend.draft_purge && p->cfg.backend.draft_purge(p->cfg.backend.ctx, now, &removed, &err) != WL_OK)
        fprintf(stderr, "wijkloket-portal: purging drafts failed: %s\n", err.msg);
}

static void set_cookie(rq_t *r, bool clear)
{
    char v[256];
    snprintf(v, sizeof v, COOKIE_NAME "=%s; Path=/; HttpOnly; SameSite=Strict%s%s", clear ? "" : r->s->id,
             r->p->cfg.secure_cookies ? "; Secure" : "", clear ? "; Max-Age=0" : "");
    wl_http_response_header(r->res, "set-cookie", v);
    sodium_memzero(v, sizeof v);
}

static const char *form_path(rq_t *r, const char *field)
{
    const char *t = form_get(&r->form, field);
    return local_path(t) ? t : "/";
}

static void route(rq_t *r, bool get, bool post)
{
    const char *path = r->req->path;
    if (get && !strcmp(path, "/")) return pages_start(r);
    if (get && !strcmp(path, "/hervatten")) return pages_resume(r);
    if (get && !strcmp(path, "/verlopen")) return page_expired(r);
    if (get && !strcmp(path, "/minima")) return pages_minima(r);
    if (!r->s) {
        /* A page that needs a session, and there is none (any more). */
        if (r->cookie_sent || post) return page_expired(r);
        return redirect(r, "/");
    }
    if (get && !strcmp(path, "/taal")) return page_languages(r, "/");
    if (post && !strcmp(path, "/start")) return pages_start_post(r);
    if (post && !strcmp(path, "/hervatten")) return pages_resume_post(r);
    if (post && !strcmp(path, "/taal")) {
        const char *l = form_get(&r->form, "taal");
        if (!l) return page_languages(r, form_path(r, "terug"));
        for (int i = 0; l && i < r->p->n_langs; i++)
            if (!strcmp(r->p->langs[i], l)) r->s->lang = r->lang = i;
        return redirect(r, form_path(r, "terug"));
    }
    if (post && !strcmp(path, "/verlengen")) return redirect(r, form_path(r, "terug"));
    if (post && !strcmp(path, "/stoppen")) {
        session_end(r->p, r->s);
        r->s = NULL;
        set_cookie(r, true);
        return page_message(r, 200, T(r, "Uw antwoorden zijn gewist"),
                            T(r, "Wij hebben alles gewist wat u hier hebt ingevuld en niet hebt verstuurd. U kunt dit venster sluiten."),
                            "/", T(r, "Opnieuw beginnen"));
    }
    if (!strncmp(path, "/vraag/", 7)) {
        if (get) return pages_question(r, path + 7);
        if (post) return pages_question_post(r, path + 7);
    }
    if (post && !strcmp(path, "/minima")) return pages_minima_post(r);
    if (get && !strcmp(path, "/minima/kinderen")) return pages_minima_kids(r);
    if (post && !strcmp(path, "/minima/kinderen")) return pages_minima_kids_post(r);
    if (get && !strcmp(path, "/minima/uitslag")) return pages_minima_result(r);
    if (get && !strcmp(path, "/overzicht")) return pages_summary(r);
    if (post && !strcmp(path, "/versturen")) return pages_submit(r);
    if (get && !strcmp(path, "/uitslag")) return pages_result(r, false);
    if (get && !strcmp(path, "/bewijs")) return pages_result(r, true);
    if (get && !strcmp(path, "/bewaren")) return pages_save(r);
    if (post && !strcmp(path, "/bewaren")) return pages_save_post(r);
    if (get && !strcmp(path, "/afspraak")) return pages_booking(r);
    if (post && !strcmp(path, "/afspraak")) return pages_booking_post(r);
    if (get && !strcmp(path, "/afspraak/tijd")) return pages_slots(r);
    if (post && !strcmp(path, "/afspraak/tijd")) return pages_slots_post(r);
    if (get && !strcmp(path, "/afspraak/bevestigen")) return pages_confirm(r);
    if (post && !strcmp(path, "/afspraak/bevestigen")) return pages_confirm_post(r);
    if (post && !strcmp(path, "/afspraak/vrijgeven")) return pages_release_post(r);
    if (get && !strcmp(path, "/afspraak/bon")) return pages_slip(r);
    if (get && !strcmp(path, "/afspraak/bon.pdf")) return pages_slip_file(r, true);
    if (get && !strcmp(path, "/afspraak/bon.png")) return pages_slip_file(r, false);
    page_message(r, 404, T(r, "Deze pagina bestaat niet"), T(r, "Misschien is de link niet goed. Begin op de startpagina."), "/",
                 T(r, "Naar de startpagina"));
}

int wl_portal_handle(void *portal_ctx, const wl_http_request_t *req, wl_http_response_t *res)
{
    wl_portal_t *p = portal_ctx;
    /* An adapter that left out the method or path gets the 404 page, not a crash. */
    wl_http_request_t fixed;
    if (!req->method || !req->path || !req->query) {
        fixed = *req;
        if (!fixed.method) fixed.method = "GET";
        if (!fixed.path) fixed.path = "/\x01";
        if (!fixed.query) fixed.query = "";
        req = &fixed;
    }
    bool get = !strcmp(req->method, "GET") || !strcmp(req->method, "HEAD");
    bool post = !strcmp(req->method, "POST");
    /* The stylesheet is the same for everyone and holds nothing personal: cacheable. */
    if (get && !strcmp(req->path, "/static/portal.css")) {
        wl_http_response_set(res, 200, "text/css; charset=utf-8", p->css, p->css_len);
        wl_http_response_header(res, "cache-control", "public, max-age=86400");
        wl_http_response_header(res, "x-content-type-options", "nosniff");
        return res->body ? 0 : -1;
    }
    rq_t r = {.p = p, .req = req, .res = res};
    pthread_mutex_lock(&p->mu);
    if (req->now - p->last_sweep >= 60) session_sweep(p, req->now);
    char sid[SESSION_HEX] = "";
    r.cookie_sent = portal_cookie_session(wl_http_request_header(req, "cookie"), sid);
    if (r.cookie_sent) r.s = session_find(p, sid, req->now);
    sodium_memzero(sid, sizeof sid);
    session_t *before = r.s;
    if (r.s) {
        r.s->last_seen = req->now;
        r.lang = r.s->lang;
    }
    if (!rate_allow(p, req->remote_addr, req->now, false)) {
        page_message(&r, 429, T(&r, "Even wachten"), T(&r, "Er komen te veel verzoeken van uw aansluiting. Wacht een minuut en probeer het opnieuw."), NULL, NULL);
        wl_http_response_header(res, "retry-after", "60");
    } else if (!get && !post) {
        page_message(&r, 405, T(&r, "Dit kan niet"), T(&r, "Deze pagina kunt u alleen openen of een formulier sturen."), "/", T(&r, "Naar de startpagina"));
        wl_http_response_header(res, "allow", "GET, HEAD, POST");
    } else if (post) {
        const char *ct = wl_http_request_header(req, "content-type");
        form_rc frc = FORM_BAD;
        if (req->body_len > FORM_MAX_BYTES) frc = FORM_TOO_BIG;
        else if (ct && !strncmp(ct, "application/x-www-form-urlencoded", 33)) frc = form_parse(&r.form, req->body, req->body_len);
        if (frc == FORM_TOO_BIG) {
            page_message(&r, 413, T(&r, "Dit formulier is te groot"), T(&r, "Er is te veel tekst verstuurd. Probeer het opnieuw met een korter antwoord."), "/", T(&r, "Naar de startpagina"));
        } else if (frc != FORM_OK) {
            page_message(&r, 400, T(&r, "Dit formulier kunnen wij niet lezen"),
                         T(&r, "Er ging iets mis met wat uw browser stuurde. Ga terug en probeer het opnieuw."), "/", T(&r, "Naar de startpagina"));
        } else if (r.s && (!form_get(&r.form, "csrf") || strlen(form_get(&r.form, "csrf")) != SESSION_HEX - 1 ||
                           sodium_memcmp(form_get(&r.form, "csrf"), r.s->csrf, SESSION_HEX - 1) != 0)) {
            /* A form from elsewhere, or an old copy: refused, nothing changes. */
            page_message(&r, 403, T(&r, "Dit formulier is verlopen"),
                         T(&r, "Wij konden dit formulier niet gebruiken. Er is niets veranderd. Ga naar de startpagina en probeer het opnieuw."),
                         "/", T(&r, "Naar de startpagina"));
        } else {
            route(&r, get, post);
        }
    } else {
        route(&r, get, post);
    }
    if (r.s && r.s != before) set_cookie(&r, false);
    form_free(&r.form);
    pthread_mutex_unlock(&p->mu);
    return res->body || res->status == 303 ? 0 : -1;
}
