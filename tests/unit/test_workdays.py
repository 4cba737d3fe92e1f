import datetime as dt

from policy_portal.workdays import add_working_days, is_working_day


def test_national_day_holidays_are_skipped_and_the_make_up_saturday_counts():
    # 2026: 10-01..10-07 off (Mid-Autumn 09-25 too); Saturday 10-10 is a make-up working day.
    deadline = add_working_days(dt.date(2026, 9, 30), 2)

    assert deadline.due_on == dt.date(2026, 10, 9)
    assert not deadline.provisional
    assert is_working_day(dt.date(2026, 10, 10)) == (True, True)


def test_thirty_working_days_from_a_change_registered_in_august_2026():
    # 2026-08-03 (Mon) + 30 working days: August has 20 after the 3rd, then Sept 1..14 → 10 more.
    deadline = add_working_days(dt.date(2026, 8, 3), 30)

    assert deadline.due_on == dt.date(2026, 9, 14)
    assert not deadline.provisional


def test_a_deadline_running_into_an_unpublished_year_is_provisional():
    deadline = add_working_days(dt.date(2026, 12, 15), 30)

    assert deadline.provisional
    assert deadline.due_on > dt.date(2027, 1, 1)
    assert is_working_day(dt.date(2027, 1, 1)) == (False, False)  # New Year by rule, not yet published
