/* `reclassify --rules FILE`: re-runs another routing-rules version on the stored answers and counts who would move. */
#include "cmd_privacy.h"
#include "wijkloket/classify.h"
#include "wijkloket/journey.h"
#include "wijkloket/questionnaire.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *USAGE =
    "reclassify --rules FILE [--questionnaire FILE] [--location L] [--from D] [--to D] [--list] [--json]\n"
    "       [--keys DIR] [--passphrase-file FILE]";

static const char *const ROUTES[] = {"zelfdoener", "klantondersteuning", "participatie"};

typedef struct {
    const wl_rules_t *rules;
    json_t *matrix;      /* from -> to -> n */
    json_t *moves;       /* [{ref, from, to}] when --list */
    long long n, moved, skipped;
    bool list;
} re_ctx_t;

static wl_rc one(void *vctx, json_t *r, wl_err_t *err)
{
    (void)err;
    re_ctx_t *c = vctx;
    const char *from = json_string_value(json_object_get(r, "route"));
    if (!json_is_object(json_object_get(r, "answers")) || !from || !json_string_value(json_object_get(r, "day"))) {
        c->skipped++; /* abandoned, anonymised, or a part that did not open */
        return WL_OK;
    }
    json_t *res = NULL;
    wl_err_t e = {{0}};
    /* The journey re-classifies as of the day it was filled in: only the rules differ. */
    wl_rc rc = wl_journey_classify_record(c->rules, r, &res, &e);
    if (rc != WL_OK) {
        fprintf(stderr, "wijkloket-staff: %s: the new rules cannot classify it: %s\n",
                json_string_value(json_object_get(r, "ref")), e.msg);
        c->skipped++;
        return WL_OK;
    }
    const char *to = json_string_value(json_object_get(res, "route"));
    json_t *row = json_object_get(c->matrix, from);
    if (!row) {
        row = json_object();
        json_object_set_new(c->matrix, from, row);
    }
    json_object_set_new(row, to ? to : "?", json_integer(json_integer_value(json_object_get(row, to ? to : "?")) + 1));
    c->n++;
    if (to && strcmp(from, to) != 0) {
        c->moved++;
        if (c->list)
            json_array_append_new(c->moves, json_pack("{s:s, s:s, s:s}", "ref",
                                                      json_string_value(json_object_get(r, "ref")), "from", from, "to", to));
    }
    json_decref(res);
    return WL_OK;
}

static int cmd_reclassify(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    const char *rules_path = NULL, *q_path = NULL;
    bool list = false;
    static const struct option opts[] = {WL_PRIV_FILTER_OPTS, {"rules", required_argument, NULL, 'R'},
                                         {"questionnaire", required_argument, NULL, 'Q'},
                                         {"list", no_argument, NULL, 'L'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'R') rules_path = optarg;
        else if (c == 'Q') q_path = optarg;
        else if (c == 'L') list = true;
        else if (!wl_priv_common_opt(c, optarg, &o)) return wl_cli_usage(USAGE);
    }
    if (optind != argc || !rules_path) return wl_cli_usage(USAGE);
    wl_err_t err = {{0}};
    char qbuf[4200];
    if (!q_path) q_path = wl_cli_asset(cli, "questionnaires/entreevragenlijst.json", qbuf, sizeof qbuf);
    wl_questionnaire_t *q = NULL;
    wl_rules_t *rules = NULL;
    wl_rc rc = wl_questionnaire_load(q_path, &q, &err);
    if (rc == WL_OK) rc = wl_rules_load(rules_path, q, &rules, &err);
    if (rc == WL_OK) rc = wl_case_filter_check(&o.filter, &err);
    if (rc != WL_OK) {
        wl_questionnaire_free(q);
        return wl_cli_fail(rc, &err);
    }
    wl_store_t *st = NULL;
    wl_user_t u;
    wl_seal_secret_t *sk = NULL;
    re_ctx_t ctx = {rules, json_object(), json_array(), 0, 0, 0, list};
    int ex = wl_priv_login(cli, WL_ROLE_STAFF, &st, &u);
    if (ex == WL_EXIT_OK) ex = wl_priv_open_secret(cli, &o, &sk);
    char detail[400], filt[300];
    wl_priv_filter_text(&o.filter, filt, sizeof filt);
    snprintf(detail, sizeof detail, "rules=%s %s", wl_rules_version(rules), filt);
    if (ex == WL_EXIT_OK) ex = wl_priv_audit(st, cli, "reclassify", NULL, detail);
    if (ex == WL_EXIT_OK) {
        o.filter.status = "completed";
        rc = wl_case_each(st, sk, &o.filter, one, &ctx, &err);
        if (rc != WL_OK) ex = wl_cli_fail(rc, &err);
    }
    if (ex == WL_EXIT_OK && o.json) {
        json_t *out = json_pack("{s:s, s:I, s:I, s:I, s:O, s:O}", "rules_version", wl_rules_version(rules), "classified",
                                (json_int_t)ctx.n, "moved", (json_int_t)ctx.moved, "skipped", (json_int_t)ctx.skipped,
                                "matrix", ctx.matrix, "moves", ctx.moves);
        wl_cli_print_json(out);
        json_decref(out);
    } else if (ex == WL_EXIT_OK) {
        printf("Rules %s on %lld stored intakes (stored advice in rows, new advice in columns):\n\n%-20s",
               wl_rules_version(rules), ctx.n, "stored \\ new");
        for (int j = 0; j < 3; j++) printf(" %18s", ROUTES[j]);
        printf("\n");
        for (int i = 0; i < 3; i++) {
            printf("%-20s", ROUTES[i]);
            for (int j = 0; j < 3; j++)
                printf(" %18lld", (long long)json_integer_value(json_object_get(json_object_get(ctx.matrix, ROUTES[i]), ROUTES[j])));
            printf("\n");
        }
        printf("\n%lld of %lld citizens would move to another route", ctx.moved, ctx.n);
        if (ctx.n) printf(" (%.1f%%)", 100.0 * (double)ctx.moved / (double)ctx.n);
        printf(".\n");
        if (ctx.skipped) printf("%lld intakes were skipped (no answers: abandoned, anonymised or not opened).\n", ctx.skipped);
        size_t i;
        json_t *m;
        json_array_foreach(ctx.moves, i, m)
            printf("  %s  %s -> %s\n", json_string_value(json_object_get(m, "ref")),
                   json_string_value(json_object_get(m, "from")), json_string_value(json_object_get(m, "to")));
    }
    json_decref(ctx.matrix);
    json_decref(ctx.moves);
    wl_seal_secret_free(sk);
    wl_store_close(st);
    wl_rules_free(rules);
    wl_questionnaire_free(q);
    return ex;
}

WL_CLI_COMMAND(reclassify, cmd_reclassify, "re-run another rules version on stored answers; who would move",
               "reclassify --rules FILE [--list] [filters]")
