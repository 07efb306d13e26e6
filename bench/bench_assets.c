/* Benchmark: load and validate every asset file, as `wijkloket-staff check` and kiosk start-up do. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "wijkloket/appointments.h"
#include "wijkloket/classify.h"
#include "wijkloket/i18n.h"
#include "wijkloket/minima.h"
#include "wijkloket/questionnaire.h"
#include "wijkloket/retention.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One full load of everything; returns false (and prints why) when an asset is invalid. */
static bool load_all(const char *root)
{
    char assets[4096], qpath[4200], rpath[4200], retention[4200], locale[4200];
    snprintf(assets, sizeof assets, "%s/assets", root);
    snprintf(qpath, sizeof qpath, "%s/questionnaires/entreevragenlijst.json", assets);
    snprintf(rpath, sizeof rpath, "%s/rules/routing.json", assets);
    snprintf(retention, sizeof retention, "%s/retention.json", assets);
    snprintf(locale, sizeof locale, "%s/locale", root);
    wl_err_t err = {{0}};
    wl_questionnaire_t *q = NULL;
    wl_rules_t *rules = NULL;
    wl_i18n_t *en = NULL;
    wl_retention_policy_t policy;
    bool ok = wl_questionnaire_load(qpath, &q, &err) == WL_OK && wl_rules_load(rpath, q, &rules, &err) == WL_OK &&
              wl_minima_check_assets(assets, &err) == WL_OK && wl_appointments_check_assets(assets, &err) == WL_OK &&
              wl_retention_load(retention, &policy, &err) == WL_OK && wl_i18n_load(locale, "en", &en, &err) == WL_OK;
    if (!ok) fprintf(stderr, "bench_assets: %s\n", err.msg);
    wl_i18n_free(en);
    wl_rules_free(rules);
    wl_questionnaire_free(q);
    return ok;
}

int main(int argc, char **argv)
{
    const char *root = getenv("WL_ROOT");
    if (!root) root = WL_DEFAULT_ROOT;
    int runs = argc > 1 ? atoi(argv[1]) : 50;
    if (runs < 1) runs = 1;
    double *t = malloc(sizeof *t * (size_t)runs);
    if (!t) return 1;
    for (int i = 0; i < runs; i++) {
        double start = now_ms();
        if (!load_all(root)) {
            free(t);
            return 1;
        }
        t[i] = now_ms() - start;
    }
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    printf("bench_assets: load and validate every asset file (questionnaire, routing rules, minima parameters\n"
           "  and schemes, locations and services, retention, en translation), %d runs\n", runs);
    printf("  median %.2f ms, p99 %.2f ms, max %.2f ms\n", t[runs / 2], t[(runs * 99) / 100], t[runs - 1]);
    free(t);
    return 0;
}
