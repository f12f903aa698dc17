"""A synthetic corpus made awkward: every string a JSON writer, an HTML escaper or a database
might get wrong (quotes, backslashes, control characters, non-ASCII, `</script>`), lists in an
order of their own, status histories with gaps, confidences as extractors give them.

`tests/conftest.py` loads it once for the suite (`awkward_app`), twice over, so that records
changed by the second load have timestamps with microseconds.
"""

import datetime

from synthetic import synthetic_dataset

AWKWARD = [
    'a "quoted" word, a back\\slash and a slash /',
    "</script><script>alert('x')</script> <!-- & &amp; <b>",
    "controls: \x01 \x08 \t \n \x0b \x0c \r \x1b \x1f \x7f \x85 end",
    "non-ASCII: é ß Ωμέγα 漢字 😀 \u00a0 \u2028 \u2029 \ufeff e\u0301",
    "\\u00e9 is not é, and \\n is not a newline",
    " leading and trailing spaces ",
]
# Text columns given awkward endings (those that are not null), by table.
TEXT_COLUMNS = {
    "documents": ("title", "summary", "note"),
    "status_changes": ("note",),
    "provisions": ("label", "action", "summary", "text"),
    "sources": ("title", "publisher", "note"),
    "statements": ("date_note", "location", "subject", "quote"),
    "relations": ("summary",),
    "actors": ("name", "role"),
    "jurisdictions": ("name",),
}
# Confidences as an extractor may give them: stored to three decimals (api.storage.models.Fraction).
CONFIDENCES = [None, 0.0, 1.0, 0.001, 0.5, 0.85 - 0.1, 0.999, 2 / 3, 1e-5, -0.0]
FIRST_LOAD = datetime.datetime(2025, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
SECOND_LOAD = datetime.datetime(2025, 3, 4, 5, 6, 7, 120000, tzinfo=datetime.UTC)


def awkward_dataset():
    """A synthetic corpus whose text, authors and topics hold every awkward string."""
    dataset = synthetic_dataset(documents=30, seed=5)
    for table, columns in TEXT_COLUMNS.items():
        for number, row in enumerate(dataset.rows[table]):
            for column in columns:
                if row[column] is not None:
                    row[column] = f"{row[column]} {AWKWARD[number % len(AWKWARD)]}"
    for number, row in enumerate(dataset.rows["sources"]):
        row["authors"] = [AWKWARD[(number + shift) % len(AWKWARD)] for shift in range(number % 3)]
    for number, row in enumerate(dataset.rows["provisions"][::5]):
        topic = AWKWARD[number % len(AWKWARD)]
        dataset.add("provision_topics", {"provision_id": row["id"], "topic": topic})
    add_official_text_fields(dataset)
    vary_status_histories(dataset)
    return dataset


def vary_status_histories(dataset) -> None:
    """Status changes with no date or note, and with several sources, out of id order."""
    source_ids = sorted(row["id"] for row in dataset.rows["sources"])
    for number, row in enumerate(dataset.rows["status_changes"]):
        if number % 4 == 1:
            row["date"] = None
        if number % 5 == 2:
            row["note"] = None
        if number % 3 == 0:
            owner = {"document_id": row["document_id"], "position": row["position"]}
            taken = {
                link["source_id"]
                for link in dataset.rows["status_change_sources"]
                if link.items() >= owner.items()
            }
            for source_id in [source_ids[-1 - number % 7], source_ids[number % 5]]:
                if source_id not in taken:
                    taken.add(source_id)
                    dataset.add("status_change_sources", {**owner, "source_id": source_id})


def add_official_text_fields(dataset) -> None:
    """Headings, confidences, and relations whose object is not in the data, on some rows."""
    for number, row in enumerate(dataset.rows["provisions"]):
        awkward = AWKWARD[number % len(AWKWARD)]
        row["heading"] = f"Heading {number}. {awkward}" if number % 3 == 0 else None
        row["confidence"] = CONFIDENCES[number % len(CONFIDENCES)]
        row["extractor"] = None if row["confidence"] is None else f"extractor/{number % 2}"
    for number, row in enumerate(dataset.rows["relations"]):
        if number % 3 == 0:
            row["object_id"] = None
            row["object_reference"] = f"EO {12000 + number} {AWKWARD[number % len(AWKWARD)]}"
