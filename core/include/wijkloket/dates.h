/* Calendar dates (YYYY-MM-DD strings and day numbers) and the BSN elfproef: one home for day arithmetic. */
#ifndef WL_DATES_H
#define WL_DATES_H

#include <stdbool.h>
#include <stdint.h>

/* Parses "YYYY-MM-DD" into y/m/d, checking it is a real calendar date. Out pointers may be NULL. */
bool wl_date_parse(const char *s, int *y, int *m, int *d);
/* Whole years between birth date and today (both YYYY-MM-DD); -1 on a bad date. */
int wl_date_age(const char *birth, const char *today);
/* Formats a unix time as YYYY-MM-DD in local time into buf (11 bytes). */
void wl_date_today(int64_t unix_time, char buf[11]);

/* Days since 1970-01-01 for a proleptic Gregorian date (exact, no time zone, no libc time). */
int64_t wl_days_from_civil(int y, int m, int d);
/* The inverse of wl_days_from_civil. */
void wl_civil_from_days(int64_t days, int *y, int *m, int *d);
/* Weekday of a day number, Monday = 0 ... Sunday = 6. */
int wl_weekday(int64_t days);

#endif
