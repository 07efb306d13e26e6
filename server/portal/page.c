/* The frame every portal page shares: head, header with languages, session notice, footer. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "portal_pages.h"

const char *T(const rq_t *r, const char *msgid)
{
    return wl_i18n_get(r->p->i18n[r->lang], msgid);
}

void subst(char *out, size_t size, const char *tmpl, const char *a0, const char *a1)
{
    /* Translations are data: never used as a printf format. "%s" and "%d" take the next
     * argument in order; anything else is copied. */
    const char *args[2] = {a0, a1};
    int k = 0;
    size_t o = 0;
    for (const char *c = tmpl; *c && o + 1 < size; c++) {
        if (c[0] == '%' && (c[1] == 's' || c[1] == 'd') && k < 2) {
            for (const char *a = args[k++] ? args[k - 1] : ""; *a && o + 1 < size; a++) out[o++] = *a;
            c++;
        } else {
            out[o++] = *c;
        }
    }
    out[o] = 0;
}

void csrf_field(rq_t *r, buf_t *b)
{
    if (r->s) buf_printf(b, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", r->s->csrf);
}

/* A local path for "return here" fields: only our own simple paths, never a full URL. */
bool local_path(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || strlen(p) > 100) return false;
    for (const char *c = p; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '/' ||
              *c == '_' || *c == '-'))
            return false;
    return true;
}

/* One button per language, each in its own language and script (lang and dir set), so a person
 * finds theirs without reading Dutch. */
static void language_buttons(rq_t *r, buf_t *b, const char *button_class, bool skip_current)
{
    wl_portal_t *p = r->p;
    for (int i = 0; i < p->n_langs; i++) {
        if (skip_current && i == r->lang) continue;
        buf_printf(b, "<button class=\"%s\" type=\"submit\" name=\"taal\" value=\"%s\" lang=\"%s\" dir=\"%s\"%s>",
                   button_class, p->langs[i], p->langs[i], wl_i18n_rtl(p->i18n[i]) ? "rtl" : "ltr",
                   i == r->lang ? " aria-current=\"true\"" : "");
        buf_esc(b, wl_i18n_endonym(p->langs[i]));
        buf_puts(b, "</button>");
    }
}

static void return_field(rq_t *r, buf_t *b, const char *path)
{
    (void)r;
    buf_printf(b, "<input type=\"hidden\" name=\"terug\" value=\"%s\">", local_path(path) ? path : "/");
}

/* The header's language control. Two languages: a button for the other one. More: one button
 * "Taal · Language" that opens the choice of all of them (page_languages), so the header stays
 * one line on a phone. Both are POST forms: no language or anything else sits in the URL. */
static void language_switch(rq_t *r, buf_t *b)
{
    wl_portal_t *p = r->p;
    if (!r->s || p->n_langs < 2) return;
    buf_puts(b, "<form class=\"wl-lang\" method=\"post\" action=\"/taal\">");
    csrf_field(r, b);
    return_field(r, b, r->req->path);
    if (p->n_langs == 2) {
        language_buttons(r, b, "utrecht-button utrecht-button--subtle", true);
    } else {
        /* "Language" in English beside the page's own word: the one a lost reader most likely knows. */
        buf_puts(b, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\" name=\"kies\" value=\"1\">");
        buf_esc(b, T(r, "Taal"));
        if (strcmp(p->langs[r->lang], "en") != 0) buf_puts(b, " · <span lang=\"en\" dir=\"ltr\">Language</span>");
        buf_puts(b, "</button>");
    }
    buf_puts(b, "</form>");
}

void page_languages(rq_t *r, const char *back)
{
    buf_t b = {0};
    page_begin(r, &b, T(r, "Kies uw taal"), false);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, T(r, "Kies uw taal"));
    buf_puts(&b, "</h1><form class=\"wl-lang-list\" method=\"post\" action=\"/taal\">");
    csrf_field(r, &b);
    return_field(r, &b, back);
    language_buttons(r, &b, "utrecht-button utrecht-button--secondary-action", false);
    buf_puts(&b, "</form>");
    page_end(r, &b);
    page_send(r, 200, &b);
}

void page_begin(rq_t *r, buf_t *b, const char *title, bool error_prefix)
{
    wl_portal_t *p = r->p;
    buf_printf(b, "<!DOCTYPE html>\n<html lang=\"%s\" dir=\"%s\"><head><meta charset=\"utf-8\">"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                  "<meta name=\"referrer\" content=\"no-referrer\"><title>",
               p->langs[r->lang], wl_i18n_rtl(p->i18n[r->lang]) ? "rtl" : "ltr");
    if (error_prefix) {
        buf_esc(b, T(r, "Fout:"));
        buf_puts(b, " ");
    }
    buf_esc(b, title);
    buf_puts(b, " – ");
    buf_esc(b, T(r, "Wijkloket"));
    buf_printf(b, "</title><link rel=\"stylesheet\" href=\"/static/portal.css?v=%s\"></head>"
                  "<body class=\"utrecht-page-body utrecht-body wl-body\">",
               p->css_etag);
    buf_printf(b, "<a class=\"utrecht-skip-link utrecht-skip-link--visible-on-focus\" href=\"#inhoud\">%s</a>",
               T(r, "Naar de inhoud"));
    buf_puts(b, "<header class=\"utrecht-page-header wl-header\"><div class=\"wl-wrap wl-header__row\">"
                "<a class=\"wl-brand\" href=\"/\"><span class=\"wl-brand__mark\" aria-hidden=\"true\"></span><span>");
    buf_esc(b, T(r, "Wijkloket"));
    buf_puts(b, "</span><span class=\"wl-brand__sub\">");
    buf_esc(b, T(r, "Werk en inkomen"));
    buf_puts(b, "</span></a>");
    language_switch(r, b);
    buf_puts(b, "</div></header><main id=\"inhoud\" class=\"utrecht-page-content wl-wrap wl-main\">");
}

void page_end(rq_t *r, buf_t *b)
{
    buf_puts(b, "</main>");
    session_t *s = r->s;
    if (s && (s->intake || s->submitted)) {
        /* Without JavaScript the warning is on every page: when the answers will be wiped and
         * a button for more time. Every click also extends the time. */
        time_t until = (time_t)(s->last_seen + r->p->cfg.session_seconds);
        struct tm tm;
        localtime_r(&until, &tm);
        char hhmm[8];
        strftime(hhmm, sizeof hhmm, "%H:%M", &tm);
        buf_puts(b, "<aside class=\"wl-wrap wl-session\" aria-labelledby=\"sessie-kop\"><h2 id=\"sessie-kop\" class=\"utrecht-heading-2 wl-session__title\">");
        buf_esc(b, T(r, "Uw tijd"));
        buf_puts(b, "</h2><p class=\"utrecht-paragraph\">");
        char line[256], mins[16];
        snprintf(mins, sizeof mins, "%d", r->p->cfg.session_seconds / 60);
        subst(line, sizeof line, T(r, "Doet u %s minuten niets, dan wissen wij uw antwoorden. Dat is om %s."), mins, hhmm);
        buf_esc(b, line);
        buf_puts(b, "</p><div class=\"utrecht-button-group\">");
        buf_puts(b, "<form method=\"post\" action=\"/verlengen\">");
        csrf_field(r, b);
        buf_printf(b, "<input type=\"hidden\" name=\"terug\" value=\"%s\">",
                   local_path(r->req->path) ? r->req->path : "/");
        buf_printf(b, "<button class=\"utrecht-button utrecht-button--secondary-action\" type=\"submit\">%s</button></form>",
                   T(r, "Meer tijd"));
        if (s->intake) {
            buf_printf(b, "<a class=\"utrecht-link wl-session__link\" href=\"/bewaren\">%s</a>",
                       T(r, "Opslaan en later verder"));
        }
        buf_puts(b, "<form method=\"post\" action=\"/stoppen\">");
        csrf_field(r, b);
        buf_printf(b, "<button class=\"utrecht-button utrecht-button--subtle\" type=\"submit\">%s</button></form>",
                   T(r, "Stoppen en wissen"));
        buf_puts(b, "</div></aside>");
    }
    buf_puts(b, "<footer class=\"utrecht-page-footer wl-footer\"><div class=\"wl-wrap\"><p class=\"utrecht-paragraph\">");
    buf_esc(b, T(r, "Hebt u hulp nodig? Bel 14 050 of ga naar een STIP of WIJ-team bij u in de buurt."));
    buf_puts(b, "</p></div></footer></body></html>\n");
}

/* Headers on every answer: nothing is cached, nothing is framed, nothing is loaded from
 * anywhere but here, and no script runs at all. */
static void common_headers(rq_t *r)
{
    wl_http_response_t *res = r->res;
    wl_http_response_header(res, "content-security-policy",
                            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                            "frame-ancestors 'none'; base-uri 'none'");
    wl_http_response_header(res, "cache-control", "no-store");
    wl_http_response_header(res, "x-content-type-options", "nosniff");
    wl_http_response_header(res, "referrer-policy", "no-referrer");
    wl_http_response_header(res, "x-frame-options", "DENY");
    wl_http_response_header(res, "cross-origin-opener-policy", "same-origin");
    wl_http_response_header(res, "permissions-policy", "camera=(), microphone=(), geolocation=()");
}

void page_send(rq_t *r, int status, buf_t *b)
{
    if (b->failed) {
        buf_free(b);
        static const char oom[] = "<!DOCTYPE html><html lang=\"nl\"><head><title>Fout</title></head><body><main>"
                                  "<h1>Er ging iets mis</h1><p>Probeer het over een paar minuten opnieuw.</p>"
                                  "</main></body></html>";
        wl_http_response_set(r->res, 503, "text/html; charset=utf-8", oom, sizeof oom - 1);
    } else {
        /* The page's own memory becomes the response body: no copy of the answers in it. */
        wl_http_response_take(r->res, status, "text/html; charset=utf-8", b->p, b->len);
        *b = (buf_t){0};
    }
    common_headers(r);
}

void redirect(rq_t *r, const char *path)
{
    wl_http_response_set(r->res, 303, NULL, "", 0);
    wl_http_response_header(r->res, "location", path);
    common_headers(r);
}

void page_expired(rq_t *r)
{
    /* Also after a restart of the server or with an unknown cookie: sessions live only in
     * memory, so nothing tells those apart from a session that timed out. */
    page_message(r, 200, T(r, "Uw sessie is verlopen"), T(r, "Wij hebben uw antwoorden niet meer. Dat gebeurt als u een tijd niets hebt gedaan, of als de website opnieuw is gestart. Hebt u een code? Dan kunt u daarmee verder."), "/",
                 T(r, "Naar de startpagina"));
}

void page_message(rq_t *r, int status, const char *title, const char *text, const char *link_href,
                  const char *link_text)
{
    buf_t b = {0};
    page_begin(r, &b, title, false);
    buf_puts(&b, "<h1 class=\"utrecht-heading-1\">");
    buf_esc(&b, title);
    buf_puts(&b, "</h1><p class=\"utrecht-paragraph wl-lead\">");
    buf_esc(&b, text);
    buf_puts(&b, "</p>");
    if (link_href) {
        buf_printf(&b, "<p class=\"utrecht-paragraph\"><a class=\"utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action\" href=\"%s\">",
                   link_href);
        buf_esc(&b, link_text);
        buf_puts(&b, "</a></p>");
    }
    page_end(r, &b);
    page_send(r, status, &b);
}

void error_summary(rq_t *r, buf_t *b, const char *msg, const char *anchor)
{
    buf_puts(b, "<div class=\"utrecht-alert utrecht-alert--error wl-errors\" role=\"alert\" aria-labelledby=\"fouten-kop\">"
                "<h2 id=\"fouten-kop\" class=\"utrecht-heading-2\">");
    buf_esc(b, T(r, "Er is iets niet goed ingevuld"));
    buf_puts(b, "</h2><ul class=\"utrecht-unordered-list\"><li>");
    if (anchor) {
        buf_printf(b, "<a class=\"utrecht-link\" href=\"#%s\">", anchor);
        buf_esc(b, msg);
        buf_puts(b, "</a>");
    } else {
        buf_esc(b, msg);
    }
    buf_puts(b, "</li></ul></div>");
}
