"""provisions: government policy documents and their provisions as a REST API."""

from api.app import create_app

__all__ = ["create_app"]
