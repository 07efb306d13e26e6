/* Load and race driver for wijkloket-server (used by the server tests and scripts/run-bench):
 *   server_load race URL KEY N SERVICE LOCATION START [hold]  N kiosk clients book one slot at once
 *   server_load book URL KEY THREADS SERVICE LOCATION DATE...  book every seat of those days
 *   server_load book-sqlite DB ASSETS THREADS SERVICE LOCATION DATE...  the same on embedded SQLite
 *   server_load ingest URL KEY THREADS COUNT PUBLIC_KEY [BATCH]  deliver COUNT sealed intakes,
 *                                                     BATCH per request (NDJSON batch endpoint when > 1)
 *   server_load sign KEY METHOD PATH QUERY BODYFILE [TIME]    print the signed headers (curl -H @file)
 * Prints its figures as "name value" lines. */
#include "kclient.h"
#include "wijkloket/appointments.h"
#include "wijkloket/refcode.h"
#include "wijkloket/seal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* CPU seconds (user + system) this process has used: the clients' share of a phase. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    char start[WL_SLOT_START_BUFSZ];
    int capacity;
} slot_ref_t;

/* Shared state of one run. */
typedef struct {
    const char *url, *key, *service, *location;
    slot_ref_t *work;       /* queue of attempts */
    size_t nwork;
    atomic_size_t next;
    atomic_int booked, taken, other;
    double *lat;            /* one latency per work item */
    pthread_barrier_t go;
    bool hold;
    /* race */
    const char *start;
    /* sqlite */
    const char *db;
    wl_catalog_t *cat;
    /* ingest */
    char **records;
    size_t *rec_len;
    size_t batch;
} run_t;

static wl_kclient_t *client(run_t *r)
{
    wl_kclient_t *k;
    wl_err_t err;
    if (wl_kclient_new(r->url, r->key, &k, &err)) {
        fprintf(stderr, "server_load: %s\n", err.msg);
        exit(1);
    }
    return k;
}

/* One booking over HTTP; returns 201, 409 (just taken) or another status (0 = transport). */
static int book_http(wl_kclient_t *k, const char *service, const char *location, const char *start, bool hold)
{
    char body[400], *resp = NULL;
    int status = 0;
    wl_err_t err;
    char holdid[64] = "";
    if (hold) {
        snprintf(body, sizeof body, "{\"service\":\"%s\",\"location\":\"%s\",\"start\":\"%s\"}", service, location, start);
        if (wl_kclient_request(k, "POST", "/api/v1/holds", NULL, body, strlen(body), &status, &resp, &err)) return 0;
        if (status != 201) {
            free(resp);
            return status;
        }
        json_t *j = json_loads(resp, 0, NULL);
        snprintf(holdid, sizeof holdid, "%s", j ? json_string_value(json_object_get(j, "hold")) : "");
        json_decref(j);
        free(resp);
        resp = NULL;
        snprintf(body, sizeof body, "{\"service\":\"%s\",\"location\":\"%s\",\"start\":\"%s\",\"hold\":\"%s\"}", service,
                 location, start, holdid);
    } else {
        snprintf(body, sizeof body, "{\"service\":\"%s\",\"location\":\"%s\",\"start\":\"%s\"}", service, location, start);
    }
    if (wl_kclient_request(k, "POST", "/api/v1/bookings", NULL, body, strlen(body), &status, &resp, &err)) {
        fprintf(stderr, "server_load: %s\n", err.msg);
        return 0;
    }
    if (status == 409 && !strstr(resp, "just_taken")) status = 499;
    if (status != 201 && status != 409) fprintf(stderr, "server_load: booking answered %d: %s\n", status, resp);
    free(resp);
    return status;
}

static void count(run_t *r, int status)
{
    if (status == 201) atomic_fetch_add(&r->booked, 1);
    else if (status == 409) atomic_fetch_add(&r->taken, 1);
    else atomic_fetch_add(&r->other, 1);
}

static void *race_thread(void *p)
{
    run_t *r = p;
    wl_kclient_t *k = client(r);
    pthread_barrier_wait(&r->go);
    count(r, book_http(k, r->service, r->location, r->start, r->hold));
    wl_kclient_free(k);
    return NULL;
}

static void *book_thread(void *p)
{
    run_t *r = p;
    wl_kclient_t *k = client(r);
    pthread_barrier_wait(&r->go);
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->nwork) break;
        double t0 = now_s();
        count(r, book_http(k, r->service, r->location, r->work[i].start, false));
        r->lat[i] = now_s() - t0;
    }
    wl_kclient_free(k);
    return NULL;
}

static void *book_sqlite_thread(void *p)
{
    run_t *r = p;
    wl_store_t *st;
    wl_err_t err;
    if (wl_store_open(r->db, &st, &err)) {
        fprintf(stderr, "server_load: %s\n", err.msg);
        exit(1);
    }
    pthread_barrier_wait(&r->go);
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->nwork) break;
        double t0 = now_s();
        wl_booking_request_t br = {r->service, r->location, r->work[i].start, "nl", NULL, "bench", NULL};
        wl_appointment_t a;
        wl_rc rc = wl_appointments_book(st, r->cat, &br, (int64_t)time(NULL), &a, &err);
        count(r, rc == WL_OK ? 201 : rc == WL_ERR_CONFLICT && strstr(err.msg, "just taken") ? 409 : 500);
        if (rc && rc != WL_ERR_CONFLICT) fprintf(stderr, "server_load: %s\n", err.msg);
        r->lat[i] = now_s() - t0;
    }
    wl_store_close(st);
    return NULL;
}

static void *ingest_thread(void *p)
{
    run_t *r = p;
    wl_kclient_t *k = client(r);
    char *buf = malloc(r->batch * 4096 + 1);
    pthread_barrier_wait(&r->go);
    for (;;) {
        size_t first = atomic_fetch_add(&r->next, r->batch);
        if (first >= r->nwork) break;
        size_t last = first + r->batch > r->nwork ? r->nwork : first + r->batch, len = 0;
        for (size_t i = first; i < last; i++) {
            memcpy(buf + len, r->records[i], r->rec_len[i]);
            len += r->rec_len[i];
            if (r->batch > 1) buf[len++] = '\n';
        }
        double t0 = now_s();
        int status = 0;
        char *resp = NULL;
        wl_err_t err;
        const char *path = r->batch > 1 ? "/api/v1/intakes/batch" : "/api/v1/intakes";
        int want = r->batch > 1 ? 200 : 201;
        if (wl_kclient_request(k, "POST", path, NULL, buf, len, &status, &resp, &err))
            fprintf(stderr, "server_load: %s\n", err.msg);
        else if (status != want || (r->batch > 1 && strstr(resp, "\"status\":4")))
            fprintf(stderr, "server_load: intake answered %d: %.300s\n", status, resp);
        bool ok = status == want && !(r->batch > 1 && strstr(resp, "\"status\":4"));
        for (size_t i = first; i < last; i++) {
            count(r, ok ? 201 : 500);
            r->lat[i] = now_s() - t0;
        }
        free(resp);
    }
    free(buf);
    wl_kclient_free(k);
    return NULL;
}

static double run_threads(run_t *r, int n, void *(*fn)(void *))
{
    pthread_t *t = calloc((size_t)n, sizeof *t);
    pthread_barrier_init(&r->go, NULL, (unsigned)n + 1);
    for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, fn, r);
    pthread_barrier_wait(&r->go);
    double t0 = now_s();
    for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
    double el = now_s() - t0;
    pthread_barrier_destroy(&r->go);
    free(t);
    return el;
}

static void latency(const char *prefix, double *lat, size_t n)
{
    if (!n) return;
    qsort(lat, n, sizeof *lat, cmp_double);
    printf("%s_p50_ms %.2f\n%s_p99_ms %.2f\n%s_max_ms %.2f\n", prefix, lat[n / 2] * 1000, prefix,
           lat[(size_t)((double)n * 0.99)] * 1000, prefix, lat[n - 1] * 1000);
}

/* Every slot of service at location on the dates, each capacity+1 times (the last one must be
 * refused), interleaved so concurrent clients meet on the same slots. */
static int build_work(run_t *r, const char *assets, char **dates, int ndates, int *nslots, int *seats)
{
    wl_err_t err;
    if (wl_catalog_load(assets, &r->cat, &err)) {
        fprintf(stderr, "server_load: %s\n", err.msg);
        return 1;
    }
    slot_ref_t *all = NULL;
    size_t na = 0;
    for (int d = 0; d < ndates; d++) {
        wl_slot_t *s;
        size_t n;
        if (wl_appointments_slots(NULL, r->cat, r->service, r->location, dates[d], (int64_t)time(NULL), &s, &n, &err)) {
            fprintf(stderr, "server_load: %s\n", err.msg);
            return 1;
        }
        all = realloc(all, (na + n) * sizeof *all);
        for (size_t i = 0; i < n; i++) {
            memcpy(all[na].start, s[i].start, sizeof all[na].start);
            all[na++].capacity = s[i].capacity;
        }
        free(s);
    }
    size_t total = 0;
    for (size_t i = 0; i < na; i++) total += (size_t)all[i].capacity + 1;
    r->work = calloc(total, sizeof *r->work);
    r->lat = calloc(total, sizeof *r->lat);
    size_t w = 0;
    *seats = 0;
    for (size_t i = 0; i < na; i++) *seats += all[i].capacity;
    const char *order = getenv("WL_BOOK_ORDER");
    if (order && strcmp(order, "hot") == 0) {
        /* hot: every attempt on a slot back to back, so all clients fight over a few slots. */
        for (size_t i = 0; i < na; i++)
            for (int c = 0; c <= all[i].capacity; c++) r->work[w++] = all[i];
    } else {
        /* spread (default): round after round over all slots, as many kiosks booking
         * different times; every slot still gets capacity+1 attempts. */
        int maxcap = 0;
        for (size_t i = 0; i < na; i++) maxcap = all[i].capacity > maxcap ? all[i].capacity : maxcap;
        for (int c = 0; c <= maxcap; c++)
            for (size_t i = 0; i < na; i++)
                if (c <= all[i].capacity) r->work[w++] = all[i];
    }
    r->nwork = w;
    *nslots = (int)na;
    free(all);
    return 0;
}

static int cmd_sign(char **a, int n)
{
    if (n < 5) return 2;
    FILE *f = fopen(a[4], "rb");
    if (!f) return 1;
    static char body[1 << 20];
    size_t len = fread(body, 1, sizeof body, f);
    fclose(f);
    /* Reads the secret from the key file the way the kiosk does, then signs. */
    FILE *kf = fopen(a[0], "r");
    if (!kf) return 1;
    char line[512], kiosk[600] = "";
    unsigned char sk[crypto_sign_SECRETKEYBYTES];
    while (fgets(line, sizeof line, kf)) {
        line[strcspn(line, "\n")] = 0;
        if (strncmp(line, "kiosk = ", 8) == 0) snprintf(kiosk, sizeof kiosk, "%s", line + 8);
        if (strncmp(line, "secret = ", 9) == 0) sodium_hex2bin(sk, sizeof sk, line + 9, strlen(line + 9), NULL, NULL, NULL);
    }
    fclose(kf);
    char t[24], nonce[33], text[2048], sighex[2 * crypto_sign_BYTES + 1];
    snprintf(t, sizeof t, "%s", n > 5 ? a[5] : "");
    if (!t[0]) snprintf(t, sizeof t, "%lld", (long long)time(NULL));
    unsigned char raw[16], sig[crypto_sign_BYTES], sha[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
    crypto_hash_sha256(sha, (unsigned char *)body, len);
    char hex[65];
    sodium_bin2hex(hex, sizeof hex, sha, sizeof sha);
    int tl = snprintf(text, sizeof text, "WL1\n%s\n%s\n%s\n%s\n%s\n%s", a[1], a[2], a[3], t, nonce, hex);
    crypto_sign_detached(sig, NULL, (unsigned char *)text, (unsigned long long)tl, sk);
    sodium_bin2hex(sighex, sizeof sighex, sig, sizeof sig);
    printf("X-WL-Kiosk: %s\nX-WL-Time: %s\nX-WL-Nonce: %s\nX-WL-Signature: %s\n", kiosk, t, nonce, sighex);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2 || sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT)) {
        fprintf(stderr, "usage: see the comment at the top of bench/server_load.c\n");
        return 2;
    }
    const char *mode = argv[1];
    run_t r;
    memset(&r, 0, sizeof r);
    if (strcmp(mode, "sign") == 0) return cmd_sign(argv + 2, argc - 2);
    if (strcmp(mode, "race") == 0 && argc >= 8) {
        r.url = argv[2], r.key = argv[3], r.service = argv[5], r.location = argv[6], r.start = argv[7];
        r.hold = argc > 8 && strcmp(argv[8], "hold") == 0;
        run_threads(&r, atoi(argv[4]), race_thread);
        printf("booked %d\ntaken %d\nother %d\n", r.booked, r.taken, r.other);
        return 0;
    }
    if ((strcmp(mode, "book") == 0 || strcmp(mode, "book-sqlite") == 0) && argc >= 8) {
        bool sq = strcmp(mode, "book-sqlite") == 0;
        r.service = argv[5], r.location = argv[6];
        const char *assets = getenv("WL_ASSETS") ? getenv("WL_ASSETS") : "assets";
        if (sq) r.db = argv[2], assets = argv[3];
        else r.url = argv[2], r.key = argv[3];
        int nslots, seats;
        if (build_work(&r, assets, argv + 7, argc - 7, &nslots, &seats)) return 1;
        int threads = atoi(argv[4]);
        double c0 = cpu_s();
        double el = run_threads(&r, threads, sq ? book_sqlite_thread : book_thread);
        double cpu = cpu_s() - c0;
        printf("backend %s\norder %s\nclients %d\nslots %d\nseats %d\nattempts %zu\nbooked %d\njust_taken %d\nother %d\n",
               sq ? "sqlite" : "postgresql", getenv("WL_BOOK_ORDER") ? getenv("WL_BOOK_ORDER") : "spread", threads, nslots, seats, r.nwork, r.booked, r.taken, r.other);
        printf("seconds %.2f\nrequests_per_s %.0f\nbookings_per_s %.0f\n", el, (double)r.nwork / el, r.booked / el);
        latency("booking", r.lat, r.nwork);
        printf("%s_cpu_us_per_op %.0f\n", sq ? "sqlite_process" : "client", cpu * 1e6 / (double)(r.nwork ? r.nwork : 1));
        printf("exactly_capacity %s\n", r.booked == seats && r.taken == nslots && r.other == 0 ? "yes" : "NO");
        wl_catalog_free(r.cat);
        return r.booked == seats && r.other == 0 ? 0 : 1;
    }
    if (strcmp(mode, "ingest") == 0 && argc >= 7) {
        r.url = argv[2], r.key = argv[3];
        int threads = atoi(argv[4]);
        size_t n = (size_t)atol(argv[5]);
        unsigned char pk[crypto_box_PUBLICKEYBYTES];
        wl_err_t err;
        if (wl_seal_load_public(argv[6], pk, &err)) {
            fprintf(stderr, "server_load: %s\n", err.msg);
            return 1;
        }
        wl_kclient_t *k = client(&r);
        char kiosk[64], location[64];
        snprintf(kiosk, sizeof kiosk, "%s", wl_kclient_kiosk(k));
        snprintf(location, sizeof location, "%s", wl_kclient_location(k));
        wl_kclient_free(k);
        /* Real sealed records as a kiosk makes them (a session key, WLS2 blobs). */
        wl_seal_session_t *s;
        if (wl_seal_session_new(pk, &s, &err)) return 1;
        r.records = calloc(n, sizeof *r.records);
        r.rec_len = calloc(n, sizeof *r.rec_len);
        r.lat = calloc(n, sizeof *r.lat);
        for (size_t i = 0; i < n; i++) {
            char ref[WL_REFCODE_BUFSZ];
            wl_refcode_new(ref);
            json_t *ans = json_pack("{s:s, s:I}", "situatie", "werkzoekend", "i", (json_int_t)i);
            unsigned char *b1, *b2;
            size_t l1, l2;
            /* A kiosk binds each part to its record and kind with its own install key. */
            static unsigned char ikey[32];
            if (i == 0) randombytes_buf(ikey, sizeof ikey);
            wl_seal_bind_t ba = {ref, "answers", ikey, false}, bp = {ref, "personal", ikey, false};
            wl_seal_session_encode(s, ans, (int64_t)time(NULL), &ba, &b1, &l1, &err);
            wl_seal_session_encode(s, ans, (int64_t)time(NULL), &bp, &b2, &l2, &err);
            json_decref(ans);
            char *e1 = malloc(sodium_base64_encoded_len(l1, sodium_base64_VARIANT_ORIGINAL));
            char *e2 = malloc(sodium_base64_encoded_len(l2, sodium_base64_VARIANT_ORIGINAL));
            sodium_bin2base64(e1, sodium_base64_encoded_len(l1, sodium_base64_VARIANT_ORIGINAL), b1, l1,
                              sodium_base64_VARIANT_ORIGINAL);
            sodium_bin2base64(e2, sodium_base64_encoded_len(l2, sodium_base64_VARIANT_ORIGINAL), b2, l2,
                              sodium_base64_VARIANT_ORIGINAL);
            json_t *rec = json_pack("{s:s, s:s, s:s, s:s, s:I, s:{s:s, s:s}, s:{s:s, s:s}}", "format",
                                    "wijkloket-sealed-intake/1", "ref", ref, "kiosk", kiosk, "location", location,
                                    "completed_at", (json_int_t)time(NULL), "answers", "encoding", "sealed", "data", e1,
                                    "personal", "encoding", "sealed", "data", e2);
            r.records[i] = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
            r.rec_len[i] = strlen(r.records[i]);
            json_decref(rec);
            free(b1), free(b2), free(e1), free(e2);
        }
        wl_seal_session_free(s);
        r.nwork = n;
        r.batch = argc > 7 ? (size_t)atol(argv[7]) : 1;
        if (r.batch < 1 || r.batch > 200) r.batch = 1;
        double c0 = cpu_s();
        double el = run_threads(&r, threads, ingest_thread);
        double cpu = cpu_s() - c0;
        printf("clients %d\nbatch %zu\nintakes %zu\nstored %d\nfailed %d\nseconds %.2f\nintakes_per_s %.0f\n", threads, r.batch, n, r.booked,
               r.other, el, r.booked / el);
        latency("ingest", r.lat, n);
        printf("client_cpu_us_per_op %.0f\n", cpu * 1e6 / (double)(n ? n : 1));
        for (size_t i = 0; i < n; i++) free(r.records[i]);
        free(r.records), free(r.rec_len), free(r.lat);
        return r.other ? 1 : 0;
    }
    fprintf(stderr, "server_load: unknown mode or missing arguments (see bench/server_load.c)\n");
    return 2;
}
