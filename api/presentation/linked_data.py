"""schema.org `Legislation` as JSON-LD, for documents and provisions.

Shapes only what it is given: the queries layer (api.queries.linked_records) looks up the
issuers, jurisdictions and document statuses the nodes name.

A provision's `legislationLegalForce` follows its document's status and its own binding: a
binding provision is as much in force as its document; a non-binding one (it urges or demands
what its issuer cannot compel) has no legal force to be in, so the term is left out rather
than claim `NotInForce`, which would say it had been blocked or had lapsed. Its modality and
binding come as schema.org `additionalProperty` PropertyValues (`propertyID` `modality`, a
term of /v1/vocabularies, and `binding`, a boolean).
"""

from flask import Response, json, request

from api.http.negotiation import JSON_LD
from api.presentation import OFFICIAL_FILES
from api.queries.linked_records import DocumentNames
from api.storage.models import Document, Provision

SCHEMA_ORG = "https://schema.org"
# schema.org's LegalForceStatus: a document a court has blocked is not in force.
LEGAL_FORCE = {"in_force": "InForce", "partially_enjoined": "PartiallyInForce"}
ACTOR_TYPES = {"person": "Person", "government": "GovernmentOrganization"}


def _url(path: str) -> str:
    return request.host_url.rstrip("/") + path


def _legal_force(status: str) -> dict:
    return {"@id": f"{SCHEMA_ORG}/{LEGAL_FORCE.get(status, 'NotInForce')}"}


def document_nodes(documents: list[Document], names: DocumentNames) -> list[dict]:
    return [_document_node(document, names) for document in documents]


def _document_node(document: Document, names: DocumentNames) -> dict:
    issuer = names.issuers[document.issuer_id]
    node = {
        "@type": "Legislation",
        "@id": _url(f"/v1/documents/{document.id}"),
        "url": _url(f"/v1/documents/{document.id}"),
        "name": document.title,
        "legislationIdentifier": _identifiers(document),
        "identifier": _document_number(document),
        "legislationType": document.type.replace("_", " "),
        "legislationDate": document.signed_on.isoformat() if document.signed_on else None,
        "datePublished": document.published_on.isoformat() if document.published_on else None,
        "legislationJurisdiction": {
            "@type": "AdministrativeArea",
            "identifier": document.jurisdiction_id,
            "name": names.jurisdictions.get(document.jurisdiction_id),
        },
        "legislationPassedBy": {
            "@type": ACTOR_TYPES.get(issuer.kind, "Organization"),
            "identifier": issuer.id,
            "name": issuer.name,
        },
        "legislationLegalForce": _legal_force(document.status),
        "abstract": document.summary,
        "keywords": document.topics,
        "sameAs": document.official_url,
        "encoding": _files(document),
        "dateModified": document.updated_at.isoformat(),
    }
    tree = getattr(document, "provision_tree", None)
    if tree is not None:
        node["hasPart"] = [{"@id": _url(f"/v1/provisions/{p.id}")} for p in tree]
    return {key: value for key, value in node.items() if value not in (None, [])}


def _identifiers(document: Document) -> str | list[str]:
    """The document's number (else our id), and its citation when it has one."""
    number = document.number or document.id
    return [number, document.citation] if document.citation else number


def _document_number(document: Document) -> dict | None:
    if document.document_number is None:
        return None
    return {
        "@type": "PropertyValue",
        "propertyID": "Federal Register document number",
        "value": document.document_number,
    }


def _files(document: Document) -> list[dict]:
    """The document's official files, as schema.org `LegislationObject`s."""
    files = []
    for attribute, media_type in OFFICIAL_FILES:
        url = getattr(document, attribute)
        if url:
            file = {"@type": "LegislationObject", "contentUrl": url, "encodingFormat": media_type}
            files.append({key: value for key, value in file.items() if value is not None})
    return files


def provision_nodes(provisions: list[Provision], document_statuses: dict[str, str]) -> list[dict]:
    """Provisions' nodes, given the status of each one's document (by document id)."""
    return [_provision_node(p, document_statuses[p.document_id]) for p in provisions]


def _provision_node(provision: Provision, document_status: str) -> dict:
    parent = (
        f"/v1/provisions/{provision.parent_id}"
        if provision.parent_id
        else f"/v1/documents/{provision.document_id}"
    )
    node = {
        "@type": "Legislation",
        "@id": _url(f"/v1/provisions/{provision.id}"),
        "url": _url(f"/v1/provisions/{provision.id}"),
        "legislationIdentifier": provision.label or provision.id,
        "name": provision.action,
        "headline": provision.heading,
        "abstract": provision.summary,
        "text": provision.text,
        "keywords": provision.topics,
        "legislationLegalForce": _legal_force(document_status) if provision.binding else None,
        "additionalProperty": [
            _property("modality", provision.modality),
            _property("binding", provision.binding),
        ],
        "isPartOf": {"@id": _url(parent)},
        "hasPart": [{"@id": _url(f"/v1/provisions/{child}")} for child in provision.subprovisions],
        "dateModified": provision.updated_at.isoformat(),
    }
    return {key: value for key, value in node.items() if value not in (None, [])}


def _property(name: str, value: str | bool) -> dict:
    return {"@type": "PropertyValue", "propertyID": name, "value": value}


def linked_data_response(nodes: list[dict], *, single: bool, headers: dict | None = None):
    body = (
        {"@context": SCHEMA_ORG, **nodes[0]}
        if single
        else {"@context": SCHEMA_ORG, "@graph": nodes}
    )
    return Response(json.dumps(body), mimetype=JSON_LD, headers=headers or {})
