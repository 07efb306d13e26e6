/* bench_export: export time and peak memory of `wijkloket-staff export` over 100,000 generated sealed intakes. */
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../tests/privacy/gen.h"
#include "wijkloket/auth.h"
#include "wijkloket/seal.h"
#include "store/store_sql.h" /* batch the generated saves into transactions */

#define PASSPHRASE "benchmark passphrase"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Runs the staff tool as a child and reports its wall time and peak resident memory. */
static int run_export(const char *staff, const char *dir, const char *db, const char *format, double *secs,
                      double *cpu, long *maxrss_kib, off_t *bytes)
{
    char out[4200], keys[4200];
    snprintf(out, sizeof out, "%s/export.%s", dir, format);
    snprintf(keys, sizeof keys, "%s/keys", dir);
    double t0 = now_s();
    pid_t pid = fork();
    if (pid == 0) {
        setenv("WL_PIN", "24681357", 1);
        setenv("WL_PASSPHRASE", PASSPHRASE, 1);
        setenv("WL_KEYS", keys, 1);
        execl(staff, staff, "--db", db, "--user", "bench", "export", "--format", format, "--out", out, (char *)NULL);
        perror(staff);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) return -1;
    *secs = now_s() - t0;
    *cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           (double)ru.ru_stime.tv_usec / 1e6;
    *maxrss_kib = ru.ru_maxrss;
    struct stat sb;
    *bytes = stat(out, &sb) == 0 ? sb.st_size : 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(int argc, char **argv)
{
    long long count = 100000;
    const char *staff = NULL;
    char staff_buf[4200];
    const char *keep = NULL;
    static const struct option opts[] = {{"count", required_argument, NULL, 'n'},
                                         {"staff", required_argument, NULL, 's'},
                                         {"keep", required_argument, NULL, 'k'},
                                         {NULL, 0, NULL, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'n') count = atoll(optarg);
        else if (c == 's') staff = optarg;
        else if (c == 'k') keep = optarg;
        else {
            fprintf(stderr, "usage: bench_export [--count N] [--staff PATH-TO-wijkloket-staff] [--keep DIR]\n"
                            "  --keep DIR  generate into DIR and keep it; when DIR already holds a generated\n"
                            "              database, only the exports are timed again\n");
            return 2;
        }
    }
    if (!staff) {
        /* Built side by side: <build>/bench/bench_export and <build>/staff/wijkloket-staff. */
        char self[4096];
        snprintf(self, sizeof self, "%s", argv[0]);
        snprintf(staff_buf, sizeof staff_buf, "%s/../staff/wijkloket-staff", dirname(self));
        staff = staff_buf;
    }
    const char *root = getenv("WL_ROOT");
    if (!root || !*root) root = WL_DEFAULT_ROOT;
    char dir[4096], db[4200], keys[4200], pub[4300];
    const char *tmp = getenv("TMPDIR");
    if (keep) {
        snprintf(dir, sizeof dir, "%s", keep);
        if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
            perror(dir);
            return 1;
        }
    } else {
        snprintf(dir, sizeof dir, "%s/wl-bench-export-XXXXXX", tmp && *tmp ? tmp : "/tmp");
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            return 1;
        }
    }
    snprintf(db, sizeof db, "%s/bench.db", dir);
    snprintf(keys, sizeof keys, "%s/keys", dir);
    snprintf(pub, sizeof pub, "%s/%s", keys, WL_SEAL_PUBLIC_FILE);
    struct stat sb;
    /* A kept database is reused only when its generation finished (the marker is written last). */
    char done_marker[4300];
    snprintf(done_marker, sizeof done_marker, "%s/generated", dir);
    bool reuse = keep && stat(done_marker, &sb) == 0;

    wl_err_t err = {{0}};
    gen_t g;
    wl_store_t *st = NULL;
    int rcode = 1;
    double gen_s = 0;
    if (reuse) {
        FILE *m = fopen(done_marker, "r");
        if (!m || fscanf(m, "%lld %lf", &count, &gen_s) != 2) count = 0;
        if (m) fclose(m);
        goto timed;
    }
    wl_rc rc = gen_open(&g, root, 2026, &err);
    if (rc == WL_OK) rc = wl_seal_keygen(keys, PASSPHRASE, WL_KDF_INTERACTIVE, NULL, &err);
    if (rc == WL_OK) rc = wl_store_open(db, &st, &err);
    if (rc == WL_OK) rc = wl_store_set_seal_key(st, pub, &err);
    if (rc == WL_OK) rc = wl_auth_add(st, "bench", WL_ROLE_STAFF, "24681357", &err);
    static const char *const locs[] = {"vinkhuizen", "selwerd", "de_wijert", "beijum", "lewenborg"};
    double t0 = now_s();
    /* Commit in chunks: one transaction per 5,000 keeps the WAL small. */
    for (long long i = 0; rc == WL_OK && i < count; i += 5000) {
        rc = wl_store_begin(st, &err);
        for (long long k = i; rc == WL_OK && k < i + 5000 && k < count; k++)
            rc = gen_one(&g, st, locs[k % 5], 1767258000 + k * 60, NULL, &err);
        if (rc == WL_OK) rc = wl_store_commit(st, &err);
        else wl_store_rollback(st);
    }
    gen_s = now_s() - t0;
    wl_store_close(st);
    gen_close(&g);
    if (rc != WL_OK) {
        fprintf(stderr, "bench_export: %s\n", err.msg);
        goto done;
    }
    if (keep) {
        FILE *m = fopen(done_marker, "w");
        if (m) {
            fprintf(m, "%lld %.1f\n", count, gen_s);
            fclose(m);
        }
    }
timed:
    stat(db, &sb);
    printf("bench_export: %lld generated sealed intakes (answers, personal data and result detail each\n"
           "sealed with the kiosk session key, WLS2), database %.1f MB, generated in %.1f s%s\n",
           count, (double)sb.st_size / 1e6, gen_s, reuse ? " (reused)" : "");
    printf("%-6s %10s %12s %12s %14s %12s\n", "format", "wall s", "CPU s", "intakes/s", "peak RSS MiB", "file MB");
    static const char *const formats[] = {"csv", "json"};
    for (int f = 0; f < 2; f++) {
        double secs = 0, cpu = 0;
        long rss = 0;
        off_t bytes = 0;
        int ex = run_export(staff, dir, db, formats[f], &secs, &cpu, &rss, &bytes);
        if (ex != 0) {
            fprintf(stderr, "bench_export: %s export exited with %d\n", formats[f], ex);
            goto done;
        }
        printf("%-6s %10.2f %12.2f %12.0f %14.1f %12.1f\n", formats[f], secs, cpu, (double)count / secs,
               (double)rss / 1024.0, (double)bytes / 1e6);
    }
    double l1 = 0;
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf", &l1) != 1) l1 = 0;
        fclose(la);
    }
    printf("goal: under 5 s wall for 100,000 (includes login, Argon2id passphrase stretch, audit entry).\n"
           "CPU s is the sum over the export's threads (one reads and writes, one worker per core\n"
           "opens and formats, at most 4);\n"
           "cores online: %ld, load average at the end: %.1f\n", sysconf(_SC_NPROCESSORS_ONLN), l1);
    rcode = 0;
done:;
    if (keep) return rcode;
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_export: could not remove %s\n", dir);
    return rcode;
}
