/* Benchmark: minima household evaluations per second on one core (goal: at least 200,000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkloket/minima.h"

#define N_HOUSEHOLDS 1024

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fixed-seed generator: every run measures the same mix of households. */
static uint32_t next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void make_households(wl_minima_household_t *hs, int n)
{
    uint32_t seed = 20250701u;
    for (int i = 0; i < n; i++) {
        wl_minima_household_t *h = &hs[i];
        memset(h, 0, sizeof *h);
        h->applicant.age_years = 18 + (int)(next(&seed) % 70);
        h->applicant.age_months = (int)(next(&seed) % 13) - 1;
        h->has_partner = next(&seed) % 2;
        h->partner.age_years = 18 + (int)(next(&seed) % 70);
        h->partner.age_months = -1;
        h->n_children = (int)(next(&seed) % 4);
        for (int c = 0; c < h->n_children; c++) {
            h->children[c].age = (int)(next(&seed) % 22);
            h->children[c].school = (wl_minima_school)(next(&seed) % 5);
        }
        h->net_monthly_income = (int64_t)(next(&seed) % 400000);
        h->gross_yearly_income = next(&seed) % 3 ? (int64_t)(next(&seed) % 4000000) : -1;
        h->assets_min = h->assets_max = next(&seed) % 4 ? (int64_t)(next(&seed) % 3000000) : -1;
        h->years_low_income = (int)(next(&seed) % 12) - 1;
        if (h->years_low_income > h->applicant.age_years) h->years_low_income = h->applicant.age_years;
        h->student = (int)(next(&seed) % 3) - 1;
        h->chronic_illness = (int)(next(&seed) % 3) - 1;
    }
}

int main(int argc, char **argv)
{
    const char *assets = argc > 1 ? argv[1] : WL_DEFAULT_ROOT "/assets";
    wl_minima_t *m = NULL;
    wl_err_t err = {{0}};
    if (wl_minima_load(assets, &m, &err) != WL_OK) {
        fprintf(stderr, "bench_minima: %s\n", err.msg);
        return 1;
    }
    static wl_minima_household_t hs[N_HOUSEHOLDS];
    make_households(hs, N_HOUSEHOLDS);
    wl_minima_result_t *r = wl_minima_result_new();
    const char *dates[] = {"2025-03-15", "2025-07-15", "2028-02-01"};
    long long counts[4] = {0};

    /* Fast path: statuses, figures and trace data, no text (what the kiosk needs per tap). */
    long n = 0;
    double t0 = now_seconds(), t1;
    do {
        for (int k = 0; k < 10000; k++, n++) {
            if (wl_minima_evaluate(m, &hs[n % N_HOUSEHOLDS], dates[n % 3], r, &err) != WL_OK) {
                fprintf(stderr, "bench_minima: %s\n", err.msg);
                return 1;
            }
            counts[wl_minima_result_status(r, (int)(n % wl_minima_scheme_count(m)))]++;
        }
        t1 = now_seconds();
    } while (t1 - t0 < 1.0);
    double fast = (double)n / (t1 - t0);

    /* Full path: the same plus B1 reasons, trace text and the JSON document (what the CLI prints). */
    long nj = 0;
    t0 = now_seconds();
    do {
        for (int k = 0; k < 500; k++, nj++) {
            json_t *out = NULL;
            wl_minima_evaluate(m, &hs[nj % N_HOUSEHOLDS], dates[nj % 3], r, &err);
            if (wl_minima_result_json(m, &hs[nj % N_HOUSEHOLDS], r, &out, &err) != WL_OK) {
                fprintf(stderr, "bench_minima: %s\n", err.msg);
                return 1;
            }
            json_decref(out);
        }
        t1 = now_seconds();
    } while (t1 - t0 < 1.0);
    double full = (double)nj / (t1 - t0);

    printf("minima schemes in catalogue:        %d\n", wl_minima_scheme_count(m));
    printf("evaluations (statuses+figures)/s:   %.0f  (goal >= 200000: %s)\n", fast, fast >= 200000 ? "met" : "NOT met");
    printf("evaluations with B1 text + JSON/s:  %.0f\n", full);
    printf("status mix (sampled): eligible %lld, maybe %lld, not_eligible %lld, not_offered %lld\n", counts[0],
           counts[1], counts[2], counts[3]);
    wl_minima_result_free(r);
    wl_minima_free(m);
    return fast >= 200000 ? 0 : 1;
}
