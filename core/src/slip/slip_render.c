/* Lays the slip model out into a grayscale raster: text shaped and ordered by libraqm (HarfBuzz +
 * FriBidi) in a FreeType face per script, and a libqrencode QR code. */
#include "wijkloket/slip.h"

#include <fontconfig/fontconfig.h>
#include <raqm.h>
#include <stdint.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A rendered glyph kept for reuse: a kiosk renders the same few hundred glyphs all day, and
 * FreeType's hinting and rasterising per glyph was most of a slip's render time. Keyed by the
 * shaped glyph index, not the character: HarfBuzz picks Arabic's joining forms. */
typedef struct {
    FT_Face face; /* NULL: empty entry */
    int size;
    unsigned long gid;
    int left, top, w, h;
    unsigned char *bits; /* w*h coverage bytes, owned */
} glyph_t;

#define GLYPH_CACHE 4096 /* open addressing; bounded memory for a kiosk that runs for weeks */

/* Faces beside the main Noto Sans, found on first use so a Dutch slip opens no more. */
enum { SCRIPT_ARABIC, SCRIPT_ETHIOPIC, SCRIPT_COUNT };
static const char *const SCRIPT_FAMILY[SCRIPT_COUNT] = {"Noto Sans Arabic", "Noto Sans Ethiopic"};
static const unsigned long SCRIPT_PROBE[SCRIPT_COUNT] = {0x0628, 0x1200};

struct wl_slip_fonts {
    FT_Library lib;
    FT_Face regular, bold;
    FT_Face script[SCRIPT_COUNT][2]; /* [script][bold] */
    bool tried[SCRIPT_COUNT];
    long notdef; /* glyphs drawn as the missing-glyph box since the fonts were opened */
    glyph_t cache[GLYPH_CACHE];
    glyph_t scratch; /* for glyphs that do not fit the cache */
};

/* The glyph gid of face at size px, rendered; NULL when the font cannot render it. */
static const glyph_t *glyph(wl_slip_fonts_t *f, FT_Face face, int size, unsigned long gid)
{
    size_t h = ((size_t)gid * 2654435761u) ^ ((size_t)size * 40503u) ^ ((size_t)(uintptr_t)face >> 4);
    glyph_t *slot = NULL;
    for (size_t probe = 0; probe < 16; probe++) {
        glyph_t *g = &f->cache[(h + probe) % GLYPH_CACHE];
        if (!g->face) {
            slot = g;
            break;
        }
        if (g->face == face && g->size == size && g->gid == gid) return g;
    }
    if (!slot) {
        free(f->scratch.bits);
        memset(&f->scratch, 0, sizeof f->scratch);
        slot = &f->scratch;
    }
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size);
    if (FT_Load_Glyph(face, (FT_UInt)gid, FT_LOAD_RENDER)) return NULL;
    FT_GlyphSlot gs = face->glyph;
    glyph_t g = {face, size, gid, gs->bitmap_left, gs->bitmap_top, (int)gs->bitmap.width, (int)gs->bitmap.rows, NULL};
    if (g.w > 0 && g.h > 0) {
        g.bits = malloc((size_t)g.w * (size_t)g.h);
        if (!g.bits) return NULL;
        for (int r = 0; r < g.h; r++)
            memcpy(g.bits + (size_t)r * (size_t)g.w, gs->bitmap.buffer + (long)r * gs->bitmap.pitch, (size_t)g.w);
    }
    *slot = g;
    return slot;
}

/* Finds a font file through fontconfig: Noto Sans is installed with fonts-noto-core. With
 * probe, only a font that has that character will do. */
static wl_rc find_font_for(const char *pattern, unsigned long probe, char *path, size_t size, wl_err_t *err)
{
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return WL_ERR_NOMEM;
    FcCharSet *want = NULL;
    if (probe) {
        want = FcCharSetCreate();
        FcCharSetAddChar(want, (FcChar32)probe);
        FcPatternAddCharSet(pat, FC_CHARSET, want);
    }
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    if (want) FcCharSetDestroy(want);
    FcChar8 *file = NULL;
    FcCharSet *has = NULL;
    if (!match || FcPatternGetString(match, FC_FILE, 0, &file) != FcResultMatch || !file ||
        (probe && (FcPatternGetCharSet(match, FC_CHARSET, 0, &has) != FcResultMatch ||
                   !FcCharSetHasChar(has, (FcChar32)probe)))) {
        if (match) FcPatternDestroy(match);
        wl_err_set(err, "no font found for '%s': install fonts-noto-core", pattern);
        return WL_ERR_IO;
    }
    snprintf(path, size, "%s", (const char *)file);
    FcPatternDestroy(match);
    return WL_OK;
}

static wl_rc find_font(const char *pattern, char *path, size_t size, wl_err_t *err)
{
    return find_font_for(pattern, 0, path, size, err);
}

/* The face for a script, opened on first use; NULL when fontconfig has none. */
static FT_Face script_face(wl_slip_fonts_t *f, int script, bool bold)
{
    if (!f->tried[script]) {
        f->tried[script] = true;
        for (int b = 0; b < 2; b++) {
            char pat[128], path[1024];
            wl_err_t e;
            snprintf(pat, sizeof pat, "%s:style=%s", SCRIPT_FAMILY[script], b ? "Bold" : "Regular");
            if (find_font_for(pat, SCRIPT_PROBE[script], path, sizeof path, &e) ||
                FT_New_Face(f->lib, path, 0, &f->script[script][b]))
                f->script[script][b] = NULL;
        }
    }
    return f->script[script][bold ? 1 : 0];
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
    for (int s = 0; s < SCRIPT_COUNT; s++)
        for (int b = 0; b < 2; b++)
            if (f->script[s][b]) FT_Done_Face(f->script[s][b]);
    if (f->lib) FT_Done_FreeType(f->lib);
    free(f);
}

long wl_slip_fonts_notdef(const wl_slip_fonts_t *f)
{
    return f ? f->notdef : 0;
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
    bool rtl; /* the current paragraph reads right to left: lines align to the right */
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

/* Characters that make a paragraph right to left (Hebrew, Arabic and their presentation forms). */
static bool rtl_cp(unsigned long cp)
{
    return (cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0xFB1D && cp <= 0xFEFF);
}

/* The script face a character needs, or -1 for the main Noto Sans. */
static int script_of(unsigned long cp)
{
    if ((cp >= 0x0600 && cp <= 0x06FF) || (cp >= 0x0750 && cp <= 0x077F) || (cp >= 0x08A0 && cp <= 0x08FF) ||
        (cp >= 0xFB50 && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF))
        return SCRIPT_ARABIC;
    if ((cp >= 0x1200 && cp <= 0x139F) || (cp >= 0x2D80 && cp <= 0x2DDF) || (cp >= 0xAB00 && cp <= 0xAB2F))
        return SCRIPT_ETHIOPIC;
    return -1;
}

/* Shapes n bytes of text at the current size and paragraph direction: runs of Arabic or
 * Ethiopic letters in their own face, the rest in face. NULL when raqm fails. */
static raqm_t *shape(layout_t *L, FT_Face face, const char *text, size_t n)
{
    bool bold = face == L->fonts->bold;
    raqm_t *rq = raqm_create();
    if (!rq) return NULL;
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)L->size);
    bool ok = raqm_set_text_utf8(rq, text, n) && raqm_set_freetype_face(rq, face) &&
              raqm_set_par_direction(rq, L->rtl ? RAQM_DIRECTION_RTL : RAQM_DIRECTION_LTR);
    const char *p = text, *end = text + n;
    while (ok && p < end) {
        const char *q = p;
        int sc = script_of(next_cp(&q));
        if (sc < 0) {
            p = q;
            continue;
        }
        const char *e = q;
        while (e < end) {
            const char *r = e;
            if (script_of(next_cp(&r)) != sc) break;
            e = r;
        }
        FT_Face sf = script_face(L->fonts, sc, bold);
        if (sf) {
            FT_Set_Pixel_Sizes(sf, 0, (FT_UInt)L->size);
            ok = raqm_set_freetype_face_range(rq, sf, (size_t)(p - text), (size_t)(e - p));
        }
        p = e;
    }
    if (!ok || !raqm_layout(rq)) {
        raqm_destroy(rq);
        return NULL;
    }
    return rq;
}

/* Width in pixels of n bytes of text, shaped. */
static int measure(layout_t *L, FT_Face face, const char *text, size_t n)
{
    if (n == 0) return 0;
    raqm_t *rq = shape(L, face, text, n);
    if (!rq) return 0;
    size_t count = 0;
    raqm_glyph_t *g = raqm_get_glyphs(rq, &count);
    long adv = 0;
    for (size_t i = 0; g && i < count; i++) adv += g[i].x_advance + ((long)L->tracking << 6);
    raqm_destroy(rq);
    return (int)(adv >> 6);
}

/* Draws n bytes of text as one line, its left edge at x: raqm gives the glyphs in visual order. */
static void draw_text(layout_t *L, FT_Face face, const char *text, size_t n, int x, int baseline)
{
    if (!L->px || n == 0) return;
    raqm_t *rq = shape(L, face, text, n);
    if (!rq) return;
    size_t count = 0;
    raqm_glyph_t *gl = raqm_get_glyphs(rq, &count);
    long pen = (long)x << 6;
    for (size_t k = 0; gl && k < count; k++) {
        if (gl[k].index == 0) L->fonts->notdef++;
        const glyph_t *g = glyph(L->fonts, gl[k].ftface, L->size, gl[k].index);
        if (g) {
            int gx = (int)((pen + gl[k].x_offset) >> 6) + g->left, gy = baseline - (int)(gl[k].y_offset >> 6) - g->top;
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
        }
        pen += gl[k].x_advance + ((long)L->tracking << 6);
    }
    raqm_destroy(rq);
}

/* Draws one line of a paragraph: centred, or from the start side (the right in a right-to-left
 * paragraph), after the indent. */
static void line_out(layout_t *L, FT_Face face, const char *text, size_t n, bool centre, int indent, int baseline)
{
    int w = measure(L, face, text, n), avail = L->limit ? L->limit : L->g.width - 2 * L->g.margin;
    int x = centre ? (L->g.width - w) / 2 : L->rtl ? L->g.margin + avail - indent - w : L->g.margin + indent;
    draw_text(L, face, text, n, x, baseline);
}

/* Lays out one paragraph, wrapped at spaces into the width; indent applies to every line
 * after a bullet so wrapped lines stay under their text. Each word is shaped once to measure
 * it (joining never crosses a space) and each line once to draw it. */
static void paragraph(layout_t *L, FT_Face face, int size, const char *text, bool centre, const char *bullet)
{
    FT_Set_Pixel_Sizes(face, 0, (FT_UInt)size);
    L->size = size;
    L->rtl = false;
    for (const char *q = text; *q;)
        if (rtl_cp(next_cp(&q))) L->rtl = true;
    int line_h = size * 13 / 10, ascent = (int)(face->size->metrics.ascender >> 6);
    int indent = 0;
    if (bullet) indent = measure(L, face, bullet, strlen(bullet));
    int full = L->limit ? L->limit : L->g.width - 2 * L->g.margin;
    int avail = full - indent, space = measure(L, face, " ", 1);
    size_t len = strlen(text), i = 0;
    while (i < len && text[i] == ' ') i++;
    bool first = true;
    while (i < len || first) {
        /* Take whole words while they fit; a word wider than the line is cut by characters. */
        size_t end = i, j = i;
        int w = 0;
        while (j < len) {
            size_t ws = j;
            while (ws < len && text[ws] == ' ') ws++;
            size_t we = ws;
            while (we < len && text[we] != ' ') we++;
            if (we == ws) break;
            int ww = measure(L, face, text + ws, we - ws);
            int nw = end == i ? ww : w + space * (int)(ws - j) + ww;
            if (nw > avail) break;
            w = nw;
            end = j = we;
        }
        if (end == i && i < len) {
            const char *p = text + i;
            next_cp(&p);
            end = (size_t)(p - text); /* at least one character per line */
            while (end < len && text[end] != ' ') {
                const char *q = text + end;
                next_cp(&q);
                if (measure(L, face, text + i, (size_t)(q - text) - i) > avail) break;
                end = (size_t)(q - text);
            }
        }
        int baseline = L->y + ascent;
        if (bullet && first && L->px) {
            int bw = indent;
            draw_text(L, face, bullet, strlen(bullet), L->rtl ? L->g.margin + full - bw : L->g.margin, baseline);
        }
        line_out(L, face, text + i, end - i, centre, indent, baseline);
        L->y += line_h;
        i = end;
        while (i < len && text[i] == ' ') i++;
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
    layout_t L = {fonts, geometry_for(format), NULL, 0, 0, 0, 0, 0, false};
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
