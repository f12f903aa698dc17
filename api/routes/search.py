"""/v1/search: one full-text search over documents, provisions and statements."""

from api.http.framework import Blueprint
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES, page_response
from api.queries.hits import hits_page
from schemas.queries import SearchQuerySchema
from schemas.responses import SearchHitSchema, SearchPageSchema

blueprint = Blueprint(
    "search",
    __name__,
    url_prefix="/v1/search",
    description="Full-text search across documents, provisions and statements.",
)


@blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
@blueprint.doc(operationId="search")
@blueprint.arguments(SearchQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, SearchPageSchema, headers=LINK_HEADER_DOC)
def search_records(arguments: dict):
    """Search every document, provision and statement, best match first"""
    return page_response(hits_page(arguments), SearchHitSchema)
