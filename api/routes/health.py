"""/healthz and /readyz: for load balancers and orchestrators."""

from api.http.framework import Blueprint
from api.storage import database
from schemas.queries import EmptyQuerySchema
from schemas.responses import HealthSchema

blueprint = Blueprint("health", __name__, description="Liveness and readiness probes.")


@blueprint.route("/healthz", methods=["GET"])
@blueprint.doc(operationId="getHealth")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, HealthSchema)
def health(_arguments: dict):
    """Whether the process is alive (it does not touch the database)"""
    return {"status": "ok"}


@blueprint.route("/readyz", methods=["GET"])
@blueprint.doc(operationId="getReadiness")
@blueprint.arguments(EmptyQuerySchema, location="query", as_kwargs=False)
@blueprint.response(200, HealthSchema)
def readiness(_arguments: dict):
    """Whether the database answers and its migrations are current"""
    database.check_ready()
    return {"status": "ready"}
