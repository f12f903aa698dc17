"""Read the seed files and validate each record with the same schemas the API serves."""

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml
from marshmallow import Schema, ValidationError

from api.collections import IN_LOAD_ORDER
from schemas.seeds import SeedDocumentSchema

# Each collection with a seed file of its own, the file and its records' schema.
COLLECTION_FILES = {
    c.name: (c.seed_file, c.record_schema) for c in IN_LOAD_ORDER if c.seed_file is not None
}
DOCUMENTS_FOLDER = "documents"
SOURCE_TEXTS_FOLDER = "source-texts"


@dataclass(frozen=True)
class SeedProblem:
    file: str
    record: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.message}"


class _StrictLoader(yaml.SafeLoader):
    """YAML without the 1.1 traps: dates stay strings, only true/false are booleans,
    and a key given twice in one mapping is an error."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key_node, deep=deep) for key_node, _ in node.value]
        duplicated = [key for key, count in Counter(map(str, keys)).items() if count > 1]
        if duplicated:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {duplicated[0]!r} is given twice", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if not tag.endswith(("timestamp", "bool"))]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_StrictLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|false)$"), list("tf")
)


class SeedReader:
    def __init__(self, folder: Path):
        self.folder = folder
        self.problems: list[SeedProblem] = []
        self.records: dict[str, list[tuple[str, dict]]] = {}  # collection -> [(file, record)]

    def problem(self, file: str, record: str, message: str) -> None:
        self.problems.append(SeedProblem(file, record, message))

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.folder.parent))

    def parse(self, path: Path) -> object:
        try:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as error:
            self.problem(self.relative(path), "(file)", f"not valid YAML: {error}")
            return None

    def validate(self, collection: str, path: Path, schema: Schema, raw: object) -> None:
        name = self.relative(path)
        items = raw if isinstance(raw, list) else [raw]
        if collection != "documents" and not isinstance(raw, list):
            self.problem(name, "(file)", "expected a list of records")
            return
        for index, item in enumerate(items):
            label = _record_label(collection, item, index)
            if not isinstance(item, dict):
                self.problem(name, label, "expected a mapping of fields")
                continue
            try:
                record = schema.load(item)
            except ValidationError as error:
                for message in _flatten_messages(error.messages):
                    self.problem(name, label, message)
                continue
            self.records.setdefault(collection, []).append((name, record))

    def read(self) -> None:
        if not self.folder.is_dir():
            self.problem(str(self.folder), "(folder)", "no such folder")
            return
        for collection, (filename, schema_class) in COLLECTION_FILES.items():
            path = self.folder / filename
            if not path.is_file():
                self.problem(self.relative(path), "(file)", "missing")
                continue
            raw = self.parse(path)
            if raw is not None or path.stat().st_size == 0:
                self.validate(collection, path, schema_class(), raw or [])
        document_schema = SeedDocumentSchema()
        for path in sorted((self.folder / DOCUMENTS_FOLDER).glob("*.y*ml")):
            raw = self.parse(path)
            if raw is None:
                continue
            self.validate("documents", path, document_schema, raw)
            if isinstance(raw, dict) and raw.get("id") not in (None, path.stem):
                self.problem(
                    self.relative(path), f"document {raw.get('id')}", "file name must be <id>.yaml"
                )


def _record_label(collection: str, item: object, index: int) -> str:
    singular = collection.removesuffix("s")
    if isinstance(item, dict) and isinstance(item.get("id"), str):
        return f"{singular} {item['id']}"
    return f"{singular} #{index + 1}"


def _flatten_messages(messages: object, path: str = "") -> list[str]:
    """Marshmallow's nested error dict as 'field.sub[2].name: message' lines."""
    if isinstance(messages, dict):
        lines = []
        for key, value in messages.items():
            if key == "_schema":
                step = path
            elif isinstance(key, int):
                step = f"{path}[{key}]"
            else:
                step = f"{path}.{key}" if path else str(key)
            lines.extend(_flatten_messages(value, step))
        return lines
    if isinstance(messages, list):
        lines = []
        for message in messages:
            lines.extend(_flatten_messages(message, path))
        return lines
    return [f"{path}: {messages}" if path else str(messages)]
