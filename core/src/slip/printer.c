/* Printer back ends: ESC/POS device with real-time status, CUPS (printer_cups.c), or a file. */
#include "wijkloket/printer.h"

#include "slip_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

wl_rc wl_printer_parse(const char *spec, wl_printer_t *out, wl_err_t *err)
{
    memset(out, 0, sizeof *out);
    out->status_timeout_ms = 300;
    out->job_timeout_ms = 15000;
    static const struct {
        const char *prefix;
        wl_printer_kind_t kind;
    } kinds[] = {{"escpos:", WL_PRINTER_ESCPOS}, {"cups:", WL_PRINTER_CUPS}, {"file:", WL_PRINTER_FILE}};
    if (spec && strcmp(spec, "none") == 0) return WL_OK;
    for (size_t i = 0; spec && i < sizeof kinds / sizeof kinds[0]; i++) {
        size_t n = strlen(kinds[i].prefix);
        if (strncmp(spec, kinds[i].prefix, n) != 0) continue;
        const char *t = spec + n;
        if (!*t || strlen(t) >= sizeof out->target) break;
        /* A queue name becomes part of an IPP URI; keep it to what CUPS allows anyway. */
        if (kinds[i].kind == WL_PRINTER_CUPS && strspn(t, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                          "0123456789_-.@") != strlen(t))
            break;
        out->kind = kinds[i].kind;
        memcpy(out->target, t, strlen(t) + 1);
        return WL_OK;
    }
    wl_err_set(err, "printer setting '%s' is not one of escpos:/dev/..., cups:QUEUE, file:/path or none",
               spec ? spec : "");
    return WL_ERR_INVALID;
}

/* One real-time status byte: DLE EOT n. Returns -1 when the device does not answer. */
static int realtime_status(int fd, int n, int timeout_ms)
{
    unsigned char cmd[3] = {0x10, 0x04, (unsigned char)n}, b;
    if (write(fd, cmd, 3) != 3) return -2;
    struct pollfd pfd = {fd, POLLIN, 0};
    if (poll(&pfd, 1, timeout_ms) <= 0) return -1;
    if (read(fd, &b, 1) != 1) return -1;
    /* Every status byte has bit 1 set and bit 4 set, bit 0 and 7 clear; anything else is not
     * an answer to our question (a device that echoes, a plain file). */
    if ((b & 0x93) != 0x12) return -1;
    return b;
}

static wl_rc escpos_status_fd(const wl_printer_t *p, int fd, wl_err_t *err)
{
    struct stat sb;
    /* A plain file stands in for a printer in tests and demos: it cannot answer. */
    if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) return WL_OK;
    int t = p->status_timeout_ms > 0 ? p->status_timeout_ms : 300;
    int s1 = realtime_status(fd, 1, t);
    if (s1 == -2) {
        wl_err_set(err, "printer %s: cannot send the status question: %s", p->target, strerror(errno));
        return WL_ERR_IO;
    }
    if (s1 < 0) return WL_OK; /* write-only printer: nothing to learn, try printing */
    int s2 = realtime_status(fd, 2, t), s4 = realtime_status(fd, 4, t);
    if (s2 >= 0 && (s2 & 0x04)) {
        wl_err_set(err, "printer %s: the cover is open", p->target);
        return WL_ERR_STATE;
    }
    if (s4 >= 0 && (s4 & 0x60)) {
        wl_err_set(err, "printer %s: out of paper", p->target);
        return WL_ERR_STATE;
    }
    if ((s1 & 0x08) || (s2 >= 0 && (s2 & 0x60))) {
        wl_err_set(err, "printer %s: offline (status %02x %02x)", p->target, (unsigned)s1, (unsigned)(s2 & 0xff));
        return WL_ERR_STATE;
    }
    return WL_OK;
}

static int open_device(const wl_printer_t *p, wl_err_t *err)
{
    int fd = open(p->target, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0 && (errno == EACCES || errno == EINVAL || errno == EISDIR))
        fd = open(p->target, O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) wl_err_set(err, "printer %s: cannot open the device: %s", p->target, strerror(errno));
    return fd;
}

wl_rc wl_printer_status(const wl_printer_t *p, wl_err_t *err)
{
    switch (p->kind) {
    case WL_PRINTER_NONE: wl_err_set(err, "no printer configured"); return WL_ERR_STATE;
    case WL_PRINTER_ESCPOS: {
        int fd = open_device(p, err);
        if (fd < 0) return WL_ERR_IO;
        wl_rc rc = escpos_status_fd(p, fd, err);
        close(fd);
        return rc;
    }
    case WL_PRINTER_CUPS: return wl_cups_status(p, err);
    case WL_PRINTER_FILE: {
        char dir[sizeof p->target];
        memcpy(dir, p->target, sizeof dir);
        char *slash = strrchr(dir, '/');
        if (slash) *slash = '\0';
        const char *d = slash ? (dir[0] ? dir : "/") : ".";
        if (access(d, W_OK) != 0) {
            wl_err_set(err, "printer file %s: folder %s is not writable: %s", p->target, d, strerror(errno));
            return WL_ERR_IO;
        }
        return WL_OK;
    }
    }
    return WL_ERR_STATE;
}

/* Writes all bytes to a non-blocking device, waiting up to 10 s whenever it is full. */
static wl_rc write_all(const wl_printer_t *p, int fd, const unsigned char *b, size_t n, wl_err_t *err)
{
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, b + done, n - done);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) continue;
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd pfd = {fd, POLLOUT, 0};
            if (poll(&pfd, 1, 10000) > 0 && !(pfd.revents & (POLLERR | POLLHUP))) continue;
            wl_err_set(err, "printer %s stopped taking data after %zu of %zu bytes", p->target, done, n);
            return WL_ERR_IO;
        }
        wl_err_set(err, "printer %s went away after %zu of %zu bytes: %s", p->target, done, n,
                   w < 0 ? strerror(errno) : "nothing written");
        return WL_ERR_IO;
    }
    return WL_OK;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

wl_rc wl_printer_print(const wl_printer_t *p, const wl_slip_t *slip, wl_slip_fonts_t *fonts, wl_err_t *err)
{
    if (p->kind == WL_PRINTER_NONE) {
        wl_err_set(err, "no printer configured");
        return WL_ERR_STATE;
    }
    bool page = p->kind == WL_PRINTER_CUPS || (p->kind == WL_PRINTER_FILE && ends_with(p->target, ".pdf"));
    bool png = p->kind == WL_PRINTER_FILE && ends_with(p->target, ".png");
    wl_raster_t r;
    unsigned char *buf = NULL;
    size_t len = 0;
    int fd = -1;
    wl_rc rc = wl_printer_status(p, err);
    if (rc) return rc;
    if ((rc = wl_slip_render(slip, page ? WL_SLIP_A6 : WL_SLIP_THERMAL, fonts, &r, err))) return rc;
    rc = page ? wl_slip_pdf(&r, &buf, &len, err) : png ? wl_slip_png(&r, &buf, &len, err)
                                                       : wl_slip_escpos(&r, &buf, &len, err);
    wl_raster_free(&r);
    if (rc) return rc;
    switch (p->kind) {
    case WL_PRINTER_FILE: rc = wl_slip_write_file(p->target, buf, len, err); break;
    case WL_PRINTER_CUPS: rc = wl_cups_print(p, buf, len, err); break;
    case WL_PRINTER_ESCPOS:
        if ((fd = open_device(p, err)) < 0) {
            rc = WL_ERR_IO;
            break;
        }
        {
            /* A printer unplugged mid-job must give an error, not kill the kiosk. */
            struct sigaction ign = {0}, old;
            ign.sa_handler = SIG_IGN;
            sigaction(SIGPIPE, &ign, &old);
            rc = write_all(p, fd, buf, len, err);
            sigaction(SIGPIPE, &old, NULL);
        }
        /* Paper can run out during the job: ask again where the printer can answer. */
        if (!rc) rc = escpos_status_fd(p, fd, err);
        close(fd);
        break;
    case WL_PRINTER_NONE: break;
    }
    free(buf);
    return rc;
}

/* Prints a's slip; st (may be NULL) gets the print state when the booking is its own
 * (record_state) and the printer_failure event either way. */
static wl_rc print_appointment(wl_store_t *st, bool record_state, const wl_catalog_t *c, const wl_printer_t *p,
                               const wl_appointment_t *a, const wl_i18n_t *t, const char *location, const char *kiosk,
                               int64_t now, wl_slip_t *slip_out, wl_err_t *err)
{
    wl_slip_t local;
    wl_slip_t *slip = slip_out ? slip_out : &local;
    memset(slip, 0, sizeof *slip);
    wl_rc rc;
    if ((rc = wl_slip_build(c, a, t, slip, err))) return rc;
    wl_err_t perr = {{0}};
    wl_err_t serr = {{0}};
    if (p->kind == WL_PRINTER_NONE) {
        /* No printer is a choice, not a failure: the slip is on screen; no alarm, no event. The
         * booking still says its slip was not printed, which is true. */
        if (record_state && wl_appointments_set_print_state(st, a->ref, false, "geen printer ingesteld", &serr))
            fprintf(stderr, "wijkloket: could not flag booking %s: %s\n", a->ref, serr.msg);
        wl_err_set(err, "no printer configured");
        return WL_ERR_STATE;
    }
    rc = wl_printer_print(p, slip, NULL, &perr);
    if (rc == WL_OK) {
        /* The slip is out; failing to note that must not turn into a printer error. */
        if (record_state && wl_appointments_set_print_state(st, a->ref, true, NULL, &serr))
            fprintf(stderr, "wijkloket: slip %s printed, but not recorded: %s\n", a->ref, serr.msg);
        return WL_OK;
    }
    /* The booking is already committed; only the paper failed. Record it for staff. */
    fprintf(stderr, "wijkloket: PRINTER FAILURE at %s (kiosk %s), booking %s kept, slip shown on screen: %s\n",
            location ? location : a->location, kiosk ? kiosk : "-", a->ref, perr.msg);
    if (record_state && wl_appointments_set_print_state(st, a->ref, false, perr.msg, &serr))
        fprintf(stderr, "wijkloket: could not flag booking %s: %s\n", a->ref, serr.msg);
    /* The event is what the staff screen lists (and what the outbox sends to the server); if
     * even that fails, the log line above and the booking's print_state still tell staff. */
    char detail[700];
    snprintf(detail, sizeof detail, "slip %s not printed: %s", a->ref, perr.msg);
    if (st && wl_store_log_event(st, "printer_failure", location ? location : a->location, kiosk ? kiosk : "-",
                                 detail, now, &serr))
        fprintf(stderr, "wijkloket: could not store the printer_failure event: %s\n", serr.msg);
    wl_err_set(err, "booking %s is kept; the slip could not be printed: %s", a->ref, perr.msg);
    return rc;
}

wl_rc wl_printer_print_booking(wl_store_t *st, const wl_catalog_t *c, const wl_printer_t *p, const char *ref,
                               const wl_i18n_t *t, const char *location, const char *kiosk, int64_t now,
                               wl_slip_t *slip_out, wl_err_t *err)
{
    wl_appointment_t a;
    if (slip_out) memset(slip_out, 0, sizeof *slip_out);
    wl_rc rc = wl_appointments_get_active(st, ref, &a, err);
    if (rc) return rc;
    return print_appointment(st, true, c, p, &a, t, location, kiosk, now, slip_out, err);
}

wl_rc wl_printer_print_appointment(wl_store_t *events, const wl_catalog_t *c, const wl_printer_t *p,
                                   const wl_appointment_t *a, const wl_i18n_t *t, const char *location,
                                   const char *kiosk, int64_t now, wl_slip_t *slip_out, wl_err_t *err)
{
    return print_appointment(events, false, c, p, a, t, location, kiosk, now, slip_out, err);
}
