"""The project's gunicorn.conf.py settings for apps without its database (floor, ceiling).

Everything is read from the project's file; only the `post_fork` hook, which disposes of the
API's database engine, is replaced by one that does nothing.
"""

import runpy
from pathlib import Path

PROJECT_SETTINGS = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"

globals().update(
    {
        name: value
        for name, value in runpy.run_path(str(PROJECT_SETTINGS)).items()
        if not name.startswith("__")
    }
)


def post_fork(_server, _worker):
    """Nothing to dispose of: these apps open no SQLAlchemy engine."""
