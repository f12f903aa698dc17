"""What the extractor says a provision does and to whom, on orders written the way real ones
are: the rules of evaluation/GUIDELINES.md, one behaviour a test. No database."""

import pytest

from api.importing.actors import addressees_of, order_gazetteer
from api.importing.extraction import ExtractedProvision, extract
from api.importing.texts import read_raw_text

HEADER = """<html><body><pre>
                         Executive Order 99999 of May 1, 2020

                         Testing the Rules

  By the authority vested in me as President by the Constitution and the
laws of the United States of America, it is hereby ordered as follows:

"""
FOOTER = """
                              THE WHITE HOUSE,
                              May 1, 2020.
</pre></body></html>"""


def typed(body: str) -> dict[str, ExtractedProvision]:
    """The order's provisions by label (the preamble as `None`)."""
    return {p.label: p for p in extract(read_raw_text(HEADER + body + FOOTER)).provisions}


def names(provision: ExtractedProvision) -> list[str]:
    return [actor.name for actor in provision.addressees]


COUNCIL_ORDER = """  Section 1. Establishment. There is established within the Department of
the Treasury the President's Advisory Council on Testing (Council).

  Sec. 2. Administration. (a) The President shall designate a Chair from
among the members of the Council.
  (b) The Chair shall convene meetings of the Council.
  (c) No later than 30 days after the date of this order, the heads of all
agencies:
  (i) shall identify actions that:
  (A) may be subject to emergency treatment; and
  (B) may be covered by completed analyses; and
  (ii) shall report to the Council.
  (d) To the extent permitted by law, no agency shall issue a rule that
conflicts with this order.
"""


def test_a_body_set_up_within_a_department_is_named_without_the_department():
    gazetteer = order_gazetteer(COUNCIL_ORDER)
    assert gazetteer.actors[gazetteer.aliases["council"]].name == (
        "President's Advisory Council on Testing"
    )


def test_the_chair_alone_is_the_chair_of_the_one_body_the_order_sets_up():
    assert names(typed(COUNCIL_ORDER)["Sec. 2(b)"]) == [
        "Chair of the President's Advisory Council on Testing"
    ]


def test_no_later_than_is_a_deadline_not_a_prohibition():
    provision = typed(COUNCIL_ORDER)["Sec. 2(c)"]
    assert provision.modality == "directs"
    assert names(provision) == ["executive departments and agencies"]


def test_an_item_that_begins_with_its_cue_has_its_chapeaus_subject():
    provisions = typed(COUNCIL_ORDER)
    for label in ("Sec. 2(c)(i)", "Sec. 2(c)(ii)"):
        assert provisions[label].modality == "directs", label
        assert names(provisions[label]) == ["executive departments and agencies"], label


def test_an_item_that_completes_a_relative_clause_has_its_chapeaus_force():
    """`actions that: (A) may be subject to…`: the may describes the actions, permits nothing."""
    provisions = typed(COUNCIL_ORDER)
    for label in ("Sec. 2(c)(i)(A)", "Sec. 2(c)(i)(B)"):
        assert provisions[label].modality == "directs", label


def test_no_agency_shall_after_an_introduction_prohibits():
    provision = typed(COUNCIL_ORDER)["Sec. 2(d)"]
    assert provision.modality == "prohibits"
    assert names(provision) == ["executive departments and agencies"]


@pytest.mark.parametrize(
    "subject",
    [
        "All agencies of the executive branch",
        "All executive branch departments and agencies of the Federal Government",
        "Each head of an executive department or agency in which a union is recognized",
        "The heads of such other agencies as the Secretary may designate",
        "all heads of agencies",
    ],
)
def test_every_way_of_writing_the_agencies_is_one_group(subject):
    gazetteer = order_gazetteer("")
    assert [actor.id for actor in addressees_of(gazetteer, subject)] == [
        "executive-departments-and-agencies"
    ]


def test_independent_agencies_are_not_the_executive_agencies():
    gazetteer = order_gazetteer("")
    found = addressees_of(gazetteer, "Independent regulatory agencies ")
    assert [actor.id for actor in found] == ["independent-regulatory-agencies"]


def test_an_acronym_names_the_body_whose_initials_it_spells():
    body = """  Sec. 1. Coordination. (a) The Chairman of the Council on Environmental
Quality (CEQ) shall issue guidance.
  (b) The Chairman of CEQ shall report to the President.
"""
    provisions = typed(body)
    assert names(provisions["Sec. 1(a)"]) == ["Chair of the Council on Environmental Quality"]
    assert names(provisions["Sec. 1(b)"]) == ["Chair of the Council on Environmental Quality"]


def test_co_chairs_named_before_their_short_form_are_the_addressees():
    body = """  Sec. 1. Council. There is established the Task Force on Testing (Task
Force). The Task Force shall be co-chaired by the Secretary of the Interior and
the Secretary of Agriculture, or by their designees (Co-Chairs).
  Sec. 2. Meetings. The Co-Chairs shall convene meetings of the Task Force.
"""
    assert names(typed(body)["Sec. 2"]) == ["Secretary of the Interior", "Secretary of Agriculture"]


def test_holders_with_short_forms_who_serve_as_co_chairs_are_the_co_chairs():
    body = """  Sec. 1. Membership. (a) The Council shall be composed of the Director of the
Office of Personnel Management (OPM) and the Deputy Director for Management of
the Office of Management and Budget (OMB), who shall serve as Co-Chairs of the
Council.
  (b) The Co-Chairs shall convene the Council.
"""
    assert names(typed(body)["Sec. 1(b)"]) == [
        "Director of the Office of Personnel Management",
        "Deputy Director for Management of the Office of Management and Budget",
    ]


def test_a_body_named_in_quotes_is_an_actor_with_its_short_form():
    body = """  Section 1. Establishment. (a) The Secretary of Transportation shall
establish a performance-based organization to be known as the ``Air Traffic
Organization'' (ATO).
  (b) The ATO shall report to the Secretary.
"""
    assert names(typed(body)["Sec. 1(b)"]) == ["Air Traffic Organization"]


def test_an_introduction_names_no_subject():
    body = """  Sec. 1. Functions. Consistent with the authorities of member agencies,
the Task Force on Testing shall meet monthly.
"""
    assert names(typed(body)["Sec. 1"]) == ["Task Force on Testing"]


def test_a_body_with_and_in_its_name_is_one_body():
    body = """  Sec. 1. Records. The National Archives and Records Administration shall
keep the records.
"""
    assert names(typed(body)["Sec. 1"]) == ["National Archives and Records Administration"]


def test_a_title_without_of_is_an_office():
    body = """  Sec. 1. Office. A Federal Chief Sustainability Officer, designated by the
President, shall head the Office of Federal Sustainability.
"""
    assert names(typed(body)["Sec. 1"]) == ["Federal Chief Sustainability Officer"]


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Section 5(a) of Executive Order 13010 shall be further amended by", "amends"),
        ("After section 3, the following new sections are added:", "amends"),
        ("The Presidential Medal of Testing (Medal) is established to honor", "establishes"),
        ("This order shall supplement but not supersede Executive Order 12866.", "declares"),
        (
            "The Secretary of Defense shall perform, except with respect to the Coast "
            "Guard, the functions vested in the President by section 12 of title 10.",
            "delegates",
        ),
        (
            "For those persons whose property and interests in property are blocked "
            "pursuant to this order, I find that prior notice would be ineffectual.",
            "declares",
        ),
    ],
)
def test_a_provisions_force_is_read_from_its_main_clause(sentence, modality):
    body = f"  Sec. 1. Rule. {sentence}\n"
    assert typed(body)["Sec. 1"].modality == modality


def test_a_heading_in_the_text_does_not_hide_the_declaring_words():
    body = """  Sec. 1. Council. (a) Termination. The Council shall terminate 2 years
after the date of this order.
  (b) Mission. The mission of the Council shall be to advise the President.
"""
    provisions = typed(body)
    assert provisions["Sec. 1(a)"].modality == "declares"
    assert provisions["Sec. 1(b)"].modality == "declares"


def test_a_preamble_that_orders_an_amendment_amends():
    order = read_raw_text(
        HEADER.split("  By the authority")[0]
        + "  By the authority vested in me as President by the Constitution and the\n"
        "laws of the United States of America, it is hereby ordered that section 3\n"
        "of Executive Order 12345 is amended by striking ``90'' and inserting ``120''.\n" + FOOTER
    )
    (preamble,) = extract(order).provisions
    assert preamble.modality == "amends"


def test_a_list_of_members_requires_and_addresses_no_one():
    body = """  Sec. 1. Membership. (a) The Commission shall be composed of not more than
20 members. The Commission shall also include the following officers:
  (i) the Secretary of Commerce; and
  (ii) the Secretary of Labor.
"""
    provisions = typed(body)
    for label in ("Sec. 1(a)(i)", "Sec. 1(a)(ii)"):
        assert provisions[label].modality == "requires", label
        assert provisions[label].addressees == [], label


def test_each_office_of_an_order_of_succession_is_addressed():
    body = """  Section 1. Order of Succession. Subject to the provisions of section 2 of
this order, the following officials of the Department of Commerce, in the order
listed, shall act as and perform the functions and duties of the office of the
Secretary of Commerce:
  (a) Deputy Secretary of Commerce;
  (b) General Counsel of the Department of Commerce; and
  (c) Under Secretary of Commerce for International Trade.
"""
    provisions = typed(body)
    assert names(provisions["Sec. 1(a)"]) == ["Deputy Secretary of Commerce"]
    assert names(provisions["Sec. 1(b)"]) == ["General Counsel of the Department of Commerce"]
    assert names(provisions["Sec. 1"]) == [
        "Deputy Secretary of Commerce",
        "General Counsel of the Department of Commerce",
        "Under Secretary of Commerce for International Trade",
    ]


def test_a_delegate_who_shall_perform_the_presidents_functions_is_the_addressee():
    body = """  Section 1. Assignment of Functions. The Secretary of Homeland Security
shall perform, with respect to the Coast Guard, the functions assigned to the
President by the following provisions of the United States Code:
  (a) section 1521(a) of title 10; and
  (b) section 729(g) of title 14.
"""
    provisions = typed(body)
    for label in ("Sec. 1", "Sec. 1(a)", "Sec. 1(b)"):
        assert provisions[label].modality == "delegates", label
        assert names(provisions[label]) == ["Secretary of Homeland Security"], label


def test_an_actor_in_a_relative_clause_of_the_subject_is_not_addressed():
    body = """  Sec. 1. Reviews. Certain agreements that the United States may negotiate
shall require an environmental review.
"""
    provision = typed(body)["Sec. 1"]
    assert (provision.modality, provision.addressees) == ("requires", [])


def test_a_preamble_that_amends_as_follows_leaves_the_amending_to_its_sections():
    order = read_raw_text(
        HEADER.split("  By the authority")[0]
        + "  By the authority vested in me as President by the Constitution and the\n"
        "laws of the United States of America, it is hereby ordered that Executive\n"
        "Order 12345 is amended as follows:\n\n"
        "  Section 1. Section 3 of Executive Order 12345 is amended by striking ``90''.\n" + FOOTER
    )
    preamble, section = extract(order).provisions
    assert (preamble.modality, section.modality) == ("declares", "amends")
