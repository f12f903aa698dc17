"""A request costs a bounded number of SQL queries, whatever its page size (no N+1)."""

import pytest

from tests.conftest import CHICAGO_ORDER

# One query for the page, one for all the linked lists of its records (two more for a
# document's status history and its sources), and one for the dataset stamp the ETag is made
# from (read on every request in tests, where its TTL is 0).
BOUNDS = {
    "/v1/documents": 5,
    "/v1/provisions": 3,
    f"/v1/documents/{CHICAGO_ORDER}/provisions": 4,
    "/v1/statements": 3,
    "/v1/relations": 3,
    "/v1/actors": 3,
    "/v1/jurisdictions": 3,
    "/v1/sources": 2,
}


@pytest.mark.parametrize("url, bound", BOUNDS.items())
def test_list_queries_do_not_grow_with_page_size(client, count_queries, url, bound):
    counts = []
    for limit in (1, 5, 100):
        with count_queries() as statements:
            response = client.get(f"{url}?limit={limit}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[-1], counts
    assert max(counts) <= bound, counts


def test_a_document_tree_costs_the_same_as_a_flat_document_plus_one_batch(client, count_queries):
    with count_queries() as flat:
        client.get(f"/v1/documents/{CHICAGO_ORDER}")
    with count_queries() as tree:
        client.get(f"/v1/documents/{CHICAGO_ORDER}?include=provisions")
    assert len(tree) <= len(flat) + 4
