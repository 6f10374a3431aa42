/*
 * calendar.c - Europe/London local time, England and Wales bank holidays, working days and the
 * due-time arithmetic of the hub's practice-standard timescales (see calendar.h for each
 * contract).
 *
 * Owns: pure functions over integers, struct valid_date and caller-owned struct calendar values.
 * Must not touch: HTTP, SQL, jansson, the store, the process time zone (no TZ, localtime(),
 * mktime() or tzdata: the GMT/BST rule is written out here). Dates go through valid.h's day
 * numbers (valid_days_from_civil / valid_civil_from_days), so the only date arithmetic here is
 * weekdays, month lengths and the holiday rules.
 * Nothing here allocates and there is no state.
 */
#include "calendar.h"

#include <stdio.h>
#include <string.h>

#define SECONDS_PER_DAY INT64_C(86400)
#define SECONDS_PER_HOUR INT64_C(3600)
#define BST_OFFSET 3600

/* ---- Day numbers ------------------------------------------------------------------------- */

/* The day number of year-month-day (month 13 means January of the next year). */
static int64_t day_number(int year, int month, int day)
{
	if (month == 13) {
		year++;
		month = 1;
	}
	struct valid_date d = {year, month, day};
	return valid_days_from_civil(&d);
}

/* The ISO weekday (1 = Monday ... 7 = Sunday) of a day number; day 0 was a Thursday. */
static int weekday_of(int64_t dn)
{
	int64_t r = (dn + 3) % 7;
	if (r < 0)
		r += 7;
	return (int)r + 1;
}

/* The day number of the last `weekday` (1-7) on or before day number dn. */
static int64_t last_weekday_on_or_before(int64_t dn, int weekday)
{
	return dn - (weekday_of(dn) - weekday + 7) % 7;
}

/* The number of days in month `month` of `year`, from the day numbers of two 1sts. */
static int days_in_month(int year, int month)
{
	return (int)(day_number(year, month + 1, 1) - day_number(year, month, 1));
}

int calendar_weekday(const struct valid_date *d)
{
	return weekday_of(valid_days_from_civil(d));
}

/* ---- Europe/London local time ------------------------------------------------------------- */

int64_t calendar_bst_start(int year)
{
	int64_t sunday = last_weekday_on_or_before(day_number(year, 3, 31), 7);
	return sunday * SECONDS_PER_DAY + SECONDS_PER_HOUR;
}

int64_t calendar_bst_end(int year)
{
	int64_t sunday = last_weekday_on_or_before(day_number(year, 10, 31), 7);
	return sunday * SECONDS_PER_DAY + SECONDS_PER_HOUR;
}

int calendar_utc_offset(int64_t utc)
{
	/* Both changes are in the middle of the year, so the UTC year is the local year. */
	struct valid_date d;
	valid_date_from_time(utc, &d);
	return utc >= calendar_bst_start(d.year) && utc < calendar_bst_end(d.year) ? BST_OFFSET : 0;
}

int64_t calendar_local_from_utc(int64_t utc)
{
	return utc + calendar_utc_offset(utc);
}

int64_t calendar_utc_from_local(int64_t local)
{
	/*
	 * If the reading is BST, the instant is an hour earlier and is itself in BST: that also
	 * picks the first occurrence in the autumn overlap. Otherwise the reading is GMT, which is
	 * also what a reading in the spring gap is taken as.
	 */
	if (local < INT64_MIN + BST_OFFSET)
		return local; /* far outside any calendar: never in BST, and no overflow */
	int64_t as_bst = local - BST_OFFSET;
	return calendar_utc_offset(as_bst) == BST_OFFSET ? as_bst : local;
}

void calendar_local_date(int64_t utc, struct valid_date *d)
{
	valid_date_from_time(calendar_local_from_utc(utc), d);
}

/* The UTC instant of local midnight at the start of day number dn. */
static int64_t midnight_utc(int64_t dn)
{
	return calendar_utc_from_local(dn * SECONDS_PER_DAY);
}

int64_t calendar_local_midnight_utc(const struct valid_date *d)
{
	return midnight_utc(valid_days_from_civil(d));
}

int64_t calendar_end_of_day_utc(const struct valid_date *d)
{
	return midnight_utc(valid_days_from_civil(d) + 1) - 1;
}

/* ---- Dates -------------------------------------------------------------------------------- */

bool calendar_add_days(const struct valid_date *d, int n, struct valid_date *out)
{
	struct valid_date r;
	valid_civil_from_days(valid_days_from_civil(d) + n, &r);
	if (r.year < 1 || r.year > 9999)
		return false;
	*out = r;
	return true;
}

bool calendar_add_months(const struct valid_date *d, int n, struct valid_date *out)
{
	/* Count months from January of year 0 so that division never meets a negative number. */
	int64_t months = (int64_t)d->year * 12 + (d->month - 1) + n;
	if (months < 12 || months >= INT64_C(10000) * 12)
		return false;
	int year = (int)(months / 12);
	int month = (int)(months % 12) + 1;
	int last = days_in_month(year, month);
	out->year = year;
	out->month = month;
	out->day = d->day < last ? d->day : last;
	return true;
}

void calendar_easter_sunday(int year, struct valid_date *d)
{
	/* The anonymous Gregorian algorithm (Meeus, "Astronomical Algorithms"; Jones, Butcher). */
	int a = year % 19;
	int b = year / 100, c = year % 100;
	int dd = b / 4, e = b % 4;
	int f = (b + 8) / 25;
	int g = (b - f + 1) / 3;
	int h = (19 * a + b - dd - g + 15) % 30;
	int i = c / 4, k = c % 4;
	int l = (32 + 2 * e + 2 * i - h - k) % 7;
	int m = (a + 11 * h + 22 * l) / 451;
	int n = h + l - 7 * m + 114;
	d->year = year;
	d->month = n / 31;
	d->day = n % 31 + 1;
}

/* ---- Holidays ----------------------------------------------------------------------------- */

void calendar_init(struct calendar *c)
{
	c->count = 0;
}

/* The index of the first of c's holidays on or after day number dn (count if none). */
static int holiday_lower_bound(const struct calendar *c, int64_t dn)
{
	int lo = 0, hi = c->count;
	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;
		if (c->holiday[mid] < dn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool holiday_dn(const struct calendar *c, int64_t dn)
{
	int i = holiday_lower_bound(c, dn);
	return i < c->count && c->holiday[i] == dn;
}

/* Add day number dn to c's holidays; false when c is full (and dn not already there). */
static bool add_holiday_dn(struct calendar *c, int64_t dn)
{
	int i = holiday_lower_bound(c, dn);
	if (i < c->count && c->holiday[i] == dn)
		return true;
	if (c->count >= CALENDAR_MAX_HOLIDAYS)
		return false;
	memmove(&c->holiday[i + 1], &c->holiday[i], (size_t)(c->count - i) * sizeof c->holiday[0]);
	c->holiday[i] = dn;
	c->count++;
	return true;
}

bool calendar_add_holiday(struct calendar *c, const struct valid_date *d)
{
	return add_holiday_dn(c, valid_days_from_civil(d));
}

bool calendar_is_holiday(const struct calendar *c, const struct valid_date *d)
{
	return holiday_dn(c, valid_days_from_civil(d));
}

/* One default bank holiday while a year's list is being built. */
struct bank_holiday {
	int64_t dn;       /* day number */
	const char *name; /* a string constant */
};

/* Append (dn, name) to list[*n]; a year never has more than CALENDAR_DEFAULT_MAX_PER_YEAR. */
static void put(struct bank_holiday *list, int *n, int64_t dn, const char *name)
{
	if (*n < CALENDAR_DEFAULT_MAX_PER_YEAR)
		list[(*n)++] = (struct bank_holiday){dn, name};
}

/*
 * Write the England and Wales bank holidays of `year` into list (room for
 * CALENDAR_DEFAULT_MAX_PER_YEAR), in date order, and return how many. The rules are those in
 * calendar.h; the names are GOV.UK's titles (www.gov.uk/bank-holidays), with "(substitute day)"
 * where GOV.UK notes "Substitute day".
 */
static int year_bank_holidays(int year, struct bank_holiday list[CALENDAR_DEFAULT_MAX_PER_YEAR])
{
	int n = 0;

	/* New Year's Day, or the Monday after when it falls at a weekend. */
	int64_t jan1 = day_number(year, 1, 1);
	int w = weekday_of(jan1);
	if (w == 6)
		put(list, &n, jan1 + 2, "New Year's Day (substitute day)");
	else if (w == 7)
		put(list, &n, jan1 + 1, "New Year's Day (substitute day)");
	else
		put(list, &n, jan1, "New Year's Day");

	/* Easter. */
	struct valid_date easter;
	calendar_easter_sunday(year, &easter);
	int64_t easter_dn = valid_days_from_civil(&easter);
	put(list, &n, easter_dn - 2, "Good Friday");
	put(list, &n, easter_dn + 1, "Easter Monday");

	/* Early May: the first Monday, moved to Friday 8 May in 2020 for the 75th VE Day. */
	if (year == 2020)
		put(list, &n, day_number(2020, 5, 8), "Early May bank holiday (VE day)");
	else
		put(list, &n, last_weekday_on_or_before(day_number(year, 5, 7), 1),
		    "Early May bank holiday");
	if (year == 2023)
		put(list, &n, day_number(2023, 5, 8),
		    "Bank holiday for the coronation of King Charles III");

	/* Spring: the last Monday of May, moved in 2022 for the Platinum Jubilee. */
	if (year == 2022) {
		put(list, &n, day_number(2022, 6, 2), "Spring bank holiday");
		put(list, &n, day_number(2022, 6, 3), "Platinum Jubilee bank holiday");
	} else {
		put(list, &n, last_weekday_on_or_before(day_number(year, 5, 31), 1),
		    "Spring bank holiday");
	}

	/* Summer: the last Monday of August. */
	put(list, &n, last_weekday_on_or_before(day_number(year, 8, 31), 1), "Summer bank holiday");

	if (year == 2022)
		put(list, &n, day_number(2022, 9, 19),
		    "Bank Holiday for the State Funeral of Queen Elizabeth II");

	/* Christmas and Boxing Day, with substitute weekdays when either falls at a weekend. */
	int64_t dec25 = day_number(year, 12, 25);
	switch (weekday_of(dec25)) {
	case 6: /* Saturday: both move to Monday and Tuesday */
		put(list, &n, dec25 + 2, "Christmas Day (substitute day)");
		put(list, &n, dec25 + 3, "Boxing Day (substitute day)");
		break;
	case 7: /* Sunday: Boxing Day is Monday, Christmas moves to Tuesday */
		put(list, &n, dec25 + 1, "Boxing Day");
		put(list, &n, dec25 + 2, "Christmas Day (substitute day)");
		break;
	case 5: /* Friday: Boxing Day (Saturday) moves to Monday */
		put(list, &n, dec25, "Christmas Day");
		put(list, &n, dec25 + 3, "Boxing Day (substitute day)");
		break;
	default:
		put(list, &n, dec25, "Christmas Day");
		put(list, &n, dec25 + 1, "Boxing Day");
		break;
	}

	/* The rules above are in date order already; sort anyway so no rule can break that. */
	for (int i = 1; i < n; i++) {
		struct bank_holiday x = list[i];
		int j = i;
		for (; j > 0 && list[j - 1].dn > x.dn; j--)
			list[j] = list[j - 1];
		list[j] = x;
	}
	return n;
}

static bool default_years_ok(int from_year, int to_year)
{
	return from_year >= CALENDAR_DEFAULT_FIRST_YEAR && to_year <= CALENDAR_DEFAULT_LAST_YEAR &&
	       from_year <= to_year;
}

int calendar_default_holiday_list(int from_year, int to_year, struct calendar_holiday *out,
				  int cap)
{
	if (!default_years_ok(from_year, to_year))
		return -1;
	int count = 0;
	for (int year = from_year; year <= to_year; year++) {
		struct bank_holiday list[CALENDAR_DEFAULT_MAX_PER_YEAR];
		int n = year_bank_holidays(year, list);
		if (n > cap - count)
			return -1;
		for (int i = 0; i < n; i++) {
			struct calendar_holiday *h = &out[count++];
			valid_civil_from_days(list[i].dn, &h->date);
			snprintf(h->name, sizeof h->name, "%s", list[i].name);
		}
	}
	return count;
}

bool calendar_default_holidays(struct calendar *c, int from_year, int to_year)
{
	if (!default_years_ok(from_year, to_year))
		return false;
	for (int year = from_year; year <= to_year; year++) {
		struct bank_holiday list[CALENDAR_DEFAULT_MAX_PER_YEAR];
		int n = year_bank_holidays(year, list);
		for (int i = 0; i < n; i++)
			if (!add_holiday_dn(c, list[i].dn))
				return false;
	}
	return true;
}

/* ---- Working days ------------------------------------------------------------------------- */

static bool working_dn(const struct calendar *c, int64_t dn)
{
	return weekday_of(dn) <= 5 && !holiday_dn(c, dn);
}

bool calendar_is_working_day(const struct calendar *c, const struct valid_date *d)
{
	return working_dn(c, valid_days_from_civil(d));
}

int64_t calendar_add_working_days_due(const struct calendar *c, int64_t start_utc, int n)
{
	if (n < 1 || n > CALENDAR_MAX_WORKING_DAYS)
		return CALENDAR_NO_TIME;
	struct valid_date start;
	calendar_local_date(start_utc, &start);
	/* The start day never counts: step to the next day before counting. Terminates: at most
	 * CALENDAR_MAX_HOLIDAYS weekdays are not working days. */
	int64_t dn = valid_days_from_civil(&start);
	while (n > 0) {
		dn++;
		if (working_dn(c, dn))
			n--;
	}
	return midnight_utc(dn + 1) - 1;
}

int64_t calendar_add_hours(int64_t start_utc, int hours)
{
	return start_utc + (int64_t)hours * SECONDS_PER_HOUR;
}

/* The number of working days in (a, b] for day numbers a <= b. */
static int64_t working_days_after(const struct calendar *c, int64_t a, int64_t b)
{
	/* Every 7 consecutive days hold 5 weekdays; count the days left over one by one. */
	int64_t weeks = (b - a) / 7;
	int64_t count = weeks * 5;
	for (int64_t dn = a + weeks * 7 + 1; dn <= b; dn++)
		if (weekday_of(dn) <= 5)
			count++;
	/* Less the range's holidays that fall on a weekday (a weekend one was never counted). */
	for (int i = holiday_lower_bound(c, a + 1); i < c->count && c->holiday[i] <= b; i++)
		if (weekday_of(c->holiday[i]) <= 5)
			count--;
	return count;
}

int calendar_working_days_between(const struct calendar *c, const struct valid_date *from,
				  const struct valid_date *to)
{
	int64_t a = valid_days_from_civil(from), b = valid_days_from_civil(to);
	/* Dates of years 1..9999 are fewer than 2^22 days apart, so the count fits an int. */
	return a <= b ? (int)working_days_after(c, a, b) : -(int)working_days_after(c, b, a);
}
