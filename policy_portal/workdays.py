"""Working days on the official Chinese calendar (法定节假日 and 调休 make-up working days).

`chinese_calendar` carries the State Council's published arrangements, year by year; where
a year is not yet published it has no data, and we fall back to the `holidays` package's
China calendar (statutory holidays by rule, make-up days unknown). A deadline computed
through such a year is marked provisional, so officers know it may move once the State
Council publishes the arrangement.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar
import holidays


@dataclass(frozen=True)
class Deadline:
    due_on: dt.date
    provisional: bool  # True when a year without a published arrangement was counted


@lru_cache(maxsize=32)
def _fallback(year: int):
    return holidays.China(years=year)


def is_working_day(day: dt.date) -> tuple[bool, bool]:
    """(is it a working day, is the answer official)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        cal = _fallback(day.year)
        return cal.is_working_day(day), False


def add_working_days(start: dt.date, n: int) -> Deadline:
    """The n-th working day after `start` (start itself not counted), e.g. IIC-16's 30 个工作日."""
    if n < 1:
        raise ValueError("n must be at least 1")
    day, counted, official = start, 0, True
    while counted < n:
        day += dt.timedelta(days=1)
        working, known = is_working_day(day)
        official = official and known
        if working:
            counted += 1
    return Deadline(day, not official)
