/* Headless scripted sessions: tap, type, wait in virtual time, screenshot, expect, compare. */
#include "app.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "png_io.h"
#include "speech.h"
#include "render.h"

#define MAX_ARGS 6
#define STEP_MS 200 /* virtual time a person needs per action */

typedef struct {
    app_t *a;
    const char *path;
    int line;
    const char *outdir;
    int64_t now;
    char last_ref[16];
    /* remember_layout: the tappable widgets' places, for expect_layout_same. */
    rect_t layout[VIEW_MAX_WIDGETS];
    int layout_action[VIEW_MAX_WIDGETS];
    int n_layout;
} run_t;

static int fail(run_t *r, const char *fmt, const char *arg)
{
    fprintf(stderr, "%s:%d: ", r->path, r->line);
    fprintf(stderr, fmt, arg);
    fprintf(stderr, " (screen: %s)\n", ui_screen_name(r->a->ui.screen));
    return 1;
}

/* Splits a line into words and "quoted strings" (with \" and \\ escapes). */
static int tokenize(char *s, char *argv[MAX_ARGS], char *store, size_t storesz)
{
    int n = 0;
    size_t used = 0;
    while (*s && n < MAX_ARGS) {
        while (isspace((unsigned char)*s)) s++;
        if (!*s || *s == '#') break;
        char *dst = store + used;
        if (*s == '"') {
            s++;
            while (*s && *s != '"' && used + 2 < storesz) {
                if (*s == '\\' && (s[1] == '"' || s[1] == '\\')) s++;
                store[used++] = *s++;
            }
            if (*s != '"') return -1;
            s++;
        } else {
            while (*s && !isspace((unsigned char)*s) && used + 2 < storesz) store[used++] = *s++;
        }
        store[used++] = 0;
        argv[n++] = dst;
    }
    return n;
}

static void remember_ref(run_t *r)
{
    if (r->a->ui.ref[0]) snprintf(r->last_ref, sizeof r->last_ref, "%s", r->a->ui.ref);
}

static void step(run_t *r, const ui_event_t *ev)
{
    ui_step(&r->a->ui, ev, r->now);
    remember_ref(r);
}

/* Moves virtual time forward, ticking at every deadline the UI asks for on the way. */
static void advance(run_t *r, int64_t ms)
{
    int64_t target = r->now + ms;
    ui_event_t tick = { .type = UI_EV_TICK };
    for (int guard = 0; guard < 100000; guard++) {
        int64_t dl = ui_next_deadline(&r->a->ui);
        if (dl < 0 || dl > target) break;
        if (dl > r->now) r->now = dl;
        step(r, &tick);
        if (ui_next_deadline(&r->a->ui) == dl) break; /* no progress: stop */
    }
    r->now = target;
    step(r, &tick);
}

static bool parse_duration(const char *s, int64_t *ms)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0) return false;
    if (!strcmp(end, "s")) *ms = (int64_t)(v * 1000);
    else if (!strcmp(end, "ms")) *ms = (int64_t)v;
    else if (!strcmp(end, "min")) *ms = (int64_t)(v * 60000);
    else if (!strcmp(end, "h")) *ms = (int64_t)(v * 3600000);
    else if (!strcmp(end, "d")) *ms = (int64_t)(v * 86400000);
    else return false;
    return true;
}

static bool on_screen(const view_t *v, const char *text)
{
    for (int i = 0; i < v->n; i++) {
        const widget_t *w = &v->wd[i];
        if ((w->text && strstr(w->text, text)) || (w->sub && strstr(w->sub, text))) return true;
    }
    return false;
}

/* A tap as a person makes it: they look at a control that just appeared before touching it,
 * so the tap waits until the kiosk's tap guard of that control has passed (quick: no waiting
 * beyond STEP_MS / 2, as a hurried person taps). With second set, a second tap follows 150 ms
 * later at the same place, the way a double tap does (no waiting). */
static void tap_at(run_t *r, int x, int y, bool twice, bool quick)
{
    if (r->a->trace_taps) printf("click %d %d\n", x, y);
    advance(r, quick ? STEP_MS / 2 : STEP_MS);
    int64_t wait = quick ? 0 : ui_tap_wait_ms(&r->a->ui, x, y);
    if (wait > 0) advance(r, wait);
    ui_event_t e = { .type = UI_EV_DOWN, .x = x, .y = y };
    step(r, &e);
    r->now += 80;
    e.type = UI_EV_UP;
    step(r, &e);
    if (!twice) return;
    if (r->a->trace_taps) printf("click %d %d\n", x, y);
    r->now += 70;
    e.type = UI_EV_DOWN;
    step(r, &e);
    r->now += 80;
    e.type = UI_EV_UP;
    step(r, &e);
}

static const widget_t *find_button(const view_t *v, const char *label)
{
    /* The top-most exact match wins (a dialog over a screen); then a substring. Buttons that do
     * nothing (not yet available) can be tapped too: the test then shows that nothing happens. */
    for (int i = v->n - 1; i >= v->modal_from; i--)
        if (v->wd[i].kind == W_BUTTON && v->wd[i].text && !strcmp(v->wd[i].text, label)) return &v->wd[i];
    for (int i = v->n - 1; i >= v->modal_from; i--)
        if (v->wd[i].kind == W_BUTTON && v->wd[i].sub && !strcmp(v->wd[i].sub, label)) return &v->wd[i];
    for (int i = v->n - 1; i >= v->modal_from; i--)
        if (v->wd[i].kind == W_BUTTON && v->wd[i].text && strstr(v->wd[i].text, label)) return &v->wd[i];
    return NULL;
}

/* The n-th (from 1, in the screen's order: top to bottom) button labelled exactly label: the
 * "Ja" of the second question on a screen of several yes/no questions. */
static const widget_t *find_nth_button(const view_t *v, const char *label, int n)
{
    for (int i = v->modal_from; i < v->n; i++)
        if (v->wd[i].kind == W_BUTTON && v->wd[i].text && !strcmp(v->wd[i].text, label) && --n == 0) return &v->wd[i];
    return NULL;
}

static bool save_png(run_t *r, const char *name, char *path, size_t pathsz, uint8_t **keep)
{
    char msg[512];
    uint8_t *px = plat_read_rgba(&r->a->plat);
    if (!px) return false;
    snprintf(path, pathsz, "%s/%s.png", r->outdir, name);
    bool ok = png_write_rgba(path, px, r->a->plat.w, r->a->plat.h, r->a->plat.w * 4, msg, sizeof msg);
    if (!ok) fprintf(stderr, "%s:%d: %s\n", r->path, r->line, msg);
    if (keep) *keep = px;
    else free(px);
    return ok;
}

/* Writes the current screen's spoken text and, when the language has an espeak-ng voice, its
 * synthesised speech. Without a voice (Tigrinya) the .txt says so and no .wav is written. */
static int speak(run_t *r, const char *name)
{
    static char text[16384];
    char path[1200], msg[256];
    ui_speech_text(&r->a->ui, r->a->view, text, sizeof text);
    const char *lang = wl_i18n_lang(r->a->ui.i18n[r->a->ui.lang]);
    snprintf(path, sizeof path, "%s/%s.txt", r->outdir, name);
    FILE *f = fopen(path, "w");
    if (!f) return fail(r, "speak: cannot write %s", path);
    fputs(text, f);
    fclose(f);
    if (!speech_voice(lang)) return 0;
    int16_t *pcm;
    size_t n;
    int rate;
    if (!speech_synth(lang, text, 100, &pcm, &n, &rate, msg, sizeof msg)) return fail(r, "speak: %s", msg);
    snprintf(path, sizeof path, "%s/%s.wav", r->outdir, name);
    bool ok = speech_write_wav(path, pcm, n, rate);
    free(pcm);
    return ok ? 0 : fail(r, "speak: cannot write %s", path);
}

/* Per-channel difference above this counts a pixel as changed; more than 0.5% changed fails. */
#define PIX_TOL 40
#define MAX_BAD_PERMILLE 5

static int compare(run_t *r, const char *name)
{
    char golden[1200], shot[1200], msg[600];
    snprintf(golden, sizeof golden, "%s/%s.png", r->a->golden_dir, name);
    uint8_t *px = NULL;
    if (!save_png(r, name, shot, sizeof shot, &px)) return fail(r, "compare %s: cannot write the screenshot", name);
    const char *upd = getenv("WL_UPDATE_GOLDEN");
    if (upd && !strcmp(upd, "1")) {
        bool ok = png_write_rgba(golden, px, r->a->plat.w, r->a->plat.h, r->a->plat.w * 4, msg, sizeof msg);
        free(px);
        if (!ok) return fail(r, "compare: %s", msg);
        fprintf(stderr, "%s:%d: golden %s refreshed\n", r->path, r->line, golden);
        return 0;
    }
    uint8_t *gp = NULL;
    int gw, gh;
    if (!png_read_rgba(golden, &gp, &gw, &gh, msg, sizeof msg)) {
        free(px);
        fprintf(stderr, "%s:%d: compare %s: %s (make it with WL_UPDATE_GOLDEN=1)\n", r->path, r->line, name, msg);
        return 1;
    }
    int w = r->a->plat.w, h = r->a->plat.h;
    int rc = 0;
    if (gw != w || gh != h) {
        snprintf(msg, sizeof msg, "%dx%d but the golden is %dx%d", w, h, gw, gh);
        rc = fail(r, "compare: size differs: %s", msg);
    } else {
        long bad = 0;
        uint8_t *err = malloc((size_t)w * (size_t)h * 4);
        for (long i = 0; i < (long)w * h; i++) {
            int d = 0;
            for (int c = 0; c < 3; c++) {
                int dd = abs(px[i * 4 + c] - gp[i * 4 + c]);
                if (dd > d) d = dd;
            }
            bool diff = d > PIX_TOL;
            bad += diff;
            if (err) {
                /* The error image: the golden faded, differing pixels in red. */
                uint8_t g = (uint8_t)(gp[i * 4] / 3 + 170);
                err[i * 4] = diff ? 255 : g;
                err[i * 4 + 1] = diff ? 0 : g;
                err[i * 4 + 2] = diff ? 0 : g;
                err[i * 4 + 3] = 255;
            }
        }
        if (bad * 1000 > (long)w * h * MAX_BAD_PERMILLE) {
            char ep[1200];
            snprintf(ep, sizeof ep, "%s/%s_err.png", r->outdir, name);
            if (err) png_write_rgba(ep, err, w, h, w * 4, msg, sizeof msg);
            fprintf(stderr, "%s:%d: compare %s failed: %ld of %ld pixels differ from %s; see %s\n", r->path, r->line,
                    name, bad, (long)w * h, golden, ep);
            rc = 1;
        }
        free(err);
    }
    free(px);
    free(gp);
    return rc;
}

/* Voorlezen and Hulp vragen are found by their picture too (issue 16): each of them on the
 * frame has a pictogram inside its box. Returns a message or NULL. */
static const char *pictogram_problem(const app_t *a, char *buf, size_t n)
{
    const view_t *v = a->view;
    for (int i = 0; i < v->n; i++) {
        const widget_t *b = &v->wd[i];
        if (b->kind != W_BUTTON || (b->action != A_VOORLEZEN && b->action != A_HELP_REQUEST)) continue;
        bool has = false;
        for (int j = 0; j < v->n && !has; j++) {
            const widget_t *w = &v->wd[j];
            has = w->kind == W_ICON && w->r.x >= b->r.x && w->r.y >= b->r.y && w->r.x + w->r.w <= b->r.x + b->r.w &&
                  w->r.y + w->r.h <= b->r.y + b->r.h;
        }
        if (!has) {
            snprintf(buf, n, "button \"%.60s\" has no pictogram", b->text ? b->text : "");
            return buf;
        }
    }
    return NULL;
}

/* WCAG contrast of every widget of the frame, from the theme and the colours each style paints:
 * text at least 4.5:1 against what is under it (its own box, or the panel or page beneath), and
 * each control (button or field) at least 3:1 against its surroundings by its fill or its border
 * (WCAG 1.4.11; a greyed control that does nothing is exempt). Returns a message or NULL. */
static const char *contrast_problem(const app_t *a, char *buf, size_t n)
{
    const view_t *v = a->view;
    const theme_t *th = &a->theme;
    for (int i = 0; i < v->n; i++) {
        const widget_t *w = &v->wd[i];
        tcolor_t fg, bg, ufg, ubg;
        bool box, border, ubox, uborder;
        render_style_roles(w->style, &fg, &bg, &box, &border);
        /* What is painted under w: the last earlier box or panel that contains it. */
        tcolor_t under = TC_BACKGROUND;
        for (int j = i - 1; j >= 0; j--) {
            const widget_t *u = &v->wd[j];
            if (u->kind != W_PANEL && u->kind != W_BUTTON && u->kind != W_FIELD) continue;
            if (u->r.x > w->r.x || u->r.y > w->r.y || u->r.x + u->r.w < w->r.x + w->r.w || u->r.y + u->r.h < w->r.y + w->r.h)
                continue;
            render_style_roles(u->style, &ufg, &ubg, &ubox, &uborder);
            under = ubg;
            break;
        }
        const char *what = w->text ? w->text : "(panel)";
        if (w->kind == W_TEXT && w->text && *w->text) {
            double c = theme_contrast(th->c[fg], th->c[under]);
            if (c < 4.5) {
                snprintf(buf, n, "text \"%.60s\": %s on %s is %.2f:1 (needs 4.5)", what, theme_name(fg), theme_name(under), c);
                return buf;
            }
        }
        if (w->kind == W_BUTTON || w->kind == W_FIELD) {
            if (w->text && *w->text && theme_contrast(th->c[fg], th->c[bg]) < 4.5) {
                snprintf(buf, n, "control \"%.60s\": text %s on %s is %.2f:1 (needs 4.5)", what, theme_name(fg), theme_name(bg),
                         theme_contrast(th->c[fg], th->c[bg]));
                return buf;
            }
            double edge = theme_contrast(th->c[bg], th->c[under]);
            if (border && theme_contrast(th->c[TC_OPTION_BORDER], th->c[under]) > edge)
                edge = theme_contrast(th->c[TC_OPTION_BORDER], th->c[under]);
            if (w->style != S_DISABLED && edge < 3.0) {
                snprintf(buf, n, "control \"%.60s\": its edge against %s is %.2f:1 (needs 3)", what, theme_name(under), edge);
                return buf;
            }
        }
        /* A pictogram is a graphic: 3:1 against what it is drawn on (WCAG 1.4.11). */
        if (w->kind == W_ICON && theme_contrast(th->c[fg], th->c[under]) < 3.0) {
            snprintf(buf, n, "pictogram U+%04X: %s on %s is %.2f:1 (needs 3)", w->icon, theme_name(fg), theme_name(under),
                     theme_contrast(th->c[fg], th->c[under]));
            return buf;
        }
        if (w->kind == W_BAR && theme_contrast(th->c[TC_PROGRESS], th->c[TC_PROGRESS_TRACK]) < 3.0) {
            snprintf(buf, n, "progress bar: %.2f:1 against its track (needs 3)", theme_contrast(th->c[TC_PROGRESS], th->c[TC_PROGRESS_TRACK]));
            return buf;
        }
    }
    return NULL;
}

static int expect_record(run_t *r, const char *field, const char *want)
{
    if (!r->last_ref[0]) return fail(r, "expect_record %s: nothing was saved in this run", field);
    json_t *rec = NULL;
    wl_err_t err = { { 0 } };
    if (wl_store_get_intake(r->a->store, r->last_ref, &rec, &err) != WL_OK)
        return fail(r, "expect_record: cannot read the saved intake: %s", err.msg);
    json_t *v = json_object_get(rec, field);
    int rc = 0;
    if (!want) {
        if (v && !json_is_null(v)) rc = fail(r, "expect_record %s: expected no value", field);
    } else if (!json_is_string(v) || strcmp(json_string_value(v), want)) {
        char got[300];
        snprintf(got, sizeof got, "%s is %s, expected %s", field, json_is_string(v) ? json_string_value(v) : "(none)", want);
        rc = fail(r, "expect_record: %s", got);
    }
    json_decref(rec);
    return rc;
}

static int run_line(run_t *r, int argc, char **argv)
{
    app_t *a = r->a;
    const char *cmd = argv[0];
    bool twice = !strcmp(cmd, "doubletap"), quick = !strcmp(cmd, "quicktap");
    if ((twice || quick || !strcmp(cmd, "tap")) && argc == 3 && isdigit((unsigned char)argv[1][0])) {
        tap_at(r, atoi(argv[1]), atoi(argv[2]), twice, quick);
    } else if ((twice || quick || !strcmp(cmd, "tap")) && argc == 3 && isdigit((unsigned char)argv[2][0])) {
        const widget_t *w = find_nth_button(a->view, argv[1], atoi(argv[2]));
        if (!w) return fail(r, "tap: no button \"%s\" of that number on screen", argv[1]);
        tap_at(r, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2, twice, quick);
    } else if ((twice || quick || !strcmp(cmd, "tap")) && argc == 2) {
        const widget_t *w = find_button(a->view, argv[1]);
        if (!w) return fail(r, "tap: no button \"%s\" on screen", argv[1]);
        tap_at(r, w->r.x + w->r.w / 2, w->r.y + w->r.h / 2, twice, quick);
    } else if (!strcmp(cmd, "longpress") && (argc == 3 || argc == 4)) {
        int64_t ms = 2500;
        if (argc == 4 && !parse_duration(argv[3], &ms)) return fail(r, "longpress: bad duration %s", argv[3]);
        advance(r, STEP_MS);
        ui_event_t e = { .type = UI_EV_DOWN, .x = atoi(argv[1]), .y = atoi(argv[2]) };
        step(r, &e);
        advance(r, ms);
        e.type = UI_EV_UP;
        step(r, &e);
    } else if (!strcmp(cmd, "type") && argc == 2) {
        if (a->trace_taps) printf("type %s\n", argv[1]);
        for (const char *p = argv[1]; *p;) {
            ui_event_t e = { .type = UI_EV_TEXT };
            /* One UTF-8 character is at most 4 bytes; stray continuation bytes beyond that (a
             * broken or hostile script) go as characters of their own, never past e.text. */
            _Static_assert(sizeof e.text > 4, "a UTF-8 character must fit");
            size_t n = 1;
            while (n < 4 && p[n] && ((unsigned char)p[n] & 0xC0) == 0x80) n++;
            memcpy(e.text, p, n);
            p += n;
            advance(r, STEP_MS / 2);
            step(r, &e);
        }
    } else if (!strcmp(cmd, "key") && argc == 2) {
        ui_event_t e = { .type = UI_EV_KEY };
        if (!strcmp(argv[1], "Return")) e.key = UI_KEY_RETURN;
        else if (!strcmp(argv[1], "Backspace")) e.key = UI_KEY_BACKSPACE;
        else if (!strcmp(argv[1], "Escape")) e.key = UI_KEY_ESCAPE;
        else if (!strcmp(argv[1], "Alt+F4")) e.key = UI_KEY_ALT_F4;
        else if (!strcmp(argv[1], "Quit")) e.type = UI_EV_QUIT;
        else return fail(r, "key: unknown key %s (Return, Backspace, Escape, Alt+F4, Quit)", argv[1]);
        if (a->trace_taps) printf("key %s\n", argv[1]);
        advance(r, STEP_MS);
        step(r, &e);
    } else if (!strcmp(cmd, "wait") && argc == 2) {
        int64_t ms;
        if (!parse_duration(argv[1], &ms)) return fail(r, "wait: give a time like 61s, 500ms, 2h or 31d, not %s", argv[1]);
        advance(r, ms);
    } else if (!strcmp(cmd, "screenshot") && argc == 2) {
        char p[1200];
        app_frame(a);
        if (!save_png(r, argv[1], p, sizeof p, NULL)) return 1;
        return 0;
    } else if (!strcmp(cmd, "compare") && argc == 2) {
        app_frame(a);
        return compare(r, argv[1]);
    } else if (!strcmp(cmd, "speak") && argc == 2) {
        /* Voorlezen, headless: what the screen reads aloud (NAME.txt) and its speech (NAME.wav). */
        app_frame(a);
        return speak(r, argv[1]);
    } else if (!strcmp(cmd, "expect") && argc == 2) {
        app_frame(a);
        if (!on_screen(a->view, argv[1])) return fail(r, "expect: \"%s\" is not on screen", argv[1]);
    } else if (!strcmp(cmd, "expect_code") && argc == 1) {
        /* The reference code of the intake saved in this run is on screen (the code to call with). */
        app_frame(a);
        if (!r->last_ref[0]) return fail(r, "expect_code: nothing was saved in this run", "");
        if (!on_screen(a->view, r->last_ref)) return fail(r, "expect_code: %s is not on screen", r->last_ref);
    } else if (!strcmp(cmd, "expect_not") && argc == 2) {
        app_frame(a);
        if (on_screen(a->view, argv[1])) return fail(r, "expect_not: \"%s\" is on screen", argv[1]);
    } else if (!strcmp(cmd, "remember_layout") && argc == 1) {
        app_frame(a);
        r->n_layout = 0;
        for (int i = 0; i < a->view->n; i++)
            if (a->view->wd[i].action) {
                r->layout[r->n_layout] = a->view->wd[i].r;
                r->layout_action[r->n_layout++] = a->view->wd[i].action;
            }
    } else if (!strcmp(cmd, "expect_layout_same") && argc == 1) {
        /* Every control is where it was at remember_layout: a message did not push anything. */
        app_frame(a);
        int k = 0;
        for (int i = 0; i < a->view->n; i++) {
            const widget_t *w = &a->view->wd[i];
            if (!w->action) continue;
            if (k >= r->n_layout || w->action != r->layout_action[k] || memcmp(&w->r, &r->layout[k], sizeof w->r)) {
                char what[160];
                snprintf(what, sizeof what, "\"%s\" at %d,%d %dx%d", w->text ? w->text : "?", w->r.x, w->r.y, w->r.w, w->r.h);
                return fail(r, "expect_layout_same: %s moved or is new since remember_layout", what);
            }
            k++;
        }
        if (k != r->n_layout) return fail(r, "expect_layout_same: %s controls disappeared", "some");
    } else if (!strcmp(cmd, "expect_screen") && argc == 2) {
        if (strcmp(ui_screen_name(a->ui.screen), argv[1])) return fail(r, "expect_screen: not on %s", argv[1]);
    } else if (!strcmp(cmd, "expect_stored") && argc == 2) {
        int64_t n = wl_store_count_intakes(a->store);
        if (n != atoll(argv[1])) {
            char got[64];
            snprintf(got, sizeof got, "%lld", (long long)n);
            return fail(r, "expect_stored: the store holds %s intakes", got);
        }
    } else if ((!strcmp(cmd, "expect_event") || !strcmp(cmd, "expect_no_event")) && argc == 2) {
        bool want = !strcmp(cmd, "expect_event");
        json_t *ev = NULL;
        wl_err_t err = { { 0 } };
        if (wl_store_open_events(a->store, &ev, &err) != WL_OK) return fail(r, "expect_event: %s", err.msg);
        bool found = false;
        size_t i;
        json_t *e;
        json_array_foreach(ev, i, e) {
            const char *kind = json_string_value(json_object_get(e, "kind"));
            if (kind && !strcmp(kind, argv[1])) found = true;
        }
        json_decref(ev);
        if (want && !found) return fail(r, "expect_event: no open %s event in the store", argv[1]);
        if (!want && found) return fail(r, "expect_no_event: there is an open %s event in the store", argv[1]);
    } else if (!strcmp(cmd, "expect_record") && argc == 3) {
        return expect_record(r, argv[1], argv[2]);
    } else if (!strcmp(cmd, "expect_record_none") && argc == 2) {
        return expect_record(r, argv[1], NULL);
    } else if (!strcmp(cmd, "signal") && argc == 2) {
        /* Test synchronisation with a shell around the replay: create DIR/NAME. */
        char p[1200];
        snprintf(p, sizeof p, "%s/%s", r->outdir, argv[1]);
        FILE *sf = fopen(p, "w");
        if (!sf) return fail(r, "signal: cannot create %s", p);
        fclose(sf);
    } else if (!strcmp(cmd, "pause_until") && argc == 2) {
        /* Waits in real time (at most 60 s) until DIR/NAME exists; virtual time stands still. */
        char p[1200];
        snprintf(p, sizeof p, "%s/%s", r->outdir, argv[1]);
        int waited = 0;
        while (access(p, F_OK) != 0) {
            if (waited >= 60000) return fail(r, "pause_until: %s did not appear within 60 s", p);
            struct timespec ts = { 0, 50 * 1000000L };
            nanosleep(&ts, NULL);
            waited += 50;
        }
    } else if (!strcmp(cmd, "expect_running") && argc == 1) {
        if (a->ui.quit) return fail(r, "expect_running: the kiosk wants to %s", "quit");
    } else if (!strcmp(cmd, "expect_quit") && argc == 1) {
        if (!a->ui.quit) return fail(r, "expect_quit: the kiosk is %s", "still running");
    } else {
        return fail(r, "unknown or malformed command: %s", cmd);
    }
    app_frame(a); /* keep the widget list current for the next tap "Label" */
    /* Every frame a replay reaches is checked for contrast and pictograms, so every screen is. */
    char why[300];
    if (contrast_problem(a, why, sizeof why)) return fail(r, "contrast: %s", why);
    if (pictogram_problem(a, why, sizeof why)) return fail(r, "pictogram: %s", why);
    return 0;
}

int script_run(app_t *a, const char *path, const char *outdir)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "wijkloket: cannot open script %s: %s\n", path, strerror(errno));
        return 1;
    }
    if (outdir && mkdir(outdir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "wijkloket: cannot create %s: %s\n", outdir, strerror(errno));
        fclose(f);
        return 1;
    }
    run_t r = { .a = a, .path = path, .outdir = outdir ? outdir : "." };
    char line[2048], store[2048];
    int rc = 0;
    app_frame(a);
    while (fgets(line, sizeof line, f)) {
        r.line++;
        char *argv[MAX_ARGS];
        int argc = tokenize(line, argv, store, sizeof store);
        if (argc < 0) { rc = fail(&r, "unclosed quote%s", ""); break; }
        if (argc == 0) continue;
        if ((rc = run_line(&r, argc, argv)) != 0) break;
    }
    fclose(f);
    if (rc == 0) fprintf(stderr, "%s: all %d lines passed\n", path, r.line);
    return rc;
}
