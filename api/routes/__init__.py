"""The /v1 blueprints, one module per resource."""

from flask_smorest import Api

from api.routes import (
    actors,
    changes,
    documents,
    exports,
    feeds,
    health,
    jurisdictions,
    provisions,
    reference,
    relations,
    search,
    sources,
    statements,
    timeline,
)

# In the order the spec lists them.
MODULES = (
    health,
    reference,
    documents,
    provisions,
    search,
    timeline,
    changes,
    exports,
    feeds,
    statements,
    relations,
    actors,
    jurisdictions,
    sources,
)


def register(api: Api) -> None:
    for module in MODULES:
        api.register_blueprint(module.blueprint)
