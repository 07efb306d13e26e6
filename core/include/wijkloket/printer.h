/* Printing slips to an ESC/POS device, a CUPS queue or a file, with a fallback that loses nothing. */
#ifndef WL_PRINTER_H
#define WL_PRINTER_H

#include "wijkloket/appointments.h"
#include "wijkloket/common.h"
#include "wijkloket/slip.h"
#include "wijkloket/store.h"

typedef enum {
    WL_PRINTER_NONE,   /* no printer: always the on-screen fallback */
    WL_PRINTER_ESCPOS, /* a thermal printer device node, e.g. /dev/usb/lp0 */
    WL_PRINTER_CUPS,   /* a CUPS queue: an A6 PDF sent through libcups (IPP), followed to its end */
    WL_PRINTER_FILE    /* write the job to a file (ESC/POS bytes, or a PDF when it ends in .pdf) */
} wl_printer_kind_t;

typedef struct {
    wl_printer_kind_t kind;
    char target[512];       /* device path, queue name or file path */
    int status_timeout_ms;  /* how long to wait for an ESC/POS status answer (default 300) */
    int job_timeout_ms;     /* how long to follow a CUPS job to "completed" (default 15000) */
} wl_printer_t;

/* Parses the kiosk config's printer setting: "escpos:/dev/usb/lp0", "cups:QUEUE",
 * "file:/path/slip.bin" (or .pdf), or "none". Anything else: WL_ERR_INVALID naming it. */
wl_rc wl_printer_parse(const char *spec, wl_printer_t *out, wl_err_t *err);

/* Asks the printer whether it can print now. ESC/POS: DLE EOT 1 (printer) and DLE EOT 4
 * (paper) real-time status; a device that does not answer in time is assumed ready (many
 * USB printers are write-only), a closed cover or paper end is WL_ERR_STATE. CUPS (the server
 * libcups finds: $CUPS_SERVER, ~/.cups/client.conf, /etc/cups/client.conf, the local socket): the
 * queue must exist, accept jobs and not be stopped (IPP printer-state). File: its folder must be writable. A missing device is
 * WL_ERR_IO. The message is for staff. */
wl_rc wl_printer_status(const wl_printer_t *p, wl_err_t *err);

/* Prints one slip model: renders thermal for ESC/POS (and ESC/POS files), A6 PDF for CUPS and
 * .pdf files. Checks the status first, writes everything, and for CUPS follows the job over
 * IPP until it completes: a job CUPS accepted and then aborted, or left pending on a stopped
 * queue, is an error (and canceled). fonts may be NULL. Any failure returns non-OK with a staff message. */
wl_rc wl_printer_print(const wl_printer_t *p, const wl_slip_t *slip, wl_slip_fonts_t *fonts, wl_err_t *err);

/* The whole "print a booked slip" step as the kiosk and `reprint` use it: builds the slip for
 * ref, prints it and records the result on the booking. On failure the booking stays as it
 * is, its print_state becomes "failed", a "printer_failure" event is stored for the staff
 * screen (wl_store_log_event) and a line goes to stderr; the return code is then the
 * printer's error so the kiosk shows the slip on screen with "Maak een foto of schrijf de code
 * op". t is the citizen's catalogue (wl_slip_build). *slip_out (may be NULL) gets the model
 * either way, for that screen. */
wl_rc wl_printer_print_booking(wl_store_t *st, const wl_catalog_t *c, const wl_printer_t *p, const char *ref,
                               const wl_i18n_t *t, const char *location, const char *kiosk, int64_t now,
                               wl_slip_t *slip_out, wl_err_t *err);

/* The same for a booking that lives elsewhere (on wijkloket-server): prints a as given, records
 * no print state, and stores a failure's "printer_failure" event in events (the kiosk's own
 * file, from where the outbox delivers it to the server; may be NULL). */
wl_rc wl_printer_print_appointment(wl_store_t *events, const wl_catalog_t *c, const wl_printer_t *p,
                                   const wl_appointment_t *a, const wl_i18n_t *t, const char *location,
                                   const char *kiosk, int64_t now, wl_slip_t *slip_out, wl_err_t *err);

#endif
