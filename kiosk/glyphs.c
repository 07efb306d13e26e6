/* Glyph images from FreeType: one face per font file at any size, each glyph rasterised once
 * per size and kept in a bounded LRU cache that outlives the screen that first drew it.
 *
 * Why not SDL_ttf's own: it loads every glyph twice per line (once to measure, once to draw),
 * and its 256-slot cache is emptied whenever a font changes size, so the same letters were
 * rasterised again on every screen. Here a screen's first draw rasterises only letters no
 * earlier screen used at that size. The images are SDL_ttf's: the same FreeType calls (light
 * hinting, FT_RENDER_MODE_NORMAL) on the same bytes. */
#include "glyphs.h"

#include "lru.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GLYPH_FONTS 16
#define GLYPH_BUCKETS 2048
/* About 3000 glyphs at the kiosk's sizes: every letter of two scripts at the sizes of a few
 * screens. More costs resident memory for little. */
#define GLYPH_CACHE_BYTES (4L * 1024 * 1024)

typedef struct gentry {
    lru_node_t lru; /* first: the LRU list's node is the entry */
    struct gentry *hnext;
    int font, size;
    unsigned gid;
    glyph_img_t img;
    uint8_t *bits;
} gentry_t;

struct glyphs {
    FT_Library lib;
    struct {
        FT_Face face;
        int size; /* the size the face is set to now */
    } fonts[MAX_GLYPH_FONTS];
    int n_fonts;
    gentry_t *buckets[GLYPH_BUCKETS];
    lru_list_t lru;
    long bytes, rendered, hits;
};

glyphs_t *glyphs_new(void)
{
    glyphs_t *g = calloc(1, sizeof *g);
    if (!g) return NULL;
    if (FT_Init_FreeType(&g->lib) != 0) {
        free(g);
        return NULL;
    }
    return g;
}

static unsigned bucket_of(int font, int size, unsigned gid)
{
    return ((unsigned)font * 2654435761u ^ (unsigned)size * 40503u ^ gid * 2246822519u) % GLYPH_BUCKETS;
}

static void drop(glyphs_t *g, gentry_t *e)
{
    gentry_t **pp = &g->buckets[bucket_of(e->font, e->size, e->gid)];
    while (*pp && *pp != e) pp = &(*pp)->hnext;
    if (*pp) *pp = e->hnext;
    lru_unlink(&g->lru, &e->lru);
    g->bytes -= (long)sizeof *e + (long)e->img.pitch * e->img.h;
    free(e->bits);
    free(e);
}

void glyphs_free(glyphs_t *g)
{
    if (!g) return;
    while (g->lru.head) drop(g, (gentry_t *)g->lru.head);
    for (int i = 0; i < g->n_fonts; i++) FT_Done_Face(g->fonts[i].face);
    FT_Done_FreeType(g->lib);
    free(g);
}

int glyphs_add_font(glyphs_t *g, const void *data, size_t size, char *msg, size_t msgsz)
{
    if (g->n_fonts == MAX_GLYPH_FONTS) {
        snprintf(msg, msgsz, "more than %d font files", MAX_GLYPH_FONTS);
        return -1;
    }
    FT_Face face;
    FT_Error err = FT_New_Memory_Face(g->lib, data, (FT_Long)size, 0, &face);
    if (err != 0 || !FT_IS_SCALABLE(face)) {
        if (err == 0) FT_Done_Face(face);
        snprintf(msg, msgsz, "FreeType cannot read it as a scalable font (error %d)", err);
        return -1;
    }
    g->fonts[g->n_fonts].face = face;
    g->fonts[g->n_fonts].size = 0;
    return g->n_fonts++;
}

/* The face set to size pixels (72 dpi, as SDL_ttf sets a point size); NULL on failure. */
static FT_Face face_at(glyphs_t *g, int font, int size)
{
    if (font < 0 || font >= g->n_fonts || size < 1) return NULL;
    FT_Face f = g->fonts[font].face;
    if (g->fonts[font].size != size) {
        if (FT_Set_Char_Size(f, 0, (FT_F26Dot6)size * 64, 0, 0) != 0) return NULL;
        g->fonts[font].size = size;
    }
    return f;
}

bool glyphs_metrics(glyphs_t *g, int font, int size, int *ascent, int *height)
{
    FT_Face f = face_at(g, font, size);
    if (!f) return false;
    FT_Fixed scale = f->size->metrics.y_scale;
    /* SDL_ttf's TTF_initFontMetrics: the ceiling of the scaled ascender and of its span. */
    *ascent = (int)((FT_MulFix(f->ascender, scale) + 63) >> 6);
    *height = (int)((FT_MulFix(f->ascender - f->descender, scale) + 63) >> 6);
    return true;
}

const glyph_img_t *glyphs_get(glyphs_t *g, int font, int size, unsigned gid)
{
    unsigned b = bucket_of(font, size, gid);
    for (gentry_t *e = g->buckets[b]; e; e = e->hnext) {
        if (e->font == font && e->size == size && e->gid == gid) {
            lru_touch(&g->lru, &e->lru);
            g->hits++;
            return &e->img;
        }
    }
    FT_Face f = face_at(g, font, size);
    if (!f || FT_Load_Glyph(f, gid, FT_LOAD_DEFAULT | FT_LOAD_TARGET_LIGHT) != 0 ||
        FT_Render_Glyph(f->glyph, FT_RENDER_MODE_NORMAL) != 0)
        return NULL;
    const FT_Bitmap *bm = &f->glyph->bitmap;
    if (bm->pixel_mode != FT_PIXEL_MODE_GRAY) return NULL;
    gentry_t *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    int w = (int)bm->width, h = w > 0 ? (int)bm->rows : 0;
    if (w > 0 && h > 0) {
        e->bits = malloc((size_t)w * (size_t)h);
        if (!e->bits) {
            free(e);
            return NULL;
        }
        for (int y = 0; y < h; y++) {
            /* A negative pitch means the rows run bottom-up. */
            const uint8_t *row = bm->pitch >= 0 ? bm->buffer + (size_t)y * (size_t)bm->pitch
                                                : bm->buffer + (size_t)(h - 1 - y) * (size_t)(-bm->pitch);
            memcpy(e->bits + (size_t)y * (size_t)w, row, (size_t)w);
        }
    }
    e->font = font;
    e->size = size;
    e->gid = gid;
    e->img = (glyph_img_t){ f->glyph->bitmap_left, f->glyph->bitmap_top, w, h, w, e->bits };
    e->hnext = g->buckets[b];
    g->buckets[b] = e;
    lru_push_front(&g->lru, &e->lru);
    g->bytes += (long)sizeof *e + (long)w * h;
    g->rendered++;
    while (g->bytes > GLYPH_CACHE_BYTES && g->lru.tail && g->lru.tail != &e->lru) drop(g, (gentry_t *)g->lru.tail);
    return &e->img;
}

/* dst's channel d moved towards c by coverage a (0-255), rounded as (d * (255 - a) + c * a) / 255. */
static inline uint32_t mix(uint32_t d, uint32_t c, uint32_t a)
{
    uint32_t v = d * (255 - a) + c * a + 128;
    return (v + (v >> 8)) >> 8;
}

void glyphs_draw(glyphs_t *g, const glyph_pos_t *gl, int n, int size, SDL_Surface *dst, int x, int y, SDL_Color c,
                 SDL_Rect clip, bool into_alpha)
{
    SDL_Rect bounds = { 0, 0, dst->w, dst->h };
    if (!SDL_IntersectRect(&clip, &bounds, &clip)) return;
    const SDL_PixelFormat *f = dst->format;
    if (f->BytesPerPixel != 4) return;
    for (int k = 0; k < n; k++) {
        const glyph_img_t *im = glyphs_get(g, gl[k].font, size, gl[k].gid);
        if (!im || im->w <= 0 || im->h <= 0) continue;
        int gx = x + gl[k].x + im->left, gy = y + gl[k].down - im->top;
        int r0 = gy < clip.y ? clip.y - gy : 0, r1 = gy + im->h > clip.y + clip.h ? clip.y + clip.h - gy : im->h;
        int c0 = gx < clip.x ? clip.x - gx : 0, c1 = gx + im->w > clip.x + clip.w ? clip.x + clip.w - gx : im->w;
        for (int r = r0; r < r1; r++) {
            uint32_t *row = (uint32_t *)((uint8_t *)dst->pixels + (size_t)(gy + r) * (size_t)dst->pitch) + gx;
            const uint8_t *src = im->bits + (size_t)r * (size_t)im->pitch;
            for (int col = c0; col < c1; col++) {
                uint32_t a = src[col];
                if (c.a != 255) a = a * c.a / 255;
                if (!a) continue;
                if (into_alpha) {
                    row[col] |= a << 24;
                    continue;
                }
                uint32_t d = row[col];
                uint32_t dr = (d & f->Rmask) >> f->Rshift, dg = (d & f->Gmask) >> f->Gshift, db = (d & f->Bmask) >> f->Bshift;
                uint32_t v = (mix(dr, c.r, a) << f->Rshift) | (mix(dg, c.g, a) << f->Gshift) | (mix(db, c.b, a) << f->Bshift);
                row[col] = (d & ~(f->Rmask | f->Gmask | f->Bmask)) | v;
            }
        }
    }
}

void glyphs_stats(const glyphs_t *g, long *rendered, long *hits, long *bytes)
{
    *rendered = g->rendered;
    *hits = g->hits;
    *bytes = g->bytes;
}
