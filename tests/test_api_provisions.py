"""/v1/provisions and a document's provisions: the questions the API exists to answer."""

from tests.conftest import CHICAGO_ORDER, assert_problem


def test_the_provision_urging_federal_officers_does_not_bind_and_has_three_sub_provisions(client):
    response = client.get(f"/v1/provisions?document={CHICAGO_ORDER}&modality=urges")
    assert response.status_code == 200
    provisions = response.get_json()["data"]
    (urging,) = [p for p in provisions if p["parent"] is None]
    assert urging["binding"] is False
    assert urging["text"].startswith("to refrain from wearing masks")
    assert len(urging["subprovisions"]) == 3
    for sub_id in urging["subprovisions"]:
        sub = client.get(f"/v1/provisions/{sub_id}").get_json()
        assert sub["parent"] == urging["id"]
        assert sub["binding"] is False
    sub_texts = [
        client.get(f"/v1/provisions/{s}").get_json()["text"] for s in urging["subprovisions"]
    ]
    assert "to wear and use body cameras" in sub_texts


def test_provisions_addressed_to_an_actor(client):
    (urging,) = [
        p
        for p in client.get(f"/v1/provisions?document={CHICAGO_ORDER}&modality=urges").get_json()[
            "data"
        ]
        if p["parent"] is None
    ]
    addressee = urging["addressees"][0]
    found = client.get(f"/v1/provisions?addressee={addressee}&limit=100").get_json()["data"]
    assert urging["id"] in {p["id"] for p in found}
    assert all(addressee in p["addressees"] for p in found)


def test_binding_filter_splits_the_provisions(client):
    everything = client.get(f"/v1/documents/{CHICAGO_ORDER}/provisions?limit=100").get_json()[
        "data"
    ]
    binding = client.get(f"/v1/provisions?document={CHICAGO_ORDER}&binding=true&limit=100")
    not_binding = client.get(f"/v1/provisions?document={CHICAGO_ORDER}&binding=false&limit=100")
    ids_binding = {p["id"] for p in binding.get_json()["data"]}
    ids_not = {p["id"] for p in not_binding.get_json()["data"]}
    assert ids_binding and ids_not and not ids_binding & ids_not
    assert ids_binding | ids_not == {p["id"] for p in everything}


def test_a_documents_provisions_come_in_document_order(client):
    provisions = client.get(f"/v1/documents/{CHICAGO_ORDER}/provisions?limit=100").get_json()[
        "data"
    ]
    assert [p["position"] for p in provisions] == list(range(1, len(provisions) + 1))
    assert all(p["document"] == CHICAGO_ORDER for p in provisions)


def test_repeating_a_filter_matches_any_of_its_values(client):
    response = client.get(
        f"/v1/provisions?document={CHICAGO_ORDER}&modality=urges&modality=demands&limit=100"
    )
    modalities = {p["modality"] for p in response.get_json()["data"]}
    assert modalities == {"urges", "demands"}


def test_topic_filter(client):
    provisions = client.get("/v1/provisions?topic=policing&limit=100").get_json()["data"]
    assert provisions
    assert all("policing" in p["topics"] for p in provisions)


def test_provision_detail_and_links(client):
    provision = client.get(f"/v1/provisions/{CHICAGO_ORDER}.p6").get_json()
    assert provision["links"] == {
        "self": f"/v1/provisions/{CHICAGO_ORDER}.p6",
        "document": f"/v1/documents/{CHICAGO_ORDER}",
    }
    assert provision["sources"]


def test_provisions_of_an_unknown_document_is_404(client):
    body = assert_problem(client.get("/v1/documents/no-such-order/provisions"), 404)
    assert "no-such-order" in body["detail"]


def test_bad_modality_names_the_parameter(client):
    body = assert_problem(client.get("/v1/provisions?modality=pleads"), 400)
    assert [e["name"] for e in body["errors"]] == ["modality"]
