/* `classify ANSWERS.json [--explain]`: route one set of answers with the shipped rules. */
#include "cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/classify.h"
#include "wijkloket/journey.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/questionnaire.h"

static const char *USAGE = "classify ANSWERS.json [--explain]";

static int cmd_classify(int argc, char **argv, const struct wl_cli *cli)
{
    static const struct option opts[] = {{"explain", no_argument, NULL, 'e'}, {NULL, 0, NULL, 0}};
    bool explain = false;
    int c;
    while ((c = getopt_long(argc, argv, "e", opts, NULL)) != -1) {
        if (c == 'e') explain = true;
        else return wl_cli_usage(USAGE);
    }
    if (optind != argc - 1) return wl_cli_usage(USAGE);
    const char *answers_path = argv[optind];

    int exit_code = WL_EXIT_OK;
    wl_err_t err = {{0}};
    wl_questionnaire_t *q = NULL;
    wl_rules_t *rules = NULL;
    json_t *file = NULL, *result = NULL;
    char qpath[4096], rpath[4096];
    const char *today = cli->today;

    wl_rc rc = wl_questionnaire_load(wl_cli_asset(cli, "questionnaires/entreevragenlijst.json", qpath, sizeof qpath), &q, &err);
    if (rc == WL_OK) rc = wl_rules_load(wl_cli_asset(cli, "rules/routing.json", rpath, sizeof rpath), q, &rules, &err);
    if (rc != WL_OK) {
        exit_code = wl_cli_fail(rc, &err);
        goto done;
    }
    rc = wl_json_load_file(answers_path, &file, &err);
    if (rc != WL_OK) {
        exit_code = wl_cli_fail(rc, &err);
        goto done;
    }
    /* A routing case file wraps the answers with its own date and expectations. */
    const json_t *answers = file;
    if (json_is_object(file) && json_is_object(json_object_get(file, "answers"))) {
        answers = json_object_get(file, "answers");
        const json_t *jt = json_object_get(file, "today");
        if (jt) {
            /* Checked here, or a bad date would surface as a wrong birth date (age rules). */
            int y, m, d;
            const char *case_today = json_string_value(jt);
            if (!case_today || !wl_date_parse(case_today, &y, &m, &d)) {
                fprintf(stderr, "wijkloket-staff: %s: today: must be a date YYYY-MM-DD, such as \"2026-11-22\"\n",
                        answers_path);
                exit_code = WL_EXIT_DATA;
                goto done;
            }
            today = case_today;
        }
    }
    if (!json_is_object(answers)) {
        fprintf(stderr, "wijkloket-staff: %s: the answers must be a JSON object {\"question_id\": value}\n", answers_path);
        exit_code = WL_EXIT_DATA;
        goto done;
    }
    /* The journey validates the answers, merges the personal ones in and classifies. */
    rc = wl_journey_classify_answers(q, rules, answers, today, &result, &err);
    if (rc != WL_OK) {
        if (rc == WL_ERR_INVALID || rc == WL_ERR_STATE || rc == WL_ERR_PARSE) wl_err_prefix(&err, "%s: ", answers_path);
        exit_code = wl_cli_fail(rc, &err);
        goto done;
    }
    if (explain) {
        char *text = wl_classify_explain(result);
        if (!text) {
            fprintf(stderr, "wijkloket-staff: out of memory\n");
            exit_code = WL_EXIT_IO;
            goto done;
        }
        fputs(text, stdout);
        if (text[0] && text[strlen(text) - 1] != '\n') fputc('\n', stdout);
        free(text);
    } else {
        wl_cli_print_json(result);
    }
done:
    json_decref(result);
    json_decref(file);
    wl_rules_free(rules);
    wl_questionnaire_free(q);
    return exit_code;
}

WL_CLI_COMMAND(classify, cmd_classify, "route a citizen's answers and show why",
               "classify ANSWERS.json [--explain]")
