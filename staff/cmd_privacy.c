/* `list`, `show REF`, `pull REF|--all`, `decide REF`: the staff day list and the records behind it. */
#include "cmd_privacy.h"
#include "wijkloket/audit.h"
#include "wijkloket/classify.h"
#include "wijkloket/questionnaire.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

/* ---- list --------------------------------------------------------------------------- */

static const char *LIST_USAGE =
    "list [--location L] [--from YYYY-MM-DD] [--to YYYY-MM-DD]\n"
    "       [--status completed|abandoned|pulled|not_pulled] [--route R] [--json]";

static const char *str(const json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "-";
}

static void join(const json_t *arr, char *buf, size_t size)
{
    size_t i, off = 0;
    const json_t *v;
    buf[0] = '\0';
    if (!json_array_size(arr)) {
        snprintf(buf, size, "-");
        return;
    }
    json_array_foreach(arr, i, v) {
        int n = snprintf(buf + off, size - off, "%s%s", i ? "," : "", json_string_value(v));
        if (n < 0 || (size_t)n >= size - off) break;
        off += (size_t)n;
    }
}

static int cmd_list(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    static const struct option opts[] = {WL_PRIV_FILTER_OPTS, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (!wl_priv_common_opt(c, optarg, &o)) return wl_cli_usage(LIST_USAGE);
    if (optind != argc) return wl_cli_usage(LIST_USAGE);
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login_filtered(cli, &o.filter, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    wl_rc rc;
    json_t *rows = NULL;
    char detail[300];
    wl_priv_filter_text(&o.filter, detail, sizeof detail);
    ex = wl_priv_audit(st, cli, "list", NULL, detail);
    if (ex == WL_EXIT_OK && (rc = wl_case_list(st, &o.filter, &rows, &err)) != WL_OK) ex = wl_cli_fail(rc, &err);
    if (ex == WL_EXIT_OK && o.json) {
        wl_cli_print_json(rows);
    } else if (ex == WL_EXIT_OK) {
        printf("%-11s  %-16s  %-14s  %-10s  %-18s  %-32s  %-18s  %s\n", "REF", "COMPLETED", "LOCATION", "STATUS",
               "ADVICE", "KANSEN IN KAART", "URGENT", "PULLED BY");
        size_t i;
        json_t *r;
        json_array_foreach(rows, i, r) {
            char when[20], urgent[128];
            join(json_object_get(r, "urgent"), urgent, sizeof urgent);
            int64_t at = json_integer_value(json_object_get(r, "completed_at"));
            if (!at) at = json_integer_value(json_object_get(r, "started_at"));
            printf("%-11s  %-16s  %-14s  %-10s  %-18s  %-32s  %-18s  %s\n", str(r, "ref"), wl_priv_time(at, when),
                   str(r, "location"), str(r, "status"), str(r, "route"), str(r, "kik_status"), urgent,
                   str(r, "pulled_by"));
        }
        printf("%zu intake%s\n", json_array_size(rows), json_array_size(rows) == 1 ? "" : "s");
    }
    json_decref(rows);
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(list, cmd_list, "the day list: intakes with their advice, without answers",
               "list [--location L] [--from D] [--to D] [--status S] [--route R] [--json]")

/* ---- show --------------------------------------------------------------------------- */

static const char *SHOW_USAGE = "show REF [--keys DIR] [--passphrase-file FILE] [--json]";

/* The Dutch label of an answer, using the questionnaire when it is at hand. */
static void answer_text(const wl_question_t *qq, const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) {
        const wl_option_t *opt = qq ? wl_question_option(qq, json_string_value(v)) : NULL;
        snprintf(buf, size, "%s", opt ? opt->text : json_string_value(v));
    } else if (json_is_true(v)) {
        snprintf(buf, size, "ja");
    } else if (json_is_false(v)) {
        snprintf(buf, size, "nee");
    } else if (json_is_array(v)) {
        size_t i, off = 0;
        const json_t *e;
        buf[0] = '\0';
        json_array_foreach(v, i, e) {
            const wl_option_t *opt = qq ? wl_question_option(qq, json_string_value(e)) : NULL;
            const char *t = opt ? opt->text : json_string_value(e);
            int n = snprintf(buf + off, size - off, "%s%s", i ? "; " : "", t ? t : "?");
            if (n < 0 || (size_t)n >= size - off) break;
            off += (size_t)n;
        }
        if (!json_array_size(v)) snprintf(buf, size, "(geen)");
    } else {
        char *d = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(buf, size, "%s", d ? d : "?");
        free(d);
    }
}

static void print_answers(const char *title, const json_t *answers, const wl_questionnaire_t *q)
{
    printf("%s:\n", title);
    if (!json_is_object(answers)) {
        printf("  (not available)\n");
        return;
    }
    const char *k;
    const json_t *v;
    char text[1024];
    json_object_foreach((json_t *)answers, k, v) {
        const wl_question_t *qq = q ? wl_questionnaire_find(q, k, NULL) : NULL;
        answer_text(qq, v, text, sizeof text);
        if (qq && qq->unit && json_is_number(v)) {
            size_t n = strlen(text);
            snprintf(text + n, sizeof text - n, " %s", qq->unit);
        }
        printf("  %s\n    %s\n", qq ? qq->text : k, text);
    }
}

static void print_record(const json_t *r, const wl_questionnaire_t *q)
{
    char t1[20], t2[20], sig[256], urgent[256];
    printf("Intake %s (%s)\n", str(r, "ref"), str(r, "status"));
    printf("  location %s, kiosk %s, language %s%s%s\n", str(r, "location"), str(r, "kiosk"), str(r, "language"),
           json_is_string(json_object_get(r, "assisted_by")) ? ", assisted by " : "",
           json_is_string(json_object_get(r, "assisted_by")) ? str(r, "assisted_by") : "");
    printf("  started %s, completed %s\n", wl_priv_time(json_integer_value(json_object_get(r, "started_at")), t1),
           wl_priv_time(json_integer_value(json_object_get(r, "completed_at")), t2));
    join(json_object_get(r, "signals"), sig, sizeof sig);
    join(json_object_get(r, "urgent"), urgent, sizeof urgent);
    printf("Kiosk advice: %s; Kansen in Kaart: %s; regie: %s\n", str(r, "route"), str(r, "kik_status"), str(r, "regie"));
    printf("  signals: %s; urgent: %s\n", sig, urgent);
    if (json_is_string(json_object_get(r, "pulled_by")))
        printf("Pulled by %s at %s\n", str(r, "pulled_by"), wl_priv_time(json_integer_value(json_object_get(r, "pulled_at")), t1));
    else
        printf("Not pulled yet\n");
    size_t i;
    const json_t *d;
    json_array_foreach(json_object_get(r, "decisions"), i, d) {
        printf("Decision by %s at %s: %s (kiosk advised %s)\n  reason: %s\n", str(d, "decided_by"),
               wl_priv_time(json_integer_value(json_object_get(d, "decided_at")), t1), str(d, "route"),
               str(d, "advised_route"), json_is_string(json_object_get(d, "reason")) ? str(d, "reason") : "(not available)");
    }
    print_answers("Personal data", json_object_get(r, "personal"), q);
    print_answers("Answers", json_object_get(r, "answers"), q);
    const json_t *res = json_object_get(r, "result");
    if (json_object_get(res, "trace")) {
        char *explain = wl_classify_explain(res);
        if (explain) printf("Why this advice (as the citizen saw it):\n%s\n", explain);
        free(explain);
    }
}

static wl_questionnaire_t *load_questionnaire(const struct wl_cli *cli)
{
    char path[4200];
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {{0}};
    wl_cli_asset(cli, "questionnaires/entreevragenlijst.json", path, sizeof path);
    if (wl_questionnaire_load(path, &q, &err) != WL_OK) {
        fprintf(stderr, "wijkloket-staff: note: %s; answers are shown by their ids\n", err.msg);
        return NULL;
    }
    return q;
}

/* Prints the parts that did not open; true when there were any. */
static bool report_problems(const json_t *r)
{
    size_t i;
    const json_t *p;
    json_array_foreach(json_object_get(r, "problems"), i, p)
        fprintf(stderr, "wijkloket-staff: %s: %s\n", str(r, "ref"), json_string_value(p));
    return json_array_size(json_object_get(r, "problems")) > 0;
}

static int cmd_show(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    static const struct option opts[] = {WL_PRIV_FILTER_OPTS, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (!wl_priv_common_opt(c, optarg, &o)) return wl_cli_usage(SHOW_USAGE);
    if (optind != argc - 1) return wl_cli_usage(SHOW_USAGE);
    const char *ref = argv[optind];
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login(cli, WL_ROLE_STAFF, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_seal_secret_t *sk = NULL;
    json_t *rec = NULL;
    wl_questionnaire_t *q = NULL;
    wl_err_t err = {{0}};
    ex = wl_priv_open_secret(cli, &o, &sk);
    if (ex != WL_EXIT_OK) goto done;
    wl_rc rc = wl_case_open(st, sk, ref, &rec, &err);
    if (rc != WL_OK) {
        ex = wl_cli_fail(rc, &err);
        goto done;
    }
    /* The audit entry is written before anything is shown. */
    ex = wl_priv_audit(st, cli, "show", str(rec, "ref"), "");
    if (ex != WL_EXIT_OK) goto done;
    if (o.json) {
        wl_cli_print_json(rec);
    } else {
        q = load_questionnaire(cli);
        print_record(rec, q);
    }
    if (report_problems(rec)) ex = WL_EXIT_FAIL;
done:
    wl_questionnaire_free(q);
    json_decref(rec);
    wl_seal_secret_free(sk);
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(show, cmd_show, "open one intake with the secret key (audited)",
               "show REF [--keys DIR] [--passphrase-file FILE] [--json]")

/* ---- pull --------------------------------------------------------------------------- */

static const char *PULL_USAGE = "pull REF | pull --all [--location L] [--from D] [--to D] [--route R]";

static int cmd_pull(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    bool all = false;
    static const struct option opts[] = {WL_PRIV_FILTER_OPTS, {"all", no_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'a') all = true;
        else if (!wl_priv_common_opt(c, optarg, &o)) return wl_cli_usage(PULL_USAGE);
    }
    if (all ? optind != argc : optind != argc - 1) return wl_cli_usage(PULL_USAGE);
    if (o.filter.status) return wl_cli_usage(PULL_USAGE);
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login_filtered(cli, &o.filter, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    wl_err_t err = {{0}};
    wl_rc rc;
    if (!all) {
        rc = wl_case_pull(st, argv[optind], u.name, cli->now, &err);
        if (rc == WL_OK) printf("Intake %s pulled by %s.\n", argv[optind], u.name);
        else ex = wl_cli_fail(rc, &err);
    } else {
        json_t *rows = NULL;
        o.filter.status = "not_pulled";
        rc = wl_case_list(st, &o.filter, &rows, &err);
        if (rc != WL_OK) ex = wl_cli_fail(rc, &err);
        size_t i, n = 0;
        json_t *r;
        json_array_foreach(rows, i, r) {
            rc = wl_case_pull(st, str(r, "ref"), u.name, cli->now, &err);
            if (rc != WL_OK) {
                ex = wl_cli_fail(rc, &err);
                break;
            }
            n++;
        }
        printf("%zu intake%s pulled by %s.\n", n, n == 1 ? "" : "s", u.name);
        json_decref(rows);
    }
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(pull, cmd_pull, "mark intakes as pulled (taken into the case system), by whom",
               "pull REF | pull --all [--location L] [--from D] [--to D] [--route R]")

/* ---- decide ------------------------------------------------------------------------- */

static const char *DECIDE_USAGE = "decide REF --route zelfdoener|klantondersteuning|participatie --reason TEXT";

static int cmd_decide(int argc, char **argv, const struct wl_cli *cli)
{
    wl_priv_opts_t o = {0};
    const char *route = NULL, *reason = NULL;
    static const struct option opts[] = {{"route", required_argument, NULL, 'r'},
                                         {"reason", required_argument, NULL, 'w'},
                                         {"keys", required_argument, NULL, WL_PRIV_OPT_KEYS},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'r') route = optarg;
        else if (c == 'w') reason = optarg;
        else if (c == WL_PRIV_OPT_KEYS) o.keys_dir = optarg;
        else return wl_cli_usage(DECIDE_USAGE);
    }
    if (optind != argc - 1 || !route || !reason) return wl_cli_usage(DECIDE_USAGE);
    char keys[4096], path[4200];
    snprintf(path, sizeof path, "%s/%s", wl_priv_keys_dir(cli, &o, keys, sizeof keys), WL_SEAL_PUBLIC_FILE);
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    wl_err_t err = {{0}};
    wl_rc rc = wl_seal_load_public(path, pk, &err);
    if (rc != WL_OK) return wl_cli_fail(rc, &err);
    wl_store_t *st;
    wl_user_t u;
    int ex = wl_priv_login(cli, WL_ROLE_STAFF, &st, &u);
    if (ex != WL_EXIT_OK) return ex;
    rc = wl_case_decide(st, pk, argv[optind], route, reason, u.name, cli->now, &err);
    if (rc == WL_OK) printf("Decision for %s recorded: %s (by %s).\n", argv[optind], route, u.name);
    else ex = wl_cli_fail(rc, &err);
    wl_store_close(st);
    return ex;
}

WL_CLI_COMMAND(decide, cmd_decide, "record the professional's route decision with its reason (sealed)",
               "decide REF --route R --reason TEXT [--keys DIR]")
