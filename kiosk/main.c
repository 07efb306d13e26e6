/* wijkloket: starts the kiosk in a window, or headless replaying a script; prints figures on ask. */
#include "wijkloket/harden.h"
#include "app.h"
#include "server_link.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "plat_watchdog.h"
#include "render.h"
#include "wijkloket/paths.h"
#include "wijkloket/seal.h"

static double mono_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

double app_since_start_ms(void)
{
    /* Field 22 of /proc/self/stat is the start time in clock ticks since boot. */
    FILE *f = fopen("/proc/self/stat", "r");
    if (!f) return -1;
    char buf[1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p) return -1;
    unsigned long long start = 0;
    int field = 2;
    for (char *tok = strtok(p + 1, " "); tok; tok = strtok(NULL, " ")) {
        if (++field == 22) {
            start = strtoull(tok, NULL, 10);
            break;
        }
    }
    long hz = sysconf(_SC_CLK_TCK);
    return mono_ms(CLOCK_BOOTTIME) - (double)start * 1000.0 / (double)hz;
}

void app_frame(app_t *a)
{
    double t0 = mono_ms(CLOCK_MONOTONIC), c0 = mono_ms(CLOCK_THREAD_CPUTIME_ID);
    if (a->prev && a->prev_valid) render_copy_view(a->prev, a->view);
    ui_view(&a->ui, a->view);
    if (a->view->full) fprintf(stderr, "wijkloket: screen %s has too many widgets\n", ui_screen_name(a->ui.screen));
    text_set_target(a->text, plat_soft_surface(&a->plat));
    bool drawn = render_view(a->plat.ren, a->text, a->icons, &a->theme, a->view, a->prev && a->prev_valid ? a->prev : NULL);
    a->prev_valid = a->partial && a->prev;
    if (drawn) plat_present(&a->plat);
    double dt = mono_ms(CLOCK_MONOTONIC) - t0;
    if (a->n_frames < APP_MAX_FRAMES) {
        a->frame_cpu_ms[a->n_frames] = mono_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
        a->frame_screen[a->n_frames] = ui_screen_name(a->ui.screen);
        a->frame_ms[a->n_frames++] = dt;
    }
    if (a->first_frame_ms == 0) a->first_frame_ms = app_since_start_ms();
    a->ui.dirty = false;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: wijkloket [--config FILE] [--db FILE] [--size WxH]\n"
            "       wijkloket --headless --script FILE [--screenshots DIR] [--config FILE] [--size WxH]\n"
            "options:\n"
            "  --config FILE      kiosk configuration (default: <checkout>/assets/kiosk.conf or /etc/wijkloket/kiosk.conf)\n"
            "  --db FILE          database file (overrides the configuration)\n"
            "  --public-key FILE  staff public key to seal with (overrides public_key in the configuration)\n"
            "  --size WxH         screen size, e.g. 1080x1920, 1920x1080, 800x480\n"
            "  --headless         no window: draw into memory (SDL dummy driver, software renderer)\n"
            "  --script FILE      replay a script of taps, typing and checks (see docs/kiosk.md)\n"
            "  --screenshots DIR  where screenshots and _err.png files go (default .)\n"
            "  --golden DIR       golden screenshots (default tests/kiosk/golden)\n"
#ifdef WL_KIOSK_TEST_HOOKS
            "  --epoch SECONDS    test build only: unix time at start (deterministic replays)\n"
            "  --test-refcodes    test build only: reference codes from a counter (stable goldens)\n"
#endif
            "  --exit-after SEC   leave the event loop after this many seconds (benchmark)\n"
            "  --bench-frames N   after the script, draw the last screen N more times (benchmark)\n"
            "  --stats            print timing and memory figures at the end\n"
            "  --trace-taps       print each scripted tap as click X Y (drives the Xvfb test)\n");
}

static int sort_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static long vm_hwm_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6)) kb = strtol(line + 6, NULL, 10);
    fclose(f);
    return kb;
}

/* Median, p99 and maximum of n figures (0 when none). */
static void spread(const double *t, int n, double *med, double *p99, double *mx)
{
    double *s = malloc(sizeof(double) * (size_t)(n ? n : 1));
    *med = *p99 = *mx = 0;
    if (s && n) {
        memcpy(s, t, sizeof(double) * (size_t)n);
        qsort(s, (size_t)n, sizeof(double), sort_double);
        *med = s[n / 2];
        *p99 = s[(n * 99) / 100 >= n ? n - 1 : (n * 99) / 100];
        *mx = s[n - 1];
    }
    free(s);
}

static void print_stats(app_t *a, double loop_ms, double cpu_ms)
{
    double med, p99, mx, cmed, cp99, cmx;
    spread(a->frame_ms, a->n_frames, &med, &p99, &mx);
    spread(a->frame_cpu_ms, a->n_frames, &cmed, &cp99, &cmx);
    long hits, misses, pixels;
    int entries;
    text_stats(a->text, &hits, &misses, &entries, &pixels);
    printf("size %dx%d renderer %s\n", a->plat.w, a->plat.h, a->plat.headless ? "software (headless)" : "window");
    printf("first_frame_ms %.1f (process start to first frame presented)\n", a->first_frame_ms);
    printf("startup_ms main %.1f core_loaded %.1f display_open %.1f fonts_open %.1f first_frame %.1f\n", a->main_ms,
           a->loaded_ms, a->display_ms, a->fonts_ms, a->first_frame_ms);
    printf("frames %d median_ms %.2f p99_ms %.2f max_ms %.2f\n", a->n_frames, med, p99, mx);
    printf("frames_cpu %d median_ms %.2f p99_ms %.2f max_ms %.2f (thread CPU time per frame)\n", a->n_frames, cmed, cp99, cmx);
    /* Every frame, so a benchmark can tell which screens are slow and take the best of runs. */
    for (int i = 0; i < a->n_frames; i++)
        printf("frame %d %s ms %.2f cpu_ms %.2f\n", i + 1, a->frame_screen[i], a->frame_ms[i], a->frame_cpu_ms[i]);
    printf("peak_rss_kb %ld\n", vm_hwm_kb());
    printf("line_cache hits %ld misses %ld entries %d texture_pixels %ld\n", hits, misses, entries, pixels);
    long rendered, ghits, gbytes;
    text_glyph_stats(a->text, &rendered, &ghits, &gbytes);
    printf("glyph_cache rasterised %ld hits %ld bytes %ld\n", rendered, ghits, gbytes);
    printf("font_faces %d (looked up and opened on first use)\n", text_faces_open(a->text));
    text_width_stats(a->text, &hits, &misses);
    printf("width_cache hits %ld misses %ld (words measured for wrapping without shaping them again)\n", hits, misses);
    if (loop_ms > 0)
        printf("event_loop_ms %.0f cpu_ms %.1f cpu_percent %.3f\n", loop_ms, cpu_ms, 100.0 * cpu_ms / loop_ms);
}

static void report(const char *what, double *t, long n)
{
    qsort(t, (size_t)n, sizeof(double), sort_double);
    printf("%s frames %ld median_ms %.2f p99_ms %.2f max_ms %.2f\n", what, n, t[n / 2], t[n * 99 / 100], t[n - 1]);
}

/* The frames a person causes on the current screen: a letter typed, then taken back. Measured
 * once as drawn (partial redraw of what changed) and once forced to redraw everything. */
static void bench_typing(app_t *a, long n)
{
    double *t = malloc(sizeof(double) * (size_t)n);
    if (!t) return;
    for (int pass = 0; pass < 2; pass++) {
        for (long i = 0; i < n; i++) {
            ui_event_t ev = { .type = i % 2 ? UI_EV_KEY : UI_EV_TEXT, .key = UI_KEY_BACKSPACE, .text = "a" };
            ui_step(&a->ui, &ev, a->ui.now_ms + 150);
            if (pass == 1) a->prev_valid = false;
            double t0 = mono_ms(CLOCK_MONOTONIC);
            app_frame(a);
            t[i] = mono_ms(CLOCK_MONOTONIC) - t0;
        }
        report(pass == 0 ? "typing" : "full_redraw", t, n);
    }
    free(t);
}

static double cpu_ms_now(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec * 1000.0 + ru.ru_utime.tv_usec / 1000.0 + ru.ru_stime.tv_sec * 1000.0 +
           ru.ru_stime.tv_usec / 1000.0;
}

/* The real event loop: sleeps in the platform's wait until input or the UI's next deadline. */
static void event_loop(app_t *a, double exit_after_s, double *loop_ms, double *cpu_ms)
{
    double t0 = mono_ms(CLOCK_MONOTONIC), c0 = cpu_ms_now();
    int64_t base = plat_ticks_ms();
    plat_input_t in;
    while (!a->ui.quit) {
        int64_t now = plat_ticks_ms() - base;
        int64_t dl = ui_next_deadline(&a->ui);
        if (exit_after_s > 0) {
            int64_t ex = (int64_t)(exit_after_s * 1000);
            if (now >= ex) break;
            if (dl < 0 || dl > ex) dl = ex;
        }
        /* Under systemd's watchdog, wake up in time to send the keep-alive. */
        int64_t wd = plat_watchdog_due(now);
        if (wd >= 0 && (dl < 0 || dl > now + wd)) dl = now + wd;
        bool got = plat_wait(&a->plat, dl < 0 ? -1 : dl > now ? dl - now : 0, &in);
        now = plat_ticks_ms() - base;
        if (got) {
            for (int i = 0; i < in.n; i++) ui_step(&a->ui, &in.ev[i], now);
            if (in.resized) {
                a->prev_valid = false;
                a->ui.w = a->plat.w;
                a->ui.h = a->plat.h;
                a->ui.dirty = true;
            }
            if (in.exposed) {
                a->ui.dirty = true;
                a->prev_valid = false; /* the window system may have lost the pixels */
            }
        } else {
            ui_event_t tick = { .type = UI_EV_TICK };
            ui_step(&a->ui, &tick, now);
        }
        if (a->ui.dirty) app_frame(a);
        plat_watchdog_kick(now);
    }
    *loop_ms = mono_ms(CLOCK_MONOTONIC) - t0;
    *cpu_ms = cpu_ms_now() - c0;
}

/* The kiosk never stores a completed questionnaire readable: it seals each one to the staff
 * public key, or does not start. Checked before the store opens, so a wrong key file leaves
 * nothing behind; a test configuration may say allow_unsealed = test-only. */
static bool check_public_key(const kcfg_t *c, bool from_cli, char *msg, size_t n)
{
    const char *conf = c->source[0] ? c->source : "the built-in defaults (no configuration file)";
    if (!c->public_key[0]) {
        if (c->allow_unsealed) {
            fprintf(stderr,
                    "wijkloket: ************************************************************\n"
                    "wijkloket: WARNING: %s says allow_unsealed = test-only.\n"
                    "wijkloket: Completed questionnaires are stored UNSEALED: anyone with this\n"
                    "wijkloket: database file can read them. Never use this on a real kiosk.\n"
                    "wijkloket: ************************************************************\n",
                    conf);
            return true;
        }
        snprintf(msg, n,
                 "%s: public_key is not set. The kiosk seals every completed questionnaire to the staff "
                 "public key and does not start without one. Make the key pair (on a staff computer) with "
                 "`wijkloket-staff keygen --out var/keys` and set public_key = var/keys/public.key "
                 "(see docs/privacy.md)",
                 conf);
        return false;
    }
    char where[KCFG_PATH * 2 + 64];
    if (from_cli) snprintf(where, sizeof where, "--public-key");
    else if (c->public_key_line) snprintf(where, sizeof where, "%s:%d: public_key", conf, c->public_key_line);
    else snprintf(where, sizeof where, "%s: public_key", conf);
    unsigned char pk[crypto_box_PUBLICKEYBYTES];
    wl_err_t err = { { 0 } };
    wl_rc rc = wl_seal_load_public(c->public_key, pk, &err);
    if (rc == WL_ERR_IO) {
        snprintf(msg, n, "%.400s: %.400s. Make the key pair with `wijkloket-staff keygen --out var/keys` and point "
                 "public_key at its public.key", where, err.msg);
        return false;
    }
    if (rc != WL_OK) {
        snprintf(msg, n, "%.250s: %.150s is not a staff public key (%.250s). public_key must name the public.key "
                 "that `wijkloket-staff keygen` made, never secret.key", where, c->public_key, err.msg);
        return false;
    }
    char id[WL_SEAL_KEY_ID_HEX];
    wl_seal_key_id(pk, id);
    fprintf(stderr, "wijkloket: completed questionnaires are sealed to staff key %s (%s)\n", id, c->public_key);
    /* The secret half beside the public one means this disk can open every record it holds:
     * say so loudly at every start, and on the staff screen (docs/security.md, finding 11). */
    char secret[KCFG_PATH + 32];
    if (kcfg_secret_key_beside(c, secret, sizeof secret))
        fprintf(stderr,
                "wijkloket: WARNING: %s lies beside the public key on this kiosk. Whoever copies this disk can "
                "open every sealed record (with the passphrase). Move secret.key to the staff computer or a USB "
                "stick in a safe (docs/privacy.md, section 4).\n",
                secret);
    return true;
}

static bool file_exists(const char *p)
{
    return access(p, R_OK) == 0;
}

/* A whole number in [lo, hi] from an option value, or false (then nothing is written). */
static bool parse_long(const char *v, long long lo, long long hi, long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (errno || end == v || *end || x < lo || x > hi) return false;
    *out = x;
    return true;
}

static bool parse_seconds(const char *v, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (errno || end == v || *end || !(x >= lo && x <= hi)) return false;
    *out = x;
    return true;
}

#ifdef WL_KIOSK_TEST_HOOKS
/* Test build only (tests/builds_test_only.cmake): reference codes from a counter, so golden
 * screenshots of the result screen stay the same. The real kiosk has no such option. */
static unsigned ref_counter;
static void counter_random(void *ctx, unsigned char *buf, size_t n)
{
    (void)ctx;
    unsigned c = ++ref_counter;
    unsigned char bytes[5] = { 0x57, 0x4c, (unsigned char)(c >> 16), (unsigned char)(c >> 8), (unsigned char)c };
    for (size_t i = 0; i < n; i++) buf[i] = bytes[i % sizeof bytes];
}
#endif

enum { O_CONFIG = 1000, O_DB, O_PUBKEY, O_SCRIPT, O_SHOTS, O_SIZE, O_GOLDEN, O_EPOCH, O_EXIT_AFTER, O_BENCH,
       O_HEADLESS, O_STATS, O_TEST_REFCODES, O_TRACE, O_VERSION };

int main(int argc, char **argv)
{
    /* Before anything else: no core dumps, and freed memory is wiped (citizens' data). */
    wl_err_t harden_err = {{0}};
    if (wl_harden_process(&harden_err) != WL_OK) {
        fprintf(stderr, "wijkloket: %s\n", harden_err.msg);
        return 1;
    }
    const char *config = NULL, *db = NULL, *pubkey = NULL, *script = NULL, *shots = NULL, *size = NULL, *golden = NULL;
    bool headless = false, stats = false, test_refcodes = false, a_trace = false;
    double exit_after = 0;
    long long bench_frames = 0;
    long long epoch = -1;
    static const struct option opts[] = {
        { "config", required_argument, NULL, O_CONFIG },       { "db", required_argument, NULL, O_DB },
        { "public-key", required_argument, NULL, O_PUBKEY },   { "script", required_argument, NULL, O_SCRIPT },
        { "screenshots", required_argument, NULL, O_SHOTS },   { "size", required_argument, NULL, O_SIZE },
        { "golden", required_argument, NULL, O_GOLDEN },       { "exit-after", required_argument, NULL, O_EXIT_AFTER },
        { "bench-frames", required_argument, NULL, O_BENCH },  { "headless", no_argument, NULL, O_HEADLESS },
        { "stats", no_argument, NULL, O_STATS },               { "trace-taps", no_argument, NULL, O_TRACE },
        { "help", no_argument, NULL, 'h' },                    { "version", no_argument, NULL, O_VERSION },
#ifdef WL_KIOSK_TEST_HOOKS
        { "epoch", required_argument, NULL, O_EPOCH },         { "test-refcodes", no_argument, NULL, O_TEST_REFCODES },
#endif
        { NULL, 0, NULL, 0 } };
    int c;
    opterr = 0; /* our own messages below */
    while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
        const char *o = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
        switch (c) {
        case O_CONFIG: config = optarg; break;
        case O_DB: db = optarg; break;
        case O_PUBKEY: pubkey = optarg; break;
        case O_SCRIPT: script = optarg; break;
        case O_SHOTS: shots = optarg; break;
        case O_SIZE: size = optarg; break;
        case O_GOLDEN: golden = optarg; break;
        case O_EPOCH:
            if (!parse_long(optarg, 0, 4102444800LL, &epoch)) {
                fprintf(stderr, "wijkloket: --epoch wants unix seconds (0 to 4102444800), not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_EXIT_AFTER:
            if (!parse_seconds(optarg, 0.001, 86400, &exit_after)) {
                fprintf(stderr, "wijkloket: --exit-after wants seconds (more than 0, at most 86400), not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_BENCH:
            if (!parse_long(optarg, 1, 1000000, &bench_frames)) {
                fprintf(stderr, "wijkloket: --bench-frames wants a whole number from 1 to 1000000, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_HEADLESS: headless = true; break;
        case O_STATS: stats = true; break;
        case O_TEST_REFCODES: test_refcodes = true; break;
        case O_TRACE: a_trace = true; break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: printf("wijkloket %s\n", WL_VERSION); return 0;
        case ':': fprintf(stderr, "wijkloket: %s needs a value\n", o); return 2;
        default: fprintf(stderr, "wijkloket: unknown option %s\n", o); usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "wijkloket: unexpected argument %s\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (script && !headless) {
        fprintf(stderr, "wijkloket: --script needs --headless\n");
        return 2;
    }

    app_t *a = calloc(1, sizeof *a);
    if (!a) return 1;
    a->main_ms = app_since_start_ms();
    a->view = calloc(1, sizeof *a->view);
    a->prev = calloc(1, sizeof *a->prev);
    int rc = 1;
    char msg[1024];
    wl_err_t err = { { 0 } };
    kcfg_defaults(&a->cfg);
    /* Without --config: the kiosk.conf of the checkout or installation we run from
     * (wijkloket/paths.h), with its folders as defaults; relative paths in it start from the
     * checkout root, or from /var/lib/wijkloket when installed. */
    static wl_paths_t paths;
    static char found_conf[WL_PATHS_MAX + 16];
    if (!config) {
        if (wl_paths_find(&paths, &err) != WL_OK) {
            fprintf(stderr, "wijkloket: %s (or give --config)\n", err.msg);
            goto done;
        }
        char dbpath[WL_PATHS_MAX + 16];
        snprintf(dbpath, sizeof dbpath, "%s/wijkloket.db", paths.statedir);
        if (!kcfg_set(&a->cfg, "assets", paths.assets, msg, sizeof msg) ||
            !kcfg_set(&a->cfg, "locale", paths.locale, msg, sizeof msg) ||
            !kcfg_set(&a->cfg, "database", dbpath, msg, sizeof msg)) {
            fprintf(stderr, "wijkloket: %s: %s\n", paths.how, msg);
            goto done;
        }
        snprintf(found_conf, sizeof found_conf, "%s/kiosk.conf", paths.confdir);
        if (chdir(paths.workdir) != 0) {
            fprintf(stderr, "wijkloket: cannot enter %s (%s): %s\n", paths.workdir, paths.how, strerror(errno));
            goto done;
        }
        if (file_exists(found_conf)) config = found_conf;
    }
    if (config && !kcfg_load(&a->cfg, config, msg, sizeof msg)) {
        fprintf(stderr, "wijkloket: %s\n", msg);
        goto done;
    }
    if (db && !kcfg_set(&a->cfg, "database", db, msg, sizeof msg)) { fprintf(stderr, "wijkloket: --db: %s\n", msg); goto done; }
    if (pubkey && !kcfg_set(&a->cfg, "public_key", pubkey, msg, sizeof msg)) {
        fprintf(stderr, "wijkloket: --public-key: %s\n", msg);
        goto done;
    }
    if (!check_public_key(&a->cfg, pubkey != NULL, msg, sizeof msg)) {
        fprintf(stderr, "wijkloket: %s\n", msg);
        goto done;
    }
    if (size && !kcfg_set(&a->cfg, "size", size, msg, sizeof msg)) { fprintf(stderr, "wijkloket: --size: %s\n", msg); goto done; }
    snprintf(a->golden_dir, sizeof a->golden_dir, "%s", golden ? golden : "tests/kiosk/golden");

    char path[1200];
    snprintf(path, sizeof path, "%s/theme/theme.json", a->cfg.assets);
    if (!theme_load(&a->theme, path, msg, sizeof msg)) { fprintf(stderr, "wijkloket: %s\n", msg); goto done; }
    snprintf(path, sizeof path, "%s/questionnaires/entreevragenlijst.json", a->cfg.assets);
    if (wl_questionnaire_load(path, &a->q, &err) != WL_OK) { fprintf(stderr, "wijkloket: %s\n", err.msg); goto done; }
    snprintf(path, sizeof path, "%s/pictograms.json", a->cfg.assets);
    if (wl_pictograms_load(path, &a->pictos, &err) != WL_OK ||
        wl_pictograms_check_questionnaire(a->pictos, a->q, &err) != WL_OK ||
        !ui_pictograms_complete(a->pictos, &err)) {
        fprintf(stderr, "wijkloket: %s\n", err.msg);
        goto done;
    }
    snprintf(path, sizeof path, "%s/rules/routing.json", a->cfg.assets);
    if (wl_rules_load(path, a->q, &a->rules, &err) != WL_OK) { fprintf(stderr, "wijkloket: %s\n", err.msg); goto done; }
    for (int i = 0; i < a->cfg.n_languages; i++)
        if (wl_i18n_load(a->cfg.locale, a->cfg.languages[i], &a->i18n[i], &err) != WL_OK) {
            fprintf(stderr, "wijkloket: %s\n", err.msg);
            goto done;
        }
    if (wl_store_open(a->cfg.database, &a->store, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: %s: %s\n", a->cfg.database, err.msg);
        goto done;
    }
    if (a->cfg.public_key[0] && wl_store_set_seal_key(a->store, a->cfg.public_key, &err) != WL_OK) {
        fprintf(stderr, "wijkloket: public_key %s: %s\n", a->cfg.public_key, err.msg);
        goto done;
    }

    a->loaded_ms = app_since_start_ms();
    int w = a->cfg.width, h = a->cfg.height;
    if (!w || !h) {
        w = a->cfg.portrait ? 1080 : 1920;
        h = a->cfg.portrait ? 1920 : 1080;
        if (!headless && !a->cfg.fullscreen) { /* a desktop window: same shape, half size */
            w /= 2;
            h /= 2;
        }
    }
    if (!plat_open(&a->plat, headless, w, h, a->cfg.fullscreen || a->cfg.kiosk_mode, a->cfg.software, msg, sizeof msg)) {
        fprintf(stderr, "wijkloket: %s\n", msg);
        goto done;
    }
    a->display_ms = app_since_start_ms();
    a->text = text_new(a->plat.ren, a->cfg.font, a->cfg.font_bold, msg, sizeof msg);
    if (!a->text) { fprintf(stderr, "wijkloket: %s\n", msg); goto done; }
    /* The welcome screen names every offered language in its own script, and has pictograms:
     * their fonts are found now, not in the first frame. */
    for (int i = 0; i < a->cfg.n_languages; i++) text_prepare(a->text, wl_i18n_endonym(a->cfg.languages[i]));
    a->icons = icons_new(a->plat.ren, wl_pictograms_family(a->pictos));
    if (!a->icons) { fprintf(stderr, "wijkloket: out of memory\n"); goto done; }
    icons_prepare(a->icons);
    a->fonts_ms = app_since_start_ms();
    /* Partial redraws need a target that keeps its pixels: the software renderer does. */
    a->partial = plat_keeps_pixels(&a->plat) && !getenv("WL_FULL_REDRAW");
    int64_t base = epoch >= 0 ? epoch : (int64_t)time(NULL);
    ui_init(&a->ui, &a->cfg, a->q, a->rules, a->store, a->i18n, a->plat.w, a->plat.h, base);
    a->ui.pictos = a->pictos;
    bool link_failed = false;
    a->ui.booking = server_link_open(&a->cfg, &link_failed, msg, sizeof msg);
    if (link_failed) {
        fprintf(stderr, "wijkloket: %s\n", msg);
        goto done;
    }
#ifdef WL_KIOSK_TEST_HOOKS
    if (test_refcodes && headless) a->ui.env.random = counter_random;
#else
    (void)test_refcodes;
#endif
    a->trace_taps = a_trace;

    double loop_ms = 0, cpu_ms = 0;
    if (headless) {
        rc = script ? script_run(a, script, shots) : 0;
        if (!script) app_frame(a);
        if (bench_frames > 0) bench_typing(a, (long)bench_frames);
    } else {
        app_frame(a);
        plat_watchdog_init();
        plat_watchdog_ready();
        event_loop(a, exit_after, &loop_ms, &cpu_ms);
        rc = 0;
    }
    if (stats) print_stats(a, loop_ms, cpu_ms);

done:
    ui_free(&a->ui); /* releases a hold still open on the server */
    server_link_close();
    icons_free(a->icons);
    text_free(a->text);
    if (a->plat.ren || a->plat.win || a->plat.surf) plat_close(&a->plat);
    icons_shutdown();
    if (a->store) wl_store_close(a->store);
    for (int i = 0; i < KCFG_MAX_LANGS; i++)
        if (a->i18n[i]) wl_i18n_free(a->i18n[i]);
    if (a->rules) wl_rules_free(a->rules);
    if (a->q) wl_questionnaire_free(a->q);
    wl_pictograms_free(a->pictos);
    free(a->view);
    free(a->prev);
    free(a);
    return rc;
}
