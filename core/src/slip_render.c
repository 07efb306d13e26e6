/* Lays the slip model out into a grayscale raster with FreeType text and a libqrencode QR code. */
#include "wijkloket/slip.h"

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct wl_slip_fonts {
    FT_Library lib;
    FT_Face regular, bold;
};

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
} geometry_t;

static geometry_t geometry_for(wl_slip_format_t f)
{
    switch (f) {
    case WL_SLIP_A6: return (geometry_t){827, 44, 1165, 40, 30, 26, 24, 22, 84, 7};
    case WL_SLIP_SCREEN: return (geometry_t){600, 24, 0, 36, 28, 24, 22, 20, 64, 12};
    case WL_SLIP_THERMAL:
    default: return (geometry_t){WL_SLIP_THERMAL_WIDTH, 16, 0, 42, 32, 28, 26, 24, 80, 8};
    }
}

typedef struct {
    const wl_slip_fonts_t *fonts;
    geometry_t g;
    unsigned char *px; /* NULL while measuring */
    int h;
    int y; /* top of the next line */
    /* Extra pixels between letters of the current paragraph: the reference code is spaced
     * out so that people and OCR tell its symbols apart. */
    int tracking;
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
static int measure(const layout_t *L, FT_Face face, const char *text, size_t n)
{
    long adv = 0;
    const char *p = text, *end = text + n;
    while (p < end && *p) {
        unsigned long cp = next_cp(&p);
        if (FT_Load_Char(face, cp, FT_LOAD_DEFAULT) == 0) adv += face->glyph->advance.x + ((long)L->tracking << 6);
    }
    return (int)(adv >> 6);
}

static void draw_text(layout_t *L, FT_Face face, const char *text, size_t n, int x, int baseline)
{
    if (!L->px) return;
    const char *p = text, *end = text + n;
    long pen = (long)x << 6;
    while (p < end && *p) {
        unsigned long cp = next_cp(&p);
        if (FT_Load_Char(face, cp, FT_LOAD_RENDER)) continue;
        FT_GlyphSlot g = face->glyph;
        int gx = (int)(pen >> 6) + g->bitmap_left, gy = baseline - g->bitmap_top;
        for (unsigned r = 0; r < g->bitmap.rows; r++) {
            int yy = gy + (int)r;
            if (yy < 0 || yy >= L->h) continue;
            const unsigned char *src = g->bitmap.buffer + (long)r * g->bitmap.pitch;
            for (unsigned c = 0; c < g->bitmap.width; c++) {
                int xx = gx + (int)c;
                if (xx < 0 || xx >= L->g.width) continue;
                unsigned char *d = &L->px[(long)yy * L->g.width + xx];
                int ink = 255 - src[c];
                if (ink < *d) *d = (unsigned char)ink;
            }
        }
        pen += g->advance.x + ((long)L->tracking << 6);
    }
}

/* Lays out one paragraph, wrapped at spaces into the width; indent applies to every line
 * after a bullet so wrapped lines stay under their text. */
static void paragraph(layout_t *L, FT_Face face, int size, const char *text, bool centre, const char *bullet)
{
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size);
    int line_h = size * 13 / 10, ascent = (int)(face->size->metrics.ascender >> 6);
    int left = L->g.margin, indent = 0;
    if (bullet) indent = measure(L, face, bullet, strlen(bullet));
    int avail = L->g.width - 2 * L->g.margin - indent;
    const char *p = text;
    bool first = true;
    while (*p || first) {
        /* Take words while they fit; a single word wider than the line is cut by characters. */
        const char *line_end = p, *q = p;
        while (*q) {
            const char *w = q;
            while (*w == ' ') w++;
            const char *we = w;
            while (*we && *we != ' ') we++;
            if (measure(L, face, p, (size_t)(we - p)) > avail) break;
            line_end = q = we;
        }
        if (line_end == p && *p) { /* nothing fitted: cut the word */
            const char *c = p;
            while (*c) {
                const char *nx = c;
                next_cp(&nx);
                if (measure(L, face, p, (size_t)(nx - p)) > avail && c > p) break;
                c = nx;
            }
            line_end = c;
        }
        size_t n = (size_t)(line_end - p);
        int w = measure(L, face, p, n);
        int x = centre ? (L->g.width - w) / 2 : left + indent;
        if (bullet && first) draw_text(L, face, bullet, strlen(bullet), left, L->y + ascent);
        draw_text(L, face, p, n, x, L->y + ascent);
        L->y += line_h;
        p = line_end;
        while (*p == ' ') p++;
        first = false;
    }
}

static wl_rc qr_block(layout_t *L, const char *ref, wl_err_t *err)
{
    QRcode *qr = QRcode_encodeString(ref, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) {
        wl_err_set(err, "the QR code for %s could not be made", ref);
        return WL_ERR_NOMEM;
    }
    /* Four light modules on every side: the quiet zone scanners need to find the code. */
    int m = L->g.qr_module, side = (qr->width + 8) * m;
    while (side > L->g.width - 2 * L->g.margin && m > 2) side = (qr->width + 8) * --m;
    int x0 = (L->g.width - side) / 2, y0 = L->y;
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
    L->y += side;
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
        case WL_SLIP_REF:
            L->y += L->g.small / 2;
            L->tracking = L->g.ref / 10;
            paragraph(L, bold, L->g.ref, b->text, true, NULL);
            L->tracking = 0;
            break;
        case WL_SLIP_QR: {
            wl_rc rc = qr_block(L, b->text, err);
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
    layout_t L = {fonts, geometry_for(format), NULL, 0, 0, 0};
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
