"""Legal deadlines: working hours, working days and calendar days around weekends, Tết and announced days."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from portal.domain.calendar import ClockUnit, WorkCalendar

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkCalendar()


def local(year, month, day, hour=0, minute=0):
    """An aware instant given in Hanoi local time (UTC+7), as a citizen or an officer would state it."""
    return datetime(year, month, day, hour, minute, tzinfo=HANOI)


def utc(year, month, day, hour=0, minute=0):
    """The same instant as the database stores it."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- Tết 2026: 16–20 Feb are public holidays, 14–15 and 21–22 Feb are weekends -------------------------

def test_tet_2026_is_nine_days_off():
    assert CALENDAR.is_working_day(date(2026, 2, 13))
    assert not any(CALENDAR.is_working_day(date(2026, 2, d)) for d in range(14, 23))
    assert CALENDAR.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)


def test_phan_anh_filed_before_tet_with_8_working_hours():
    # Fri 13 Feb: 10–12 (2h) + 13–17 (4h) = 6h; Tết and weekends skipped; Mon 23 Feb: 8–10 (2h) = 8h.
    result = CALENDAR.deadline(local(2026, 2, 13, 10), 8, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 2, 23, 10)


def test_10_working_days_across_tet():
    # Start Thu 12 Feb does not count. 1 = Fri 13 Feb; 14 Feb–22 Feb are off (weekend, Tết 16–20, weekend);
    # 2 = Mon 23, 3 = Tue 24, 4 = Wed 25, 5 = Thu 26, 6 = Fri 27 Feb; (28 Feb, 1 Mar weekend);
    # 7 = Mon 2 Mar, 8 = Tue 3, 9 = Wed 4, 10 = Thu 5 Mar → close of office 17:00 local = 10:00 UTC.
    result = CALENDAR.deadline(local(2026, 2, 12, 9), 10, ClockUnit.WORKING_DAYS)
    assert result == utc(2026, 3, 5, 10)


def test_calendar_days_landing_inside_tet_move_to_23_feb():
    # Tue 10 Feb + 7 days = Tue 17 Feb (Tết) → next working day Mon 23 Feb, close of office.
    result = CALENDAR.deadline(local(2026, 2, 10, 9), 7, ClockUnit.DAYS)
    assert result == local(2026, 2, 23, 17)


# --- A holiday-free stretch: March 2026 ---------------------------------------------------------------

def test_8_working_hours_from_monday_morning_end_tuesday_same_time():
    # Mon 9 Mar 09:30–12 (2.5h) + 13–17 (4h) = 6.5h; Tue 08:00–09:30 (1.5h) = 8h.
    result = CALENDAR.deadline(local(2026, 3, 9, 9, 30), 8, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 3, 10, 9, 30)


def test_working_hours_filed_friday_afternoon_continue_on_monday():
    # Fri 13 Mar 16–17 (1h); weekend; Mon 16 Mar 8–12 (4h) = 5h, 13–15 (2h) = 7h, 15–16 (1h) = 8h.
    assert CALENDAR.deadline(local(2026, 3, 13, 16), 7, "working_hours") == local(2026, 3, 16, 15)
    assert CALENDAR.deadline(local(2026, 3, 13, 16), 8, "working_hours") == local(2026, 3, 16, 16)


def test_working_hours_skip_the_lunch_break():
    # Mon 9 Mar 11–12 (1h), lunch, 13–14 (1h).
    result = CALENDAR.deadline(local(2026, 3, 9, 11), 2, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 3, 9, 14)


def test_working_hours_used_up_at_noon_end_at_noon_not_after_lunch():
    result = CALENDAR.deadline(local(2026, 3, 9, 8), 4, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 3, 9, 12)


def test_filed_on_sunday_night_counting_starts_monday_opening():
    result = CALENDAR.deadline(local(2026, 3, 8, 22, 45), 2, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 3, 9, 10)


def test_filed_on_sunday_night_before_a_monday_holiday_counting_starts_tuesday():
    # Hùng Kings' day falls on Sun 26 Apr 2026 and is observed on Mon 27 Apr: the next opening is Tue 28.
    result = CALENDAR.deadline(local(2026, 4, 26, 22, 45), 2, ClockUnit.WORKING_HOURS)
    assert result == local(2026, 4, 28, 10)


def test_filed_on_sunday_night_working_days_start_monday():
    # Sun 8 Mar does not count; 1 = Mon 9 Mar.
    result = CALENDAR.deadline(local(2026, 3, 8, 22, 45), 1, ClockUnit.WORKING_DAYS)
    assert result == local(2026, 3, 9, 17)


def test_calendar_days_landing_on_a_weekend_move_to_monday():
    # Mon 2 Mar + 5 days = Sat 7 Mar → Mon 9 Mar, close of office.
    result = CALENDAR.deadline(local(2026, 3, 2, 9), 5, ClockUnit.DAYS)
    assert result == local(2026, 3, 9, 17)


def test_calendar_days_landing_on_a_working_day_stay():
    result = CALENDAR.deadline(local(2026, 3, 2, 9), 3, ClockUnit.DAYS)
    assert result == local(2026, 3, 5, 17)


def test_calendar_days_use_the_local_date_not_the_utc_one():
    # 20:00 UTC on Sun 1 Mar is already 03:00 on Mon 2 Mar in Hanoi; + 3 days = Thu 5 Mar.
    result = CALENDAR.deadline(utc(2026, 3, 1, 20), 3, ClockUnit.DAYS)
    assert result == local(2026, 3, 5, 17)


# --- Announced days: make-up Saturdays and extra days off --------------------------------------------

def test_make_up_saturday_counts_as_a_working_day():
    calendar = WorkCalendar(make_up_days=frozenset({date(2026, 3, 7)}))
    assert calendar.is_working_day(date(2026, 3, 7))
    # Fri 6 Mar does not count; 1 = Sat 7 Mar (make-up) instead of Mon 9 Mar.
    assert calendar.deadline(local(2026, 3, 6, 9), 1, ClockUnit.WORKING_DAYS) == local(2026, 3, 7, 17)
    assert CALENDAR.deadline(local(2026, 3, 6, 9), 1, ClockUnit.WORKING_DAYS) == local(2026, 3, 9, 17)


def test_make_up_day_overrides_a_public_holiday():
    calendar = WorkCalendar(make_up_days=[date(2026, 2, 20)])
    assert calendar.is_working_day(date(2026, 2, 20))
    assert calendar.deadline(local(2026, 2, 13, 16), 2, ClockUnit.WORKING_HOURS) == local(2026, 2, 20, 9)


def test_extra_day_off_is_skipped():
    calendar = WorkCalendar(extra_days_off=frozenset({date(2026, 3, 9)}))
    assert not calendar.is_working_day(date(2026, 3, 9))
    assert calendar.next_working_day(date(2026, 3, 6)) == date(2026, 3, 10)
    assert calendar.deadline(local(2026, 3, 6, 9), 1, ClockUnit.WORKING_DAYS) == local(2026, 3, 10, 17)
    assert calendar.deadline(local(2026, 3, 6, 16), 2, ClockUnit.WORKING_HOURS) == local(2026, 3, 10, 9)


def test_an_extra_day_off_overrules_a_normal_working_day_but_not_a_make_up_day():
    day = date(2026, 3, 9)
    assert WorkCalendar(extra_days_off={day}, make_up_days={day}).is_working_day(day)


def test_swapped_day_off_from_the_holidays_package_is_worked_on_its_saturday():
    # The holidays package moves a working day: Mon 31 Aug 2026 off, Sat 22 Aug 2026 worked instead.
    assert not CALENDAR.is_working_day(date(2026, 8, 31))
    assert CALENDAR.is_working_day(date(2026, 8, 22))
    assert CALENDAR.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)


# --- Countdowns --------------------------------------------------------------------------------------

def test_working_hours_between_skips_lunch_nights_and_weekends():
    assert CALENDAR.working_hours_between(local(2026, 3, 9, 11), local(2026, 3, 9, 14)) == 2.0
    assert CALENDAR.working_hours_between(local(2026, 3, 13, 16), local(2026, 3, 16, 10)) == 3.0
    assert CALENDAR.working_hours_between(local(2026, 3, 9, 9, 30), local(2026, 3, 9, 9, 45)) == 0.25


def test_working_hours_between_across_tet_matches_deadline():
    start = local(2026, 2, 13, 10)
    assert CALENDAR.working_hours_between(start, CALENDAR.deadline(start, 8, ClockUnit.WORKING_HOURS)) == 8.0


def test_working_hours_between_is_negative_when_overdue():
    assert CALENDAR.working_hours_between(local(2026, 3, 9, 14), local(2026, 3, 9, 11)) == -2.0


def test_working_hours_between_works_on_utc_instants():
    # 02:00–03:00 UTC is 09:00–10:00 in Hanoi.
    assert CALENDAR.working_hours_between(utc(2026, 3, 9, 2), utc(2026, 3, 9, 3)) == 1.0


# --- Contract ----------------------------------------------------------------------------------------

def test_result_is_utc_aware():
    result = CALENDAR.deadline(utc(2026, 3, 9, 2, 30), 8, ClockUnit.WORKING_HOURS)
    assert result.tzinfo is UTC
    assert result == utc(2026, 3, 10, 2, 30)


@pytest.mark.parametrize("unit", list(ClockUnit))
def test_naive_start_is_rejected(unit):
    with pytest.raises(ValueError, match="aware"):
        CALENDAR.deadline(datetime(2026, 3, 9, 9), 1, unit)


def test_naive_instants_are_rejected_by_working_hours_between():
    with pytest.raises(ValueError, match="aware"):
        CALENDAR.working_hours_between(datetime(2026, 3, 9, 9), local(2026, 3, 9, 10))


@pytest.mark.parametrize("amount", [0, -1])
def test_non_positive_amount_is_rejected(amount):
    with pytest.raises(ValueError, match="positive"):
        CALENDAR.deadline(local(2026, 3, 9, 9), amount, ClockUnit.WORKING_DAYS)


def test_unknown_unit_is_rejected():
    with pytest.raises(ValueError):
        CALENDAR.deadline(local(2026, 3, 9, 9), 1, "weeks")
