/* Calendar dates as YYYY-MM-DD strings and day numbers: the one home of day arithmetic. */
#include "wijkloket/dates.h"

#include <string.h>
#include <time.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && is_leap(y)) return 29;
    return days[m - 1];
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool wl_date_parse(const char *s, int *y, int *m, int *d)
{
    int yy, mm, dd;
    /* Exactly ten characters: "2023-2-3" or a trailing time are not dates in our data. */
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
    if (!digits(s, 4, &yy) || !digits(s + 5, 2, &mm) || !digits(s + 8, 2, &dd)) return false;
    /* Year 1000 keeps the four-digit form unambiguous; earlier dates are typing errors here. */
    if (yy < 1000 || mm < 1 || mm > 12 || dd < 1 || dd > days_in_month(yy, mm)) return false;
    if (y) *y = yy;
    if (m) *m = mm;
    if (d) *d = dd;
    return true;
}

int wl_date_age(const char *birth, const char *today)
{
    int by, bm, bd, ty, tm, td;
    if (!wl_date_parse(birth, &by, &bm, &bd) || !wl_date_parse(today, &ty, &tm, &td)) return -1;
    int years = ty - by;
    /* Someone born on 29 February becomes a year older on 1 March in a common year. */
    if (tm < bm || (tm == bm && td < bd)) years--;
    /* A date after today is no birth date; -1 keeps "bad date" a single answer. */
    return years < 0 ? -1 : years;
}

void wl_date_today(int64_t unix_time, char buf[11])
{
    time_t t = (time_t)unix_time;
    struct tm tmv;
    if (!localtime_r(&t, &tmv) || tmv.tm_year + 1900 < 1000 || tmv.tm_year + 1900 > 9999) {
        strcpy(buf, "1970-01-01");
        return;
    }
    strftime(buf, 11, "%Y-%m-%d", &tmv);
}

int64_t wl_days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days_from_civil: exact for every Gregorian date, no time zone. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void wl_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int wl_weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0). */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}
