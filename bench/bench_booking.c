/* Benchmark: durable bookings per second with 4 concurrent writer processes on one database.
 * Usage: bench_booking [per_writer] [folder]   (defaults: 100 bookings each, $TMPDIR or /tmp) */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wijkloket/appointments.h"

#define WRITERS 4

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(p);
}

typedef struct {
    char location[64];
    char start[WL_SLOT_START_BUFSZ];
} target_t;

/* Every one-seat WIJ-team slot in the next 30 days: enough distinct seats that writers
 * contend for the database lock, not for seats. */
static size_t collect(const wl_catalog_t *c, int64_t now, const char *today, target_t *t, size_t cap)
{
    size_t n = 0, i;
    const json_t *l;
    json_array_foreach(wl_catalog_locations(c), i, l) {
        const char *loc = json_string_value(json_object_get(l, "id"));
        if (!wl_catalog_offers(c, "gesprek_wij_team", loc)) continue;
        char days[30][11];
        size_t nd;
        wl_err_t err = {{0}};
        if (wl_appointments_days(c, "gesprek_wij_team", loc, today, now, 30, days, &nd, &err)) continue;
        for (size_t d = 0; d < nd; d++) {
            wl_slot_t *s;
            size_t ns;
            if (wl_appointments_slots(NULL, c, "gesprek_wij_team", loc, days[d], now, &s, &ns, &err)) continue;
            for (size_t k = 0; k < ns && n < cap; k++) {
                snprintf(t[n].location, sizeof t[n].location, "%s", loc);
                memcpy(t[n].start, s[k].start, sizeof t[n].start);
                n++;
            }
            free(s);
        }
    }
    return n;
}

int main(int argc, char **argv)
{
    int per = argc > 1 ? atoi(argv[1]) : 100;
    if (per < 1) per = 100;
    const char *base = argc > 2 ? argv[2] : getenv("TMPDIR");
    char dir[512], db[600], assets[4096];
    snprintf(dir, sizeof dir, "%s/wl-bench-booking-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(db, sizeof db, "%s/b.db", dir);
    const char *root = getenv("WL_ROOT");
    snprintf(assets, sizeof assets, "%s/assets", root && *root ? root : WL_DEFAULT_ROOT);
    wl_err_t err = {{0}};
    wl_catalog_t *c = NULL;
    wl_store_t *st = NULL;
    if (wl_catalog_load(assets, &c, &err) || wl_store_open(db, &st, &err)) {
        fprintf(stderr, "bench_booking: %s\n", err.msg);
        return 1;
    }
    wl_store_close(st);
    int64_t now;
    wl_appointments_local_to_unix("2026-11-23T07:00", &now);
    size_t cap = (size_t)per * WRITERS;
    target_t *t = calloc(cap, sizeof *t);
    size_t n = t ? collect(c, now, "2026-11-23", t, cap) : 0;
    if (n < cap) {
        fprintf(stderr, "bench_booking: only %zu free seats for %zu bookings\n", n, cap);
        return 1;
    }
    int fds[2];
    if (pipe(fds)) return 1;
    double t0 = now_s();
    for (int k = 0; k < WRITERS; k++) {
        if (fork() == 0) {
            close(fds[0]);
            wl_store_t *mine = NULL;
            int ok = 0, bad = 0;
            if (wl_store_open(db, &mine, &err)) _exit(2);
            for (size_t i = (size_t)k; i < cap; i += WRITERS) {
                wl_booking_request_t r = {"gesprek_wij_team", t[i].location, t[i].start, "nl", NULL, "bench", NULL};
                wl_appointment_t a;
                if (wl_appointments_book(mine, c, &r, now, &a, &err) == WL_OK) ok++;
                else bad++;
            }
            wl_store_close(mine);
            char line[64];
            int len = snprintf(line, sizeof line, "%d %d\n", ok, bad);
            if (write(fds[1], line, (size_t)len) != len) _exit(3);
            _exit(0);
        }
    }
    close(fds[1]);
    for (int k = 0; k < WRITERS; k++) wait(NULL);
    double secs = now_s() - t0;
    FILE *f = fdopen(fds[0], "r");
    int ok = 0, bad = 0, a, b;
    while (f && fscanf(f, "%d %d", &a, &b) == 2) {
        ok += a;
        bad += b;
    }
    if (f) fclose(f);
    printf("booking benchmark: %d writer processes, %d bookings each, one database in %s\n", WRITERS, per, dir);
    printf("%d booked, %d failed in %.3f s: %.0f bookings/s (each a durable BEGIN IMMEDIATE commit)\n", ok, bad, secs,
           ok / secs);
    free(t);
    wl_catalog_free(c);
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    return bad ? 1 : 0;
}
