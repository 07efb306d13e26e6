/* Plain-Dutch explanation of a classification result, built from the result and its trace. */
#include "routing/classify_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A growing text buffer; once an allocation fails it stays failed and explain returns NULL. */
typedef struct {
    char *buf;
    size_t len, cap;
    bool oom;
} sb_t;

static void sb_add(sb_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_add(sb_t *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->buf + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t ncap = (b->cap + (size_t)n + 1) * 2;
        char *nb = realloc(b->buf, ncap);
        if (!nb) {
            b->oom = true;
            return;
        }
        b->buf = nb;
        b->cap = ncap;
    }
}

typedef struct {
    const char *key, *text;
} label_t;

static const label_t ROUTE_LABELS[] = {
    {"zelfdoener", "Zelfdoener: u zoekt zelf werk, met hulp van een e-coach op afstand"},
    {"klantondersteuning", "Klantondersteuning: begeleiding naar werk in het Centrum voor Werk"},
    {"participatie", "Maatschappelijke participatie: meedoen met activiteiten die bij u passen"},
    {NULL, NULL},
};
static const label_t REGIE_LABELS[] = {
    {"wij_team", "het WIJ-team"},
    {"gkb", "de Groningse Kredietbank (GKB)"},
    {"inkomen", "Inkomensdienstverlening"},
    {"werk", "de afdeling Werk"},
    {NULL, NULL},
};
static const label_t FORM_LABELS[] = {
    {"dagbesteding", "dagbesteding"},
    {"vrijwilligerswerk", "vrijwilligerswerk"},
    {"beschut_werk", "beschut werk"},
    {NULL, NULL},
};
static const label_t KIK_LABELS[] = {
    {"arbeidspotentieel", "arbeidspotentieel (doorverwijzing naar werk)"},
    {"zorgbehoefte", "zorgbehoefte (doorverwijzing naar het WIJ-team)"},
    {"ontheffingsverzoek", "ontheffingsverzoek"},
    {"participatie_niet_actief_tevreden", "participatiepotentieel: niet actief en tevreden"},
    {"participatie_wil_actief_met_ondersteuning", "participatiepotentieel: wil actief worden, met ondersteuning"},
    {"participatie_wil_actief_eigen_kracht", "participatiepotentieel: wil actief worden op eigen kracht"},
    {"participatie_al_actief", "participatiepotentieel: al actief"},
    {"participatie_al_actief_wil_meer", "participatiepotentieel: al actief en wil meer"},
    {NULL, NULL},
};
static const label_t BAND_LABELS[] = {
    {"green", "groen"}, {"orange", "oranje"}, {"red", "rood"}, {NULL, NULL},
};
/* Labels for the Zelfredzaamheid-Matrix domains; a domain added in the rules data without a
 * label here is shown by its id. */
static const label_t DOMAIN_LABELS[] = {
    {"financien", "geld"},
    {"werk_opleiding", "werk en opleiding"},
    {"tijdsbesteding", "dagbesteding"},
    {"huisvesting", "wonen"},
    {"huiselijke_relaties", "thuis"},
    {"geestelijke_gezondheid", "psychische gezondheid"},
    {"lichamelijke_gezondheid", "lichamelijke gezondheid"},
    {"middelengebruik", "alcohol, drugs of gokken"},
    {"basale_adl", "voor uzelf zorgen"},
    {"instrumentele_adl", "zelf dingen regelen"},
    {"sociaal_netwerk", "mensen om u heen"},
    {"maatschappelijke_participatie", "meedoen in de samenleving"},
    {"justitie", "justitie"},
    {NULL, NULL},
};

static const char *label(const label_t *t, const char *key)
{
    if (!key) return "(onbekend)";
    for (size_t i = 0; t[i].key; i++)
        if (!strcmp(t[i].key, key)) return t[i].text;
    return key;
}

static const char *str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* The trace entry that decided a stage ("route", "regie", ...), or NULL. */
static const json_t *decider(const json_t *trace, const char *stage)
{
    size_t i;
    json_t *e;
    json_array_foreach(trace, i, e) {
        const char *s = str(e, "stage");
        if (s && !strcmp(s, stage)) return e;
    }
    return NULL;
}

static void add_reason(sb_t *b, const json_t *e)
{
    if (!e) return;
    sb_add(b, "  Waarom: %s\n  Bron: %s (regel %s)\n", str(e, "reason") ? str(e, "reason") : "",
           str(e, "source") ? str(e, "source") : "", str(e, "rule") ? str(e, "rule") : "");
}

/* Lists the trace entries of a stage (or, with a trailing '.', of every stage under that
 * prefix), one line each. */
static void add_stage_lines(sb_t *b, const json_t *trace, const char *stage, const char *indent)
{
    size_t n = strlen(stage), i;
    bool prefix = n && stage[n - 1] == '.';
    json_t *e;
    json_array_foreach(trace, i, e) {
        const char *s = str(e, "stage");
        if (!s || (prefix ? strncmp(s, stage, n) : strcmp(s, stage))) continue;
        const json_t *pts = json_object_get(e, "points");
        if (json_is_integer(pts))
            sb_add(b, "%s%+lld  %s [%s]\n", indent, (long long)json_integer_value(pts),
                   str(e, "reason") ? str(e, "reason") : "", str(e, "source") ? str(e, "source") : "");
        else
            sb_add(b, "%s- %s [%s]\n", indent, str(e, "reason") ? str(e, "reason") : "",
                   str(e, "source") ? str(e, "source") : "");
    }
}

char *wl_classify_explain(const json_t *result)
{
    sb_t b = {malloc(2048), 0, 2048, false};
    if (!b.buf) return NULL;
    b.buf[0] = '\0';
    if (!json_is_object(result)) {
        sb_add(&b, "Er is geen uitkomst om uit te leggen.\n");
        return b.oom ? (free(b.buf), NULL) : b.buf;
    }
    const json_t *trace = json_object_get(result, "trace");
    const char *route = str(result, "route");

    sb_add(&b, "Advies van de entreevragenlijst (regels versie %s)\n\n",
           str(result, "rules_version") ? str(result, "rules_version") : "?");
    sb_add(&b, "Route: %s.\n", label(ROUTE_LABELS, route));
    add_reason(&b, decider(trace, "route"));

    const json_t *p = json_object_get(result, "participatie");
    if (json_is_object(p)) {
        const char *form = str(p, "form");
        if (form) sb_add(&b, "\nVorm van meedoen: %s.\n", label(FORM_LABELS, form));
        else sb_add(&b, "\nVorm van meedoen: nog niet gekozen.\n");
        add_reason(&b, decider(trace, "participatie_form"));
    }

    sb_add(&b, "\nKansen in Kaart: %s.\n", label(KIK_LABELS, str(result, "kik_status")));
    add_reason(&b, decider(trace, "kik_status"));

    sb_add(&b, "\nRegie (1 gezin, 1 plan, 1 regisseur): %s.\n", label(REGIE_LABELS, str(result, "regie")));
    add_reason(&b, decider(trace, "regie"));

    const json_t *signals = json_object_get(result, "signals");
    sb_add(&b, "\nSignalen:%s\n", json_array_size(signals) ? "" : " geen.");
    size_t i;
    json_t *s;
    json_array_foreach(signals, i, s) {
        sb_add(&b, "  - %s%s\n", json_is_true(json_object_get(s, "urgent")) ? "DRINGEND: " : "",
               str(s, "text") ? str(s, "text") : "");
    }
    if (json_array_size(signals)) {
        sb_add(&b, "  Waarom:\n");
        add_stage_lines(&b, trace, "signal", "    ");
    }

    const json_t *dom = json_object_get(result, "domains");
    const json_t *probs = json_object_get(dom, "problems");
    sb_add(&b, "\nLevensgebieden met zorgen: %lld (%s)",
           (long long)json_integer_value(json_object_get(dom, "count")),
           label(BAND_LABELS, str(dom, "band")));
    json_t *d;
    json_array_foreach(probs, i, d) {
        sb_add(&b, "%s%s", i ? ", " : ": ", label(DOMAIN_LABELS, json_string_value(d)));
    }
    sb_add(&b, ".\n");
    add_stage_lines(&b, trace, "domain.", "    ");

    const json_t *scores = json_object_get(result, "scores");
    const char *key;
    json_t *v;
    sb_add(&b, "\nScores (0 tot 100):\n");
    json_object_foreach((json_t *)scores, key, v) {
        sb_add(&b, "  %s: %lld\n", key, (long long)json_integer_value(v));
        char prefix[80];
        snprintf(prefix, sizeof prefix, "score.%s", key);
        add_stage_lines(&b, trace, prefix, "    ");
    }

    sb_add(&b, "\nDit is een advies. Een medewerker bespreekt het met u en beslist.\n");
    if (b.oom) {
        free(b.buf);
        return NULL;
    }
    return b.buf;
}
