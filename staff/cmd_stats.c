/* `stats` (the Kansen in Kaart table per location) and `agreement` (kiosk advice against staff decision). */
#include "cmd_privacy.h"
#include "wijkloket/figures.h"

#include <getopt.h>
#include <string.h>

static const char *STATS_USAGE = "stats [--location L] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]";
static const char *AGREE_USAGE = "agreement [--location L] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]";

/* Rows of the table as seed 002 ("Resultaat gesprekken") reports them; indent 1 = part of
 * participatiepotentieel. The ids are the kik_status outcomes of assets/rules/routing.json. */
static const struct {
    const char *id, *label;
    int indent;
} KIK_ROWS[] = {
    {"arbeidspotentieel", "Arbeidspotentieel: doorverwijzing Centrum voor Werk", 0},
    {"zorgbehoefte", "Zorgbehoefte: doorverwijzing WIJ-team", 0},
    {"ontheffingsverzoek", "Eerst geen potentieel: ontheffingsverzoek", 0},
    {"participatie_niet_actief_tevreden", "niet actief en tevreden", 1},
    {"participatie_wil_actief_met_ondersteuning", "wil actief worden, met ondersteuning (RC-MP)", 1},
    {"participatie_wil_actief_eigen_kracht", "wil actief worden, op eigen kracht (volgen)", 1},
    {"participatie_al_actief", "al actief", 1},
    {"participatie_al_actief_wil_meer", "al actief en wil meer", 1},
};
#define N_KIK (sizeof KIK_ROWS / sizeof KIK_ROWS[0])

static const struct {
    const char *id, *label;
} ROUTE_ROWS[] = {
    {"zelfdoener", "Zelfdoener (E-dienstverlening)"},
    {"klantondersteuning", "Klantondersteuning (Centrum voor Werk)"},
    {"participatie", "Maatschappelijke participatie"},
};

static long long num(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void row(const char *label, int indent, long long n, long long total)
{
    char pct[16] = "";
    if (total > 0) snprintf(pct, sizeof pct, "%5.1f%%", 100.0 * (double)n / (double)total);
    printf("  %*s%-*s %7lld  %s\n", indent * 2, "", 56 - indent * 2, label, n, pct);
}

static void print_block(const json_t *b, const char *title, const json_t *all)
{
    long long done = num(b, "completed");
    printf("\nKansen in Kaart: %s, %s t/m %s\n", title,
           json_is_string(json_object_get(all, "from")) ? json_string_value(json_object_get(all, "from")) : "begin",
           json_is_string(json_object_get(all, "to")) ? json_string_value(json_object_get(all, "to")) : "nu");
    printf("  Vragenlijsten ingevuld: %lld (afgebroken: %lld; met besluit van een medewerker: %lld)\n", done,
           num(b, "abandoned"), num(b, "decided"));
    printf("\n  %-56s %7s  %s\n", "Resultaat (participatiestatus)", "aantal", "aandeel");
    const json_t *kik = json_object_get(b, "kik_status");
    long long pp = 0, known = 0;
    for (size_t i = 0; i < N_KIK; i++) {
        known += num(kik, KIK_ROWS[i].id);
        if (KIK_ROWS[i].indent) pp += num(kik, KIK_ROWS[i].id);
    }
    for (size_t i = 0; i < N_KIK; i++) {
        if (i == 3) row("Participatiepotentieel", 0, pp, done);
        row(KIK_ROWS[i].label, KIK_ROWS[i].indent, num(kik, KIK_ROWS[i].id), done);
    }
    /* Outcomes a newer rules version may add still show, under their id. */
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)kik, k, v) {
        bool listed = false;
        for (size_t i = 0; i < N_KIK; i++) listed |= strcmp(KIK_ROWS[i].id, k) == 0;
        if (!listed) row(k, 0, (long long)json_integer_value(v), done);
    }
    if (done - known > 0 && json_object_size(kik) == 0) row("(geen status)", 0, done, done);
    printf("\n  %-56s %7s  %s\n", "Route (dienstverleningslijn)", "aantal", "aandeel");
    const json_t *routes = json_object_get(b, "routes");
    for (size_t i = 0; i < 3; i++) row(ROUTE_ROWS[i].label, 0, num(routes, ROUTE_ROWS[i].id), done);
    printf("\n  %-56s %7s  %s\n", "Signalen (een persoon kan er meer hebben)", "aantal", "aandeel");
    const json_t *sig = json_object_get(b, "signals");
    if (!json_object_size(sig)) printf("  (geen)\n");
    json_object_foreach((json_t *)sig, k, v) row(k, 0, (long long)json_integer_value(v), done);
}

static int parse_range(int argc, char **argv, wl_priv_opts_t *o, const char *usage)
{
    static const struct option opts[] = {{"location", required_argument, NULL, 'l'},
                                         {"from", required_argument, NULL, 'f'},
                                         {"to", required_argument, NULL, 't'},
                                         {"json", no_argument, NULL, WL_PRIV_OPT_JSON},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (!wl_priv_common_opt(c, optarg, o)) return wl_cli_usage(usage);
    if (optind != argc) return wl_cli_usage(usage);
    wl_err_t err = {{0}};
    wl_rc rc = wl_case_filter_check(&o->filter, &err);
    return rc == WL_OK ? WL_EXIT_OK : wl_cli_fail(rc, &err);
}

typedef wl_rc (*figure_fn)(wl_store_t *st, const wl_case_filter_t *f, json_t **out, wl_err_t *err);

/* The common part of stats and agreement: options, sign-in, the audit entry (written before
 * anything is shown), then the figure. On WL_EXIT_OK *fig is set (caller decrefs); when
 * o->json was asked it has been printed already and *fig is NULL. */
static int load_figure(int argc, char **argv, const struct wl_cli *cli, const char *usage, const char *action,
                       figure_fn fn, wl_priv_opts_t *o, json_t **fig)
{
    *fig = NULL;
    int ex = parse_range(argc, argv, o, usage);
    if (ex != WL_EXIT_OK) return ex;
    wl_store_t *st;
    wl_user_t u;
    if ((ex = wl_priv_login(cli, WL_ROLE_STAFF, &st, &u)) != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    char detail[300];
    wl_priv_filter_text(&o->filter, detail, sizeof detail);
    ex = wl_priv_audit(st, cli, action, NULL, detail);
    if (ex == WL_EXIT_OK) {
        wl_rc rc = fn(st, &o->filter, fig, &err);
        if (rc != WL_OK) ex = wl_cli_fail(rc, &err);
    }
    wl_store_close(st);
    if (ex == WL_EXIT_OK && o->json) {
        wl_cli_print_json(*fig);
        json_decref(*fig);
        *fig = NULL;
    }
    return ex;
}

static int cmd_stats(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    json_t *fig;
    int ex = load_figure(argc, argv, cli, STATS_USAGE, "stats", wl_figures_kik, &o, &fig);
    if (ex == WL_EXIT_OK && fig) {
        size_t i;
        json_t *b;
        json_array_foreach(json_object_get(fig, "locations"), i, b)
            print_block(b, json_string_value(json_object_get(b, "location")), fig);
        if (!o.filter.location && json_array_size(json_object_get(fig, "locations")) != 1)
            print_block(json_object_get(fig, "total"), "alle locaties", fig);
        if (!json_array_size(json_object_get(fig, "locations"))) printf("No intakes in this period.\n");
    }
    json_decref(fig);
    return ex;
}

WL_CLI_COMMAND(stats, cmd_stats, "the Kansen in Kaart table per location (routes, participatie status, signals)",
               "stats [--location L] [--from D] [--to D] [--json]")

static int cmd_agreement(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    json_t *fig;
    int ex = load_figure(argc, argv, cli, AGREE_USAGE, "agreement", wl_figures_agreement, &o, &fig);
    if (ex == WL_EXIT_OK && fig) {
        static const char *const short_name[] = {"zelfdoener", "klantonderst.", "participatie"};
        const json_t *m = json_object_get(fig, "matrix"), *per = json_object_get(fig, "per_route");
        printf("Kiosk advice (rows) against the staff decision (columns)\n\n%-20s", "advice \\ decision");
        for (int j = 0; j < 3; j++) printf(" %13s", short_name[j]);
        printf(" %9s %8s\n", "decided", "agreed");
        for (int i = 0; i < 3; i++) {
            const json_t *r = json_object_get(m, ROUTE_ROWS[i].id), *p = json_object_get(per, ROUTE_ROWS[i].id);
            printf("%-20s", short_name[i]);
            for (int j = 0; j < 3; j++) printf(" %13lld", num(r, ROUTE_ROWS[j].id));
            long long d = num(p, "decided"), a = num(p, "agreed");
            if (d) printf(" %9lld %7.1f%%\n", d, 100.0 * (double)a / (double)d);
            else printf(" %9lld %8s\n", d, "-");
        }
        long long d = num(fig, "decided"), a = num(fig, "agreed");
        printf("\nDecided: %lld, same as the advice: %lld", d, a);
        if (d) printf(" (%.1f%%)", 100.0 * (double)a / (double)d);
        printf("; not decided yet: %lld\n", num(fig, "undecided"));
    }
    json_decref(fig);
    return ex;
}

WL_CLI_COMMAND(agreement, cmd_agreement, "how often the staff decision matched the kiosk advice (confusion matrix)",
               "agreement [--location L] [--from D] [--to D] [--json]")
