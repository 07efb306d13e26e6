/* `check [--assets DIR]`: validates every asset file a policy editor can change. */
#include "cli.h"

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/appointments.h"
#include "wijkloket/classify.h"
#include "wijkloket/i18n.h"
#include "wijkloket/jsonfile.h"
#include "wijkloket/minima.h"
#include "wijkloket/minima_wizard.h"
#include "wijkloket/pictograms.h"
#include "wijkloket/retention.h"
#include "wijkloket/questionnaire.h"

/* One line per asset: "ok" or the loader's own file:line:column message. */
static int report(wl_rc rc, const wl_err_t *err, const char *what)
{
    if (rc == WL_OK) {
        printf("ok      %s\n", what);
        return 0;
    }
    printf("ERROR   %s\n", err->msg[0] ? err->msg : wl_rc_name(rc));
    return 1;
}

static int check_locales(const char *locale_dir)
{
    int problems = 0;
    DIR *d = opendir(locale_dir);
    if (!d) return 0; /* No translations shipped is allowed: Dutch is the source language. */
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 4 || strcmp(e->d_name + n - 3, ".po") != 0) continue;
        char lang[64], path[8192];
        if (n - 3 >= sizeof lang) continue;
        memcpy(lang, e->d_name, n - 3);
        lang[n - 3] = '\0';
        snprintf(path, sizeof path, "%s/%s", locale_dir, e->d_name);
        wl_i18n_t *t = NULL;
        wl_err_t err = {{0}};
        problems += report(wl_i18n_load(locale_dir, lang, &t, &err), &err, path);
        wl_i18n_free(t);
    }
    closedir(d);
    return problems;
}

static int cmd_check(int argc, char **argv, const struct wl_cli *cli_in)
{
    struct wl_cli cli = *cli_in;
    static const struct option opts[] = {{"assets", required_argument, NULL, 'a'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "a:", opts, NULL)) != -1) {
        if (c == 'a') cli.assets_dir = optarg;
        else return wl_cli_usage("check [--assets DIR]");
    }
    if (optind != argc) return wl_cli_usage("check [--assets DIR]");

    int problems = 0;
    char qpath[4096], rpath[4096], ppath[4096], locale_dir[4096];
    wl_err_t err = {{0}};
    wl_questionnaire_t *q = NULL;
    wl_rc rc = wl_questionnaire_load(wl_cli_asset(&cli, "questionnaires/entreevragenlijst.json", qpath, sizeof qpath), &q, &err);
    problems += report(rc, &err, qpath);
    wl_cli_asset(&cli, "rules/routing.json", rpath, sizeof rpath);
    if (q) {
        /* Both loaders also refuse a literal that is not an option of the question it is
         * compared with, and a yes/no question compared with anything but true or false. */
        wl_rules_t *rules = NULL;
        err.msg[0] = '\0';
        problems += report(wl_rules_load(rpath, q, &rules, &err), &err, rpath);
        wl_rules_free(rules);
        /* What the minima wizard takes over from the questionnaire names its questions. */
        wl_minima_wizard_t *wz = NULL;
        char wpath[4096];
        wl_cli_asset(&cli, "minima/wizard.json", wpath, sizeof wpath);
        err.msg[0] = '\0';
        if (wl_minima_wizard_load(cli.assets_dir, &wz, &err) == WL_OK)
            problems += report(wl_minima_wizard_check_questionnaire(wz, q, wpath, &err), &err, wpath);
        wl_minima_wizard_free(wz);
    }
    /* Every pictogram the questionnaire names must have an image in the pictogram map. */
    wl_pictograms_t *pics = NULL;
    err.msg[0] = '\0';
    wl_cli_asset(&cli, "pictograms.json", ppath, sizeof ppath);
    rc = wl_pictograms_load(ppath, &pics, &err);
    if (rc == WL_OK && q) rc = wl_pictograms_check_questionnaire(pics, q, &err);
    problems += report(rc, &err, ppath);
    /* The same for every choice of the minima wizard. */
    if (pics) {
        wl_minima_wizard_t *wz = NULL;
        char wpath[4096];
        wl_cli_asset(&cli, "minima/wizard.json", wpath, sizeof wpath);
        err.msg[0] = '\0';
        rc = WL_OK;
        if (wl_minima_wizard_load(cli.assets_dir, &wz, &err) == WL_OK) {
            for (int k = 0; k < WL_WIZ_STEPS && rc == WL_OK; k++) {
                const wl_wiz_step_t *st = wl_minima_wizard_step(wz, (wl_wiz_step_id)k);
                for (int o = 0; st && o < st->n_options && rc == WL_OK; o++)
                    if (!wl_pictograms_find(pics, st->pictograms[o])) {
                        char needle[160];
                        snprintf(needle, sizeof needle, "\"%s\"", st->pictograms[o]);
                        wl_err_set(&err, "%s:%d: steps.%s.pictograms: no image for '%s' in %s", wpath,
                                   wl_json_locate(wpath, needle), st->id, st->pictograms[o], ppath);
                        rc = WL_ERR_INVALID;
                    }
            }
            if (rc != WL_OK) problems += report(rc, &err, wpath);
        }
        wl_minima_wizard_free(wz); /* a wizard that does not load is reported below */
    }
    wl_pictograms_free(pics);
    if (!q) {
        /* Rules name question ids, so they cannot be checked without a valid questionnaire. */
        printf("skipped %s (needs a valid questionnaire first)\n", rpath);
    }
    wl_questionnaire_free(q);

    /* The minima parameters and schemes, locations and services, and the retention policy
     * each have their own loader; their messages already name file, line and field. */
    err.msg[0] = '\0';
    problems += report(wl_minima_check_assets(cli.assets_dir, &err), &err, "minima/parameters.json, minima/schemes.json");
    err.msg[0] = '\0';
    wl_minima_wizard_t *wizard = NULL;
    problems += report(wl_minima_wizard_load(cli.assets_dir, &wizard, &err), &err, "minima/wizard.json");
    wl_minima_wizard_free(wizard);
    err.msg[0] = '\0';
    problems += report(wl_appointments_check_assets(cli.assets_dir, &err), &err, "locations.json, services.json");
    char retention_path[4096];
    wl_retention_policy_t policy;
    err.msg[0] = '\0';
    problems += report(wl_retention_load(wl_cli_asset(&cli, "retention.json", retention_path, sizeof retention_path),
                                         &policy, &err), &err, retention_path);

    /* Translations live apart from the assets (<checkout>/locale, <data>/locale). */
    snprintf(locale_dir, sizeof locale_dir, "%s", cli.locale_dir);
    problems += check_locales(locale_dir);

    if (problems) {
        printf("%d problem%s found.\n", problems, problems == 1 ? "" : "s");
        return WL_EXIT_FAIL;
    }
    printf("All asset files are valid.\n");
    return WL_EXIT_OK;
}

WL_CLI_COMMAND(check, cmd_check, "validate every asset file (questionnaire, rules, translations, ...)",
               "check [--assets DIR]")
