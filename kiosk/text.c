/* Text: fontconfig lookup, per-size TTF fonts, a bounded LRU texture cache, word wrapping. */
#include "text.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FONTS 48
#define CACHE_BUCKETS 1024
#define CACHE_MAX_ENTRIES 600
#define CACHE_MAX_PIXELS (2560L * 1024) /* ~10 MB of RGBA: a screen or two of text; more costs RSS for little */
#define MAX_LINES 24

typedef struct entry {
    struct entry *hnext;         /* hash chain */
    struct entry *prev, *next;   /* LRU list, head = most recent */
    uint32_t hash;
    int size;
    bool bold;
    uint32_t rgba;
    char *str;
    SDL_Texture *tex;
    int w, h;
} entry_t;

typedef struct {
    int size;
    bool bold;
    TTF_Font *font;
    unsigned long used;
} font_t;

/* A wrapped layout remembered per (string, size, box), so a frame skips the measuring. */
#define LAYOUT_SLOTS 512
typedef struct {
    char *str;
    int size, w, h;
    bool bold;
    int n, sz, lh;
    char *lines; /* n lines joined by '\n' */
} layout_t;

struct text {
    layout_t layouts[LAYOUT_SLOTS];
    SDL_Renderer *ren;
    char path[2][1024];
    font_t fonts[MAX_FONTS];
    int n_fonts;
    unsigned long tick;
    entry_t *buckets[CACHE_BUCKETS];
    entry_t *head, *tail;
    int entries;
    long pixels;
    long hits, misses;
};

static bool fc_find(const char *pattern, char *out, size_t outsz)
{
    bool ok = false;
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return false;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *file = NULL;
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch) {
        snprintf(out, outsz, "%s", (const char *)file);
        ok = true;
    }
    if (match) FcPatternDestroy(match);
    FcPatternDestroy(pat);
    return ok;
}

text_t *text_new(SDL_Renderer *ren, const char *regular, const char *bold, char *msg, size_t msgsz)
{
    text_t *t = calloc(1, sizeof *t);
    if (!t) { snprintf(msg, msgsz, "out of memory"); return NULL; }
    t->ren = ren;
    const char *given[2] = { regular, bold };
    const char *pattern[2] = { "Noto Sans:style=Regular", "Noto Sans:style=Bold" };
    for (int i = 0; i < 2; i++) {
        if (given[i] && given[i][0]) snprintf(t->path[i], sizeof t->path[i], "%s", given[i]);
        else if (!fc_find(pattern[i], t->path[i], sizeof t->path[i])) {
            snprintf(msg, msgsz, "fontconfig found no font for \"%s\"; install fonts-noto-core or set font = /path/to/font.ttf", pattern[i]);
            free(t);
            return NULL;
        }
    }
    if (!TTF_WasInit() && TTF_Init() != 0) {
        snprintf(msg, msgsz, "SDL_ttf: %s", TTF_GetError());
        free(t);
        return NULL;
    }
    /* Open once now so a bad path is reported at start, not on the first frame. */
    for (int i = 0; i < 2; i++) {
        TTF_Font *f = TTF_OpenFont(t->path[i], 24);
        if (!f) {
            snprintf(msg, msgsz, "cannot open font %s: %s", t->path[i], TTF_GetError());
            text_free(t);
            return NULL;
        }
        t->fonts[t->n_fonts++] = (font_t){ 24, i == 1, f, 0 };
    }
    return t;
}

static void entry_unlink(text_t *t, entry_t *e)
{
    if (e->prev) e->prev->next = e->next; else t->head = e->next;
    if (e->next) e->next->prev = e->prev; else t->tail = e->prev;
    e->prev = e->next = NULL;
}

static void entry_push_front(text_t *t, entry_t *e)
{
    e->next = t->head;
    e->prev = NULL;
    if (t->head) t->head->prev = e;
    t->head = e;
    if (!t->tail) t->tail = e;
}

static void entry_destroy(text_t *t, entry_t *e)
{
    entry_t **pp = &t->buckets[e->hash % CACHE_BUCKETS];
    while (*pp && *pp != e) pp = &(*pp)->hnext;
    if (*pp) *pp = e->hnext;
    entry_unlink(t, e);
    t->entries--;
    t->pixels -= (long)e->w * e->h;
    if (e->tex) SDL_DestroyTexture(e->tex);
    free(e->str);
    free(e);
}

void text_free(text_t *t)
{
    if (!t) return;
    while (t->head) entry_destroy(t, t->head);
    for (int i = 0; i < LAYOUT_SLOTS; i++) {
        free(t->layouts[i].str);
        free(t->layouts[i].lines);
    }
    for (int i = 0; i < t->n_fonts; i++) TTF_CloseFont(t->fonts[i].font);
    free(t);
}

static TTF_Font *font_get(text_t *t, int size, bool bold)
{
    if (size < 6) size = 6;
    t->tick++;
    int oldest = 0;
    for (int i = 0; i < t->n_fonts; i++) {
        if (t->fonts[i].size == size && t->fonts[i].bold == bold) {
            t->fonts[i].used = t->tick;
            return t->fonts[i].font;
        }
        if (t->fonts[i].used < t->fonts[oldest].used) oldest = i;
    }
    TTF_Font *f = TTF_OpenFont(t->path[bold ? 1 : 0], size);
    if (!f) return NULL;
    int slot;
    if (t->n_fonts < MAX_FONTS) {
        slot = t->n_fonts++;
    } else {
        /* Rendered lines of the evicted size stay valid: textures do not refer to fonts. */
        slot = oldest;
        TTF_CloseFont(t->fonts[slot].font);
    }
    t->fonts[slot] = (font_t){ size, bold, f, t->tick };
    return f;
}

void text_size(text_t *t, const char *s, int size, bool bold, int *w, int *h)
{
    TTF_Font *f = font_get(t, size, bold);
    *w = *h = 0;
    if (!f) return;
    if (!*s) { *h = TTF_FontHeight(f); return; }
    TTF_SizeUTF8(f, s, w, h);
}

static uint32_t hash_key(const char *s, int size, bool bold, uint32_t rgba)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    h = (h ^ (uint32_t)size) * 16777619u;
    h = (h ^ (uint32_t)bold) * 16777619u;
    return (h ^ rgba) * 16777619u;
}

/* The cached texture for one line, rendering it on a miss. NULL when it cannot be drawn. */
static entry_t *line_get(text_t *t, const char *s, int size, bool bold, SDL_Color c)
{
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    uint32_t h = hash_key(s, size, bold, rgba);
    for (entry_t *e = t->buckets[h % CACHE_BUCKETS]; e; e = e->hnext) {
        if (e->hash == h && e->size == size && e->bold == bold && e->rgba == rgba && !strcmp(e->str, s)) {
            entry_unlink(t, e);
            entry_push_front(t, e);
            t->hits++;
            return e;
        }
    }
    t->misses++;
    TTF_Font *f = font_get(t, size, bold);
    if (!f || !*s) return NULL;
    SDL_Surface *surf = TTF_RenderUTF8_Blended(f, s, c);
    if (!surf) return NULL;
    entry_t *e = calloc(1, sizeof *e);
    if (!e || !(e->str = strdup(s))) {
        free(e);
        SDL_FreeSurface(surf);
        return NULL;
    }
    e->tex = SDL_CreateTextureFromSurface(t->ren, surf);
    e->w = surf->w;
    e->h = surf->h;
    SDL_FreeSurface(surf);
    if (!e->tex) {
        free(e->str);
        free(e);
        return NULL;
    }
    e->hash = h;
    e->size = size;
    e->bold = bold;
    e->rgba = rgba;
    e->hnext = t->buckets[h % CACHE_BUCKETS];
    t->buckets[h % CACHE_BUCKETS] = e;
    entry_push_front(t, e);
    t->entries++;
    t->pixels += (long)e->w * e->h;
    /* Bounded: a kiosk runs for weeks and every answer typed is a new string. */
    while ((t->entries > CACHE_MAX_ENTRIES || t->pixels > CACHE_MAX_PIXELS) && t->tail && t->tail != e)
        entry_destroy(t, t->tail);
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
static int wrap(text_t *t, const char *s, int size, bool bold, int maxw, char lines[MAX_LINES][512], int *lh, bool *stub)
{
    int n = 0, w, h;
    *stub = false;
    text_size(t, "Ag", size, bold, &w, lh);
    char cur[512] = "";
    const char *p = s;
    while (*p && n < MAX_LINES) {
        if (*p == '\n') {
            snprintf(lines[n++], 512, "%s", cur);
            cur[0] = 0;
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
        text_size(t, trial, size, bold, &w, &h);
        if (w <= maxw) {
            copy_utf8(cur, sizeof cur, trial);
            continue;
        }
        if (cur[0]) {
            snprintf(lines[n++], 512, "%s", cur);
            cur[0] = 0;
            if (n >= MAX_LINES) break;
        }
        /* The word alone: split it when even that is too wide (Dutch compounds). */
        text_size(t, word, size, bold, &w, &h);
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
    }
    if (cur[0] && n < MAX_LINES) snprintf(lines[n++], 512, "%s", cur);
    return n;
}

static layout_t *layout_get(text_t *t, const char *s, SDL_Rect box, int size, bool bold)
{
    static char lines[MAX_LINES][512];
    uint32_t h = hash_key(s, size, bold, (uint32_t)box.w * 65599u + (uint32_t)box.h);
    layout_t *L = &t->layouts[h % LAYOUT_SLOTS];
    if (L->str && L->size == size && L->bold == bold && L->w == box.w && L->h == box.h && !strcmp(L->str, s))
        return L;
    int n = 0, lh = 0, sz = size;
    for (;;) {
        bool stub;
        n = wrap(t, s, sz, bold, box.w, lines, &lh, &stub);
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
    *L = (layout_t){ str, size, box.w, box.h, bold, n, sz, lh, joined };
    return L;
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
        entry_t *e = line_get(t, line, L->sz, bold, c);
        if (e) {
            int x = al == TA_LEFT ? box.x : al == TA_RIGHT ? box.x + box.w - e->w : box.x + (box.w - e->w) / 2;
            SDL_Rect dst = { x, y, e->w, e->h };
            SDL_RenderCopy(t->ren, e->tex, NULL, &dst);
        }
        y += L->lh;
    }
    if (clip) SDL_RenderSetClipRect(t->ren, had ? &outer : NULL);
}

void text_stats(const text_t *t, long *hits, long *misses, int *entries, long *pixels)
{
    *hits = t->hits;
    *misses = t->misses;
    *entries = t->entries;
    *pixels = t->pixels;
}
