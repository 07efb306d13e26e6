/* Writes a slip raster as a one-page A6 PDF: a hand-made file with one RunLength image. */
#include "wijkloket/slip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *b;
    size_t len, cap;
    bool failed;
} out_t;

static void put(out_t *o, const void *data, size_t n)
{
    if (o->failed) return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 65536;
        while (cap < o->len + n) cap *= 2;
        unsigned char *nb = realloc(o->b, cap);
        if (!nb) {
            o->failed = true;
            return;
        }
        o->b = nb;
        o->cap = cap;
    }
    memcpy(o->b + o->len, data, n);
    o->len += n;
}

static void putf(out_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(out_t *o, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* PDF RunLengthDecode (the PackBits scheme): white paper compresses to almost nothing, and
 * it needs no zlib. */
static void run_length(out_t *o, const unsigned char *d, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t run = 1;
        while (i + run < n && run < 128 && d[i + run] == d[i]) run++;
        if (run >= 2) {
            unsigned char hdr[2] = {(unsigned char)(257 - run), d[i]};
            put(o, hdr, 2);
            i += run;
            continue;
        }
        size_t lit = 1;
        while (i + lit < n && lit < 128 && !(i + lit + 1 < n && d[i + lit] == d[i + lit + 1])) lit++;
        unsigned char hdr = (unsigned char)(lit - 1);
        put(o, &hdr, 1);
        put(o, d + i, lit);
        i += lit;
    }
    unsigned char eod = 128;
    put(o, &eod, 1);
}

wl_rc wl_slip_pdf(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err)
{
    *buf = NULL;
    *len = 0;
    if (!r || !r->px || r->w <= 0 || r->h <= 0) {
        wl_err_set(err, "PDF: empty image");
        return WL_ERR_INVALID;
    }
    /* A6 is 105 x 148 mm = 297.64 x 419.53 pt. The image fills the width; its height follows
     * its own aspect so nothing is stretched. */
    const double pw = 297.64, ph = 419.53;
    double iw = pw, ih = pw * r->h / r->w;
    if (ih > ph) {
        ih = ph;
        iw = ph * r->w / r->h;
    }
    out_t o = {0};
    size_t off[6];
    putf(&o, "%%PDF-1.4\n%%\xE2\xE3\xCF\xD3\n");
    off[1] = o.len;
    putf(&o, "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
    off[2] = o.len;
    putf(&o, "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
    off[3] = o.len;
    putf(&o,
         "3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 5 0 R >> >> "
         "/Contents 4 0 R >>\nendobj\n",
         pw, ph);
    char content[160];
    int cn = snprintf(content, sizeof content, "q %.2f 0 0 %.2f %.2f %.2f cm /Im0 Do Q\n", iw, ih, (pw - iw) / 2,
                      ph - ih);
    off[4] = o.len;
    putf(&o, "4 0 obj\n<< /Length %d >>\nstream\n", cn);
    put(&o, content, (size_t)cn);
    putf(&o, "endstream\nendobj\n");
    out_t img = {0};
    run_length(&img, r->px, (size_t)r->w * (size_t)r->h);
    if (img.failed) o.failed = true;
    off[5] = o.len;
    putf(&o,
         "5 0 obj\n<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
         "/BitsPerComponent 8 /Filter /RunLengthDecode /Length %zu >>\nstream\n",
         r->w, r->h, img.len);
    put(&o, img.b, img.len);
    free(img.b);
    putf(&o, "\nendstream\nendobj\n");
    size_t xref = o.len;
    putf(&o, "xref\n0 6\n0000000000 65535 f \n");
    for (int i = 1; i <= 5; i++) putf(&o, "%010zu 00000 n \n", off[i]);
    putf(&o, "trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
    if (o.failed) {
        free(o.b);
        wl_err_set(err, "PDF: out of memory");
        return WL_ERR_NOMEM;
    }
    *buf = o.b;
    *len = o.len;
    return WL_OK;
}
