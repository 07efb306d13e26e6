/* CUPS back end through libcups: queue state, job submission and job state over IPP. */
#include "slip_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cups/cups.h>

/* What a queue's printer-state and reasons say, in one line for staff. */
typedef struct {
    bool found, accepting;
    int state; /* IPP_PSTATE_IDLE 3, PROCESSING 4, STOPPED 5 */
    char reasons[200];
    char message[200];
} queue_info_t;

static void join_values(ipp_attribute_t *a, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!a) return;
    size_t len = 0;
    for (int i = 0; i < ippGetCount(a) && len + 1 < size; i++) {
        const char *v = ippGetString(a, i, NULL);
        if (!v) continue;
        int n = snprintf(buf + len, size - len, "%s%s", len ? "," : "", v);
        if (n < 0) break;
        len += (size_t)n < size - len ? (size_t)n : size - len - 1;
    }
}

static void printer_uri(const char *queue, char *uri, size_t size)
{
    httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)size, "ipp", NULL, "localhost", ippPort(), "/printers/%s", queue);
}

/* IPP Get-Printer-Attributes on the queue. */
static wl_rc queue_info(const char *queue, queue_info_t *q, wl_err_t *err)
{
    memset(q, 0, sizeof *q);
    char uri[1024];
    printer_uri(queue, uri, sizeof uri);
    static const char *const want[] = {"printer-state", "printer-state-reasons", "printer-state-message",
                                       "printer-is-accepting-jobs"};
    ipp_t *req = ippNewRequest(IPP_OP_GET_PRINTER_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 4, NULL, want);
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (!resp) {
        /* No answer at all: no cupsd there (libcups's message is then a stale errno). */
        wl_err_set(err, "CUPS at %s does not answer (is cupsd running?); queue %s", cupsServer(), queue);
        return WL_ERR_IO;
    }
    if (ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
        ippDelete(resp);
        if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) return WL_OK; /* q->found stays false */
        wl_err_set(err, "CUPS at %s: cannot ask about queue %s: %s", cupsServer(), queue, cupsLastErrorString());
        return WL_ERR_IO;
    }
    q->found = true;
    ipp_attribute_t *a;
    if ((a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM))) q->state = ippGetInteger(a, 0);
    if ((a = ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN))) q->accepting = ippGetBoolean(a, 0);
    join_values(ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD), q->reasons, sizeof q->reasons);
    join_values(ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT), q->message, sizeof q->message);
    ippDelete(resp);
    return WL_OK;
}

static wl_rc queue_ready(const wl_printer_t *p, const queue_info_t *q, wl_err_t *err)
{
    if (!q->found) {
        wl_err_set(err, "CUPS queue %s does not exist (server %s)", p->target, cupsServer());
        return WL_ERR_IO;
    }
    if (q->state == IPP_PSTATE_STOPPED) {
        wl_err_set(err, "CUPS queue %s is stopped (%s%s%s)", p->target, q->reasons[0] ? q->reasons : "no reason given",
                   q->message[0] ? ": " : "", q->message);
        return WL_ERR_STATE;
    }
    if (!q->accepting) {
        wl_err_set(err, "CUPS queue %s is not accepting jobs (%s)", p->target, q->reasons[0] ? q->reasons : "rejecting");
        return WL_ERR_STATE;
    }
    return WL_OK;
}

wl_rc wl_cups_status(const wl_printer_t *p, wl_err_t *err)
{
    queue_info_t q;
    wl_rc rc = queue_info(p->target, &q, err);
    return rc ? rc : queue_ready(p, &q, err);
}

/* IPP Get-Job-Attributes: job-state and its reasons. */
static wl_rc job_state(const char *queue, int job, int *state, char *reasons, size_t rsize, wl_err_t *err)
{
    char uri[1024];
    printer_uri(queue, uri, sizeof uri);
    static const char *const want[] = {"job-state", "job-state-reasons"};
    ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
    ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job);
    ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
    ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes", 2, NULL, want);
    ipp_t *resp = cupsDoRequest(CUPS_HTTP_DEFAULT, req, "/");
    if (!resp || ippGetStatusCode(resp) > IPP_STATUS_OK_CONFLICTING) {
        ippDelete(resp);
        wl_err_set(err, "CUPS queue %s: cannot follow job %d: %s", queue, job, cupsLastErrorString());
        return WL_ERR_IO;
    }
    ipp_attribute_t *a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM);
    *state = a ? ippGetInteger(a, 0) : 0;
    join_values(ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD), reasons, rsize);
    ippDelete(resp);
    return WL_OK;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *job_state_name(int s)
{
    switch (s) {
    case IPP_JSTATE_PENDING: return "pending";
    case IPP_JSTATE_HELD: return "held";
    case IPP_JSTATE_PROCESSING: return "processing";
    case IPP_JSTATE_STOPPED: return "stopped";
    case IPP_JSTATE_CANCELED: return "canceled";
    case IPP_JSTATE_ABORTED: return "aborted";
    case IPP_JSTATE_COMPLETED: return "completed";
    }
    return "unknown";
}

/* Follows the job to its end; see printer_cups.h. */
static wl_rc follow_job(const wl_printer_t *p, int job, wl_err_t *err)
{
    int64_t deadline = mono_ms() + (p->job_timeout_ms > 0 ? p->job_timeout_ms : 15000);
    int state = 0;
    char reasons[200] = "";
    for (;;) {
        wl_rc rc = job_state(p->target, job, &state, reasons, sizeof reasons, err);
        if (rc) return rc;
        if (state == IPP_JSTATE_COMPLETED) return WL_OK;
        if (state == IPP_JSTATE_CANCELED || state == IPP_JSTATE_ABORTED || state == IPP_JSTATE_STOPPED) {
            wl_err_set(err, "CUPS queue %s accepted job %d, then it was %s (%s)", p->target, job, job_state_name(state),
                       reasons[0] ? reasons : "no reason given");
            return WL_ERR_IO;
        }
        /* A queue that stops (device error, cupsdisable) keeps the job pending for ever. */
        queue_info_t q;
        if ((rc = queue_info(p->target, &q, err))) return rc;
        if ((rc = queue_ready(p, &q, err))) {
            wl_err_prefix(err, "job %d %s: ", job, job_state_name(state));
            return rc;
        }
        if (mono_ms() >= deadline) {
            wl_err_set(err, "CUPS queue %s: job %d still %s after %d ms (%s)", p->target, job, job_state_name(state),
                       p->job_timeout_ms > 0 ? p->job_timeout_ms : 15000, reasons[0] ? reasons : "no reason given");
            return WL_ERR_IO;
        }
        struct timespec nap = {0, 100 * 1000000L};
        nanosleep(&nap, NULL);
    }
}

wl_rc wl_cups_print(const wl_printer_t *p, const unsigned char *pdf, size_t len, wl_err_t *err)
{
    wl_rc rc = wl_cups_status(p, err);
    if (rc) return rc;
    int job = cupsCreateJob(CUPS_HTTP_DEFAULT, p->target, "Wijkloket", 0, NULL);
    if (job <= 0) {
        wl_err_set(err, "CUPS queue %s refused the job: %s", p->target, cupsLastErrorString());
        return WL_ERR_IO;
    }
    bool sent = cupsStartDocument(CUPS_HTTP_DEFAULT, p->target, job, "slip.pdf", CUPS_FORMAT_PDF, 1) ==
                    HTTP_STATUS_CONTINUE &&
                cupsWriteRequestData(CUPS_HTTP_DEFAULT, (const char *)pdf, len) == HTTP_STATUS_CONTINUE;
    /* Finish in any case: it ends the request; a half-sent document is then refused. */
    bool finished = cupsFinishDocument(CUPS_HTTP_DEFAULT, p->target) <= IPP_STATUS_OK_CONFLICTING;
    if (!sent || !finished) {
        wl_err_set(err, "CUPS queue %s: sending the slip (job %d) failed: %s", p->target, job, cupsLastErrorString());
        cupsCancelJob2(CUPS_HTTP_DEFAULT, p->target, job, 0);
        return WL_ERR_IO;
    }
    rc = follow_job(p, job, err);
    /* The citizen gets the slip on screen instead: a late paper slip would be for nobody. */
    if (rc) cupsCancelJob2(CUPS_HTTP_DEFAULT, p->target, job, 0);
    return rc;
}
