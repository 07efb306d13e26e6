/* libpng reading and writing for screenshots and goldens; one goto-done cleanup path each. */
#include "png_io.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool png_write_rgba(const char *path, const uint8_t *px, int w, int h, int stride, char *msg, size_t msgsz)
{
    /* Screenshots are opaque: store RGB, which also keeps goldens small. */
    uint8_t *rgb = malloc((size_t)w * (size_t)h * 3);
    if (!rgb) { snprintf(msg, msgsz, "out of memory writing %s", path); return false; }
    for (int y = 0; y < h; y++) {
        const uint8_t *src = px + (size_t)y * (size_t)stride;
        uint8_t *dst = rgb + (size_t)y * (size_t)w * 3;
        for (int x = 0; x < w; x++) memcpy(dst + 3 * x, src + 4 * x, 3);
    }
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    img.width = (png_uint_32)w;
    img.height = (png_uint_32)h;
    img.format = PNG_FORMAT_RGB;
    bool ok = png_image_write_to_file(&img, path, 0, rgb, 0, NULL) != 0;
    if (!ok) snprintf(msg, msgsz, "writing %s failed: %s", path, img.message);
    png_image_free(&img);
    free(rgb);
    return ok;
}

bool png_read_rgba(const char *path, uint8_t **out, int *ow, int *oh, char *msg, size_t msgsz)
{
    png_image img;
    memset(&img, 0, sizeof img);
    img.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&img, path)) {
        snprintf(msg, msgsz, "cannot read %s: %s", path, img.message);
        return false;
    }
    img.format = PNG_FORMAT_RGBA;
    uint8_t *px = malloc(PNG_IMAGE_SIZE(img));
    if (!px) {
        png_image_free(&img);
        snprintf(msg, msgsz, "out of memory reading %s", path);
        return false;
    }
    if (!png_image_finish_read(&img, NULL, px, 0, NULL)) {
        snprintf(msg, msgsz, "cannot decode %s: %s", path, img.message);
        free(px);
        png_image_free(&img);
        return false;
    }
    *out = px;
    *ow = (int)img.width;
    *oh = (int)img.height;
    return true;
}

uint8_t *png_downscale(const uint8_t *px, int w, int h, int factor, int *ow, int *oh)
{
    if (factor < 1) factor = 1;
    int nw = w / factor, nh = h / factor;
    uint8_t *o = malloc((size_t)nw * (size_t)nh * 4);
    if (!o) return NULL;
    for (int y = 0; y < nh; y++)
        for (int x = 0; x < nw; x++)
            for (int c = 0; c < 4; c++) {
                unsigned sum = 0;
                for (int dy = 0; dy < factor; dy++)
                    for (int dx = 0; dx < factor; dx++)
                        sum += px[((size_t)(y * factor + dy) * (size_t)w + (size_t)(x * factor + dx)) * 4 + (size_t)c];
                o[((size_t)y * (size_t)nw + (size_t)x) * 4 + (size_t)c] = (uint8_t)(sum / (unsigned)(factor * factor));
            }
    *ow = nw;
    *oh = nh;
    return o;
}
