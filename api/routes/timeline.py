"""/v1/timeline: every dated event, in date order."""

from api.http.framework import Blueprint
from api.presentation.pages import LINK_HEADER_DOC, LIST_MEDIA_TYPES, page_response
from api.queries.timeline import timeline_page
from schemas.queries import TimelineQuerySchema
from schemas.responses import TimelineEventSchema, TimelinePageSchema

blueprint = Blueprint(
    "timeline",
    __name__,
    url_prefix="/v1/timeline",
    description="Documents signed and published, status changes, statements and relations, "
    "in date order.",
)


@blueprint.route("", methods=["GET"], produces=LIST_MEDIA_TYPES)
@blueprint.doc(operationId="listTimelineEvents")
@blueprint.arguments(TimelineQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, TimelinePageSchema, headers=LINK_HEADER_DOC)
def list_events(arguments: dict):
    """List dated events in date order"""
    return page_response(timeline_page(arguments), TimelineEventSchema)
