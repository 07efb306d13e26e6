/* Reads gettext .po catalogues at run time (no msgfmt step) and looks up translations. */
#include "wijkloket/i18n.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json_text.h"

typedef struct {
    char *id;
    char *str;
    int line; /* where its msgid stands, for the duplicate message */
    bool reviewed; /* a "# reviewed: WHO" comment: a native speaker checked it */
} entry_t;

struct wl_i18n {
    char lang[16];
    bool rtl;
    entry_t *entries; /* sorted by id for bsearch */
    size_t n, cap;
};

/* Languages written right to left among those our citizens speak; the header can add more. */
static bool rtl_language(const char *lang)
{
    static const char *const rtl[] = {"ar", "he", "fa", "ur", NULL};
    for (int i = 0; rtl[i]; i++) {
        size_t n = strlen(rtl[i]);
        if (!strncmp(lang, rtl[i], n) && (lang[n] == '\0' || lang[n] == '_' || lang[n] == '-')) return true;
    }
    return false;
}

/* Only plain language tags ("en", "ar", "pt_BR"): the tag becomes part of a file path. */
static bool valid_lang(const char *lang)
{
    size_t n = strlen(lang), i = 0;
    while (i < n && islower((unsigned char)lang[i])) i++;
    if (i < 2 || i > 3) return false;
    if (i == n) return true;
    if (lang[i] != '_' || n != i + 3) return false;
    return isupper((unsigned char)lang[i + 1]) && isupper((unsigned char)lang[i + 2]);
}

/* ---------------------------------------------------------------------------------------- */
/* Parser                                                                                     */

typedef struct {
    char *buf;
    size_t len, cap;
} sbuf_t;

static bool sb_add(sbuf_t *b, char c)
{
    if (b->len + 2 > b->cap) {
        size_t ncap = b->cap ? b->cap * 2 : 64;
        char *nb = realloc(b->buf, ncap);
        if (!nb) return false;
        b->buf = nb;
        b->cap = ncap;
    }
    b->buf[b->len++] = c;
    b->buf[b->len] = '\0';
    return true;
}

static void sb_reset(sbuf_t *b)
{
    b->len = 0;
    if (b->buf) b->buf[0] = '\0';
}

/* Appends the C string literal at p ("...") to b; returns the end or NULL with *why set. */
static const char *read_string(const char *p, sbuf_t *b, const char **why)
{
    if (*p != '"') {
        *why = "expected a quoted string";
        return NULL;
    }
    p++;
    while (*p && *p != '"' && *p != '\n') {
        char c = *p++;
        if (c == '\\') {
            char e = *p++;
            switch (e) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'a': c = '\a'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'v': c = '\v'; break;
            case '\\': c = '\\'; break;
            case '"': c = '"'; break;
            case '\'': c = '\''; break;
            case '?': c = '?'; break;
            case 'x': {
                int v = 0, k = 0;
                while (k < 2 && isxdigit((unsigned char)*p)) {
                    v = v * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
                    p++;
                    k++;
                }
                if (!k) {
                    *why = "\\x needs hex digits";
                    return NULL;
                }
                c = (char)v;
                break;
            }
            default:
                if (e >= '0' && e <= '7') {
                    int v = e - '0', k = 1;
                    while (k < 3 && *p >= '0' && *p <= '7') v = v * 8 + (*p++ - '0'), k++;
                    c = (char)v;
                } else {
                    *why = "unknown escape sequence";
                    return NULL;
                }
            }
            if (c == '\0') {
                *why = "a NUL character is not allowed in a string";
                return NULL;
            }
        }
        if (!sb_add(b, c)) {
            *why = "out of memory";
            return NULL;
        }
    }
    if (*p != '"') {
        *why = "string is not closed with \"";
        return NULL;
    }
    p++;
    while (*p == ' ' || *p == '\t' || *p == '\r') p++;
    if (*p && *p != '\n' && *p != '#') {
        *why = "unexpected text after the string";
        return NULL;
    }
    return p;
}

/* The printf conversions in s ("%s %d" gives "sd"), so a translation cannot crash a printf.
 * A percent sign in running text ("120% van", "140%.") is not one: a conversion is
 * %[N$][-+#0]*[width][.precision][hh|h|l|ll|z|j|t]X with X a conversion letter (no space flag,
 * which the project never uses and which would make "% tot" a %o). */
static void conversions(const char *s, char *out, size_t size)
{
    size_t n = 0;
    for (; *s; s++) {
        if (*s != '%') continue;
        const char *p = s + 1;
        if (*p == '%') {
            s = p;
            continue;
        }
        const char *q = p;
        while (*q >= '0' && *q <= '9') q++;
        if (*q == '$' && q > p) p = q + 1;
        while (*p && strchr("-+#0", *p)) p++;
        while (*p >= '0' && *p <= '9') p++;
        if (*p == '.') {
            p++;
            while (*p >= '0' && *p <= '9') p++;
        }
        while (*p && strchr("hlzjt", *p)) p++;
        if (*p && strchr("diouxXcspfFeEgGaA", *p) && n + 1 < size) out[n++] = *p;
    }
    out[n] = '\0';
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry_t *)a)->id, ((const entry_t *)b)->id);
}

typedef enum { F_NONE, F_CTXT, F_ID, F_PLURAL, F_STR, F_STR_OTHER } field_t;

typedef struct {
    wl_i18n_t *t;
    const char *path;
    wl_err_t *err;
    sbuf_t ctxt, id, str;
    bool has_ctxt, has_id, has_str, fuzzy, next_fuzzy, reviewed, next_reviewed;
    bool keep_empty; /* a template (.pot): keep entries without a translation, for their ids */
    int id_line;
} parser_t;

static wl_rc perr(parser_t *P, int line, const char *what)
{
    wl_err_set(P->err, "%s:%d: %s", P->path, line, what);
    return WL_ERR_PARSE;
}

static void read_header(parser_t *P, const char *h)
{
    /* The file name decides the language ("Language:" is informative); the header can only
     * add the direction, for a right-to-left language not in our own list. */
    const char *dir = strstr(h, "X-Direction:");
    if (dir) {
        dir += strlen("X-Direction:");
        while (*dir == ' ') dir++;
        if (!strncmp(dir, "rtl", 3)) P->t->rtl = true;
    }
}

/* Stores the finished entry (if any) and resets for the next one. */
static wl_rc finish(parser_t *P)
{
    if (!P->has_id) {
        P->fuzzy = false;
        return WL_OK;
    }
    if (!P->has_str) return perr(P, P->id_line, "msgid without msgstr");
    wl_rc rc = WL_OK;
    if (P->id.len == 0 && !P->has_ctxt) {
        read_header(P, P->str.buf ? P->str.buf : "");
    } else if (!P->fuzzy && !P->has_ctxt && (P->str.len > 0 || P->keep_empty)) {
        /* Fuzzy entries are guesses a translator has not checked; context entries are not
         * reachable through wl_i18n_get. Both fall back to the Dutch source. */
        char a[32], b[32];
        conversions(P->id.buf, a, sizeof a);
        conversions(P->str.buf, b, sizeof b);
        if (P->str.len > 0 && strcmp(a, b) != 0) {
            rc = perr(P, P->id_line, "msgstr has other %-conversions than msgid");
        } else if (P->t->n == P->t->cap) {
            size_t ncap = P->t->cap ? P->t->cap * 2 : 64;
            entry_t *ne = realloc(P->t->entries, ncap * sizeof *ne);
            if (!ne) rc = perr(P, P->id_line, "out of memory");
            else {
                P->t->entries = ne;
                P->t->cap = ncap;
            }
        }
        if (!rc) {
            entry_t *e = &P->t->entries[P->t->n];
            e->id = strdup(P->id.buf);
            e->str = strdup(P->str.buf);
            e->line = P->id_line;
            e->reviewed = P->reviewed;
            if (!e->id || !e->str) {
                free(e->id);
                free(e->str);
                rc = perr(P, P->id_line, "out of memory");
            } else {
                P->t->n++;
            }
        }
    }
    sb_reset(&P->ctxt);
    sb_reset(&P->id);
    sb_reset(&P->str);
    P->has_ctxt = P->has_id = P->has_str = P->fuzzy = P->reviewed = false;
    return rc;
}

static wl_rc parse(parser_t *P, const char *text)
{
    field_t field = F_NONE;
    int line = 0;
    const char *p = text;
    while (*p) {
        line++;
        const char *eol = strchr(p, '\n');
        const char *next = eol ? eol + 1 : p + strlen(p);
        const char *s = p;
        while (*s == ' ' || *s == '\t' || *s == '\r') s++;
        const char *why = NULL;
        wl_rc rc;
        if (*s == '\n' || *s == '\0') {
            /* blank line: entries are separated by it, nothing else to do */
        } else if (*s == '#') {
            /* A comment before a msgid starts a new entry; "#," carries flags like fuzzy. */
            if (field == F_STR || field == F_STR_OTHER) {
                if ((rc = finish(P))) return rc;
                field = F_NONE;
            }
            if (s[1] == ',') {
                const char *f = strstr(s, "fuzzy");
                if (f && f < next) P->next_fuzzy = true;
            }
            if (!strncmp(s, "# reviewed:", 11)) P->next_reviewed = true;
        } else if (*s == '"') {
            sbuf_t *target = field == F_CTXT ? &P->ctxt : field == F_ID ? &P->id
                           : field == F_STR ? &P->str : NULL;
            sbuf_t scratch = {0};
            if (field == F_NONE) return perr(P, line, "string without msgid or msgstr before it");
            if (!read_string(s, target ? target : &scratch, &why)) {
                free(scratch.buf);
                return perr(P, line, why);
            }
            free(scratch.buf);
        } else {
            const char *kw = s;
            while (*s && !isspace((unsigned char)*s)) s++;
            size_t kl = (size_t)(s - kw);
            while (*s == ' ' || *s == '\t') s++;
#define KW(x) (kl == strlen(x) && !strncmp(kw, x, kl))
            if (KW("msgctxt") || KW("msgid")) {
                if (KW("msgctxt") || field != F_CTXT) {
                    if ((rc = finish(P))) return rc;
                }
                if (KW("msgctxt")) {
                    field = F_CTXT;
                    P->has_ctxt = true;
                    if (!read_string(s, &P->ctxt, &why)) return perr(P, line, why);
                } else {
                    field = F_ID;
                    P->has_id = true;
                    P->id_line = line;
                    P->fuzzy = P->next_fuzzy;
                    P->reviewed = P->next_reviewed;
                    P->next_fuzzy = P->next_reviewed = false;
                    if (!read_string(s, &P->id, &why)) return perr(P, line, why);
                }
            } else if (KW("msgid_plural")) {
                sbuf_t scratch = {0};
                if (field != F_ID) return perr(P, line, "msgid_plural without msgid");
                field = F_PLURAL;
                const char *ok = read_string(s, &scratch, &why);
                free(scratch.buf);
                if (!ok) return perr(P, line, why);
            } else if (KW("msgstr") || KW("msgstr[0]")) {
                if (!P->has_id || P->has_str) return perr(P, line, "msgstr without msgid");
                field = F_STR;
                P->has_str = true;
                if (!read_string(s, &P->str, &why)) return perr(P, line, why);
            } else if (kl > 7 && !strncmp(kw, "msgstr[", 7)) {
                /* Other plural forms: the UI uses none, only the singular form is kept. */
                sbuf_t scratch = {0};
                if (!P->has_str) return perr(P, line, "msgstr[n] without msgstr[0]");
                field = F_STR_OTHER;
                const char *ok = read_string(s, &scratch, &why);
                free(scratch.buf);
                if (!ok) return perr(P, line, why);
            } else {
                return perr(P, line, "unknown keyword (expected msgid, msgstr, msgctxt or a comment)");
            }
#undef KW
        }
        p = next;
    }
    return finish(P);
}

/* Reads and parses one catalogue file into t (entries sorted, duplicates refused). */
static wl_rc load_file(wl_i18n_t *t, const char *path, bool keep_empty, wl_err_t *err)
{
    char *text = wl_json_read_text(path, NULL);
    if (!text) {
        int e = errno;
        wl_err_set(err, "%s: cannot read: %s", path, strerror(e));
        return e == ENOENT ? WL_ERR_NOTFOUND : WL_ERR_IO;
    }
    parser_t P = {.t = t, .path = path, .err = err, .keep_empty = keep_empty};
    wl_rc rc = parse(&P, text);
    free(P.ctxt.buf);
    free(P.id.buf);
    free(P.str.buf);
    free(text);
    if (!rc && t->n > 1) {
        qsort(t->entries, t->n, sizeof *t->entries, cmp_entry);
        for (size_t i = 1; i < t->n; i++) {
            if (!strcmp(t->entries[i - 1].id, t->entries[i].id)) {
                const entry_t *a = &t->entries[i - 1], *b = &t->entries[i];
                const entry_t *later = a->line > b->line ? a : b, *first = later == a ? b : a;
                wl_err_set(err, "%s:%d: msgid \"%.60s\" appears twice (first on line %d)", path,
                           later->line, later->id, first->line);
                rc = WL_ERR_PARSE;
                break;
            }
        }
    }
    return rc;
}

wl_rc wl_i18n_load(const char *dir, const char *lang, wl_i18n_t **out, wl_err_t *err)
{
    *out = NULL;
    if (!lang || !valid_lang(lang)) {
        wl_err_set(err, "language '%s': not a language tag like \"en\" or \"pt_BR\"", lang ? lang : "(null)");
        return WL_ERR_INVALID;
    }
    wl_i18n_t *t = calloc(1, sizeof *t);
    if (!t) {
        wl_err_set(err, "out of memory");
        return WL_ERR_NOMEM;
    }
    snprintf(t->lang, sizeof t->lang, "%s", lang);
    t->rtl = rtl_language(lang);
    if (!strcmp(lang, "nl")) { /* Dutch is the source text: nothing to translate */
        *out = t;
        return WL_OK;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s.po", dir ? dir : ".", lang);
    wl_rc rc = load_file(t, path, false, err);
    if (rc) {
        wl_i18n_free(t);
        return rc;
    }
    *out = t;
    return WL_OK;
}

wl_rc wl_i18n_count(const char *dir, const char *lang, wl_i18n_count_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/wijkloket.pot", dir ? dir : ".");
    wl_i18n_t pot = {0};
    wl_rc rc = load_file(&pot, path, true, err);
    wl_i18n_t *t = NULL;
    if (!rc) rc = wl_i18n_load(dir, lang, &t, err);
    if (!rc) {
        out->total = pot.n;
        for (size_t i = 0; i < pot.n; i++) {
            if (!strcmp(lang, "nl")) { /* the source: every text is there as written */
                out->translated++;
                continue;
            }
            entry_t key = {pot.entries[i].id, NULL, 0, false};
            const entry_t *e = t->n ? bsearch(&key, t->entries, t->n, sizeof *t->entries, cmp_entry) : NULL;
            if (!e) {
                if (out->n_missing < sizeof out->missing / sizeof out->missing[0])
                    snprintf(out->missing[out->n_missing++], sizeof out->missing[0], "%s", pot.entries[i].id);
                continue;
            }
            out->translated++;
            if (e->reviewed) out->reviewed++;
        }
    }
    for (size_t i = 0; i < pot.n; i++) {
        free(pot.entries[i].id);
        free(pot.entries[i].str);
    }
    free(pot.entries);
    wl_i18n_free(t);
    return rc;
}

void wl_i18n_free(wl_i18n_t *t)
{
    if (!t) return;
    for (size_t i = 0; i < t->n; i++) {
        free(t->entries[i].id);
        free(t->entries[i].str);
    }
    free(t->entries);
    free(t);
}

const char *wl_i18n_get(const wl_i18n_t *t, const char *msgid)
{
    if (!msgid) return "";
    if (!t || !t->n) return msgid;
    entry_t key = {(char *)msgid, NULL, 0, false};
    const entry_t *e = bsearch(&key, t->entries, t->n, sizeof *t->entries, cmp_entry);
    return e ? e->str : msgid;
}

static const char *tr(const void *ctx, const char *msgid)
{
    return wl_i18n_get(ctx, msgid);
}

char *wl_i18n_msg(const wl_i18n_t *t, const wl_msg_t *m, char *dst, size_t n)
{
    return wl_msg_render(m, tr, t, dst, n);
}

char *wl_i18n_msg_json(const wl_i18n_t *t, const json_t *j, char *dst, size_t n)
{
    return wl_msg_render_json(j, tr, t, dst, n);
}

char *wl_i18n_date(const wl_i18n_t *t, const char *date, bool weekday, bool year, char *dst, size_t n)
{
    return wl_msg_date_words(date, weekday, year, tr, t, dst, n);
}

bool wl_i18n_rtl(const wl_i18n_t *t)
{
    return t && t->rtl;
}

const char *wl_i18n_lang(const wl_i18n_t *t)
{
    return t ? t->lang : "nl";
}

const char *wl_i18n_endonym(const char *lang)
{
    static const struct { const char *code, *name; } N[] = {
        { "nl", "Nederlands" }, { "en", "English" }, { "de", "Deutsch" }, { "fr", "Français" },
        { "pl", "Polski" }, { "tr", "Türkçe" }, { "ar", "العربية" }, { "uk", "Українська" },
        { "ti", "ትግርኛ" }, { "fa", "فارسی" }, { "es", "Español" }, { "pt", "Português" },
        { "so", "Soomaali" },
    };
    for (size_t i = 0; lang && i < sizeof N / sizeof N[0]; i++)
        if (!strcmp(N[i].code, lang)) return N[i].name;
    return lang ? lang : "";
}
