"""The database engine, one session per request, and the declarative base."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 30_000
WRITER_LOCK_KEY = 74_062_025  # any constant: the one PostgreSQL advisory lock all loads share


class Base(DeclarativeBase):
    pass


def make_engine(
    url: str,
    *,
    statement_timeout_ms: int = 0,
    connect_timeout: int = 0,
    ping_after_idle_seconds: float = 0.0,
    **options,
) -> Engine:
    """Create an engine. PostgreSQL: connections checked when idle (`ping_when_idle`),
    bounded connect and statement times. SQLite: WAL, foreign keys and a busy timeout."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        connect_args = dict(options.pop("connect_args", {}))
        if connect_timeout:
            connect_args.setdefault("connect_timeout", connect_timeout)
        if statement_timeout_ms:
            # Added to any options the URL or the caller gives (a search_path, say).
            given = connect_args.get("options") or parsed.query.get("options", "")
            timeout = f"-c statement_timeout={statement_timeout_ms}"
            connect_args["options"] = f"{given} {timeout}".strip()
        engine = create_engine(url, connect_args=connect_args, **options)
        ping_when_idle(engine, ping_after_idle_seconds)
        return engine
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **options)

    @event.listens_for(engine, "connect")
    def configure_sqlite(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Check a pooled connection with a round trip before handing it out, when it has been
    idle for `idle_seconds` or more (0: every time, as the pool's pre-ping does).

    Why: the pre-ping's round trip on every checkout was 15-20% of a PostgreSQL list page or
    detail. A connection used a moment ago is alive but for a server gone in that moment,
    which the request then answers with a 503, as one that was running would (HikariCP skips
    its check alike, within 500 ms). A dead connection is replaced, and every connection
    older than it with it, as with the pre-ping.
    """

    @event.listens_for(engine, "checkin")
    def idle_from(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def check_if_idle(dbapi_connection, record, _proxy) -> None:
        idle_since = record.info.pop("idle_since", None)
        if idle_since is None or time.monotonic() - idle_since < idle_seconds:
            return  # new, or used a moment ago
        dialect = engine.dialect
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            if not dialect.is_disconnect(error, dbapi_connection, None):
                raise
            raise exc.InvalidatePoolError() from error


def init_app(app: Flask) -> None:
    engine = make_engine(
        app.config["DATABASE_URL"],
        statement_timeout_ms=app.config["STATEMENT_TIMEOUT_MS"],
        connect_timeout=app.config["CONNECT_TIMEOUT_SECONDS"],
        ping_after_idle_seconds=app.config["DATABASE_PING_AFTER_IDLE_SECONDS"],
        **app.config["DATABASE_ENGINE_OPTIONS"],
    )
    app.extensions["database_engine"] = engine
    app.extensions["database"] = sessionmaker(reading(engine), expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def reading(engine: Engine) -> Engine:
    """The engine requests read through: on PostgreSQL, in autocommit.

    Requests only read, and under READ COMMITTED each statement sees the data committed when
    it starts, in a transaction or not; a transaction only added a BEGIN and a ROLLBACK, two
    round trips, a quarter of a list page's time. Writers (`write_transaction`) and streamed
    exports (server-side cursors, SET LOCAL) take transactions on `engine` itself.
    """
    if engine.dialect.name == "postgresql":
        return engine.execution_options(isolation_level="AUTOCOMMIT")
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction for writing, one writer at a time.

    A load reads the previous hashes, then replaces the rows: two loads interleaving would
    both see the old data and log every record twice (or, on PostgreSQL, deadlock). SQLite
    takes its write lock at once (BEGIN IMMEDIATE; others wait up to busy_timeout);
    PostgreSQL takes a transaction-scoped advisory lock. Readers are never blocked.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITER_LOCK_KEY})
        try:
            yield connection
        except BaseException:
            connection.rollback()
            raise
        connection.commit()


def driver_rows(connection: Connection, sql: str, parameters: tuple | dict) -> list[tuple]:
    """The rows of `sql`, in the driver's paramstyle, read on the driver's own cursor, with
    its errors raised as SQLAlchemy's (a dropped connection invalidated, as SQLAlchemy does).

    Why: SQLAlchemy's result reads the cursor's description at each run, which psycopg builds
    anew each time: ~0.1 ms for twenty columns, what PostgreSQL takes to answer a page. While
    anything listens for statements (tests, tracing), they run through SQLAlchemy instead.
    """
    if (
        connection.dispatch.before_cursor_execute
        or connection.engine.dispatch.before_cursor_execute
    ):
        return list(connection.exec_driver_sql(sql, parameters).all())
    dialect = connection.dialect
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchall()
    except dialect.loaded_dbapi.Error as error:
        invalidated = dialect.is_disconnect(error, connection.connection, cursor)
        if invalidated:
            connection.invalidate(error)
            # As SQLAlchemy does on a disconnect: the idle connections went with the server.
            connection.engine.pool.dispose()
        raise exc.DBAPIError.instance(
            sql, parameters, error, dialect.loaded_dbapi.Error, connection_invalidated=invalidated
        ) from error
    finally:
        cursor.close()


def engine() -> Engine:
    return engine_of(current_app)


def engine_of(app: Flask) -> Engine:
    return app.extensions["database_engine"]


def session() -> Session:
    """The session of the current request or CLI command, opened on first use."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["database"]()
    return g.db_session


def connection() -> Connection:
    """The connection of the current request's session, the same until the request ends:
    requests only read, and the session's own lookup costs as much as a small statement."""
    if "db_connection" not in g:
        g.db_connection = session().connection()
    return g.db_connection


class DatabaseUnavailable(Exception):
    """The database cannot be reached, or its schema is not the expected one."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def check_ready() -> None:
    """Raise DatabaseUnavailable unless the database answers and its migrations are current."""
    try:
        with engine().connect() as connection:
            current = schema_revision(connection)
    except exc.DBAPIError as error:
        raise DatabaseUnavailable("The database cannot be reached.") from error
    if current != head_revision():
        raise DatabaseUnavailable(
            f"The database schema is at migration {current or 'none'}, not {head_revision()}: "
            "run `provisions db upgrade`."
        )


MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: Connection | None = None) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade_schema(revision: str = "head") -> None:
    """Bring the database to the latest migration: migrations alone make or change the schema.

    Under the writers' lock, so that app servers starting together migrate one at a time.
    """
    with write_transaction(engine()) as connection:
        command.upgrade(alembic_config(connection), revision)


def schema_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def _close_session(_exc: BaseException | None) -> None:
    g.pop("db_connection", None)
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
