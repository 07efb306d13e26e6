/* wijkloket-deliver: the kiosk's delivery loop. Runs beside the kiosk, sends every completed,
 * sealed intake from the kiosk's SQLite to wijkloket-server with backoff, and shows the backlog. */
#include "deliver.h"

#include <curl/curl.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t g_stop;
static void on_stop(int s)
{
    (void)s;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fputs("usage: wijkloket-deliver [--config kiosk.conf] [--db FILE] [--server URL] [--key FILE]\n"
          "                         [--once | --status] [--batch N] [--poll S] [--max-backoff S]\n"
          "\n"
          "Sends completed, sealed intakes and the kiosk's events (help requests, SPOED, printer\n"
          "failures) from the kiosk's database to wijkloket-server; each is\n"
          "marked delivered only after the server acknowledged its commit. Without --once it keeps\n"
          "running: new intakes are picked up every --poll seconds (2), and after a failure it\n"
          "waits 1, 2, 4 ... up to --max-backoff seconds (300). --status prints the backlog.\n"
          "kiosk.conf gives database, server_url and server_key; options override it.\n"
          "Exit codes: 0 ok (with --once: all delivered), 1 failure or backlog left, 2 bad usage.\n",
          f);
}

/* Reads database, server_url and server_key from the kiosk's configuration (other keys are the kiosk's). */
static int read_conf(const char *path, char *db, char *url, char *key, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wijkloket-deliver: cannot read %s: %s\n", path, strerror(errno));
        return 2;
    }
    char line[1200];
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *eq = strchr(line, '=');
        if (line[0] == '#' || !eq) continue;
        char *k = line, *v = eq + 1;
        *eq = 0;
        while (*k == ' ') k++;
        for (char *e = eq - 1; e >= k && *e == ' '; e--) *e = 0;
        while (*v == ' ') v++;
        for (char *e = v + strlen(v) - 1; e >= v && *e == ' '; e--) *e = 0;
        if (strcmp(k, "database") == 0) snprintf(db, size, "%s", v);
        else if (strcmp(k, "server_url") == 0) snprintf(url, size, "%s", v);
        else if (strcmp(k, "server_key") == 0) snprintf(key, size, "%s", v);
    }
    fclose(f);
    return 0;
}

static int status(wl_outbox_t *ob)
{
    wl_outbox_status_t st;
    wl_err_t err;
    if (wl_outbox_status(ob, &st, &err)) {
        fprintf(stderr, "wijkloket-deliver: %s\n", err.msg);
        return 1;
    }
    char when[32] = "-";
    if (st.oldest_pending) {
        time_t t = (time_t)st.oldest_pending;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&t));
    }
    printf("pending %lld (oldest %s), delivered %lld, refused %lld, events pending %lld\n", (long long)st.pending,
           when, (long long)st.delivered, (long long)st.refused, (long long)st.events_pending);
    if (st.refused) {
        char *j = NULL;
        if (wl_outbox_refused(ob, &j, &err) == WL_OK && j) printf("refused: %s\n", j);
        free(j);
    }
    return 0;
}

int main(int argc, char **argv)
{
    char db[1024] = "", url[1024] = "", key[1024] = "";
    bool once = false, show = false;
    int batch = 50, poll_s = 2, max_backoff = 300;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--once") == 0) once = true;
        else if (strcmp(a, "--status") == 0) show = true;
        else if (i + 1 < argc && strcmp(a, "--config") == 0) {
            int rc = read_conf(argv[++i], db, url, key, sizeof db);
            if (rc) return rc;
        } else if (i + 1 < argc && strcmp(a, "--db") == 0) snprintf(db, sizeof db, "%s", argv[++i]);
        else if (i + 1 < argc && strcmp(a, "--server") == 0) snprintf(url, sizeof url, "%s", argv[++i]);
        else if (i + 1 < argc && strcmp(a, "--key") == 0) snprintf(key, sizeof key, "%s", argv[++i]);
        else if (i + 1 < argc && (strcmp(a, "--batch") == 0 || strcmp(a, "--poll") == 0 ||
                                  strcmp(a, "--max-backoff") == 0)) {
            char *end;
            long v = strtol(argv[++i], &end, 10);
            if (*end || v < 1 || v > 100000) {
                fprintf(stderr, "wijkloket-deliver: %s %s: give a number from 1 to 100000\n", a, argv[i]);
                return 2;
            }
            if (strcmp(a, "--batch") == 0) batch = (int)v;
            else if (strcmp(a, "--poll") == 0) poll_s = (int)v;
            else max_backoff = (int)v;
        } else {
            fprintf(stderr, "wijkloket-deliver: unknown option %s\n", a);
            usage(stderr);
            return 2;
        }
    }
    if (!db[0]) {
        fprintf(stderr, "wijkloket-deliver: no kiosk database: give --db or --config\n");
        return 2;
    }
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "wijkloket-deliver: libsodium or libcurl could not start\n");
        return 1;
    }
    wl_err_t err;
    wl_outbox_t *ob;
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    /* Started before the kiosk made its database (boot order): wait for it, unless --once/--status. */
    while (wl_outbox_open(db, &ob, &err)) {
        fprintf(stderr, "wijkloket-deliver: %s\n", err.msg);
        if (once || show || g_stop) return 1;
        for (int t = 0; t < 40 && !g_stop; t++) usleep(50000);
    }
    if (show) {
        int rc = status(ob);
        wl_outbox_close(ob);
        return rc;
    }
    if (!url[0] || !key[0]) {
        fprintf(stderr, "wijkloket-deliver: no server: give --server and --key (or server_url and server_key in "
                        "kiosk.conf); without them the kiosk keeps everything locally\n");
        wl_outbox_close(ob);
        return 2;
    }
    wl_kclient_t *k;
    if (wl_kclient_new(url, key, &k, &err)) {
        fprintf(stderr, "wijkloket-deliver: %s\n", err.msg);
        wl_outbox_close(ob);
        return 2;
    }
    signal(SIGINT, on_stop);
    signal(SIGTERM, on_stop);
    signal(SIGPIPE, SIG_IGN);
    int backoff = 0, rc = 0;
    unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
    while (!g_stop) {
        int sent = 0, sent_events = 0;
        /* Events first: a SPOED signal must not wait behind a backlog of intakes. */
        wl_rc r = wl_deliver_events_round(ob, k, batch, &sent_events, &err);
        if (r == WL_OK) r = wl_deliver_round(ob, k, batch, &sent, &err);
        sent += sent_events;
        if (r == WL_ERR_IO || r == WL_ERR_DB) {
            /* Server or network away: back off, with jitter so a fleet does not return at once. */
            backoff = backoff ? (backoff * 2 > max_backoff ? max_backoff : backoff * 2) : 1;
            fprintf(stderr, "wijkloket-deliver: %s; retrying in about %d s\n", err.msg, backoff);
            if (once) {
                rc = 1;
                break;
            }
            useconds_t us = (useconds_t)(backoff * 1000000.0 * (0.5 + (rand_r(&seed) % 1000) / 1000.0));
            for (useconds_t slept = 0; slept < us && !g_stop; slept += 50000) usleep(50000);
            continue;
        }
        if (r == WL_OK && err.msg[0] && sent == 0) err.msg[0] = 0;
        backoff = 0;
        if (sent > 0) continue; /* there may be more waiting: go on at once */
        if (once) break;
        for (int t = 0; t < poll_s * 20 && !g_stop; t++) usleep(50000);
    }
    if (once) {
        wl_outbox_status_t st;
        if (wl_outbox_status(ob, &st, &err) == WL_OK && (st.pending || st.events_pending)) rc = 1;
        status(ob);
    }
    wl_kclient_free(k);
    wl_outbox_close(ob);
    curl_global_cleanup();
    return rc;
}
