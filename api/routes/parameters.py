"""Path parameters every route module documents alike."""

from api.collections import Collection


def id_parameter(collection: Collection) -> dict:
    """Documents the `id` path parameter; its schema comes from the slug converter."""
    return {
        "in": "path",
        "name": "id",
        "description": f"Id of the {collection.kind}.",
        "example": collection.example_id,
    }
