/* Encodes a slip raster for ESC/POS thermal printers: initialise, raster bands, feed and cut. */
#include "wijkloket/slip.h"

#include <stdlib.h>
#include <string.h>

/* Many printers buffer a limited image height per command; bands of 256 rows print on all. */
#define BAND_ROWS 256

wl_rc wl_slip_escpos(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err)
{
    *buf = NULL;
    *len = 0;
    if (!r || !r->px || r->w <= 0 || r->h <= 0 || r->w > 65535 * 8) {
        wl_err_set(err, "ESC/POS: empty or too wide image");
        return WL_ERR_INVALID;
    }
    size_t xbytes = ((size_t)r->w + 7) / 8;
    size_t bands = ((size_t)r->h + BAND_ROWS - 1) / BAND_ROWS;
    size_t cap = 2 + bands * 8 + xbytes * (size_t)r->h + 16;
    unsigned char *o = calloc(1, cap), *p = o;
    if (!o) {
        wl_err_set(err, "ESC/POS: out of memory");
        return WL_ERR_NOMEM;
    }
    *p++ = 0x1B; /* ESC @: initialise, clears any half-sent state from an earlier job */
    *p++ = 0x40;
    for (int y0 = 0; y0 < r->h; y0 += BAND_ROWS) {
        int rows = r->h - y0 < BAND_ROWS ? r->h - y0 : BAND_ROWS;
        /* GS v 0 m xL xH yL yH: raster bit image, normal density, 1 = black dot. */
        *p++ = 0x1D;
        *p++ = 0x76;
        *p++ = 0x30;
        *p++ = 0x00;
        *p++ = (unsigned char)(xbytes & 0xFF);
        *p++ = (unsigned char)(xbytes >> 8);
        *p++ = (unsigned char)(rows & 0xFF);
        *p++ = (unsigned char)(rows >> 8);
        for (int y = y0; y < y0 + rows; y++) {
            const unsigned char *row = r->px + (size_t)y * (size_t)r->w;
            for (int x = 0; x < r->w; x++)
                if (row[x] < 128) p[x / 8] |= (unsigned char)(0x80 >> (x % 8));
            p += xbytes;
        }
    }
    /* GS V 66 n: feed n dots past the cutter and cut partially. ESC d 3 first moves the last
     * line clear of the tear bar on printers without a cutter. */
    *p++ = 0x1B;
    *p++ = 0x64;
    *p++ = 0x03;
    *p++ = 0x1D;
    *p++ = 0x56;
    *p++ = 0x42;
    *p++ = 0x00;
    *buf = o;
    *len = (size_t)(p - o);
    return WL_OK;
}
