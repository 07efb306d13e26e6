/* The appointment slip: one layout model rendered to a raster, PNG, ESC/POS and PDF. */
#ifndef WL_SLIP_H
#define WL_SLIP_H

#include "wijkloket/appointments.h"
#include "wijkloket/common.h"
#include "wijkloket/i18n.h"

/* Kinds of line in the layout model, from big to small. */
typedef enum {
    WL_SLIP_TITLE,   /* "Uw afspraak" */
    WL_SLIP_HEADING, /* service name, "Neem mee:" */
    WL_SLIP_TEXT,    /* date, time, place, address */
    WL_SLIP_BULLET,  /* one thing to bring */
    WL_SLIP_SMALL,   /* captions, "how to change" */
    WL_SLIP_REF,     /* the reference code in large type */
    WL_SLIP_QR,      /* the QR code of the reference (text unused) */
    WL_SLIP_RULE     /* a separating line (text unused) */
} wl_slip_kind_t;

#define WL_SLIP_MAX_BLOCKS 80

typedef struct {
    wl_slip_kind_t kind;
    char text[320]; /* UTF-8 */
} wl_slip_block_t;

/* What is on a slip, already worded, with no personal data: service, date, time, place,
 * address, the reference, what to bring and how to change the appointment, in the citizen's
 * language and then in Dutch. The kiosk screen, PNG, thermal and A6 all render this list. */
typedef struct {
    char ref[WL_REFCODE_BUFSZ];
    char lang[8]; /* the language the first part is in ("nl" gives a Dutch-only slip) */
    size_t n;
    wl_slip_block_t blocks[WL_SLIP_MAX_BLOCKS];
} wl_slip_t;

/* Builds the model of appointment a (borrowed) in the language of catalogue t (borrowed; its
 * labels are msgids in locale/<lang>.po), then in Dutch; t NULL or Dutch: a Dutch-only slip.
 * The caller picks the catalogue (the citizen's language, or wl_slip_catalogue for a booking's
 * own). Unknown service or location in the catalogue: WL_ERR_INVALID. */
wl_rc wl_slip_build(const wl_catalog_t *c, const wl_appointment_t *a, const wl_i18n_t *t, wl_slip_t *out,
                    wl_err_t *err);
/* Loads the catalogue for a slip in lang (NULL or "": a's own language) from locale_dir; a
 * language without a catalogue gets English, which more people read than Dutch. *out is NULL
 * for Dutch. Free with wl_i18n_free. */
wl_rc wl_slip_catalogue(const char *locale_dir, const wl_appointment_t *a, const char *lang, wl_i18n_t **out,
                        wl_err_t *err);

/* Output sizes. Thermal: 576 dots (72 mm print width of an 80 mm roll at 203 dpi), as long
 * as needed. A6: 105 x 148 mm at 200 dpi (827 x 1165), shrunk to fit one page. Screen: 600
 * wide with a large QR code for the "take a photo" fallback. */
typedef enum { WL_SLIP_THERMAL, WL_SLIP_A6, WL_SLIP_SCREEN } wl_slip_format_t;
#define WL_SLIP_THERMAL_WIDTH 576

/* An 8-bit grayscale image, 0 = black, 255 = white, rows top to bottom, stride = w. */
typedef struct {
    int w, h;
    unsigned char *px;
} wl_raster_t;
void wl_raster_free(wl_raster_t *r);

/* Noto Sans regular and bold found through fontconfig, loaded once. Reuse one set for many
 * slips (a kiosk keeps one open); close with wl_slip_fonts_close. Missing fonts: WL_ERR_IO. */
typedef struct wl_slip_fonts wl_slip_fonts_t;
/* Glyphs drawn as the font's missing-glyph box (.notdef) since f was opened: a test figure.
 * Arabic and Ethiopic text is drawn in Noto Sans Arabic / Ethiopic, opened on first use. */
long wl_slip_fonts_notdef(const wl_slip_fonts_t *f);
wl_rc wl_slip_fonts_open(wl_slip_fonts_t **out, wl_err_t *err);
void wl_slip_fonts_close(wl_slip_fonts_t *f);

/* Renders the model into out->px (malloc'd; free with wl_raster_free). fonts may be NULL
 * (then they are opened and closed for this call). */
wl_rc wl_slip_render(const wl_slip_t *slip, wl_slip_format_t format, wl_slip_fonts_t *fonts, wl_raster_t *out,
                     wl_err_t *err);

/* Encodings of a raster. Buffers are malloc'd; the caller frees *buf. */
/* PNG, 8-bit gray. */
wl_rc wl_slip_png(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err);
/* ESC/POS: ESC @ (initialise), the image as GS v 0 raster bands (1 bit, dark < 50 %), feed
 * and partial cut (GS V 66 0). Width is padded to whole bytes. */
wl_rc wl_slip_escpos(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err);
/* A one-page A6 PDF with the raster as an 8-bit gray image XObject (RunLengthDecode). */
wl_rc wl_slip_pdf(const wl_raster_t *r, unsigned char **buf, size_t *len, wl_err_t *err);

/* Writes len bytes to path through a temporary file and rename, so a reader never sees half
 * a file. WL_ERR_IO with the path and reason on failure. */
wl_rc wl_slip_write_file(const char *path, const unsigned char *buf, size_t len, wl_err_t *err);

#endif
