"""The Federal Register's disposition notes, read into relations: every label form met."""

import datetime

import pytest

from api.importing.records import _dispositions


@pytest.mark.parametrize(
    "notes, expected",
    [
        pytest.param(
            "Revokes: EO 12958, April 17, 1995; EO 13292, March 25, 2003",
            [("revokes", True, "12958"), ("revokes", True, "13292")],
            id="entries-under-one-label",
        ),
        pytest.param(
            "Amends:  EO 12866, September 30, 1993",
            [("amends", True, "12866")],
            id="two-spaces-after-the-label",
        ),
        pytest.param(
            "Federal Register correction page and date: 75 FR 1013, January 8, 2010, "
            "Executive Order 13526 - Correction; Revokes: EO 12958, April 17, 1995",
            [("revokes", True, "12958")],
            id="a-correction-note-first",
        ),
        pytest.param(
            "Revokes: EO 13130, July 14, 1999\nAmended by: EO 13284, January 23, 2003\n"
            "See:  EO 12958, April 17, 1995",
            [("revokes", True, "13130"), ("amends", False, "13284")],
            id="labels-on-lines-of-their-own-and-see-left-out",
        ),
        pytest.param(
            "Revokes in part: EO 12148, July 20, 1979;  Supersedes: EO 12656, November 18, 1988 "
            "(in part)",
            [("revokes_in_part", True, "12148"), ("supersedes_in_part", True, "12656")],
            id="partial-forms",
        ),
        pytest.param(
            "Revoked by: EO 13062, September 29, 1997",
            [("revokes", False, "13062")],
            id="the-order-as-object",
        ),
    ],
)
def test_disposition_notes_give_each_relation_once(notes, expected):
    assert [entry[:3] for entry in _dispositions(notes)] == expected


def test_a_disposition_keeps_the_date_it_gives():
    (entry,) = _dispositions("Revoked by: EO 13062, September 29, 1997")
    assert entry[3] == datetime.date(1997, 9, 29)
