"""The tables: records and the links between them."""

import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.storage.database import Base

ID = String(200)
TERM = String(40)


class UTCDateTime(TypeDecorator):
    """A UTC timestamp, read back timezone-aware on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, _dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(datetime.UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, _dialect):
        return value.replace(tzinfo=datetime.UTC) if value is not None else None


class Fraction(TypeDecorator):
    """A number from 0 to 1, stored rounded to three decimals.

    So every database writes it in JSON as Python does: SQLite keeps 15 significant digits,
    where a float such as 0.85 - 0.1 (0.7499999999999999) needs 16.
    """

    impl = Float
    cache_ok = True

    def process_bind_param(self, value, _dialect):
        # + 0.0 turns -0.0 into 0.0, which SQLite writes without its sign.
        return round(value, 3) + 0.0 if value is not None else None


class TrackedMixin:
    """Records whose timestamps move only when their content (hashed) changes."""

    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime, index=True)


def _owner(table: str) -> Mapped[str]:
    return mapped_column(ID, ForeignKey(f"{table}.id", ondelete="CASCADE"), primary_key=True)


def _target(table: str) -> Mapped[str]:
    return mapped_column(ID, ForeignKey(f"{table}.id"), primary_key=True, index=True)


class Source(TrackedMixin, Base):
    __tablename__ = "sources"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    publisher: Mapped[str] = mapped_column(String(200))
    authors: Mapped[list[str]] = mapped_column(JSON)
    url: Mapped[str | None] = mapped_column(String(2000))
    published_on: Mapped[datetime.date | None] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(TERM, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class SourcedMixin:
    """Records that name their sources through a `source_links` relationship."""

    @property
    def sources(self) -> list[str]:
        return [link.source_id for link in self.source_links]


class Jurisdiction(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "jurisdictions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(TERM, index=True)
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("jurisdictions.id"), index=True)
    source_links: Mapped[list["JurisdictionSource"]] = relationship(
        order_by="JurisdictionSource.source_id", cascade="all, delete-orphan"
    )


class JurisdictionSource(Base):
    __tablename__ = "jurisdiction_sources"
    jurisdiction_id: Mapped[str] = _owner("jurisdictions")
    source_id: Mapped[str] = _target("sources")


class Actor(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "actors"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(TERM, index=True)
    role: Mapped[str | None] = mapped_column(Text)
    jurisdiction_id: Mapped[str | None] = mapped_column(
        ID, ForeignKey("jurisdictions.id"), index=True
    )
    source_links: Mapped[list["ActorSource"]] = relationship(
        order_by="ActorSource.source_id", cascade="all, delete-orphan"
    )


class ActorSource(Base):
    __tablename__ = "actor_sources"
    actor_id: Mapped[str] = _owner("actors")
    source_id: Mapped[str] = _target("sources")


class Document(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "documents"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(TERM)
    # number, citation and document_number: exact-match filters, each served by its index.
    number: Mapped[str | None] = mapped_column(String(100), index=True)
    title: Mapped[str] = mapped_column(Text)
    issuer_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"), index=True)
    jurisdiction_id: Mapped[str] = mapped_column(ID, ForeignKey("jurisdictions.id"), index=True)
    signed_on: Mapped[datetime.date | None] = mapped_column(Date)
    published_on: Mapped[datetime.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(TERM, index=True)
    summary: Mapped[str] = mapped_column(Text)
    official_url: Mapped[str | None] = mapped_column(String(2000))
    verification: Mapped[str] = mapped_column(TERM)
    citation: Mapped[str | None] = mapped_column(String(100), index=True)
    document_number: Mapped[str | None] = mapped_column(String(40), index=True)
    pdf_url: Mapped[str | None] = mapped_column(String(2000))
    xml_url: Mapped[str | None] = mapped_column(String(2000))
    text_url: Mapped[str | None] = mapped_column(String(2000))
    note: Mapped[str | None] = mapped_column(Text)
    confidence: Mapped[float | None] = mapped_column(Fraction)
    extractor: Mapped[str | None] = mapped_column(String(100))

    source_links: Mapped[list["DocumentSource"]] = relationship(
        order_by="DocumentSource.source_id", cascade="all, delete-orphan"
    )
    topic_links: Mapped[list["DocumentTopic"]] = relationship(
        order_by="DocumentTopic.topic", cascade="all, delete-orphan"
    )
    status_history: Mapped[list["StatusChange"]] = relationship(
        order_by="StatusChange.position",
        cascade="all, delete-orphan",
        foreign_keys="StatusChange.document_id",
    )
    provisions: Mapped[list["Provision"]] = relationship(
        order_by="Provision.position", viewonly=True
    )

    __table_args__ = (
        Index("ix_documents_type_signed_on", "type", "signed_on"),
        Index("ix_documents_signed_on_id", "signed_on", "id"),
        # The timeline reads each kind of event in date order (migration 0008).
        Index("ix_documents_published_on_id", "published_on", "id"),
        # Newest first, undated last (the documents' default order), as PostgreSQL reads it:
        # it puts nulls first when it reads an ascending index backwards, so it sorted every
        # document for each page (migration 0010). SQLite's backward read gives this order.
        *(
            Index(f"ix_documents_{column}_desc_id", text(f"{column} DESC NULLS LAST"), "id").ddl_if(
                dialect="postgresql"
            )
            for column in ("signed_on", "published_on")
        ),
    )

    @property
    def topics(self) -> list[str]:
        return [link.topic for link in self.topic_links]


class DocumentSource(Base):
    __tablename__ = "document_sources"
    document_id: Mapped[str] = _owner("documents")
    source_id: Mapped[str] = _target("sources")


class DocumentTopic(Base):
    __tablename__ = "document_topics"
    document_id: Mapped[str] = _owner("documents")
    topic: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class StatusChange(SourcedMixin, Base):
    """One entry of a document's dated status history."""

    __tablename__ = "status_changes"

    document_id: Mapped[str] = _owner("documents")
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(TERM)
    date: Mapped[datetime.date | None] = mapped_column(Date, index=True)  # the timeline's order
    # Indexed for the timeline of a document, which shows the changes it made to others.
    by_id: Mapped[str | None] = mapped_column(ID, ForeignKey("documents.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
    source_links: Mapped[list["StatusChangeSource"]] = relationship(
        order_by="StatusChangeSource.source_id", cascade="all, delete-orphan"
    )


class StatusChangeSource(Base):
    __tablename__ = "status_change_sources"
    document_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[str] = _target("sources")

    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "position"],
            ["status_changes.document_id", "status_changes.position"],
            ondelete="CASCADE",
        ),
    )


class Provision(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "provisions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    document_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.id", ondelete="CASCADE"))
    parent_id: Mapped[str | None] = mapped_column(ID, ForeignKey("provisions.id"))
    position: Mapped[int] = mapped_column(Integer)
    depth: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(String(100))
    modality: Mapped[str] = mapped_column(TERM)
    binding: Mapped[bool] = mapped_column(Boolean)
    actor_id: Mapped[str | None] = mapped_column(ID, ForeignKey("actors.id"))
    action: Mapped[str] = mapped_column(Text)
    summary: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    quoted_in_id: Mapped[str | None] = mapped_column(ID, ForeignKey("sources.id"))
    verification: Mapped[str] = mapped_column(TERM)
    heading: Mapped[str | None] = mapped_column(String(500))
    confidence: Mapped[float | None] = mapped_column(Fraction)
    extractor: Mapped[str | None] = mapped_column(String(100))

    source_links: Mapped[list["ProvisionSource"]] = relationship(
        order_by="ProvisionSource.source_id", cascade="all, delete-orphan"
    )
    topic_links: Mapped[list["ProvisionTopic"]] = relationship(
        order_by="ProvisionTopic.topic", cascade="all, delete-orphan"
    )
    addressee_links: Mapped[list["ProvisionAddressee"]] = relationship(
        order_by="ProvisionAddressee.position", cascade="all, delete-orphan"
    )
    children: Mapped[list["Provision"]] = relationship(order_by="Provision.position", viewonly=True)

    __table_args__ = (
        Index("ix_provisions_document_position", "document_id", "position", unique=True),
        # A provision's sub-provisions in their order (position, id), read without a sort.
        Index("ix_provisions_parent_order", "parent_id", "position", "id"),
        # A filter's index leads with the filtered column and goes on in the list's order, so
        # that a page is read in order and stops after `limit` rows, however many match. It
        # ends with the id, as the order does: PostgreSQL then reads a page from the index
        # alone, which it prefers to walking the whole order and betting that the matches are
        # spread evenly along it (an actor's provisions are not: they come with its
        # jurisdiction's documents).
        Index("ix_provisions_modality_order", "modality", "document_id", "position", "id"),
        Index("ix_provisions_actor_order", "actor_id", "document_id", "position", "id"),
    )

    @property
    def topics(self) -> list[str]:
        return [link.topic for link in self.topic_links]

    @property
    def addressees(self) -> list[str]:
        return [link.actor_id for link in self.addressee_links]

    @property
    def subprovisions(self) -> list[str]:
        return [child.id for child in self.children]


class ProvisionSource(Base):
    __tablename__ = "provision_sources"
    provision_id: Mapped[str] = _owner("provisions")
    source_id: Mapped[str] = _target("sources")


# A provision's place in the provisions' list order, copied into its topic and addressee rows
# by the loader (PROVISION_PLACE: this table's column, from the provision's). Indexed after
# the topic or addressee, it serves `topic=` and `addressee=` as the provisions' own indexes
# serve `modality=`: a page is read in order, however rare the value. Copies are not content:
# content hashes leave them out.
PROVISION_PLACE = {"document_id": "document_id", "provision_position": "position"}


def _provision_place(table: str, link_column: str) -> tuple:
    """__table_args__ of a link table: the index of `link_column`, then the provision's place."""
    columns = (link_column, *PROVISION_PLACE, "provision_id")
    index = Index(f"ix_{table}_{link_column}_place", *columns)
    return (index, {"info": {"copied_from_owner": PROVISION_PLACE}})


class ProvisionTopic(Base):
    __tablename__ = "provision_topics"
    provision_id: Mapped[str] = _owner("provisions")
    topic: Mapped[str] = mapped_column(String(100), primary_key=True)
    document_id: Mapped[str] = mapped_column(ID)
    provision_position: Mapped[int] = mapped_column(Integer)

    __table_args__ = _provision_place("provision_topics", "topic")


# An addressee's row also copies its provision's modality (migration 0009): `addressee=` with
# `modality=` (an actor's page, "what must DHS do") is then read in order from one index,
# where a modality rare among an actor's provisions was sought among all of them.
ADDRESSEE_COPIES = {**PROVISION_PLACE, "provision_modality": "modality"}


class ProvisionAddressee(Base):
    __tablename__ = "provision_addressees"
    provision_id: Mapped[str] = _owner("provisions")
    actor_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[str] = mapped_column(ID)
    provision_position: Mapped[int] = mapped_column(Integer)
    provision_modality: Mapped[str] = mapped_column(TERM)

    __table_args__ = (
        # A provision's addressees in their order (position, actor), read without a sort.
        Index("ix_provision_addressees_provision_order", "provision_id", "position", "actor_id"),
        Index(
            "ix_provision_addressees_actor_id_place", "actor_id", *PROVISION_PLACE, "provision_id"
        ),
        Index(
            "ix_provision_addressees_actor_id_modality_place",
            "actor_id",
            "provision_modality",
            *PROVISION_PLACE,
            "provision_id",
        ),
        {"info": {"copied_from_owner": ADDRESSEE_COPIES}},
    )


class Statement(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "statements"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    speaker_id: Mapped[str] = mapped_column(ID, ForeignKey("actors.id"), index=True)
    said_on: Mapped[datetime.date | None] = mapped_column(Date, index=True)
    date_note: Mapped[str | None] = mapped_column(Text)
    setting: Mapped[str] = mapped_column(TERM)
    location: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    quote: Mapped[str] = mapped_column(Text)
    quoted_in_id: Mapped[str] = mapped_column(ID, ForeignKey("sources.id"))
    stance: Mapped[str] = mapped_column(TERM)
    verification: Mapped[str] = mapped_column(TERM)

    source_links: Mapped[list["StatementSource"]] = relationship(
        order_by="StatementSource.source_id", cascade="all, delete-orphan"
    )
    about_links: Mapped[list["StatementDocument"]] = relationship(
        order_by="StatementDocument.document_id", cascade="all, delete-orphan"
    )

    @property
    def about(self) -> list[str]:
        return [link.document_id for link in self.about_links]


class StatementSource(Base):
    __tablename__ = "statement_sources"
    statement_id: Mapped[str] = _owner("statements")
    source_id: Mapped[str] = _target("sources")


class StatementDocument(Base):
    __tablename__ = "statement_documents"
    statement_id: Mapped[str] = _owner("statements")
    document_id: Mapped[str] = _target("documents")


class Relation(TrackedMixin, SourcedMixin, Base):
    __tablename__ = "relations"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    type: Mapped[str] = mapped_column(TERM, index=True)
    subject_id: Mapped[str] = mapped_column(ID, ForeignKey("documents.id"), index=True)
    # Null when the document acted upon is not in the data: `object_reference` names it.
    object_id: Mapped[str | None] = mapped_column(ID, ForeignKey("documents.id"), index=True)
    object_reference: Mapped[str | None] = mapped_column(String(200))
    date: Mapped[datetime.date | None] = mapped_column(Date)
    summary: Mapped[str] = mapped_column(Text)

    # The timeline reads each kind of event in date order (migration 0008).
    __table_args__ = (Index("ix_relations_date_id", "date", "id"),)
    source_links: Mapped[list["RelationSource"]] = relationship(
        order_by="RelationSource.source_id", cascade="all, delete-orphan"
    )


class RelationSource(Base):
    __tablename__ = "relation_sources"
    relation_id: Mapped[str] = _owner("relations")
    source_id: Mapped[str] = _target("sources")


class Change(Base):
    """One entry of the change log: a record created, updated or deleted by a load."""

    __tablename__ = "changes"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    collection: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(ID)
    action: Mapped[str] = mapped_column(String(10))
    changed_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime)


class DatasetState(Base):
    """The one row saying which version of the dataset is loaded."""

    __tablename__ = "dataset_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime)
    loaded_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime)


class FederalRegisterDocument(Base):
    """A Federal Register document as imported: the files every load derives its records from.

    Not a record served by the API: loads read it to make the imported documents, their
    provisions and relations, so that seeds and imports can each be reloaded without the other.
    """

    __tablename__ = "federal_register_documents"

    document_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    executive_order_number: Mapped[str | None] = mapped_column(String(20), index=True)
    # The FR API's JSON for the document, less its volatile fields (page views and the like).
    api_record: Mapped[dict | None] = mapped_column(JSON)
    full_text_xml: Mapped[str | None] = mapped_column(Text)
    raw_text: Mapped[str | None] = mapped_column(Text)
    # The files it was read from: [{"name", "format", "sha256"}], for the import's report.
    files: Mapped[list] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime.datetime] = mapped_column(UTCDateTime)


class RecordOrigin(Base):
    """Which load a record came from, for records not from the seed files.

    Seeds and imports are layers of one dataset: a seed load keeps the imported records and
    an import keeps the seed records, by reading the other layer back. Not content: content
    hashes leave it out.
    """

    __tablename__ = "record_origins"

    collection: Mapped[str] = mapped_column(String(40), primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    origin: Mapped[str] = mapped_column(String(40))
