/* Benchmark: open+migrate time and per-intake durable commit time (median, p99) of the store.
 * Usage: bench_store [count] [folder]   (defaults: 500 intakes, $TMPDIR or /tmp) */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>

#include "wijkloket/refcode.h"
#include "wijkloket/store.h"

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

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    return remove(p);
}

/* Where fsync is free (tmpfs) the figures say little about a kiosk's disk; say so. */
static const char *fs_name(const char *dir)
{
    struct statfs sf;
    if (statfs(dir, &sf) != 0) return "unknown";
    switch ((unsigned long)sf.f_type) {
    case 0x01021994UL: return "tmpfs (fsync is free: figures understate a real disk)";
    case 0xEF53UL: return "ext2/3/4";
    case 0x9123683EUL: return "btrfs";
    case 0x58465342UL: return "xfs";
    case 0x794C7630UL: return "overlayfs";
    default: return "other";
    }
}

/* A completed intake shaped like the entreevragenlijst: about 40 answers of mixed types. */
static json_t *make_answers(int i)
{
    static const char *yn[] = {"ja", "nee", "weet_niet"};
    json_t *a = json_object();
    json_object_set_new(a, "leeftijd", json_integer(18 + i % 50));
    json_object_set_new(a, "huishouden", json_string(i % 2 ? "alleenstaand" : "samenwonend"));
    json_object_set_new(a, "kinderen", json_integer(i % 4));
    json_object_set_new(a, "inkomen_netto_cent", json_integer(95000 + (i * 1371) % 120000));
    json_object_set_new(a, "startkwalificatie", json_boolean(i % 3 != 0));
    json_object_set_new(a, "domeinen", json_pack("[sss]", "financien", "huisvesting", "werk"));
    json_object_set_new(a, "toelichting", json_string("Ik wil graag weer aan het werk, maar "
                        "mijn rug speelt op. Liefst iets in de buurt, ochtenden gaan het best."));
    for (int q = 0; json_object_size(a) < 40; q++) {
        char key[24];
        snprintf(key, sizeof key, "vraag_%02d", q);
        if (q % 3 == 0) json_object_set_new(a, key, json_string(yn[(i + q) % 3]));
        else if (q % 3 == 1) json_object_set_new(a, key, json_integer(1 + (i + q) % 5));
        else json_object_set_new(a, key, json_boolean((i + q) % 2));
    }
    return a;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 500;
    if (n < 1 || n > 1000000) {
        fprintf(stderr, "bench_store: count must be 1..1000000\n");
        return 2;
    }
    const char *base = argc > 2 ? argv[2] : (getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    char dir[512], path[600];
    snprintf(dir, sizeof dir, "%s/wl-bench-store-XXXXXX", base);
    if (!mkdtemp(dir)) {
        perror("bench_store: mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/wijkloket.db", dir);
    int status = 1;
    double *ms = calloc((size_t)n, sizeof *ms);
    wl_store_t *st = NULL;
    wl_err_t err = {""};
    if (!ms) goto done;

    double t0 = now_ms();
    if (wl_store_open(path, &st, &err) != WL_OK) {
        fprintf(stderr, "bench_store: %s\n", err.msg);
        goto done;
    }
    double open_ms = now_ms() - t0;

    json_t *personal = json_pack("{s:s, s:s, s:s, s:s}", "voornaam", "Fatima", "achternaam",
                                 "de Vries", "geboortedatum", "1991-04-12", "telefoon",
                                 "0612345678");
    json_t *result = json_pack("{s:s, s:s, s:[{s:s, s:b}], s:{s:i, s:s}}", "route",
                               "klantondersteuning", "regie", "wij_team", "signals", "id",
                               "schulden", "urgent", 0, "domains", "count", 3, "band", "green");
    for (int i = 0; i < n; i++) {
        char ref[WL_REFCODE_BUFSZ];
        wl_refcode_new(ref);
        json_t *answers = make_answers(i);
        wl_intake_record_t r = {
            .ref = ref, .location = "vinkhuizen", .kiosk = "kiosk-1", .language = "nl",
            .started_at = 1767261600 + i * 600, .completed_at = 1767262200 + i * 600,
            .status = "completed", .questionnaire_version = "2026.1", .rules_version = "2026.1",
            .answers = answers, .personal = personal, .result = result,
        };
        double s = now_ms();
        wl_rc rc = wl_store_save_intake(st, &r, &err);
        ms[i] = now_ms() - s;
        json_decref(answers);
        if (rc == WL_ERR_CONFLICT) { i--; continue; } /* a 40-bit collision: draw again */
        if (rc != WL_OK) {
            fprintf(stderr, "bench_store: intake %d: %s\n", i, err.msg);
            json_decref(personal);
            json_decref(result);
            goto done;
        }
    }
    json_decref(personal);
    json_decref(result);
    wl_store_close(st);
    st = NULL;

    t0 = now_ms();
    if (wl_store_open(path, &st, &err) != WL_OK) {
        fprintf(stderr, "bench_store: reopen: %s\n", err.msg);
        goto done;
    }
    double reopen_ms = now_ms() - t0;
    struct stat sb;
    long long bytes = stat(path, &sb) == 0 ? (long long)sb.st_size : -1;

    qsort(ms, (size_t)n, sizeof *ms, cmp_double);
    int p99 = (int)((n * 99 + 99) / 100) - 1;
    printf("bench_store: %d completed intakes (40 answers each), folder %s, file system %s\n",
           n, dir, fs_name(dir));
    printf("open+migrate new database (schema v%d): %.2f ms\n", wl_store_latest_version(), open_ms);
    printf("commit per intake (synchronous=FULL, WAL): median %.3f ms, p99 %.3f ms, max %.3f ms\n",
           ms[n / 2], ms[p99], ms[n - 1]);
    printf("reopen with quick_check (%lld intakes, %lld kB main file): %.2f ms\n",
           (long long)wl_store_count_intakes(st), bytes / 1024, reopen_ms);
    status = 0;
done:
    wl_store_close(st);
    free(ms);
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    return status;
}
