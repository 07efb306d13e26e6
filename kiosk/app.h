/* The running kiosk: configuration, core objects, platform, text, theme and UI together. */
#ifndef WLK_APP_H
#define WLK_APP_H

#include <stdint.h>

#include "icons.h"
#include "kconfig.h"
#include "platform.h"
#include "text.h"
#include "theme.h"
#include "ui.h"

#define APP_MAX_FRAMES 4096

typedef struct {
    kcfg_t cfg;
    theme_t theme;
    wl_questionnaire_t *q;
    wl_pictograms_t *pictos; /* assets/pictograms.json */
    icons_t *icons;          /* draws them (the icon font opens on first use) */
    wl_rules_t *rules;
    wl_store_t *store;
    wl_i18n_t *i18n[KCFG_MAX_LANGS];
    plat_t plat;
    text_t *text;
    ui_t ui;
    view_t *view;            /* the last frame's widgets (what is on screen) */
    view_t *prev;            /* the frame before, for partial redraws; NULL when not possible */
    bool prev_valid;         /* prev matches the pixels on the target */
    bool partial;            /* the target keeps its pixels between frames (software renderer) */
    char golden_dir[1024];
    bool trace_taps;         /* print each tap's pixel position and typed text (Xvfb test) */
    /* Figures for --stats and the benchmark. */
    double frame_ms[APP_MAX_FRAMES];
    double frame_cpu_ms[APP_MAX_FRAMES]; /* the same frames in this thread's CPU time (less load-sensitive) */
    const char *frame_screen[APP_MAX_FRAMES]; /* the screen each frame drew (for --stats) */
    int n_frames;
    double first_frame_ms;   /* since process start */
    double main_ms;          /* process start to main() */
    double loaded_ms, display_ms, fonts_ms; /* process start to: core data loaded, display open, fonts open */
} app_t;

/* Builds and draws one frame of the current UI state and presents it; records its time. */
void app_frame(app_t *a);
/* Milliseconds since this process started (from /proc/self/stat and CLOCK_BOOTTIME). */
double app_since_start_ms(void);

/* Replays a script (see docs/kiosk.md); returns 0 when every step passed, 1 otherwise with the
 * reason on stderr naming the script line. */
int script_run(app_t *a, const char *path, const char *outdir);

#endif
