/* Text: a font per script through fontconfig (loaded on first use), FriBidi direction runs
 * shaped by HarfBuzz, glyphs from FreeType (glyphs.c), a bounded LRU cache of drawn lines,
 * wrapping. */
#include "text.h"

#include "glyphs.h"
#include "lru.h"

#include <fontconfig/fontconfig.h>
#include <fribidi.h>
#include <hb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FACES 8
#define CACHE_BUCKETS 1024
#define CACHE_MAX_ENTRIES 600
#define CACHE_MAX_PIXELS (2560L * 1024) /* ~10 MB of RGBA: a screen or two of text; more costs RSS for little */
#define MAX_LINES 24
#define MAX_CPS 512   /* code points in one line: longer lines are cut (a line is at most a screen wide) */
#define MAX_RUNS 64
#define NO_FACE_MEMO 32

/* The faces Wijkloket knows it needs, found lazily: a Dutch screen never opens the Arabic or
 * Ethiopic font. Further faces come from fontconfig's charset search for a code point that
 * none of these covers. */
enum { FACE_MAIN, FACE_ARABIC, FACE_ETHIOPIC, FACE_FIXED };
static const char *const FACE_FAMILY[FACE_FIXED] = { "Noto Sans", "Noto Sans Arabic", "Noto Sans Ethiopic" };

typedef struct {
    char path[2][1024]; /* regular, bold */
    bool tried, ok;
    void *data[2]; /* the font file, read once: every size opens from memory, not the disk */
    size_t size[2];
    hb_font_t *hb[2]; /* HarfBuzz on the same bytes, for measuring at any size */
    /* glyphs.c's number for each weight's file, plus one (0: not added yet). One FreeType face
     * serves every size: opening an SDL_ttf font per size, as before, cost about 1 ms each
     * (FreeType's autohinter and HarfBuzz's layout tables are built per font). */
    int gfont[2];
} face_t;

typedef struct entry {
    lru_node_t lru;              /* first: the LRU list's node is the entry */
    struct entry *hnext;         /* hash chain */
    uint32_t hash;
    int size;
    bool bold, rtl;
    uint32_t rgba;
    char *str;
    SDL_Texture *tex;   /* a renderer that draws on a GPU: the line as a texture */
    glyph_pos_t *gl;    /* the software renderer: the line's glyphs, drawn straight onto its surface */
    int ng;
    int w, h, asc;
} entry_t;

/* A wrapped layout remembered per (string, size, box), so a frame skips the measuring. */
#define LAYOUT_SLOTS 512
typedef struct {
    char *str;
    int size, w, h;
    bool bold, rtl, ui_rtl; /* rtl: the paragraph's direction; ui_rtl: the interface's when laid out */
    int n, sz, lh, asc; /* lines, the size they fit at, line height and the main font's ascent there */
    char *lines; /* n lines joined by '\n' */
} layout_t;

/* Widths of short strings (the words wrapping measures), remembered per size and weight:
 * shaping a word costs a HarfBuzz call, and the same words come back on every screen. */
#define WIDTH_SLOTS 4096
#define WIDTH_MAX_LEN 48
typedef struct {
    char str[WIDTH_MAX_LEN];
    int size, w;
    bool bold, ui_rtl, used;
} width_t;

struct text {
    layout_t layouts[LAYOUT_SLOTS];
    width_t widths[WIDTH_SLOTS];
    long width_hits, width_misses;
    SDL_Renderer *ren;
    SDL_Surface *target; /* the software renderer's own surface, or NULL */
    face_t faces[MAX_FACES];
    int n_faces;
    uint32_t no_face[NO_FACE_MEMO]; /* code points no installed font has: asked fontconfig once */
    int n_no_face;
    bool rtl; /* the interface language is right to left */
    hb_buffer_t *hb_buf;
    glyphs_t *glyphs;
    entry_t *buckets[CACHE_BUCKETS];
    lru_list_t lru;
    int entries;
    long pixels;
    long hits, misses;
};

/* Fontconfig's file for pattern; with cp > 0 only a font whose charset holds cp. */
static bool fc_find(const char *pattern, uint32_t cp, char *out, size_t outsz)
{
    bool ok = false;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return false;
    FcCharSet *want = NULL;
    if (cp) {
        want = FcCharSetCreate();
        FcCharSetAddChar(want, cp);
        FcPatternAddCharSet(pat, FC_CHARSET, want);
    }
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *file = NULL;
    FcCharSet *has = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        (!cp || (FcPatternGetCharSet(match, FC_CHARSET, 0, &has) == FcResultMatch && FcCharSetHasChar(has, cp)))) {
        snprintf(out, outsz, "%s", (const char *)file);
        ok = true;
    }
    if (match) FcPatternDestroy(match);
    if (want) FcCharSetDestroy(want);
    FcPatternDestroy(pat);
    return ok;
}

/* A code point every script's font should draw as itself: spaces, digits, punctuation. These
 * stay in the run around them so "رمز 12" is not cut into three fonts. */
static bool neutral_cp(uint32_t cp)
{
    return cp < 0x80 ? !((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') : (cp >= 0x2000 && cp <= 0x206F) || cp == 0xA0;
}

/* Marks and joiners belong to the letter before them, whatever font that letter has. */
static bool joins_previous(uint32_t cp)
{
    return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x064B && cp <= 0x065F) || cp == 0x0670 ||
           (cp >= 0x06D6 && cp <= 0x06ED) || (cp >= 0x135D && cp <= 0x135F) || cp == 0x200C || cp == 0x200D ||
           (cp >= 0xFE00 && cp <= 0xFE0F);
}

static bool arabic_cp(uint32_t cp)
{
    return (cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF) ||
           (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF);
}

static bool ethiopic_cp(uint32_t cp)
{
    return (cp >= 0x1200 && cp <= 0x139F) || (cp >= 0x2D80 && cp <= 0x2DDF) || (cp >= 0xAB00 && cp <= 0xAB2F) ||
           (cp >= 0x1E7E0 && cp <= 0x1E7FF);
}

/* Characters that can make a line right to left: only then is FriBidi needed at all. */
static bool rtl_cp(uint32_t cp)
{
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFEFF) || cp == 0x200F || cp == 0x202B ||
           cp == 0x202E || cp == 0x2067 || (cp >= 0x10800 && cp <= 0x10FFF) || (cp >= 0x1E800 && cp <= 0x1EFFF);
}

/* The ISO 15924 tag HarfBuzz shapes a run with. */
static const char *script_of(uint32_t cp)
{
    if (arabic_cp(cp)) return "Arab";
    if (ethiopic_cp(cp)) return "Ethi";
    if (cp >= 0x0400 && cp <= 0x052F) return "Cyrl";
    if (cp >= 0x0370 && cp <= 0x03FF) return "Grek";
    if (cp >= 0x0590 && cp <= 0x05FF) return "Hebr";
    return "Latn";
}

static int utf8_decode(const char *s, size_t len, uint32_t *out, uint32_t *off, int max)
{
    int n = 0;
    size_t i = 0;
    while (i < len && n < max) {
        const unsigned char *p = (const unsigned char *)s + i;
        uint32_t cp;
        int extra;
        if (p[0] < 0x80) { cp = p[0]; extra = 0; }
        else if ((p[0] & 0xE0) == 0xC0) { cp = p[0] & 0x1F; extra = 1; }
        else if ((p[0] & 0xF0) == 0xE0) { cp = p[0] & 0x0F; extra = 2; }
        else if ((p[0] & 0xF8) == 0xF0) { cp = p[0] & 0x07; extra = 3; }
        else { cp = 0xFFFD; extra = 0; }
        int k = 1;
        for (; k <= extra && i + (size_t)k < len && (p[k] & 0xC0) == 0x80; k++) cp = (cp << 6) | (p[k] & 0x3F);
        if (k <= extra) cp = 0xFFFD;
        out[n] = cp;
        off[n] = (uint32_t)i;
        n++;
        i += (size_t)k;
    }
    off[n] = (uint32_t)(i < len ? i : len);
    return n;
}

static void face_set(face_t *f, const char *regular, const char *bold)
{
    snprintf(f->path[0], sizeof f->path[0], "%s", regular);
    snprintf(f->path[1], sizeof f->path[1], "%s", bold);
    f->tried = f->ok = true;
}

/* Finds one of the known faces on first use; false when fontconfig has no such font. */
static bool face_ready(text_t *t, int i)
{
    face_t *f = &t->faces[i];
    if (f->tried) return f->ok;
    f->tried = true;
    static const uint32_t probe[FACE_FIXED] = { 'a', 0x0628, 0x1200 };
    char pat[2][128];
    snprintf(pat[0], sizeof pat[0], "%s:style=Regular", FACE_FAMILY[i]);
    snprintf(pat[1], sizeof pat[1], "%s:style=Bold", FACE_FAMILY[i]);
    f->ok = fc_find(pat[0], probe[i], f->path[0], sizeof f->path[0]) &&
            fc_find(pat[1], probe[i], f->path[1], sizeof f->path[1]);
    return f->ok;
}

/* The face's font file in memory (read once; NULL when it cannot be read). */
static void *face_data(text_t *t, int face, bool bold)
{
    face_t *fc = &t->faces[face];
    int b = bold ? 1 : 0;
    if (!fc->ok) return NULL;
    if (!fc->data[b]) fc->data[b] = SDL_LoadFile(fc->path[b], &fc->size[b]);
    return fc->data[b];
}

/* HarfBuzz's font for a face and weight, found and made on first use; its scale is set per
 * measurement. One per face serves every size: its layout tables and shape plans are built
 * once. */
static hb_font_t *face_hb(text_t *t, int face, bool bold)
{
    face_t *fc = &t->faces[face];
    int b = bold ? 1 : 0;
    if (fc->hb[b]) return fc->hb[b];
    if (!face_ready(t, face) || !face_data(t, face, bold)) return NULL;
    hb_blob_t *blob = hb_blob_create(fc->data[b], (unsigned)fc->size[b], HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *hf = hb_face_create(blob, 0);
    fc->hb[b] = hb_font_create(hf);
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
    return fc->hb[b];
}

static int face_font(text_t *t, int face, bool bold, char *msg, size_t msgsz);

text_t *text_new(SDL_Renderer *ren, const char *regular, const char *bold, char *msg, size_t msgsz)
{
    text_t *t = calloc(1, sizeof *t);
    if (!t) { snprintf(msg, msgsz, "out of memory"); return NULL; }
    t->ren = ren;
    t->n_faces = FACE_FIXED;
    t->hb_buf = hb_buffer_create();
    t->glyphs = glyphs_new();
    if (!hb_buffer_allocation_successful(t->hb_buf) || !t->glyphs) {
        snprintf(msg, msgsz, "out of memory, or FreeType could not start");
        text_free(t);
        return NULL;
    }
    const char *given[2] = { regular, bold };
    const char *pattern[2] = { "Noto Sans:style=Regular", "Noto Sans:style=Bold" };
    face_t *m = &t->faces[FACE_MAIN];
    m->tried = m->ok = true;
    for (int i = 0; i < 2; i++) {
        if (given[i] && given[i][0]) snprintf(m->path[i], sizeof m->path[i], "%s", given[i]);
        else if (!fc_find(pattern[i], 0, m->path[i], sizeof m->path[i])) {
            snprintf(msg, msgsz, "fontconfig found no font for \"%s\"; install fonts-noto-core or set font = /path/to/font.ttf", pattern[i]);
            text_free(t);
            return NULL;
        }
    }
    /* Open once now so a bad path is reported at start, not on the first frame. */
    for (int i = 0; i < 2; i++) {
        char why[200];
        if (face_font(t, FACE_MAIN, i == 1, why, sizeof why) < 0) {
            snprintf(msg, msgsz, "cannot open font %s: %s", m->path[i], why);
            text_free(t);
            return NULL;
        }
    }
    return t;
}

void text_set_rtl(text_t *t, bool rtl)
{
    t->rtl = rtl;
}

static void entry_destroy(text_t *t, entry_t *e)
{
    entry_t **pp = &t->buckets[e->hash % CACHE_BUCKETS];
    while (*pp && *pp != e) pp = &(*pp)->hnext;
    if (*pp) *pp = e->hnext;
    lru_unlink(&t->lru, &e->lru);
    t->entries--;
    t->pixels -= (long)e->w * e->h;
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->gl);
    free(e->str);
    free(e);
}

void text_free(text_t *t)
{
    if (!t) return;
    while (t->lru.head) entry_destroy(t, (entry_t *)t->lru.head);
    for (int i = 0; i < LAYOUT_SLOTS; i++) {
        free(t->layouts[i].str);
        free(t->layouts[i].lines);
    }
    glyphs_free(t->glyphs);
    if (t->hb_buf) hb_buffer_destroy(t->hb_buf);
    for (int i = 0; i < MAX_FACES; i++) {
        for (int b = 0; b < 2; b++)
            if (t->faces[i].hb[b]) hb_font_destroy(t->faces[i].hb[b]);
        SDL_free(t->faces[i].data[0]);
        SDL_free(t->faces[i].data[1]);
    }
    free(t);
}

/* glyphs.c's number for a face and weight, its file added on first use; -1 (with msg) when
 * it cannot be read. */
static int face_font(text_t *t, int face, bool bold, char *msg, size_t msgsz)
{
    face_t *fc = &t->faces[face];
    int b = bold ? 1 : 0;
    if (fc->gfont[b]) return fc->gfont[b] - 1;
    if (!face_data(t, face, bold)) {
        snprintf(msg, msgsz, "cannot read the file");
        return -1;
    }
    int id = glyphs_add_font(t->glyphs, fc->data[b], fc->size[b], msg, msgsz);
    if (id < 0) return -1;
    fc->gfont[b] = id + 1;
    return id;
}

/* A face's ascent and line height at size, as SDL_ttf gave them. False when it cannot be used. */
static bool face_metrics(text_t *t, int face, int size, bool bold, int *asc, int *height)
{
    char why[200];
    int id = face_font(t, face, bold, why, sizeof why);
    return id >= 0 && glyphs_metrics(t->glyphs, id, size, asc, height);
}

/* Whether face draws cp: its character map, the same at every size. */
static bool face_has(text_t *t, int face, uint32_t cp, int size, bool bold)
{
    (void)size;
    hb_font_t *f = face_hb(t, face, bold);
    hb_codepoint_t g;
    return f && hb_font_get_nominal_glyph(f, cp, &g);
}

/* The face that draws cp: its script's face, else the main one, else any face already open,
 * else one fontconfig finds for it. -1 when no installed font has it. */
static int face_for(text_t *t, uint32_t cp, int size, bool bold)
{
    int want = arabic_cp(cp) ? FACE_ARABIC : ethiopic_cp(cp) ? FACE_ETHIOPIC : FACE_MAIN;
    if (face_has(t, want, cp, size, bold)) return want;
    for (int i = 0; i < t->n_faces; i++)
        if (i != want && t->faces[i].tried && face_has(t, i, cp, size, bold)) return i;
    for (int i = 0; i < t->n_no_face; i++)
        if (t->no_face[i] == cp) return -1;
    if (t->n_faces < MAX_FACES) {
        face_t *f = &t->faces[t->n_faces];
        char reg[1024], bld[1024];
        if (fc_find("Noto Sans:style=Regular", cp, reg, sizeof reg)) {
            if (!fc_find("Noto Sans:style=Bold", cp, bld, sizeof bld)) snprintf(bld, sizeof bld, "%s", reg);
            face_set(f, reg, bld);
            int i = t->n_faces++;
            if (face_has(t, i, cp, size, bold)) return i;
        }
    }
    t->no_face[t->n_no_face++ % NO_FACE_MEMO] = cp;
    if (t->n_no_face > NO_FACE_MEMO) t->n_no_face = NO_FACE_MEMO;
    return -1;
}

/* One piece of a line in one font and one direction, in logical byte order. */
typedef struct {
    uint32_t start, end; /* byte range in the line */
    int face;
    bool rtl;
    int level;
    const char *script;
} run_t;

/* Splits s (len bytes) into runs and puts them in visual (left to right) order. Returns the
 * count; *missing gets the number of characters no font can draw. base_rtl: the paragraph
 * direction. */
static int runs_of(text_t *t, const char *s, size_t len, int size, bool bold, bool base_rtl, run_t *runs,
                   int *missing)
{
    static uint32_t cps[MAX_CPS], off[MAX_CPS + 1];
    static FriBidiCharType types[MAX_CPS];
    static FriBidiBracketType brackets[MAX_CPS];
    static FriBidiLevel levels[MAX_CPS];
    static int face[MAX_CPS];
    int n = utf8_decode(s, len, cps, off, MAX_CPS);
    bool any_rtl = false;
    for (int i = 0; i < n && !any_rtl; i++) any_rtl = rtl_cp(cps[i]);
    if (any_rtl || base_rtl) {
        fribidi_get_bidi_types(cps, n, types);
        fribidi_get_bracket_types(cps, n, types, brackets);
        FriBidiParType base = base_rtl ? FRIBIDI_PAR_RTL : FRIBIDI_PAR_LTR;
        if (!fribidi_get_par_embedding_levels_ex(types, brackets, n, &base, levels))
            for (int i = 0; i < n; i++) levels[i] = base_rtl;
        /* UAX #9 L1: whitespace at the end of the line takes the paragraph's level. */
        for (int i = n - 1; i >= 0 && (cps[i] == ' ' || cps[i] == '\t'); i--) levels[i] = base_rtl;
    } else {
        for (int i = 0; i < n; i++) levels[i] = 0;
    }
    /* Fonts: letters pick by script; neutrals and marks keep the font of the run they are in
     * when it has them, so one font shapes a whole word with its digits and spaces. */
    int missed = 0;
    for (int i = 0; i < n; i++) {
        uint32_t cp = cps[i];
        int prev = i > 0 ? face[i - 1] : -1;
        if (cp == '\n' || cp == '\t' || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x202A && cp <= 0x202E) ||
            (cp >= 0x2066 && cp <= 0x2069)) {
            face[i] = prev >= 0 ? prev : FACE_MAIN; /* invisible: HarfBuzz draws nothing for these */
            continue;
        }
        if (prev >= 0 && (joins_previous(cp) || neutral_cp(cp)) && face_has(t, prev, cp, size, bold)) {
            face[i] = prev;
            continue;
        }
        face[i] = face_for(t, cp, size, bold);
        if (face[i] < 0) {
            missed++;
            face[i] = prev >= 0 ? prev : FACE_MAIN;
        }
    }
    /* Neutrals that start a line take the font of the first letter after them. */
    int lead = 0;
    while (lead < n && neutral_cp(cps[lead])) lead++;
    for (int i = lead - 1; i >= 0 && lead < n; i--)
        if (face[i] == FACE_MAIN && face[i + 1] != FACE_MAIN && face_has(t, face[i + 1], cps[i], size, bold))
            face[i] = face[i + 1];
    if (missing) *missing = missed;
    int nr = 0;
    for (int i = 0; i < n;) {
        int j = i + 1;
        const char *sc = script_of(cps[i]);
        bool strong = !neutral_cp(cps[i]) && !joins_previous(cps[i]);
        while (j < n && levels[j] == levels[i] && face[j] == face[i]) {
            const char *sj = script_of(cps[j]);
            bool sstrong = !neutral_cp(cps[j]) && !joins_previous(cps[j]);
            if (sstrong && strong && strcmp(sj, sc) != 0) break;
            if (sstrong && !strong) { sc = sj; strong = true; }
            j++;
        }
        if (nr == MAX_RUNS) { runs[nr - 1].end = off[n]; break; }
        runs[nr++] = (run_t){ off[i], off[j], face[i], levels[i] & 1, levels[i], sc };
        i = j;
    }
    /* UAX #9 L2: from the highest level down to the lowest odd one, reverse every sequence of
     * runs at that level or above. */
    int hi = 0, lo_odd = 255;
    for (int i = 0; i < nr; i++) {
        if (runs[i].level > hi) hi = runs[i].level;
        if ((runs[i].level & 1) && runs[i].level < lo_odd) lo_odd = runs[i].level;
    }
    for (int lv = hi; lv >= lo_odd && lv > 0; lv--) {
        for (int i = 0; i < nr;) {
            if (runs[i].level < lv) { i++; continue; }
            int j = i;
            while (j < nr && runs[j].level >= lv) j++;
            for (int a = i, b = j - 1; a < b; a++, b--) {
                run_t tmp = runs[a];
                runs[a] = runs[b];
                runs[b] = tmp;
            }
            i = j;
        }
    }
    return nr;
}

/* The paragraph direction of s: in a right-to-left interface, right to left when s has any
 * right-to-left letter (so "WIJ-team ..." in Arabic still reads from the right); otherwise
 * left to right unless s starts (first strong letter) right to left, like a language name. */
static bool base_rtl(const text_t *t, const char *s)
{
    static uint32_t cps[MAX_CPS], off[MAX_CPS + 1];
    int n = utf8_decode(s, strlen(s), cps, off, MAX_CPS);
    for (int i = 0; i < n; i++) {
        if (rtl_cp(cps[i])) return true;
        if (!t->rtl && !neutral_cp(cps[i]) && !joins_previous(cps[i]) && cps[i] >= 'A') return false;
    }
    return false;
}

/* FreeType's 26.6 fixed point to whole pixels, as SDL_ttf rounds glyph boxes. */
#define PX_FLOOR(x) ((int)(((x) & -64) / 64))
#define PX_CEIL(x) ((int)((((x) + 63) & -64) / 64))

/* Shapes run r of s at size with HarfBuzz into t->hb_buf; NULL when its face has no font. */
static hb_font_t *shape_run(text_t *t, const char *s, const run_t *r, int size, bool bold)
{
    hb_font_t *f = face_hb(t, r->face, bold);
    if (!f) return NULL;
    hb_font_set_scale(f, size * 64, size * 64); /* 26.6 fixed point pixels, as FreeType's */
    hb_buffer_t *b = t->hb_buf;
    hb_buffer_clear_contents(b);
    hb_buffer_add_utf8(b, s + r->start, (int)(r->end - r->start), 0, -1);
    hb_buffer_set_direction(b, r->rtl ? HB_DIRECTION_RTL : HB_DIRECTION_LTR);
    hb_buffer_set_script(b, hb_script_from_string(r->script, -1));
    hb_buffer_guess_segment_properties(b);
    hb_shape(f, b, NULL, 0);
    return f;
}

/* A run's width in pixels as SDL_ttf's TTF_SizeUTF8 gave it: from the leftmost ink or the pen's
 * start to the rightmost ink or the pen's end. *minx (if not NULL) gets the ink left of the pen's
 * start (0 or less). No glyph is loaded, hinted or drawn: light hinting moves points only
 * vertically, so the ink boxes are the font's own, scaled. Over every catalogue string this is
 * SDL_ttf's width in 99.97% of cases and a pixel narrower in the rest. */
static int run_width(text_t *t, const char *s, const run_t *r, int size, bool bold, int *minx_out)
{
    if (minx_out) *minx_out = 0;
    hb_font_t *f = shape_run(t, s, r, size, bold);
    if (!f) return 0;
    unsigned n = 0;
    const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(t->hb_buf, &n);
    const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(t->hb_buf, &n);
    int x = 0, minx = 0, maxx = 0;
    for (unsigned i = 0; i < n; i++) {
        hb_glyph_extents_t e = { 0, 0, 0, 0 };
        hb_font_get_glyph_extents(f, info[i].codepoint, &e);
        int left = PX_FLOOR(e.x_bearing), width = PX_CEIL(e.x_bearing + e.width) - left;
        int gx = PX_FLOOR(x + pos[i].x_offset) + left;
        if (gx < minx) minx = gx;
        if (gx + width > maxx) maxx = gx + width;
        x += pos[i].x_advance;
    }
    if (PX_FLOOR(x) > maxx) maxx = PX_FLOOR(x);
    if (minx_out) *minx_out = minx;
    return maxx - minx;
}

void text_prepare(text_t *t, const char *s)
{
    run_t runs[MAX_RUNS];
    for (int bold = 0; bold < 2; bold++) {
        int nr = runs_of(t, s, strlen(s), 24, bold, false, runs, NULL);
        for (int i = 0; i < nr; i++) {
            int asc, h;
            /* Opens the FreeType face and builds HarfBuzz's layout tables for this script. */
            face_metrics(t, runs[i].face, 24, bold, &asc, &h);
            run_width(t, s, &runs[i], 24, bold, NULL);
        }
    }
}

static void size_runs(text_t *t, const char *s, int size, bool bold, bool rtl, int *w, int *h)
{
    run_t runs[MAX_RUNS];
    int nr = runs_of(t, s, strlen(s), size, bold, rtl, runs, NULL);
    int asc;
    *w = 0;
    if (!face_metrics(t, FACE_MAIN, size, bold, &asc, h)) *h = 0;
    for (int i = 0; i < nr; i++) *w += run_width(t, s, &runs[i], size, bold, NULL);
}

static uint32_t hash_key(const char *s, int size, bool bold, uint32_t rgba);

void text_size(text_t *t, const char *s, int size, bool bold, int *w, int *h)
{
    *w = *h = 0;
    size_runs(t, s, size, bold, base_rtl(t, s), w, h);
}

/* text_size for a word, remembered per size and weight: the same words come back on every
 * screen and at every size the fitting tries. */
static int word_width(text_t *t, const char *s, int size, bool bold)
{
    size_t len = strlen(s);
    if (!len) return 0;
    width_t *slot = NULL;
    if (len < WIDTH_MAX_LEN) {
        slot = &t->widths[hash_key(s, size, bold, t->rtl) % WIDTH_SLOTS];
        if (slot->used && slot->size == size && slot->bold == bold && slot->ui_rtl == t->rtl && !strcmp(slot->str, s)) {
            t->width_hits++;
            return slot->w;
        }
    }
    run_t runs[MAX_RUNS];
    int nr = runs_of(t, s, len, size, bold, base_rtl(t, s), runs, NULL);
    int w = 0;
    for (int i = 0; i < nr; i++) w += run_width(t, s, &runs[i], size, bold, NULL);
    t->width_misses++;
    if (slot) {
        memcpy(slot->str, s, len + 1);
        slot->size = size;
        slot->bold = bold;
        slot->ui_rtl = t->rtl;
        slot->w = w;
        slot->used = true;
    }
    return w;
}

int text_layout_runs(text_t *t, const char *s, int size, bool bold, text_run_t *out, int max, int *missing)
{
    run_t runs[MAX_RUNS];
    int nr = runs_of(t, s, strlen(s), size, bold, base_rtl(t, s), runs, missing);
    int x = 0;
    for (int i = 0; i < nr && i < max; i++) {
        int rw = run_width(t, s, &runs[i], size, bold, NULL);
        out[i] = (text_run_t){ (int)runs[i].start, (int)runs[i].end, x, rw, runs[i].rtl, runs[i].face };
        x += rw;
    }
    return nr < max ? nr : max;
}

static uint32_t hash_key(const char *s, int size, bool bold, uint32_t rgba)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ (uint32_t)size) * 16777619u;
    h = (h ^ (uint32_t)bold) * 16777619u;
    return (h ^ rgba) * 16777619u;
}

#define MAX_LINE_GLYPHS 1024

/* Lays out one line: every run shaped in its own font and direction, side by side in visual
 * order on one baseline. Each run takes run_width's room, its pen moved right past any ink left
 * of it, as SDL_ttf placed runs drawn one by one. Fills gl (at most max), *w, and how far the
 * line reaches above (*top) and below (*bottom) its baseline. Returns the glyph count. */
static int place_line(text_t *t, const char *s, int size, bool bold, bool rtl, glyph_pos_t *gl, int max, int *w,
                      int *top, int *bottom)
{
    run_t runs[MAX_RUNS];
    int nr = runs_of(t, s, strlen(s), size, bold, rtl, runs, NULL);
    int n = 0;
    *w = *top = *bottom = 0;
    for (int i = 0; i < nr; i++) {
        char why[200];
        int font = face_font(t, runs[i].face, bold, why, sizeof why), asc, height, minx;
        if (font < 0 || !face_metrics(t, runs[i].face, size, bold, &asc, &height)) continue;
        int origin = *w, rw = run_width(t, s, &runs[i], size, bold, &minx); /* leaves the run shaped */
        origin -= minx;
        *w += rw;
        if (asc > *top) *top = asc;
        if (height - asc > *bottom) *bottom = height - asc;
        unsigned ng = 0;
        const hb_glyph_info_t *info = hb_buffer_get_glyph_infos(t->hb_buf, &ng);
        const hb_glyph_position_t *pos = hb_buffer_get_glyph_positions(t->hb_buf, &ng);
        int pen = 0;
        for (unsigned k = 0; k < ng && n < max; k++) {
            glyph_pos_t *p = &gl[n++];
            *p = (glyph_pos_t){ font, origin + PX_FLOOR(pen + pos[k].x_offset), PX_FLOOR(-pos[k].y_offset), info[k].codepoint };
            pen += pos[k].x_advance;
            /* Marks and tall letters can reach past the font's ascent or descent. */
            const glyph_img_t *g = glyphs_get(t->glyphs, font, size, p->gid);
            if (g && g->h > 0) {
                if (g->top - p->down > *top) *top = g->top - p->down;
                if (g->h - g->top + p->down > *bottom) *bottom = g->h - g->top + p->down;
            }
        }
    }
    return n;
}

/* The cached texture for one line, rendering it on a miss. NULL when it cannot be drawn. */
static entry_t *line_get(text_t *t, const char *s, int size, bool bold, bool rtl, SDL_Color c)
{
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint32_t h = hash_key(s, size, bold, rgba) ^ (uint32_t)rtl;
    for (entry_t *e = t->buckets[h % CACHE_BUCKETS]; e; e = e->hnext) {
        if (e->hash == h && e->size == size && e->bold == bold && e->rtl == rtl && e->rgba == rgba &&
            !strcmp(e->str, s)) {
            lru_touch(&t->lru, &e->lru);
            t->hits++;
            return e;
        }
    }
    t->misses++;
    if (!*s) return NULL;
    static glyph_pos_t gl[MAX_LINE_GLYPHS];
    int w, top, bottom, n = place_line(t, s, size, bold, rtl, gl, MAX_LINE_GLYPHS, &w, &top, &bottom);
    if (w <= 0 || top + bottom <= 0) return NULL;
    entry_t *e = calloc(1, sizeof *e);
    if (!e || !(e->str = strdup(s))) {
        free(e);
        return NULL;
    }
    e->w = w;
    e->h = top + bottom;
    e->asc = top;
    if (t->target) {
        /* The software renderer: the glyphs are drawn straight onto its surface from the glyph
         * cache. A line rendered into a surface of its own first, then blended on, cost a
         * fresh full-size RGBA surface per line (zeroed, filled, page-faulted in) and a second
         * pass over all its pixels, blank ones included. */
        e->gl = malloc(sizeof *e->gl * (size_t)(n > 0 ? n : 1));
        if (e->gl) memcpy(e->gl, gl, sizeof *gl * (size_t)n);
        e->ng = n;
    } else {
        SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, e->h, 32, SDL_PIXELFORMAT_ARGB8888);
        if (surf) {
            SDL_FillRect(surf, NULL, SDL_MapRGBA(surf->format, c.r, c.g, c.b, 0));
            glyphs_draw(t->glyphs, gl, n, size, surf, 0, top, c, (SDL_Rect){ 0, 0, w, e->h }, true);
            e->tex = SDL_CreateTextureFromSurface(t->ren, surf);
            SDL_FreeSurface(surf);
        }
    }
    if (!e->tex && !e->gl) {
        free(e->str);
        free(e);
        return NULL;
    }
    e->hash = h;
    e->size = size;
    e->bold = bold;
    e->rtl = rtl;
    e->rgba = rgba;
    e->hnext = t->buckets[h % CACHE_BUCKETS];
    t->buckets[h % CACHE_BUCKETS] = e;
    lru_push_front(&t->lru, &e->lru);
    t->entries++;
    if (e->tex) t->pixels += (long)e->w * e->h;
    /* Bounded: a kiosk runs for weeks and every answer typed is a new string. */
    while ((t->entries > CACHE_MAX_ENTRIES || t->pixels > CACHE_MAX_PIXELS) && t->lru.tail && t->lru.tail != &e->lru)
        entry_destroy(t, (entry_t *)t->lru.tail);
    return e;
}

/* Copies at most dstsz-1 bytes, never cutting a UTF-8 character in half. */
static void copy_utf8(char *dst, size_t dstsz, const char *src)
{
    size_t n = strlen(src);
    if (n >= dstsz) {
        n = dstsz - 1;
        while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80) n--;
    }
    memcpy(dst, src, n);
    dst[n] = 0;
}

static size_t utf8_next(const char *s, size_t i)
{
    if (!s[i]) return i;
    i++;
    while (s[i] && ((unsigned char)s[i] & 0xC0) == 0x80) i++;
    return i;
}

/* Splits s into lines no wider than maxw. Returns the count; lines[] point into store. */
static int wrap(text_t *t, const char *s, int size, bool bold, int maxw, char lines[MAX_LINES][512], int *lh, int *asc,
                bool *stub)
{
    int n = 0, w, h;
    *stub = false;
    if (!face_metrics(t, FACE_MAIN, size, bold, asc, lh)) *lh = *asc = 0;
    char cur[512] = "";
    /* Shaping the whole line again for every word made wrapping quadratic (and Arabic shaping
     * is not cheap): the line's width is estimated as the sum of its words and spaces, and the
     * exact line is shaped only when the estimate is within `slack` of the edge, where kerning
     * across a space could decide. */
    int curw = 0, spacew = word_width(t, " ", size, bold), slack = size / 5 + 4;
    const char *p = s;
    while (*p && n < MAX_LINES) {
        if (*p == '\n') {
            snprintf(lines[n++], 512, "%s", cur);
            cur[0] = 0;
            curw = 0;
            p++;
            continue;
        }
        while (*p == ' ') p++;
        size_t wl = strcspn(p, " \n");
        char word[512];
        if (wl >= sizeof word) wl = sizeof word - 1;
        memcpy(word, p, wl);
        word[wl] = 0;
        p += wl;
        char trial[1100];
        snprintf(trial, sizeof trial, "%s%s%s", cur, cur[0] ? " " : "", word);
        int ww = word_width(t, word, size, bold);
        w = cur[0] ? curw + spacew + ww : ww;
        if (w > maxw - slack && w <= maxw + slack) text_size(t, trial, size, bold, &w, &h);
        if (w <= maxw) {
            copy_utf8(cur, sizeof cur, trial);
            curw = w;
            continue;
        }
        if (cur[0]) {
            snprintf(lines[n++], 512, "%s", cur);
            cur[0] = 0;
            curw = 0;
            if (n >= MAX_LINES) break;
        }
        /* The word alone: split it when even that is too wide (Dutch compounds). */
        w = ww;
        if (w > maxw - slack) text_size(t, word, size, bold, &w, &h);
        const char *wp = word;
        while (w > maxw && n < MAX_LINES) {
            size_t cut = 0, i = 0;
            char piece[520];
            for (;;) {
                size_t j = utf8_next(wp, i);
                if (j == i) break;
                snprintf(piece, sizeof piece, "%.*s-", (int)j, wp);
                int pw, ph;
                text_size(t, piece, size, bold, &pw, &ph);
                if (pw > maxw) break;
                cut = j;
                i = j;
            }
            if (cut == 0) cut = utf8_next(wp, 0); /* at least one character per line */
            /* Any split counts against this size: a smaller size that keeps every word whole
             * wins ("Hoofdletter", a person's name), down to the 55% floor. */
            *stub = true;
            snprintf(lines[n++], 512, "%.*s-", (int)cut, wp);
            wp += cut;
            text_size(t, wp, size, bold, &w, &h);
        }
        snprintf(cur, sizeof cur, "%s", wp);
        curw = w; /* of wp: the word, or what is left of it after the split */
    }
    if (cur[0] && n < MAX_LINES) snprintf(lines[n++], 512, "%s", cur);
    return n;
}

static layout_t *layout_get(text_t *t, const char *s, SDL_Rect box, int size, bool bold)
{
    static char lines[MAX_LINES][512];
    uint32_t h = hash_key(s, size, bold, (uint32_t)box.w * 65599u + (uint32_t)box.h);
    layout_t *L = &t->layouts[h % LAYOUT_SLOTS];
    if (L->str && L->size == size && L->bold == bold && L->w == box.w && L->h == box.h && L->ui_rtl == t->rtl &&
        !strcmp(L->str, s))
        return L;
    int n = 0, lh = 0, asc = 0, sz = size;
    for (;;) {
        bool stub;
        n = wrap(t, s, sz, bold, box.w, lines, &lh, &asc, &stub);
        bool fits = n * lh <= box.h && !stub;
        if (fits || sz <= size * 55 / 100 || sz <= 8) break;
        sz = sz * 9 / 10;
    }
    if (lh <= 0) return NULL;
    int maxl = box.h / lh;
    if (maxl < 1) maxl = 1;
    if (n > maxl) n = maxl;
    size_t total = 1;
    for (int i = 0; i < n; i++) total += strlen(lines[i]) + 1;
    char *joined = malloc(total), *str = strdup(s);
    if (!joined || !str) {
        free(joined);
        free(str);
        return NULL;
    }
    joined[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(joined, lines[i]);
        if (i + 1 < n) strcat(joined, "\n");
    }
    free(L->str);
    free(L->lines);
    *L = (layout_t){ str, size, box.w, box.h, bold, base_rtl(t, s), t->rtl, n, sz, lh, asc, joined };
    return L;
}

void text_set_target(text_t *t, SDL_Surface *target)
{
    if (target == t->target) return;
    /* Lines kept for one way of drawing are of no use to the other. */
    while (t->lru.head) entry_destroy(t, (entry_t *)t->lru.head);
    t->target = target;
}

/* Draws a line's glyphs onto the software renderer's surface as SDL_RenderCopy would: after
 * the drawing queued before it, inside the renderer's clip rectangle. */
static void draw_glyphs(text_t *t, const entry_t *e, SDL_Rect dst, int size, SDL_Color c)
{
    SDL_RenderFlush(t->ren);
    SDL_Rect clip = { 0, 0, t->target->w, t->target->h };
    if (SDL_RenderIsClipEnabled(t->ren)) SDL_RenderGetClipRect(t->ren, &clip);
    glyphs_draw(t->glyphs, e->gl, e->ng, size, t->target, dst.x, dst.y + e->asc, c, clip, false);
}

void text_draw(text_t *t, const char *s, SDL_Rect box, int size, bool bold, SDL_Color c, talign_t al, bool top)
{
    if (!s || !*s || box.w <= 0 || box.h <= 0) return;
    layout_t *L = layout_get(t, s, box, size, bold);
    if (!L) return;
    int y = top ? box.y : box.y + (box.h - L->n * L->lh) / 2;
    /* Wrapping keeps lines inside the box; clip only when even the smallest size overflows. */
    bool clip = L->n * L->lh > box.h;
    SDL_Rect outer = { 0, 0, 0, 0 };
    bool had = clip && SDL_RenderIsClipEnabled(t->ren);
    if (had) SDL_RenderGetClipRect(t->ren, &outer);
    if (clip) {
        SDL_Rect c = box;
        if (had && !SDL_IntersectRect(&box, &outer, &c)) return;
        SDL_RenderSetClipRect(t->ren, &c);
    }
    const char *p = L->lines;
    for (int i = 0; i < L->n; i++) {
        char line[512];
        size_t len = strcspn(p, "\n");
        snprintf(line, sizeof line, "%.*s", (int)len, p);
        p += len + (p[len] ? 1 : 0);
        entry_t *e = line_get(t, line, L->sz, bold, L->rtl, c);
        if (e) {
            int x = al == TA_LEFT ? box.x : al == TA_RIGHT ? box.x + box.w - e->w : box.x + (box.w - e->w) / 2;
            /* Baselines on the main font's: a taller Arabic line reaches a little above it. */
            SDL_Rect dst = { x, y + L->asc - e->asc, e->w, e->h };
            if (e->gl) draw_glyphs(t, e, dst, L->sz, c);
            else SDL_RenderCopy(t->ren, e->tex, NULL, &dst);
        }
        y += L->lh;
    }
    if (clip) SDL_RenderSetClipRect(t->ren, had ? &outer : NULL);
}

int text_faces_open(const text_t *t)
{
    int n = 0;
    for (int i = 0; i < t->n_faces; i++) n += t->faces[i].tried && t->faces[i].ok;
    return n;
}

void text_width_stats(const text_t *t, long *hits, long *misses)
{
    *hits = t->width_hits;
    *misses = t->width_misses;
}

void text_stats(const text_t *t, long *hits, long *misses, int *entries, long *pixels)
{
    *hits = t->hits;
    *misses = t->misses;
    *entries = t->entries;
    *pixels = t->pixels;
}

void text_glyph_stats(const text_t *t, long *rendered, long *hits, long *bytes)
{
    glyphs_stats(t->glyphs, rendered, hits, bytes);
}
