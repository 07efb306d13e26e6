/* PNG screenshots and golden-image comparison with a tolerance (libpng). */
#ifndef WLK_PNG_IO_H
#define WLK_PNG_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes w*h RGBA pixels (rows of stride bytes) as an 8-bit RGB PNG. False with msg on error. */
bool png_write_rgba(const char *path, const uint8_t *px, int w, int h, int stride, char *msg, size_t msgsz);
/* Reads a PNG into a new RGBA buffer (caller frees *px). False with msg on error. */
bool png_read_rgba(const char *path, uint8_t **px, int *w, int *h, char *msg, size_t msgsz);
/* Box-filter downscale of RGBA by an integer factor into a new buffer (caller frees). */
uint8_t *png_downscale(const uint8_t *px, int w, int h, int factor, int *ow, int *oh);

#endif
