"""Each collection's catalog, by the collection's name (api.collections)."""

from api.collections import COLLECTIONS
from api.queries.catalog import Catalog
from api.queries.directory import ACTORS, JURISDICTIONS, RELATIONS, SOURCES, STATEMENTS
from api.queries.documents import DOCUMENTS, PROVISIONS

_BY_KIND = {
    catalog.kind: catalog
    for catalog in (DOCUMENTS, PROVISIONS, STATEMENTS, RELATIONS, ACTORS, JURISDICTIONS, SOURCES)
}
CATALOGS: dict[str, Catalog] = {
    collection.name: _BY_KIND[collection.kind] for collection in COLLECTIONS
}
