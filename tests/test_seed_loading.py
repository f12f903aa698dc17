"""`provisions seed check` and `seed load`: every problem named, all or nothing, repeatable."""

import shutil

import pytest
import yaml
from sqlalchemy import func, select

from api.cli import main
from api.seeding import SeedError, load_dataset, read_seeds
from api.storage import database
from api.storage.models import Document, Provision, Statement
from tests.conftest import CHICAGO_ORDER, SEEDS


@pytest.fixture
def seeds(tmp_path):
    """A copy of the seed folder that a test may edit."""
    return shutil.copytree(SEEDS, tmp_path / "seeds")


@pytest.fixture
def run_cli(empty_app, monkeypatch):
    """Run the `provisions` command against the empty test database."""
    monkeypatch.setattr("api.cli.create_app", lambda: empty_app)
    runner = empty_app.test_cli_runner()
    return lambda *args: runner.invoke(main, list(args))


def snapshot(app) -> dict:
    with app.app_context():
        session = database.session()
        return {
            "documents": {d.id: (d.title, d.status) for d in session.scalars(select(Document))},
            "provisions": {
                p.id: (p.summary, p.position) for p in session.scalars(select(Provision))
            },
            "statements": set(session.scalars(select(Statement.id))),
        }


def edit(path, old: str, new: str) -> None:
    content = path.read_text(encoding="utf-8")
    assert old in content
    path.write_text(content.replace(old, new, 1), encoding="utf-8")


def test_loading_twice_gives_the_same_data(empty_app, run_cli):
    assert run_cli("seed", "load", str(SEEDS)).exit_code == 0
    first = snapshot(empty_app)
    assert run_cli("seed", "load", str(SEEDS)).exit_code == 0
    assert snapshot(empty_app) == first
    assert len(first["provisions"]) > 20


def test_an_edited_record_is_updated_and_a_removed_one_removed(empty_app, run_cli, seeds):
    assert run_cli("seed", "load", str(seeds)).exit_code == 0
    edit(
        seeds / "documents" / f"{CHICAGO_ORDER}.yaml",
        "Executive Order Denouncing",
        "Order Denouncing",
    )
    statements = yaml.safe_load((seeds / "statements.yaml").read_text(encoding="utf-8"))
    removed = statements.pop()
    (seeds / "statements.yaml").write_text(yaml.safe_dump(statements, allow_unicode=True))
    result = run_cli("seed", "load", str(seeds))
    assert result.exit_code == 0, result.output
    after = snapshot(empty_app)
    assert after["documents"][CHICAGO_ORDER][0].startswith("Order Denouncing")
    assert removed["id"] not in after["statements"]
    assert len(after["statements"]) == len(statements)


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        pytest.param(
            f"documents/{CHICAGO_ORDER}.yaml",
            "modality: urges",
            "modality: pleads",
            f"documents/{CHICAGO_ORDER}.yaml: document {CHICAGO_ORDER}: provisions[5].modality",
            id="bad-enum",
        ),
        pytest.param(
            f"documents/{CHICAGO_ORDER}.yaml",
            'signed_on: "2025-08-30"',
            'signed_on: "2025-02-30"',
            f"document {CHICAGO_ORDER}: signed_on: Not a valid date",
            id="bad-date",
        ),
        pytest.param(
            f"documents/{CHICAGO_ORDER}.yaml",
            "issuer: brandon-johnson",
            "issuer: nobody-at-all",
            f"document {CHICAGO_ORDER}: issuer: no actors record with id 'nobody-at-all'",
            id="dangling-reference",
        ),
        pytest.param(
            f"documents/{CHICAGO_ORDER}.yaml",
            "issuer: brandon-johnson",
            "issuer: brandon-johnson\non: true",
            f"document {CHICAGO_ORDER}: on: Unknown field",
            id="yaml-on-key-is-not-a-boolean",
        ),
        pytest.param(
            f"documents/{CHICAGO_ORDER}.yaml",
            'text: "stand down"',
            'text: "stand down now"',
            "text: not found verbatim in the text of source",
            id="text-not-verbatim",
        ),
        pytest.param(
            "actors.yaml",
            "- id: brandon-johnson",
            "- id: brandon-johnson\n  id: again",
            "actors.yaml: (file): not valid YAML",
            id="duplicate-yaml-key",
        ),
    ],
)
def test_a_bad_file_is_rejected_naming_file_and_record_and_nothing_changes(
    empty_app, run_cli, seeds, file, old, new, expected
):
    assert run_cli("seed", "load", str(SEEDS)).exit_code == 0
    before = snapshot(empty_app)
    edit(seeds / file, old, new)
    result = run_cli("seed", "load", str(seeds))
    assert result.exit_code == 1
    assert expected in result.output
    assert "nothing was loaded" in result.output
    assert snapshot(empty_app) == before
    assert run_cli("seed", "check", str(seeds)).exit_code == 1


def test_yaml_1_1_traps_are_neutralised(seeds):
    """An unquoted date stays a string (and validates); `no` stays text, not False."""
    order = seeds / "documents" / f"{CHICAGO_ORDER}.yaml"
    edit(order, 'signed_on: "2025-08-30"', "signed_on: 2025-08-30")
    (document,) = [row for row in read_seeds(seeds).rows["documents"] if row["id"] == CHICAGO_ORDER]
    assert str(document["signed_on"]) == "2025-08-30"
    edit(order, 'number: "2025-6"', "number: no")
    (document,) = [row for row in read_seeds(seeds).rows["documents"] if row["id"] == CHICAGO_ORDER]
    assert document["number"] == "no"


def test_a_duplicate_id_across_files_is_reported_with_both_files(seeds):
    order = (seeds / "documents" / f"{CHICAGO_ORDER}.yaml").read_text()
    (seeds / "documents" / "copy.yaml").write_text(order)
    with pytest.raises(SeedError) as raised:
        read_seeds(seeds)
    messages = [str(problem) for problem in raised.value.problems]
    assert any("duplicate id" in m and "copy.yaml" in m for m in messages), messages
    assert any("file name must be <id>.yaml" in m for m in messages), messages


def test_a_failure_inside_the_transaction_leaves_the_database_as_it_was(empty_app):
    with empty_app.app_context():
        load_dataset(database.engine(), read_seeds(SEEDS))
    before = snapshot(empty_app)
    dataset = read_seeds(SEEDS)
    dataset.rows["provision_addressees"].append(dict(dataset.rows["provision_addressees"][0]))
    with empty_app.app_context(), pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        load_dataset(database.engine(), dataset)
    assert snapshot(empty_app) == before


def test_check_reports_counts_for_valid_seeds(run_cli):
    result = run_cli("seed", "check", str(SEEDS))
    assert result.exit_code == 0
    assert "valid" in result.output


def test_loading_counts_match_the_database(empty_app, run_cli):
    run_cli("seed", "load", str(SEEDS))
    with empty_app.app_context():
        count = database.session().scalar(select(func.count()).select_from(Provision))
    assert count == read_seeds(SEEDS).count("provisions")
