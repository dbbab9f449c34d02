"""Hours of work: 30 hours a week cap, concurrent jobs, windows, continuity (1 year = 1,560 hours)."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.work import WorkPeriod, continuous_runs, hours_between, window_start


def job(start, end=None, hours=30, noc="21232", in_canada=True, **kw):
    return WorkPeriod(noc=noc, in_canada=in_canada, start=start, end=end, hours_per_week=hours, **kw)


def test_one_full_time_year_is_at_least_1560_hours():
    hours = hours_between([job("2024-01-01", "2024-12-31")], date(2020, 1, 1), date(2026, 1, 1))
    assert hours == pytest.approx(366 / 7 * 30)  # 2024 is a leap year: 1,568.6 hours
    assert hours >= 1560


def test_hours_above_30_a_week_do_not_count_faster():
    assert hours_between(
        [job("2025-01-01", "2025-06-30", hours=60)], date(2020, 1, 1), date(2026, 1, 1)
    ) == pytest.approx(181 / 7 * 30)


def test_concurrent_part_time_jobs_add_up_to_the_cap():
    periods = [job("2025-01-01", "2025-12-31", hours=20), job("2025-01-01", "2025-12-31", hours=20, noc="21231")]
    assert hours_between(periods, date(2020, 1, 1), date(2026, 1, 1)) == pytest.approx(365 / 7 * 30)


def test_part_time_counts_pro_rata():
    assert hours_between(
        [job("2024-01-01", "2025-12-31", hours=15)], date(2020, 1, 1), date(2026, 1, 1)
    ) == pytest.approx(731 / 7 * 15)


def test_window_clips_old_work_and_ongoing_jobs_end_on_the_date():
    assert hours_between([job("2010-01-01", "2015-12-31")], date(2016, 1, 1), date(2026, 1, 1)) == 0
    assert hours_between([job("2025-12-25")], date(2016, 1, 1), date(2025, 12, 31)) == pytest.approx(7 / 7 * 30)


def test_continuous_runs_join_touching_periods_and_split_on_gaps():
    runs = continuous_runs(
        [job("2020-01-01", "2020-06-30"), job("2020-07-01", "2020-12-31"), job("2021-03-01", "2021-12-31")],
        date(2026, 1, 1),
    )
    assert [len(r) for r in runs] == [2, 1]


def test_window_start_on_29_february():
    assert window_start(date(2028, 2, 29), 3) == date(2025, 2, 28)


def test_end_before_start_is_rejected():
    with pytest.raises(ValueError, match="end is before its start"):
        job("2025-01-01", "2024-01-01")


def test_work_periods_give_the_crs_years(profile_factory):
    profile = profile_factory(
        profile_date="2026-10-01",
        work_periods=[
            {"noc": "21232", "in_canada": True, "start": "2023-09-01", "end": "2026-09-30"},  # 3 years Canada
            {
                "noc": "21232",
                "in_canada": True,
                "start": "2022-01-01",
                "end": "2023-06-30",
                "full_time_student": True,
            },  # excluded
            {"noc": "21232", "in_canada": False, "start": "2019-01-01", "end": "2021-12-31"},  # 3 years abroad
            {"noc": "65100", "in_canada": False, "start": "2015-01-01", "end": "2018-12-31"},  # TEER 5: no
        ],
    )
    assert int(profile.canadian_years) == 3
    assert int(profile.foreign_years) == 3


def test_work_periods_and_totals_are_not_both_given(profile_factory):
    with pytest.raises(ValueError, match="not both"):
        profile_factory(
            canadian_work_years=2, work_periods=[{"noc": "21232", "in_canada": True, "start": "2024-01-01"}]
        )
