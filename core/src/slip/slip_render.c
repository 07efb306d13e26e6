/* Lays the slip model out into a grayscale raster with FreeType text and a libqrencode QR code. */
#include "wijkloket/slip.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rendered glyph kept for reuse: a kiosk renders the same few hundred glyphs all day, and
 * FreeType's hinting and rasterising per glyph was most of a slip's render time. */
typedef struct {
    FT_Face face; /* NULL: empty entry */
    int size;
    unsigned long cp;
    long advance; /* 26.6 */
    int left, top, w, h;
    unsigned char *bits; /* w*h coverage bytes, owned */
} glyph_t;

#define GLYPH_CACHE 4096 /* open addressing; bounded memory for a kiosk that runs for weeks */

struct wl_slip_fonts {
    FT_Library lib;
    FT_Face regular, bold;
    glyph_t cache[GLYPH_CACHE];
    glyph_t scratch; /* for glyphs that do not fit the cache */
};

/* The glyph for cp in face at size px, rendered; NULL when the font cannot render it. */
static const glyph_t *glyph(wl_slip_fonts_t *f, FT_Face face, int size, unsigned long cp)
{
    size_t h = ((size_t)cp * 2654435761u) ^ ((size_t)size * 40503u) ^ (face == f->bold ? 0x9e37u : 0u);
    glyph_t *slot = NULL;
    for (size_t probe = 0; probe < 16; probe++) {
        glyph_t *g = &f->cache[(h + probe) % GLYPH_CACHE];
        if (!g->face) {
            slot = g;
            break;
        }
        if (g->face == face && g->size == size && g->cp == cp) return g;
    }
    if (!slot) {
        free(f->scratch.bits);
        memset(&f->scratch, 0, sizeof f->scratch);
        slot = &f->scratch;
    }
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size);
    if (FT_Load_Char(face, cp, FT_LOAD_RENDER)) return NULL;
    FT_GlyphSlot gs = face->glyph;
    glyph_t g = {face, size, cp, gs->advance.x, gs->bitmap_left, gs->bitmap_top, (int)gs->bitmap.width,
                 (int)gs->bitmap.rows, NULL};
    if (g.w > 0 && g.h > 0) {
        g.bits = malloc((size_t)g.w * (size_t)g.h);
        if (!g.bits) return NULL;
        for (int r = 0; r < g.h; r++)
            memcpy(g.bits + (size_t)r * (size_t)g.w, gs->bitmap.buffer + (long)r * gs->bitmap.pitch, (size_t)g.w);
    }
    *slot = g;
    return slot;
}

/* Finds a font file through fontconfig: Noto Sans is installed with fonts-noto-core. */
static wl_rc find_font(const char *pattern, char *path, size_t size, wl_err_t *err)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return WL_ERR_NOMEM;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    FcChar8 *file = NULL;
    if (!match || FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch || !file) {
        if (match) FcPatternDestroy(match);
        wl_err_set(err, "no font found for '%s': install fonts-noto-core", pattern);
        return WL_ERR_IO;
    }
    snprintf(path, size, "%s", (const char *)file);
    FcPatternDestroy(match);
    return WL_OK;
}

wl_rc wl_slip_fonts_open(wl_slip_fonts_t **out, wl_err_t *err)
{
    *out = NULL;
    wl_slip_fonts_t *f = calloc(1, sizeof *f);
    if (!f) return WL_ERR_NOMEM;
    char reg[1024], bold[1024];
    wl_rc rc = find_font("Noto Sans:style=Regular", reg, sizeof reg, err);
    if (!rc) rc = find_font("Noto Sans:style=Bold", bold, sizeof bold, err);
    if (!rc && FT_Init_FreeType(&f->lib)) {
        wl_err_set(err, "FreeType could not start");
        rc = WL_ERR_NOMEM;
    }
    if (!rc && (FT_New_Face(f->lib, reg, 0, &f->regular) || FT_New_Face(f->lib, bold, 0, &f->bold))) {
        wl_err_set(err, "cannot load the font %s or %s", reg, bold);
        rc = WL_ERR_IO;
    }
    if (rc) {
        wl_slip_fonts_close(f);
        return rc;
    }
    *out = f;
    return WL_OK;
}

void wl_slip_fonts_close(wl_slip_fonts_t *f)
{
    if (!f) return;
    for (size_t i = 0; i < GLYPH_CACHE; i++) free(f->cache[i].bits);
    free(f->scratch.bits);
    if (f->regular) FT_Done_Face(f->regular);
    if (f->bold) FT_Done_Face(f->bold);
    if (f->lib) FT_Done_FreeType(f->lib);
    free(f);
}

void wl_raster_free(wl_raster_t *r)
{
    if (!r) return;
    free(r->px);
    r->px = NULL;
    r->w = r->h = 0;
}

/* Sizes in pixels for one output, before any shrinking to fit a page. */
typedef struct {
    int width, margin, max_height; /* max_height 0 = as long as needed */
    int title, heading, text, bullet, small, ref, qr_module;
    bool side_qr; /* QR code beside the reference instead of under it (saves a page's height) */
} geometry_t;

static geometry_t geometry_for(wl_slip_format_t f)
{
    switch (f) {
    case WL_SLIP_A6: return (geometry_t){827, 40, 1165, 40, 30, 28, 26, 24, 84, 7, true};
    case WL_SLIP_SCREEN: return (geometry_t){600, 24, 0, 36, 28, 24, 22, 20, 64, 12, false};
    case WL_SLIP_THERMAL:
    default: return (geometry_t){WL_SLIP_THERMAL_WIDTH, 16, 0, 42, 32, 28, 26, 24, 80, 8, false};
    }
}

typedef struct {
    wl_slip_fonts_t *fonts;
    geometry_t g;
    unsigned char *px; /* NULL while measuring */
    int h;
    int y; /* top of the next line */
    /* Extra pixels between letters of the current paragraph: the reference code is spaced
     * out so that people and OCR tell its symbols apart. */
    int tracking;
    int size; /* pixel size of the current paragraph */
    int limit; /* text width for the current paragraph; 0 = between the margins */
} layout_t;

/* Next code point of UTF-8 text; malformed bytes become U+FFFD so a bad asset cannot crash. */
static unsigned long next_cp(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned long cp;
    int extra;
    if (p[0] < 0x80) { cp = p[0]; extra = 0; }
    else if ((p[0] & 0xE0) == 0xC0) { cp = p[0] & 0x1F; extra = 1; }
    else if ((p[0] & 0xF0) == 0xE0) { cp = p[0] & 0x0F; extra = 2; }
    else if ((p[0] & 0xF8) == 0xF0) { cp = p[0] & 0x07; extra = 3; }
    else { *s += 1; return 0xFFFD; }
    for (int i = 1; i <= extra; i++) {
        if ((p[i] & 0xC0) != 0x80) { *s += i; return 0xFFFD; }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s += extra + 1;
    return cp;
}

/* Width in pixels of n bytes of text. */
static int measure(layout_t *L, FT_Face face, const char *text, size_t n)
{
    long adv = 0;
    const char *p = text, *end = text + n;
    while (p < end && *p) {
        const glyph_t *g = glyph(L->fonts, face, L->size, next_cp(&p));
        if (g) adv += g->advance + ((long)L->tracking << 6);
    }
    return (int)(adv >> 6);
}

static void draw_text(layout_t *L, FT_Face face, const char *text, size_t n, int x, int baseline)
{
    if (!L->px) return;
    const char *p = text, *end = text + n;
    long pen = (long)x << 6;
    while (p < end && *p) {
        const glyph_t *g = glyph(L->fonts, face, L->size, next_cp(&p));
        if (!g) continue;
        int gx = (int)(pen >> 6) + g->left, gy = baseline - g->top;
        for (int r = 0; r < g->h; r++) {
            int yy = gy + r;
            if (yy < 0 || yy >= L->h) continue;
            const unsigned char *src = g->bits + (size_t)r * (size_t)g->w;
            for (int c = 0; c < g->w; c++) {
                int xx = gx + c;
                if (xx < 0 || xx >= L->g.width) continue;
                unsigned char *d = &L->px[(long)yy * L->g.width + xx];
                int ink = 255 - src[c];
                if (ink < *d) *d = (unsigned char)ink;
            }
        }
        pen += g->advance + ((long)L->tracking << 6);
    }
}

#define MAX_CHARS 400

/* Lays out one paragraph, wrapped at spaces into the width; indent applies to every line
 * after a bullet so wrapped lines stay under their text. Each glyph's advance is loaded
 * once, so a paragraph costs linear time however often it wraps. */
static void paragraph(layout_t *L, FT_Face face, int size, const char *text, bool centre, const char *bullet)
{
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size);
    L->size = size;
    int line_h = size * 13 / 10, ascent = (int)(face->size->metrics.ascender >> 6);
    int left = L->g.margin, indent = 0;
    if (bullet) indent = measure(L, face, bullet, strlen(bullet));
    long avail = (long)((L->limit ? L->limit : L->g.width - 2 * L->g.margin) - indent) << 6;
    /* off[i]: byte offset of character i; pre[i]: pen position (26.6) before character i. */
    size_t off[MAX_CHARS + 1];
    long pre[MAX_CHARS + 1];
    size_t n = 0;
    const char *p = text;
    pre[0] = 0;
    while (*p && n < MAX_CHARS) {
        off[n] = (size_t)(p - text);
        const glyph_t *g = glyph(L->fonts, face, size, next_cp(&p));
        long adv = g ? g->advance : 0;
        pre[n + 1] = pre[n] + adv + ((long)L->tracking << 6);
        n++;
    }
    off[n] = (size_t)(p - text);
    size_t i = 0;
    bool first = true;
    while (i < n || first) {
        /* Take whole words while they fit; a word wider than the line is cut by characters. */
        size_t end = i, j = i;
        while (j < n) {
            size_t w = j;
            while (w < n && text[off[w]] == ' ') w++;
            size_t we = w;
            while (we < n && text[off[we]] != ' ') we++;
            if (pre[we] - pre[i] > avail) break;
            end = j = we;
        }
        if (end == i && i < n) {
            end = i + 1;
            while (end < n && pre[end + 1] - pre[i] <= avail) end++;
        }
        int w = (int)((pre[end] - pre[i]) >> 6);
        int x = centre ? (L->g.width - w) / 2 : left + indent;
        if (bullet && first) draw_text(L, face, bullet, strlen(bullet), left, L->y + ascent);
        draw_text(L, face, text + off[i], off[end] - off[i], x, L->y + ascent);
        L->y += line_h;
        i = end;
        while (i < n && text[off[i]] == ' ') i++;
        first = false;
    }
}

/* Draws the QR code at the top of the current line, centred or (right) at the right margin;
 * *side gets its size including the quiet zone. Moves down only when centred. */
static wl_rc qr_block(layout_t *L, const char *ref, bool right, int *side_out, wl_err_t *err)
{
    QRcode *qr = QRcode_encodeString(ref, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        wl_err_set(err, "the QR code for %s could not be made", ref);
        return WL_ERR_NOMEM;
    }
    /* Four light modules on every side: the quiet zone scanners need to find the code. */
    int m = L->g.qr_module, side = (qr->width + 8) * m;
    while (side > L->g.width - 2 * L->g.margin && m > 2) side = (qr->width + 8) * --m;
    int x0 = right ? L->g.width - L->g.margin - side : (L->g.width - side) / 2, y0 = L->y;
    if (L->px) {
        for (int r = 0; r < qr->width; r++)
            for (int c = 0; c < qr->width; c++) {
                if (!(qr->data[r * qr->width + c] & 1)) continue;
                for (int dy = 0; dy < m; dy++) {
                    int yy = y0 + (r + 4) * m + dy;
                    if (yy >= L->h) continue;
                    memset(&L->px[(long)yy * L->g.width + x0 + (c + 4) * m], 0, (size_t)m);
                }
            }
    }
    if (!right) L->y += side;
    *side_out = side;
    QRcode_free(qr);
    return WL_OK;
}

static void rule(layout_t *L)
{
    L->y += 12;
    if (L->px)
        for (int t = 0; t < 3 && L->y + t < L->h; t++)
            memset(&L->px[(long)(L->y + t) * L->g.width + L->g.margin], 0, (size_t)(L->g.width - 2 * L->g.margin));
    L->y += 3 + 16;
}

/* The largest size up to `size` at which the spaced-out reference fits in width: it must
 * never wrap, or "ABCD-EFGH-" and "J" look like two codes. */
static int fit_reference(layout_t *L, FT_Face face, const char *text, int size, int width)
{
    for (; size > 16; size -= 2) {
        L->size = size;
        L->tracking = size / 10;
        if (measure(L, face, text, strlen(text)) <= width) break;
    }
    return size;
}

static wl_rc reference(layout_t *L, const wl_slip_t *s, size_t *i, wl_err_t *err)
{
    FT_Face bold = L->fonts->bold;
    const char *text = s->blocks[*i].text;
    L->y += L->g.small / 2;
    int full = L->g.width - 2 * L->g.margin;
    if (L->g.side_qr && *i + 1 < s->n && s->blocks[*i + 1].kind == WL_SLIP_QR) {
        int y0 = L->y, side = 0;
        wl_rc rc = qr_block(L, s->blocks[*i + 1].text, true, &side, err);
        if (rc) return rc;
        int area = full - side - 16, size = fit_reference(L, bold, text, L->g.ref, area);
        L->y = y0 + (side - size * 13 / 10) / 2;
        L->limit = area;
        paragraph(L, bold, size, text, false, NULL);
        L->limit = 0;
        L->tracking = 0;
        L->y = y0 + side;
        (*i)++; /* the QR block is done */
        return WL_OK;
    }
    int size = fit_reference(L, bold, text, L->g.ref, full);
    paragraph(L, bold, size, text, true, NULL);
    L->tracking = 0;
    return WL_OK;
}

static wl_rc run(layout_t *L, const wl_slip_t *s, wl_err_t *err)
{
    FT_Face reg = L->fonts->regular, bold = L->fonts->bold;
    L->y = L->g.margin;
    for (size_t i = 0; i < s->n; i++) {
        const wl_slip_block_t *b = &s->blocks[i];
        switch (b->kind) {
        case WL_SLIP_TITLE:
            if (i > 0) L->y += L->g.text / 2;
            paragraph(L, bold, L->g.title, b->text, true, NULL);
            break;
        case WL_SLIP_HEADING:
            L->y += L->g.heading / 3;
            paragraph(L, bold, L->g.heading, b->text, false, NULL);
            break;
        case WL_SLIP_TEXT: paragraph(L, reg, L->g.text, b->text, false, NULL); break;
        case WL_SLIP_BULLET: paragraph(L, reg, L->g.bullet, b->text, false, "\xE2\x80\xA2 "); break;
        case WL_SLIP_SMALL:
            L->y += L->g.small / 4;
            paragraph(L, reg, L->g.small, b->text, false, NULL);
            break;
        case WL_SLIP_REF: {
            wl_rc rc = reference(L, s, &i, err);
            if (rc) return rc;
            break;
        }
        case WL_SLIP_QR: {
            int side;
            wl_rc rc = qr_block(L, b->text, false, &side, err);
            if (rc) return rc;
            break;
        }
        case WL_SLIP_RULE: rule(L); break;
        }
    }
    L->y += L->g.margin;
    return WL_OK;
}

static void shrink(geometry_t *g, int pct)
{
    /* The reference and its QR code keep their size: they are what must be read. */
    int *v[] = {&g->title, &g->heading, &g->text, &g->bullet, &g->small};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) *v[i] = *v[i] * pct / 100;
}

wl_rc wl_slip_render(const wl_slip_t *slip, wl_slip_format_t format, wl_slip_fonts_t *fonts, wl_raster_t *out,
                     wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    wl_slip_fonts_t *own = NULL;
    wl_rc rc = WL_OK;
    if (!fonts) {
        if ((rc = wl_slip_fonts_open(&own, err))) return rc;
        fonts = own;
    }
    layout_t L = {fonts, geometry_for(format), NULL, 0, 0, 0, 0, 0};
    /* Measure first; a page format shrinks the type until everything fits on one page. */
    for (int tries = 0; tries < 8; tries++) {
        if ((rc = run(&L, slip, err))) goto done;
        if (!L.g.max_height || L.y <= L.g.max_height) break;
        shrink(&L.g, 90);
    }
    if (L.g.max_height && L.y > L.g.max_height) {
        wl_err_set(err, "slip %s does not fit on one page, even in small type", slip->ref);
        rc = WL_ERR_INVALID;
        goto done;
    }
    L.h = L.g.max_height ? L.g.max_height : L.y;
    L.px = malloc((size_t)L.g.width * (size_t)L.h);
    if (!L.px) {
        rc = WL_ERR_NOMEM;
        wl_err_set(err, "out of memory rendering a slip");
        goto done;
    }
    memset(L.px, 255, (size_t)L.g.width * (size_t)L.h);
    if ((rc = run(&L, slip, err))) {
        free(L.px);
        goto done;
    }
    out->w = L.g.width;
    out->h = L.h;
    out->px = L.px;
done:
    wl_slip_fonts_close(own);
    return rc;
}
