/* Checks the pictograms: the icon font opens only when the first one is drawn, every glyph of
 * assets/pictograms.json is in the font and draws ink inside its box, and a directional one
 * drawn flipped is the mirror image of itself. Coverage: every choice of the minima wizard
 * (assets/minima/wizard.json) names a pictogram that the map has. */
#include <SDL.h>
#include <stdio.h>
#include <string.h>

#include "icons.h"
#include "wijkloket/minima_wizard.h"
#include "wijkloket/pictograms.h"

#define BOX 96

static Uint32 px(SDL_Surface *s, int x, int y)
{
    return ((const Uint32 *)s->pixels)[y * (s->pitch / 4) + x] & 0xFFFFFF;
}

/* Solidly inked (not an anti-aliased edge, whose shade depends on sub-pixel placement). */
static bool dark(SDL_Surface *s, int x, int y)
{
    return (px(s, x, y) & 0xFF) < 0xC0;
}

/* Draws cp on white; returns the number of inked pixels and whether any fell outside the box. */
static long draw(icons_t *ic, SDL_Renderer *ren, SDL_Surface *surf, uint32_t cp, bool flip, bool *outside)
{
    SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
    SDL_RenderClear(ren);
    SDL_Rect box = { BOX, BOX, BOX, BOX };
    if (!icons_draw(ic, cp, box, (SDL_Color){ 0x0B, 0x4F, 0x8A, 255 }, flip)) return 0;
    SDL_RenderPresent(ren);
    long ink = 0;
    *outside = false;
    for (int y = 0; y < surf->h; y++)
        for (int x = 0; x < surf->w; x++) {
            if (px(surf, x, y) == 0xFFFFFF) continue;
            ink++;
            if (x < box.x || x >= box.x + box.w || y < box.y || y >= box.y + box.h) *outside = true;
        }
    return ink;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "assets/pictograms.json";
    wl_pictograms_t *m = NULL;
    wl_err_t err = { { 0 } };
    if (wl_pictograms_load(path, &m, &err) != WL_OK) { printf("FAIL %s\n", err.msg); return 1; }
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 3 * BOX, 3 * BOX, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Surface *left = SDL_CreateRGBSurfaceWithFormat(0, 3 * BOX, 3 * BOX, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!ren || !left) { fprintf(stderr, "no software renderer: %s\n", SDL_GetError()); return 2; }
    icons_t *ic = icons_new(ren, wl_pictograms_family(m));
    int fails = 0, flipped = 0;
    if (icons_font_path(ic)[0]) { printf("FAIL lazy: the icon font was opened before any pictogram\n"); fails++; }
    for (size_t i = 0; i < wl_pictograms_count(m); i++) {
        const wl_pictogram_t *p = wl_pictograms_at(m, i);
        bool outside = false;
        if (!icons_has(ic, p->codepoint)) {
            printf("FAIL %s:%d: pictogram '%s' (%s, U+%04X) is not in the font %s\n", path, p->line, p->name, p->icon,
                   p->codepoint, icons_font_path(ic));
            fails++;
            continue;
        }
        long ink = draw(ic, ren, surf, p->codepoint, false, &outside);
        if (ink < BOX * BOX / 40 || outside) {
            printf("FAIL %s:%d: pictogram '%s' draws %ld inked pixels%s\n", path, p->line, p->name, ink,
                   outside ? ", some outside its box" : "");
            fails++;
        }
        if (!p->mirror) continue;
        /* Flipped: every pixel is the one mirrored across the box's centre line. */
        SDL_BlitSurface(surf, NULL, left, NULL);
        draw(ic, ren, surf, p->codepoint, true, &outside);
        /* Centring an odd ink width may land one column apart: the best of three shifts. */
        long differ = -1, same = 0;
        for (int d = -1; d <= 1; d++) {
            long n = 0;
            for (int y = 0; y < surf->h; y++)
                for (int x = 1; x < surf->w - 1; x++) n += dark(surf, x, y) != dark(left, 3 * BOX - 1 - x + d, y);
            if (differ < 0 || n < differ) differ = n;
        }
        for (int y = 0; y < surf->h; y++)
            for (int x = 0; x < surf->w; x++) same += dark(surf, x, y) != dark(left, x, y);
        if (differ > BOX / 2) {
            printf("FAIL pictogram '%s' flipped is not its mirror image (%ld pixels differ)\n", p->name, differ);
            fails++;
        }
        if (same < ink / 10) {
            printf("FAIL pictogram '%s' is marked directional but looks the same flipped\n", p->name);
            fails++;
        }
        flipped++;
    }
    if (!flipped) { printf("FAIL no directional pictogram was checked\n"); fails++; }
    /* The assets folder is the pictogram map's. */
    char assets[1024];
    snprintf(assets, sizeof assets, "%s", path);
    char *slash = strrchr(assets, '/');
    if (slash) *slash = 0; else snprintf(assets, sizeof assets, ".");
    wl_minima_wizard_t *wz = NULL;
    int wiz_choices = 0;
    if (wl_minima_wizard_load(assets, &wz, &err) != WL_OK) {
        printf("FAIL %s\n", err.msg);
        fails++;
    }
    for (int k = 0; wz && k < WL_WIZ_STEPS; k++) {
        const wl_wiz_step_t *st = wl_minima_wizard_step(wz, (wl_wiz_step_id)k);
        for (int o = 0; st && o < st->n_options; o++, wiz_choices++) {
            const wl_pictogram_t *p = st->pictograms[o] ? wl_pictograms_find(m, st->pictograms[o]) : NULL;
            if (!p || !icons_has(ic, p->codepoint)) {
                printf("FAIL wizard step '%s' option %d (%s): pictogram '%s' has no image\n", st->id, o + 1, st->options[o],
                       st->pictograms[o] ? st->pictograms[o] : "(none)");
                fails++;
            }
        }
    }
    wl_minima_wizard_free(wz);
    if (wz && !wiz_choices) { printf("FAIL the wizard has no choices to check\n"); fails++; }
    printf("%d wizard choices have a pictogram\n", wiz_choices);
    printf("%zu pictograms from %s, %d directional\n", wl_pictograms_count(m), icons_font_path(ic), flipped);
    icons_free(ic);
    wl_pictograms_free(m);
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
    SDL_FreeSurface(left);
    printf(fails ? "FAILED\n" : "ok\n");
    return fails ? 1 : 0;
}
