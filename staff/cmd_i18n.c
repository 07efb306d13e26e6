/* `i18n`: per language, how many citizen texts are translated and how many a native speaker reviewed. */
#include "cli.h"

#include <dirent.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "wijkloket/i18n.h"

#define USAGE "i18n [--locale DIR] [--require-complete] [LANG ...]"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmd_i18n(int argc, char **argv, const struct wl_cli *cli)
{
    static const struct option opts[] = {{"locale", required_argument, NULL, 'l'},
                                         {"require-complete", no_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    bool require = false;
    int c;
    while ((c = getopt_long(argc, argv, "l:r", opts, NULL)) != -1) {
        if (c == 'l') dir = optarg;
        else if (c == 'r') require = true;
        else return wl_cli_usage(USAGE);
    }
    if (!dir) dir = cli->locale_dir; /* <checkout>/locale, or the installed share/wijkloket/locale */
    /* The languages: those named, else Dutch and every <lang>.po in the folder. */
    char *langs[64];
    int n = 0;
    for (int i = optind; i < argc && n < 64; i++) langs[n++] = strdup(argv[i]);
    if (n == 0) {
        langs[n++] = strdup("nl");
        DIR *d = opendir(dir);
        if (!d) {
            fprintf(stderr, "wijkloket-staff: %s: cannot open the locale folder\n", dir);
            free(langs[0]);
            return WL_EXIT_IO;
        }
        struct dirent *de;
        while ((de = readdir(d)) && n < 64) {
            size_t len = strlen(de->d_name);
            if (len > 3 && !strcmp(de->d_name + len - 3, ".po")) langs[n++] = strndup(de->d_name, len - 3);
        }
        closedir(d);
        qsort(langs + 1, (size_t)(n - 1), sizeof *langs, cmp_str);
    }
    int exit_code = WL_EXIT_OK;
    printf("%-6s %-22s %s\n", "lang", "translated", "reviewed by a native speaker");
    for (int i = 0; i < n; i++) {
        wl_i18n_count_t k;
        wl_err_t err = {{0}};
        wl_rc rc = wl_i18n_count(dir, langs[i], &k, &err);
        if (rc) {
            exit_code = wl_cli_fail(rc, &err);
            continue;
        }
        char tr[40];
        snprintf(tr, sizeof tr, "%zu/%zu (%zu%%)", k.translated, k.total, k.total ? k.translated * 100 / k.total : 100);
        if (!strcmp(langs[i], "nl"))
            printf("%-6s %-22s %s\n", langs[i], tr, "source language");
        else
            printf("%-6s %-22s %zu/%zu (%zu%%)\n", langs[i], tr, k.reviewed, k.total,
                   k.total ? k.reviewed * 100 / k.total : 100);
        for (size_t m = 0; m < k.n_missing; m++) printf("       missing: \"%s\"\n", k.missing[m]);
        if (k.translated < k.total && k.n_missing == 5) printf("       (and more)\n");
        if (require && k.translated < k.total) exit_code = WL_EXIT_FAIL;
    }
    for (int i = 0; i < n; i++) free(langs[i]);
    return exit_code;
}

WL_CLI_COMMAND(i18n, cmd_i18n, "translation coverage per language (translated, reviewed)", USAGE)
