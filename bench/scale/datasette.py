"""Datasette, the baseline: installed in its own virtualenv in the run's temporary folder."""

import subprocess
import sys
from pathlib import Path


def start_datasette_install(folder: Path) -> subprocess.Popen:
    """Create a virtualenv under `folder` and pip install datasette into it, in the background."""
    venv = folder / "datasette-venv"
    script = f"'{sys.executable}' -m venv '{venv}' && '{venv}/bin/pip' install -q datasette"
    log_file = (folder / "datasette-install.log").open("wb")
    return subprocess.Popen(["sh", "-c", script], stdout=log_file, stderr=subprocess.STDOUT)


def finish_datasette_install(installer: subprocess.Popen, folder: Path) -> Path:
    """Wait for the install; the datasette executable."""
    if installer.wait() != 0:
        log_text = (folder / "datasette-install.log").read_text(errors="replace")
        raise SystemExit(f"installing datasette failed:\n{log_text}")
    return folder / "datasette-venv" / "bin" / "datasette"


def tilde_encode(datasette: Path, value: str) -> str:
    """Datasette's own encoding of a primary key in a URL, from its virtualenv."""
    python = datasette.with_name("python")
    code = "import sys; from datasette.utils import tilde_encode; print(tilde_encode(sys.argv[1]))"
    return subprocess.run(
        [str(python), "-c", code, value], capture_output=True, text=True, check=True
    ).stdout.strip()
