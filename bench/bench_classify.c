/* Benchmark: load+validate time of the questionnaire and routing rules, and classifications
 * per second on one core over the answers of every routing case.
 * Usage: bench_classify [seconds] [repo root]   (defaults: 1.5 s, WL_ROOT or the build's source) */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkloket/classify.h"
#include "wijkloket/intake.h"
#include "wijkloket/jsonfile.h"

#define MAX_CASES 256

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Reads every case file's answers through an intake session (as the kiosk would have stored
 * them) into answers[]; returns how many. */
static size_t load_cases(const char *root, const wl_questionnaire_t *q, json_t **answers, char **today)
{
    char dir_path[1024];
    snprintf(dir_path, sizeof dir_path, "%s/tests/cases/routing", root);
    DIR *dir = opendir(dir_path);
    if (!dir) return 0;
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(dir)) && n < MAX_CASES) {
        size_t len = strlen(de->d_name);
        if (len < 6 || strcmp(de->d_name + len - 5, ".json")) continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir_path, de->d_name);
        json_t *c = NULL;
        wl_err_t err = {""};
        if (wl_json_load_file(path, &c, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            continue;
        }
        const char *t = json_string_value(json_object_get(c, "today"));
        wl_intake_t *s = t ? wl_intake_new(q, t) : NULL;
        if (s && !wl_intake_load_answers(s, json_object_get(c, "answers"), false, &err)) {
            json_t *a = wl_intake_answers(s), *p = wl_intake_personal(s);
            json_object_update(a, p);
            json_decref(p);
            answers[n] = a;
            today[n] = strdup(t);
            n++;
        } else if (s) {
            fprintf(stderr, "%s: %s\n", de->d_name, err.msg);
        }
        wl_intake_free(s);
        json_decref(c);
    }
    closedir(dir);
    return n;
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 1.5;
    const char *root = argc > 2 ? argv[2] : getenv("WL_ROOT") ? getenv("WL_ROOT") : WL_DEFAULT_ROOT;
    if (seconds <= 0) seconds = 1.5;
    char qpath[1024], rpath[1024];
    snprintf(qpath, sizeof qpath, "%s/assets/questionnaires/entreevragenlijst.json", root);
    snprintf(rpath, sizeof rpath, "%s/assets/rules/routing.json", root);

    wl_err_t err = {""};
    wl_questionnaire_t *q = NULL;
    wl_rules_t *r = NULL;
    double t0 = now_s();
    if (wl_questionnaire_load(qpath, &q, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t1 = now_s();
    if (wl_rules_load(rpath, q, &r, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        wl_questionnaire_free(q);
        return 1;
    }
    double t2 = now_s();

    json_t *answers[MAX_CASES];
    char *today[MAX_CASES];
    size_t n = load_cases(root, q, answers, today);
    if (!n) {
        fprintf(stderr, "no routing cases found under %s/tests/cases/routing\n", root);
        wl_rules_free(r);
        wl_questionnaire_free(q);
        return 1;
    }

    /* Warm up once, then run whole passes over the cases until the time is used. */
    long done = 0;
    int failed = 0;
    double start = now_s(), end = start;
    while (end - start < seconds) {
        for (size_t i = 0; i < n; i++) {
            json_t *res = NULL;
            if (wl_classify(r, answers[i], today[i], &res, &err)) {
                if (!failed++) fprintf(stderr, "classify: %s\n", err.msg);
            }
            json_decref(res);
        }
        done += (long)n;
        end = now_s();
    }
    double per_s = (double)done / (end - start);

    double e0 = now_s();
    long explained = 0;
    while (now_s() - e0 < seconds / 3) {
        json_t *res = NULL;
        if (!wl_classify(r, answers[explained % (long)n], today[explained % (long)n], &res, &err)) {
            char *text = wl_classify_explain(res);
            free(text);
        }
        json_decref(res);
        explained++;
    }
    double e1 = now_s();

    printf("bench_classify: rules version %s, %zu questions, %zu case answers\n", wl_rules_version(r),
           q->n_questions, n);
    printf("  load+validate questionnaire: %.2f ms\n", (t1 - t0) * 1e3);
    printf("  load+validate routing rules:  %.2f ms\n", (t2 - t1) * 1e3);
    printf("  classify: %ld classifications in %.2f s on one core = %.0f per second (%.1f us each)\n",
           done, end - start, per_s, 1e6 / per_s);
    printf("  classify + explain: %.0f per second\n", (double)explained / (e1 - e0));
    printf("  goal >= 20000 classifications/s: %s\n", per_s >= 20000 ? "met" : "NOT met");
    if (failed) printf("  %d classification(s) failed\n", failed);

    for (size_t i = 0; i < n; i++) {
        json_decref(answers[i]);
        free(today[i]);
    }
    wl_rules_free(r);
    wl_questionnaire_free(q);
    return failed ? 1 : 0;
}
