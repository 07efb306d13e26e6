/* Encodes a slip raster as an 8-bit grayscale PNG in memory, and writes files atomically. */
#include "wijkloket/slip.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    unsigned char *buf;
    size_t len, cap;
    bool failed;
} membuf_t;

static void write_cb(png_structp png, png_bytep data, png_size_t n)
{
    membuf_t *m = png_get_io_ptr(png);
    if (m->failed) return;
    if (m->len + n > m->cap) {
        size_t cap = m->cap ? m->cap : 65536;
        while (cap < m->len + n) cap *= 2;
        unsigned char *nb = realloc(m->buf, cap);
        if (!nb) {
            m->failed = true;
            return;
        }
        m->buf = nb;
        m->cap = cap;
    }
    memcpy(m->buf + m->len, data, n);
    m->len += n;
}

static void flush_cb(png_structp png)
{
    (void)png;
}

wl_rc wl_slip_png(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err)
{
    *buf = NULL;
    *len = 0;
    if (!r || !r->px || r->w <= 0 || r->h <= 0) {
        wl_err_set(err, "PNG: empty image");
        return WL_ERR_INVALID;
    }
    /* volatile: the buffer must survive libpng's longjmp on an internal error. */
    membuf_t *volatile m = calloc(1, sizeof *m);
    if (!m) return WL_ERR_NOMEM;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        free(m->buf);
        free(m);
        wl_err_set(err, "PNG: encoding failed");
        return WL_ERR_NOMEM;
    }
    png_set_write_fn(png, m, write_cb, flush_cb);
    png_set_IHDR(png, info, (png_uint_32)r->w, (png_uint_32)r->h, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    /* 8 dots per mm (203 dpi) so viewers show the slip at its paper size. */
    png_set_pHYs(png, info, 7874, 7874, PNG_RESOLUTION_METER);
    png_write_info(png, info);
    for (int y = 0; y < r->h; y++) png_write_row(png, r->px + (size_t)y * (size_t)r->w);
    png_write_end(png, info);
    png_destroy_write_struct(&png, &info);
    if (m->failed) {
        free(m->buf);
        free(m);
        wl_err_set(err, "PNG: out of memory");
        return WL_ERR_NOMEM;
    }
    *buf = m->buf;
    *len = m->len;
    free(m);
    return WL_OK;
}

wl_rc wl_slip_write_file(const char *path, const unsigned char *buf, size_t len, wl_err_t *err)
{
    char tmp[4096];
    if (!path || snprintf(tmp, sizeof tmp, "%s.tmp%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        wl_err_set(err, "output path too long");
        return WL_ERR_IO;
    }
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        wl_err_set(err, "%s: cannot write: %s", path, strerror(errno));
        return WL_ERR_IO;
    }
    bool ok = fwrite(buf, 1, len, f) == len;
    ok = (fflush(f) == 0) && ok;
    ok = (fsync(fileno(f)) == 0) && ok;
    int saved = errno;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        if (ok) saved = errno;
        unlink(tmp);
        wl_err_set(err, "%s: cannot write: %s", path, strerror(saved));
        return WL_ERR_IO;
    }
    return WL_OK;
}
