"""The rule data files: complete, sourced, dated, and selected by date."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.crs.rules import default_rule_book, load_rule_book
from knowledge.language import default_language_tables


def test_two_rule_sets_split_on_2025_03_25():
    book = default_rule_book()
    assert book.for_date(date(2025, 3, 24)).id == "crs-2020-10-27"
    assert book.for_date(date(2025, 3, 25)).id == "crs-2025-03-25"
    assert book.for_date(date(2030, 1, 1)).id == "crs-2025-03-25"


def test_every_rule_set_and_table_carries_sources_and_a_checked_date():
    for rule_set in default_rule_book().rule_sets:
        assert rule_set.sources and all(s.url.startswith("https://") for s in rule_set.sources)
        assert rule_set.checked >= date(2026, 11, 1)
    for table in default_language_tables().tables:
        assert table.sources and table.checked >= date(2026, 11, 1)


def test_only_the_old_rule_set_has_job_offer_points():
    book = default_rule_book()
    old, new = book.for_date(date(2024, 1, 1)), book.for_date(date(2026, 1, 1))
    assert {k for k in old.additional.items if k.startswith("arranged")} == {
        "arranged_employment_teer0_major_group_00",
        "arranged_employment_other_teer_0_1_2_3",
    }
    assert not any(k.startswith("arranged") for k in new.additional.items)


def test_a_rule_change_is_a_new_file(tmp_path):
    """A new dated file is picked up without touching code; overlapping dates are refused."""
    source = default_rule_book().for_date(date(2026, 1, 1))
    (tmp_path / "2025-03-25.json").write_text(
        source.model_copy(update={"effective_to": date(2027, 1, 31)}).model_dump_json()
    )
    (tmp_path / "2027-02-01.json").write_text(
        source.model_copy(update={"id": "crs-2027-02-01", "effective_from": date(2027, 2, 1)}).model_dump_json()
    )
    book = load_rule_book(tmp_path)
    assert book.for_date(date(2027, 2, 1)).id == "crs-2027-02-01"
    (tmp_path / "2027-01-01.json").write_text(
        source.model_copy(update={"id": "overlap", "effective_from": date(2027, 1, 1)}).model_dump_json()
    )
    with pytest.raises(ValueError, match="overlap"):
        load_rule_book(tmp_path)
