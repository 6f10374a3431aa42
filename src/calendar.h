/*
 * calendar.h - the hub's calendar for practice-standard timescales: Europe/London local time
 * (GMT/BST) without tzdata, England and Wales bank holidays, working days, and the due-time
 * arithmetic of the timescales in PRODUCT.md ("1 working day", "72 hours", "5 working days",
 * "every 6 weeks", "3 months", "17 years 6 months").
 *
 * Owns: pure functions over integers, struct valid_date and a caller-owned struct calendar.
 * Must not touch: HTTP, SQL, jansson, the store, the process time zone (TZ, localtime(),
 * tzdata): the answer never depends on the machine the server runs on. Nothing here allocates.
 *
 * Conventions:
 * - Times are UTC seconds since 1970-01-01T00:00:00Z (int64_t), as everywhere in safehub.
 * - "Local" means Europe/London under the current UK rule, applied to every year: BST (UTC+1)
 *   from 01:00 UTC on the last Sunday of March until 01:00 UTC on the last Sunday of October,
 *   GMT (UTC+0) otherwise. (Before 1996 the UK rules differed; no clock in the hub starts then.)
 * - A "day number" is valid_days_from_civil()'s count of days since 1970-01-01.
 * - A due time "by the end of a day" is 23:59:59 local on that day: the next local midnight
 *   minus one second.
 */
#ifndef SAFEHUB_CALENDAR_H
#define SAFEHUB_CALENDAR_H

#include <stdbool.h>
#include <stdint.h>

#include "valid.h"

/* The most holidays a struct calendar holds: decades of bank holidays plus local additions. */
#define CALENDAR_MAX_HOLIDAYS 512

/* The years calendar_default_holidays / calendar_default_holiday_list know the dates of. */
#define CALENDAR_DEFAULT_FIRST_YEAR 2015
#define CALENDAR_DEFAULT_LAST_YEAR 2030

/* The most default bank holidays in any one year (2022 had 10): size buffers with this. */
#define CALENDAR_DEFAULT_MAX_PER_YEAR 12

/* The largest working-day limit calendar_add_working_days_due accepts (about ten years). */
#define CALENDAR_MAX_WORKING_DAYS 2600

/* What calendar_add_working_days_due returns for a limit it does not accept: never a real time. */
#define CALENDAR_NO_TIME INT64_MIN

/*
 * A set of non-working days besides Saturdays and Sundays (bank holidays, plus any the hub
 * configures). Caller-owned (a plain value: copy it, keep it on the stack or in a struct; about
 * 4 KiB); set up with calendar_init, then filled with calendar_add_holiday and/or
 * calendar_default_holidays. Read-only use from several threads at once is safe.
 */
struct calendar {
	int64_t holiday[CALENDAR_MAX_HOLIDAYS]; /* day numbers, strictly ascending: no duplicates */
	int count;                              /* how many of holiday[] are in use, 0..MAX */
};

/* A named bank holiday, as calendar_default_holiday_list writes it. */
struct calendar_holiday {
	struct valid_date date; /* the day (off work) */
	char name[64];          /* NUL-terminated ASCII, e.g. "Christmas Day (substitute day)" */
};

/* ---- Europe/London local time ------------------------------------------------------------- */

/*
 * calendar_weekday - the ISO weekday of a date: 1 = Monday ... 7 = Sunday.
 * (Day number 0, 1970-01-01, was a Thursday: weekday = (day number + 3) mod 7 + 1, with the
 * modulus taken non-negative.)
 */
int calendar_weekday(const struct valid_date *d);

/*
 * calendar_bst_start / calendar_bst_end - the UTC instants at which BST starts (01:00 UTC on
 * the last Sunday of March: local clocks go from 01:00 GMT to 02:00 BST) and ends (01:00 UTC on
 * the last Sunday of October: local clocks go from 02:00 BST back to 01:00 GMT) in `year`.
 */
int64_t calendar_bst_start(int year);
int64_t calendar_bst_end(int year);

/*
 * calendar_utc_offset - the Europe/London offset from UTC at UTC instant `utc`, in seconds:
 * 3600 when calendar_bst_start(Y) <= utc < calendar_bst_end(Y) for Y the UTC year of utc,
 * otherwise 0.
 */
int calendar_utc_offset(int64_t utc);

/*
 * calendar_local_from_utc - the local wall-clock reading at `utc`, expressed as seconds since
 * 1970-01-01T00:00:00 local: utc + calendar_utc_offset(utc). (valid_format_time on the result
 * writes the local date and time, with a 'Z' that must not be shown as such.)
 */
int64_t calendar_local_from_utc(int64_t utc);

/*
 * calendar_utc_from_local - the UTC instant at which local clocks read `local` (seconds since
 * 1970-01-01T00:00:00 local). Two readings are not one instant each:
 * - in the autumn overlap (01:00:00-01:59:59 local on the last Sunday of October happens twice)
 *   the first occurrence, in BST, is returned;
 * - in the spring gap (01:00:00-01:59:59 local on the last Sunday of March never happens) the
 *   reading is taken as GMT, i.e. moved forward an hour (01:30 means 02:30 BST).
 * Rule: local - 3600 when that instant is in BST, otherwise local.
 */
int64_t calendar_utc_from_local(int64_t local);

/* calendar_local_date - the local (Europe/London) calendar date at UTC instant `utc`, into *d. */
void calendar_local_date(int64_t utc, struct valid_date *d);

/*
 * calendar_local_midnight_utc - the UTC instant of 00:00:00 local at the start of date *d.
 * (Local midnight is never in the spring gap or the autumn overlap, so it is one instant.)
 */
int64_t calendar_local_midnight_utc(const struct valid_date *d);

/*
 * calendar_end_of_day_utc - the UTC instant of the last second of local date *d, i.e. 23:59:59
 * local: calendar_local_midnight_utc(the next day) - 1. The local day is 23 hours long on the
 * last Sunday of March and 25 hours long on the last Sunday of October.
 */
int64_t calendar_end_of_day_utc(const struct valid_date *d);

/* ---- Dates -------------------------------------------------------------------------------- */

/*
 * calendar_add_days - *out = *d plus n days (n may be negative; "every 6 weeks" is n = 42).
 * Returns false, leaving *out unchanged, when the result would fall outside years 1..9999.
 * d and out may point to the same struct.
 */
bool calendar_add_days(const struct valid_date *d, int n, struct valid_date *out);

/*
 * calendar_add_months - *out = *d plus n calendar months (n may be negative; "3 months" is
 * n = 3, "17 years 6 months" is n = 210), keeping the day of the month but clamping it to the
 * last day of the resulting month: 31 January + 1 month = 28 February (29 in a leap year);
 * 31 March - 1 month = 28/29 February; 29 February 2024 + 12 months = 28 February 2025.
 * Returns false, leaving *out unchanged, when the result would fall outside years 1..9999.
 * d and out may point to the same struct.
 */
bool calendar_add_months(const struct valid_date *d, int n, struct valid_date *out);

/*
 * calendar_easter_sunday - Easter Sunday of `year` (Gregorian, 1583 on) into *d, by the
 * anonymous Gregorian algorithm (Meeus/Jones/Butcher).
 */
void calendar_easter_sunday(int year, struct valid_date *d);

/* ---- Holidays ----------------------------------------------------------------------------- */

/* calendar_init - make *c an empty calendar (no holidays: every Monday-Friday works). */
void calendar_init(struct calendar *c);

/*
 * calendar_add_holiday - add date *d to c's holidays, keeping them sorted. Adding a date that
 * is already there, or a Saturday or Sunday, is allowed (a weekend holiday changes nothing).
 * Returns false, leaving c unchanged, when c already holds CALENDAR_MAX_HOLIDAYS other dates.
 */
bool calendar_add_holiday(struct calendar *c, const struct valid_date *d);

/* calendar_is_holiday - true when *d is one of c's holidays. O(log count). */
bool calendar_is_holiday(const struct calendar *c, const struct valid_date *d);

/*
 * calendar_default_holiday_list - England and Wales bank holidays from 1 January from_year to
 * 31 December to_year, in date order, written into out[0..cap), each with its name as GOV.UK
 * titles it ("Early May bank holiday"; a substitute day is "<holiday> (substitute day)").
 * The rules, per year:
 * - New Year's Day, 1 January; when it is a Saturday or Sunday, the next Monday instead.
 * - Good Friday and Easter Monday (calendar_easter_sunday - 2 days and + 1 day).
 * - Early May bank holiday, the first Monday of May (2020: Friday 8 May, VE Day).
 * - Spring bank holiday, the last Monday of May (2022: Thursday 2 June, with the Platinum
 *   Jubilee bank holiday on Friday 3 June).
 * - Summer bank holiday, the last Monday of August.
 * - Christmas Day and Boxing Day, 25 and 26 December, except: Christmas on a Saturday gives
 *   Monday 27 (Christmas substitute) and Tuesday 28 (Boxing Day substitute); Christmas on a
 *   Sunday gives Monday 26 (Boxing Day) and Tuesday 27 (Christmas substitute); Boxing Day
 *   alone on a Saturday gives Friday 25 and Monday 28 (Boxing Day substitute).
 * - One-offs: Monday 19 September 2022 (State Funeral of Queen Elizabeth II), Monday 8 May
 *   2023 (coronation of King Charles III).
 * Returns how many were written, or -1 (out unspecified) when the years are not
 * CALENDAR_DEFAULT_FIRST_YEAR <= from_year <= to_year <= CALENDAR_DEFAULT_LAST_YEAR, or when
 * cap is too small (CALENDAR_DEFAULT_MAX_PER_YEAR per year is always enough). Later years'
 * one-off holidays cannot be known in advance: they are added to the configured table.
 */
int calendar_default_holiday_list(int from_year, int to_year, struct calendar_holiday *out,
				  int cap);

/*
 * calendar_default_holidays - add the dates of calendar_default_holiday_list(from_year,
 * to_year) to c (which keeps any holidays it already has). Returns false when the years are not
 * accepted (c unchanged) or when c fills up (the holidays added before it did stay).
 */
bool calendar_default_holidays(struct calendar *c, int from_year, int to_year);

/* ---- Working days ------------------------------------------------------------------------- */

/* calendar_is_working_day - true when *d is Monday to Friday and not one of c's holidays. */
bool calendar_is_working_day(const struct calendar *c, const struct valid_date *d);

/*
 * calendar_add_working_days_due - the due time of a limit of n working days started at UTC
 * instant start_utc: "a limit of N working days ends at the end of the Nth working day",
 * counting from the day after the local date of start_utc (the start day itself never counts,
 * whatever the time of day and whether or not it is a working day). Returns
 * calendar_end_of_day_utc of that Nth working day (23:59:59 local), or CALENDAR_NO_TIME when n
 * is not 1..CALENDAR_MAX_WORKING_DAYS.
 * Example: received 16:00 on Friday 24 December 2027, n = 1: Saturday 25 and Sunday 26 are
 * weekend, Monday 27 and Tuesday 28 are bank holidays, so it is due 23:59:59 on Wednesday 29.
 */
int64_t calendar_add_working_days_due(const struct calendar *c, int64_t start_utc, int n);

/*
 * calendar_add_hours - start_utc + hours * 3600: a limit in hours ("RHI within 72 hours") is a
 * plain duration of real time, not a local clock reading. So across a change of the clocks the
 * local due time moves by the hour: 72 hours from 21:30 GMT on Friday 27 March 2026 is 22:30 BST
 * on Monday 30 March; from 21:30 BST on Friday 23 October 2026 it is 20:30 GMT on Monday 26
 * October. (A child who returns is seen within 72 real hours, whatever the clocks say.)
 * hours may be negative; start_utc is a time in years 1..9999 (so nothing overflows).
 */
int64_t calendar_add_hours(int64_t start_utc, int hours);

/*
 * calendar_working_days_between - the number of working days d with from < d <= to (so 0 when
 * to == from, and 2 when a task due by the end of Monday is done on Wednesday of an ordinary
 * week: "2 working days late"). When to is before from, the negative of the count of working
 * days in (to, from]: between(c, a, b) == -between(c, b, a).
 */
int calendar_working_days_between(const struct calendar *c, const struct valid_date *from,
				  const struct valid_date *to);

#endif
