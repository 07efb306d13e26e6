/* Private to the slip folder: the CUPS back end (printer_cups.c, the one file that talks to libcups). */
#ifndef WL_SLIP_INTERNAL_H
#define WL_SLIP_INTERNAL_H

#include "wijkloket/printer.h"

/* The queue exists, accepts jobs and is not stopped (IPP Get-Printer-Attributes). */
wl_rc wl_cups_status(const wl_printer_t *p, wl_err_t *err);
/* Sends the PDF as one job (Create-Job, Send-Document) and follows it (Get-Job-Attributes)
 * until it completes; a job that is aborted, canceled or stopped, or a queue that stops while
 * it waits, or no end within p->job_timeout_ms, is an error, and the job is canceled so no
 * slip comes out later for nobody. */
wl_rc wl_cups_print(const wl_printer_t *p, const unsigned char *pdf, size_t len, wl_err_t *err);

#endif
