"""Serving installs the package's own dependencies only; the checks add the dev extra."""

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib

from packaging.requirements import Requirement

from tests.conftest import PROJECT_ROOT

# What serving imports: the package, and gunicorn's settings.
SERVED = [PROJECT_ROOT / "api", PROJECT_ROOT / "schemas", PROJECT_ROOT / "gunicorn.conf.py"]
FIRST_PARTY = {"api", "schemas"}
# Needed to serve although no served module imports them by name.
LOADED_BY_NAME = {
    "psycopg": "the PostgreSQL driver, which SQLAlchemy loads for postgresql+psycopg:// URLs",
}


def normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def project() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def imported_distributions() -> set[str]:
    """The installed distributions that the served modules import."""
    modules = set()
    for place in SERVED:
        for path in [place] if place.is_file() else place.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    modules |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    modules.add(node.module.split(".")[0])
    third_party = modules - FIRST_PARTY - set(sys.stdlib_module_names)
    providers = importlib.metadata.packages_distributions()
    missing = {module for module in third_party if module not in providers}
    assert not missing, f"imported but not installed: {missing}"
    return {normalized(dist) for module in third_party for dist in providers[module]}


def installed_with(requirements: list[str]) -> set[str]:
    """Every distribution that installing `requirements` brings, as installed here."""
    found: set[str] = set()
    pending = [Requirement(text) for text in requirements]
    while pending:
        requirement = pending.pop()
        name = normalized(requirement.name)
        if name in found:
            continue
        found.add(name)
        extras = {"", *requirement.extras}
        for text in importlib.metadata.requires(requirement.name) or []:
            needed = Requirement(text)
            if needed.marker is None or any(
                needed.marker.evaluate({"extra": extra}) for extra in extras
            ):
                pending.append(needed)
    return found


def test_the_served_code_needs_only_the_base_dependencies():
    missing = imported_distributions() - installed_with(project()["dependencies"])
    assert not missing, f"add to [project] dependencies: {sorted(missing)}"


def test_every_base_dependency_is_needed_to_serve():
    """Whatever only tests, benchmarks or tools use belongs in the dev extra."""
    direct = {normalized(Requirement(text).name) for text in project()["dependencies"]}
    unused = direct - imported_distributions() - set(LOADED_BY_NAME)
    assert not unused, f"move to [project.optional-dependencies] dev: {sorted(unused)}"


def planned_installs(target: str, tmp_path) -> list[str]:
    """The pip installs `make TARGET` would run for a new virtualenv (make -n runs none)."""
    plan = subprocess.run(
        ["make", "-n", target, f"VENV={tmp_path / 'venv'}"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line for line in plan.splitlines() if "pip install" in line and "-e" in line]


def test_make_run_installs_the_package_without_the_dev_extra(tmp_path):
    installs = planned_installs("run", tmp_path)
    assert installs and not any("[dev]" in line for line in installs), installs


def test_make_test_installs_the_dev_extra(tmp_path):
    assert any("'.[dev]'" in line for line in planned_installs("test", tmp_path))
