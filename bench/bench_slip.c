/* Benchmark: time to render one slip to PNG (thermal), ESC/POS and A6 PDF, fonts loaded once.
 * Usage: bench_slip [count]   (default 50; assets from $WL_ROOT or the source tree) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "wijkloket/appointments.h"
#include "wijkloket/slip.h"

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

typedef wl_rc (*encode_fn)(const wl_raster_t *, unsigned char **, size_t *, wl_err_t *);

/* Renders and encodes count times; prints median and p95 in ms and the output size. */
static int measure(const char *name, const wl_slip_t *slip, wl_slip_format_t f, encode_fn enc, wl_slip_fonts_t *fonts,
                   int count)
{
    double *t = calloc((size_t)count, sizeof *t);
    size_t bytes = 0;
    int w = 0, h = 0;
    if (!t) return 1;
    for (int i = 0; i < count; i++) {
        wl_err_t err = {{0}};
        wl_raster_t r;
        unsigned char *buf = NULL;
        double t0 = now_ms();
        if (wl_slip_render(slip, f, fonts, &r, &err) || enc(&r, &buf, &bytes, &err)) {
            fprintf(stderr, "bench_slip: %s\n", err.msg);
            free(t);
            return 1;
        }
        t[i] = now_ms() - t0;
        w = r.w;
        h = r.h;
        free(buf);
        wl_raster_free(&r);
    }
    qsort(t, (size_t)count, sizeof *t, cmp_double);
    printf("%-22s %4dx%-5d median %7.2f ms   p95 %7.2f ms   %7zu bytes\n", name, w, h, t[count / 2],
           t[(count * 95) / 100 < count ? (count * 95) / 100 : count - 1], bytes);
    free(t);
    return 0;
}

int main(int argc, char **argv)
{
    int count = argc > 1 ? atoi(argv[1]) : 50;
    if (count < 1) count = 50;
    const char *root = getenv("WL_ROOT");
    char assets[4096];
    snprintf(assets, sizeof assets, "%s/assets", root && *root ? root : WL_DEFAULT_ROOT);
    wl_err_t err = {{0}};
    wl_catalog_t *c = NULL;
    wl_slip_fonts_t *fonts = NULL;
    wl_i18n_t *en = NULL;
    if (wl_catalog_load(assets, &c, &err)) {
        fprintf(stderr, "bench_slip: %s\n", err.msg);
        return 1;
    }
    /* A long, two-language slip: the worst case for layout time. */
    wl_appointment_t a = {0};
    wl_refcode_from_bytes((const unsigned char *)"\x12\x34\x56\x78\x9a", a.ref);
    strcpy(a.service, "gkb_spreekuur");
    strcpy(a.location, "wij_vinkhuizen");
    strcpy(a.start, "2026-11-24T09:45");
    strcpy(a.end, "10:30");
    strcpy(a.language, "en");
    wl_slip_t *slip = malloc(sizeof *slip);
    int rc = 1;
    char locale[4096];
    snprintf(locale, sizeof locale, "%s/locale", root && *root ? root : WL_DEFAULT_ROOT);
    if (!slip || wl_slip_catalogue(locale, &a, NULL, &en, &err) || wl_slip_build(c, &a, en, slip, &err)) goto done;
    double t0 = now_ms();
    if (wl_slip_fonts_open(&fonts, &err)) goto done;
    double t_fonts = now_ms() - t0;
    wl_raster_t first;
    t0 = now_ms();
    if (wl_slip_render(slip, WL_SLIP_THERMAL, fonts, &first, &err)) goto done;
    double t_first = now_ms() - t0;
    wl_raster_free(&first);
    printf("slip benchmark: %d runs each, %s slip (en + nl); fonts opened once in %.2f ms; first thermal "
           "raster (empty glyph cache) %.2f ms\n",
           count, a.service, t_fonts, t_first);
    rc = measure("thermal PNG", slip, WL_SLIP_THERMAL, wl_slip_png, fonts, count);
    rc |= measure("thermal ESC/POS", slip, WL_SLIP_THERMAL, wl_slip_escpos, fonts, count);
    rc |= measure("A6 PDF", slip, WL_SLIP_A6, wl_slip_pdf, fonts, count);
    rc |= measure("A6 PNG", slip, WL_SLIP_A6, wl_slip_png, fonts, count);
done:
    if (err.msg[0]) fprintf(stderr, "bench_slip: %s\n", err.msg);
    wl_slip_fonts_close(fonts);
    wl_i18n_free(en);
    free(slip);
    wl_catalog_free(c);
    return rc;
}
