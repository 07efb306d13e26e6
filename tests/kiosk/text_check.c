/* Checks the kiosk's text layer: no catalogue string needs a glyph no font has, and a code inside an Arabic sentence is drawn left to right in its place. */
#include <SDL.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The ink columns of a rendered surface between x0 and x1: true when any pixel is drawn. */
static bool ink_in(SDL_Surface *s, int x0, int x1)
{
    const Uint32 *px = s->pixels;
    int stride = s->pitch / 4;
    for (int y = 0; y < s->h; y++)
        for (int x = x0 < 0 ? 0 : x0; x < x1 && x < s->w; x++)
            if ((px[y * stride + x] & 0xFFFFFF) != 0xFFFFFF) return true;
    return false;
}

/* "رمز AB12-CD34 هنا": read from the right, the code sits between the two Arabic words and
 * is itself left to right. */
static int check_mixed(text_t *t, SDL_Renderer *ren, SDL_Surface *surf)
{
    const char *s = "\xd8\xb1\xd9\x85\xd8\xb2 AB12-CD34 \xd9\x87\xd9\x86\xd8\xa7";
    const char *code = strstr(s, "AB12");
    int code_at = (int)(code - s), first_end = (int)(code - s) - 1, last_at = code_at + 10;
    text_set_rtl(t, true);
    text_run_t r[16];
    int missing = -1, n = text_layout_runs(t, s, 40, false, r, 16, &missing);
    int fails = 0;
    int ix_first = -1, ix_code = -1, ix_last = -1;
    for (int i = 0; i < n; i++) {
        printf("  run %d: bytes %d-%d x %d w %d %s face %d\n", i, r[i].start, r[i].end, r[i].x, r[i].w,
               r[i].rtl ? "rtl" : "ltr", r[i].face);
        if (r[i].start <= 0 && r[i].end >= 6) ix_first = i;
        if (r[i].start <= code_at && r[i].end >= code_at + 9) ix_code = i;
        if (r[i].start <= last_at && r[i].end >= (int)strlen(s)) ix_last = i;
    }
    (void)first_end;
    if (missing != 0) { printf("FAIL mixed: %d characters without a glyph\n", missing); fails++; }
    if (ix_first < 0 || ix_code < 0 || ix_last < 0 || ix_first == ix_code || ix_code == ix_last) {
        printf("FAIL mixed: the Arabic words and the code are not separate runs\n");
        return fails + 1;
    }
    /* Drawn order, left to right: last Arabic word, the code, first Arabic word. */
    if (!(r[ix_last].x < r[ix_code].x && r[ix_code].x < r[ix_first].x)) {
        printf("FAIL mixed: drawn order is not هنا | AB12-CD34 | رمز\n");
        fails++;
    }
    if (r[ix_code].rtl || !r[ix_first].rtl || !r[ix_last].rtl) {
        printf("FAIL mixed: the code must be left to right, the Arabic right to left\n");
        fails++;
    }
    /* The drawn pixels: each run's box has ink, and the code reads A..4 from left to right. */
    SDL_SetRenderDrawColor(ren, 255, 255, 255, 255);
    SDL_RenderClear(ren);
    int w, h;
    text_size(t, s, 40, false, &w, &h);
    text_draw(t, s, (SDL_Rect){ 0, 0, w + 4, h * 2 }, 40, false, (SDL_Color){ 0, 0, 0, 255 }, TA_LEFT, true);
    SDL_RenderPresent(ren);
    int check[3] = { ix_last, ix_code, ix_first };
    for (int k = 0; k < 3; k++) {
        const text_run_t *c = &r[check[k]];
        if (!ink_in(surf, c->x + 2, c->x + c->w - 2)) {
            printf("FAIL mixed: nothing drawn where run %d should be\n", check[k]);
            fails++;
        }
    }
    int wcode, hh;
    text_size(t, "AB12-CD34", 40, false, &wcode, &hh);
    if (r[ix_code].w < wcode - 2) {
        printf("FAIL mixed: the code's run is narrower (%d) than the code alone (%d)\n", r[ix_code].w, wcode);
        fails++;
    }
    text_set_rtl(t, false);
    return fails;
}

/* Reads lines (one catalogue string each, "lang<TAB>text" with \n escaped) from stdin and
 * counts the characters no font can draw. */
static int check_strings(text_t *t)
{
    char line[8192];
    int fails = 0, n = 0;
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        char *s = tab + 1;
        for (char *p = s; (p = strstr(p, "\\n"));) { *p = ' '; memmove(p + 1, p + 2, strlen(p + 2) + 1); }
        text_set_rtl(t, !strcmp(line, "ar"));
        text_run_t r[64];
        for (int bold = 0; bold < 2; bold++) {
            int missing = 0;
            text_layout_runs(t, s, 30, bold, r, 64, &missing);
            if (missing) {
                printf("FAIL %s: %d character(s) without a glyph in \"%s\"%s\n", line, missing, s, bold ? " (bold)" : "");
                fails++;
            }
        }
        n++;
    }
    printf("%d strings checked, %d with missing glyphs\n", n, fails);
    return n == 0 ? 1 : fails;
}

int main(int argc, char **argv)
{
    (void)argv;
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, 1200, 200, 32, SDL_PIXELFORMAT_ARGB8888);
    SDL_Renderer *ren = surf ? SDL_CreateSoftwareRenderer(surf) : NULL;
    if (!ren) { fprintf(stderr, "no software renderer: %s\n", SDL_GetError()); return 2; }
    char msg[256];
    text_t *t = text_new(ren, "", "", msg, sizeof msg);
    if (!t) { fprintf(stderr, "%s\n", msg); return 2; }
    int fails = 0;
    if (text_faces_open(t) != 1) { printf("FAIL lazy: %d faces open before any text\n", text_faces_open(t)); fails++; }
    int w, h;
    text_size(t, "Welkom bij het Wijkloket", 40, true, &w, &h);
    if (text_faces_open(t) != 1) { printf("FAIL lazy: Dutch text opened %d faces\n", text_faces_open(t)); fails++; }
    fails += check_mixed(t, ren, surf);
    if (argc > 1 && !strcmp(argv[1], "--strings")) fails += check_strings(t);
    text_free(t);
    SDL_DestroyRenderer(ren);
    SDL_FreeSurface(surf);
    printf(fails ? "FAILED\n" : "ok\n");
    return fails ? 1 : 0;
}
