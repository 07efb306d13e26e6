/* Pictograms from an icon font (Material Icons, fonts-material-design-icons-iconfont): the font
 * is looked up and read at start (icons_prepare) or when the first pictogram is drawn, and each
 * glyph is rendered once per size and colour into a small texture cache. */
#include "icons.h"

#include <SDL_ttf.h>
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ICON_FONTS 2    /* fonts open at once; each changes size as needed (glyphs are cached as textures) */
#define ICON_CACHE 64   /* glyph textures: a screen shows at most about twenty */

typedef struct {
    uint32_t cp, rgba;
    int size;
    SDL_Texture *tex;
    int w, h;          /* the texture: the glyph's ink box */
    unsigned long used;
} icon_entry_t;

struct icons {
    SDL_Renderer *ren;
    char family[128];
    char path[1024];
    bool tried, ok;
    void *data;
    size_t size;
    struct { int size; TTF_Font *font; unsigned long used; } fonts[ICON_FONTS];
    icon_entry_t cache[ICON_CACHE];
    unsigned long tick;
};

icons_t *icons_new(SDL_Renderer *ren, const char *family)
{
    icons_t *ic = calloc(1, sizeof *ic);
    if (!ic) return NULL;
    ic->ren = ren;
    snprintf(ic->family, sizeof ic->family, "%s", family ? family : "");
    return ic;
}

void icons_free(icons_t *ic)
{
    if (!ic) return;
    for (int i = 0; i < ICON_CACHE; i++)
        if (ic->cache[i].tex) SDL_DestroyTexture(ic->cache[i].tex);
    for (int i = 0; i < ICON_FONTS; i++)
        if (ic->fonts[i].font) TTF_CloseFont(ic->fonts[i].font);
    SDL_free(ic->data);
    free(ic);
}

void icons_shutdown(void)
{
    if (TTF_WasInit()) TTF_Quit();
}

/* Finds the family's TrueType file (the package also installs WOFF copies) and reads it once. */
static bool ready(icons_t *ic)
{
    if (ic->tried) return ic->ok;
    ic->tried = true;
    if (!ic->family[0]) return false;
    char pattern[200];
    snprintf(pattern, sizeof pattern, "%s:fontformat=TrueType", ic->family);
    FcPattern *pat = FcNameParse((const FcChar8 *)pattern);
    if (!pat) return false;
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *match = FcFontMatch(NULL, pat, &res);
    FcChar8 *file = NULL, *fam = NULL;
    /* fontconfig always matches something: only the family itself will do (a text font would
     * draw boxes for the Private Use Area). */
    if (match && FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
        FcPatternGetString(match, FC_FAMILY, 0, &fam) == FcResultMatch && !strcmp((const char *)fam, ic->family))
        snprintf(ic->path, sizeof ic->path, "%s", (const char *)file);
    if (match) FcPatternDestroy(match);
    FcPatternDestroy(pat);
    if (!ic->path[0]) {
        fprintf(stderr, "wijkloket: no icon font \"%s\" (install fonts-material-design-icons-iconfont): pictograms are not drawn\n",
                ic->family);
        return false;
    }
    if (!TTF_WasInit() && TTF_Init() != 0) return false;
    ic->data = SDL_LoadFile(ic->path, &ic->size);
    ic->ok = ic->data != NULL;
    return ic->ok;
}

static TTF_Font *font_at(icons_t *ic, int size)
{
    if (!ready(ic)) return NULL;
    int slot = 0;
    for (int i = 0; i < ICON_FONTS; i++) {
        if (ic->fonts[i].font && ic->fonts[i].size == size) {
            ic->fonts[i].used = ++ic->tick;
            return ic->fonts[i].font;
        }
        if (!ic->fonts[i].font || (ic->fonts[slot].font && ic->fonts[i].used < ic->fonts[slot].used)) slot = i;
    }
    /* The least used font changes size (0.02 ms) rather than a new one opening (about 1 ms). */
    TTF_Font *f = ic->fonts[slot].font;
    if (f && TTF_SetFontSize(f, size) != 0) return NULL;
    if (!f && !(f = TTF_OpenFontRW(SDL_RWFromConstMem(ic->data, (int)ic->size), 1, size))) return NULL;
    ic->fonts[slot].font = f;
    ic->fonts[slot].size = size;
    ic->fonts[slot].used = ++ic->tick;
    return f;
}

bool icons_prepare(icons_t *ic)
{
    return font_at(ic, 24) != NULL;
}

bool icons_has(icons_t *ic, uint32_t cp)
{
    TTF_Font *f = font_at(ic, 24);
    return f && TTF_GlyphIsProvided32(f, cp);
}

const char *icons_font_path(const icons_t *ic)
{
    return ic->ok ? ic->path : "";
}

static icon_entry_t *glyph(icons_t *ic, uint32_t cp, int size, SDL_Color c)
{
    uint32_t rgba = (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
    int slot = 0;
    for (int i = 0; i < ICON_CACHE; i++) {
        icon_entry_t *e = &ic->cache[i];
        if (e->tex && e->cp == cp && e->size == size && e->rgba == rgba) {
            e->used = ++ic->tick;
            return e;
        }
        if (!e->tex || (ic->cache[slot].tex && e->used < ic->cache[slot].used)) slot = i;
    }
    TTF_Font *f = font_at(ic, size);
    if (!f || !TTF_GlyphIsProvided32(f, cp)) return NULL;
    int minx, maxx, miny, maxy, adv;
    if (TTF_GlyphMetrics32(f, cp, &minx, &maxx, &miny, &maxy, &adv) != 0) return NULL;
    SDL_Surface *s = TTF_RenderGlyph32_Blended(f, cp, c);
    if (!s) return NULL;
    /* Only the ink box (from the glyph's metrics, baseline at the font's ascent) is kept: the
     * em square with the line's ascent and descent is about twice as many pixels. */
    SDL_Rect ink = { minx > 0 ? minx : 0, TTF_FontAscent(f) - maxy, maxx - minx, maxy - miny };
    if (ink.y < 0) ink.y = 0;
    if (ink.x + ink.w > s->w) ink.w = s->w - ink.x;
    if (ink.y + ink.h > s->h) ink.h = s->h - ink.y;
    SDL_Surface *crop = ink.w > 0 && ink.h > 0 ? SDL_CreateRGBSurfaceWithFormat(0, ink.w, ink.h, 32, s->format->format) : NULL;
    if (crop) {
        SDL_SetSurfaceBlendMode(s, SDL_BLENDMODE_NONE);
        SDL_BlitSurface(s, &ink, crop, NULL);
    }
    SDL_FreeSurface(s);
    if (!crop) return NULL;
    icon_entry_t *e = &ic->cache[slot];
    if (e->tex) SDL_DestroyTexture(e->tex);
    e->tex = SDL_CreateTextureFromSurface(ic->ren, crop);
    e->w = crop->w;
    e->h = crop->h;
    SDL_FreeSurface(crop);
    if (!e->tex) return NULL;
    e->cp = cp;
    e->size = size;
    e->rgba = rgba;
    e->used = ++ic->tick;
    return e;
}

bool icons_draw(icons_t *ic, uint32_t cp, SDL_Rect box, SDL_Color c, bool flip)
{
    int side = box.w < box.h ? box.w : box.h;
    if (side < 4) return false;
    /* Material icons are drawn on a 24 unit grid with 2 units of air: the em is the box. */
    icon_entry_t *e = glyph(ic, cp, side, c);
    if (!e) return false;
    /* The ink centred in the box, so every pictogram sits on the same centre line. */
    SDL_Rect dst = { box.x + (box.w - e->w) / 2, box.y + (box.h - e->h) / 2, e->w, e->h };
    SDL_RenderCopyEx(ic->ren, e->tex, NULL, &dst, 0, NULL, flip ? SDL_FLIP_HORIZONTAL : SDL_FLIP_NONE);
    return true;
}
