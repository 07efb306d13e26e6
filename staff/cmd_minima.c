/* `minima HOUSEHOLD.json [--date ..] [--assets DIR] [--lang LANG]`: low-income schemes for one household, as JSON. */
#include "cli.h"
#include "cmd_privacy.h"

#include <getopt.h>
#include <jansson.h>
#include <string.h>

#include "wijkloket/i18n.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/minima.h"
#include "wijkloket/questionnaire.h"

#define MINIMA_USAGE "minima HOUSEHOLD.json [--date YYYY-MM-DD] [--assets DIR] [--lang LANG]"

/* Core gives each reason as messages (template plus figures); the staff reads sentences, so
 * every reason is put together here, in the chosen language. */
static wl_rc reasons_in(const wl_i18n_t *t, json_t *result, wl_err_t *err)
{
    size_t i, j;
    json_t *s, *reason;
    json_array_foreach(json_object_get(result, "schemes"), i, s) {
        json_t *reasons = json_object_get(s, "reasons");
        json_array_foreach(reasons, j, reason) {
            char text[1024];
            if (json_array_set_new(reasons, j, json_string(wl_i18n_msg_json(t, reason, text, sizeof text)))) {
                wl_err_set(err, "minima: out of memory");
                return WL_ERR_NOMEM;
            }
        }
    }
    return WL_OK;
}

int cmd_minima(int argc, char **argv, const struct wl_cli *cli)
{
    static const struct option opts[] = {{"date", required_argument, NULL, 'd'},
                                         {"assets", required_argument, NULL, 'a'},
                                         {"lang", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    const char *date = cli->today, *assets = cli->assets_dir, *lang = "nl";
    int c;
    while ((c = getopt_long(argc, argv, "d:a:l:h", opts, NULL)) != -1) {
        if (c == 'd') date = optarg;
        else if (c == 'l') lang = optarg;
        else if (c == 'a') assets = optarg;
        else if (c == 'h') {
            printf("usage: wijkloket-staff %s\n"
                   "Prints, for every scheme in <assets>/minima/schemes.json, its id, status\n"
                   "(eligible, maybe, not_eligible, not_offered), reasons and figures on the date\n"
                   "(default: today). The household format is in docs/minima.md. The reasons are\n"
                   "written in LANG (default nl) from the catalogue in the locale folder.\n",
                   MINIMA_USAGE);
            return WL_EXIT_OK;
        } else return wl_cli_usage(MINIMA_USAGE);
    }
    if (optind != argc - 1) return wl_cli_usage(MINIMA_USAGE);
    if (!wl_date_parse(date, NULL, NULL, NULL)) {
        fprintf(stderr, "wijkloket-staff: --date '%s' is not a date (YYYY-MM-DD)\n", date);
        return WL_EXIT_USAGE;
    }
    const char *path = argv[optind];

    wl_err_t err = {{0}};
    wl_minima_t *m = NULL;
    wl_i18n_t *t = NULL;
    json_t *household = NULL, *result = NULL;
    wl_rc rc = wl_i18n_load(cli->locale_dir, lang, &t, &err);
    if (rc == WL_OK) rc = wl_minima_load(assets, &m, &err);
    if (rc == WL_OK) rc = wl_json_load_file(path, &household, &err);
    if (rc == WL_OK) rc = wl_minima_evaluate_json(m, household, path, date, &result, &err);
    if (rc == WL_OK) rc = reasons_in(t, result, &err);
    int exit_code = WL_EXIT_OK;
    if (rc == WL_OK) wl_cli_print_json(result);
    else exit_code = wl_cli_fail(rc, &err);
    json_decref(result);
    json_decref(household);
    wl_minima_free(m);
    wl_i18n_free(t);
    return exit_code;
}

WL_CLI_COMMAND(minima, cmd_minima, "check which low-income schemes (minimaregelingen) fit a household",
               MINIMA_USAGE)

#define COUNTS_USAGE "minima-counts FROM TO   (dates YYYY-MM-DD, inclusive)"

/* `minima-counts FROM TO`: the anonymous management figures of the kiosk wizard (which schemes
 * were shown as likely or maybe, per day and location) as a JSON list. */
static int cmd_minima_counts(int argc, char **argv, const struct wl_cli *cli)
{
    if (argc != 3) return wl_cli_usage(COUNTS_USAGE);
    for (int i = 1; i < 3; i++)
        if (!wl_date_parse(argv[i], NULL, NULL, NULL)) {
            fprintf(stderr, "wijkloket-staff: '%s' is not a date (YYYY-MM-DD)\n", argv[i]);
            return WL_EXIT_USAGE;
        }
    wl_store_t *st = NULL;
    char detail[64];
    snprintf(detail, sizeof detail, "from=%s to=%s", argv[1], argv[2]);
    int lx = wl_priv_open_audited(cli, WL_ROLE_STAFF, "minima-counts", NULL, detail, &st);
    if (lx) return lx;
    wl_err_t err = {{0}};
    json_t *rows = NULL;
    wl_rc rc = wl_minima_counts(st, argv[1], argv[2], &rows, &err);
    int exit_code = WL_EXIT_OK;
    if (rc == WL_OK) wl_cli_print_json(rows);
    else exit_code = wl_cli_fail(rc, &err);
    json_decref(rows);
    wl_store_close(st);
    return exit_code;
}

/* Registered by hand: the command name has a dash, which the WL_CLI_COMMAND macro's
 * identifier cannot carry. */
static struct wl_command minima_counts_command = {"minima-counts", cmd_minima_counts,
                                                  "anonymous counts of schemes shown by the kiosk wizard",
                                                  COUNTS_USAGE, NULL};
__attribute__((constructor)) static void register_minima_counts(void)
{
    wl_cli_register(&minima_counts_command);
}
