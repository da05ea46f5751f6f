"""Database triggers that reject UPDATE and DELETE on the access log.

The migration creates them for PostgreSQL and SQLite. On PostgreSQL,
TRUNCATE does not fire row triggers, so a role allowed to truncate the
table (its owner) can still empty it; Django's test flush relies on that.
"""

from __future__ import annotations

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "audit_personaldataaccess"
MESSAGE = "personal data access log is append-only"

_POSTGRES_CREATE = [
    f"""
    CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}: % rejected', TG_OP
            USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql
    """,
    f"""
    CREATE TRIGGER audit_personaldataaccess_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change()
    """,
]
_POSTGRES_DROP = [
    f"DROP TRIGGER IF EXISTS audit_personaldataaccess_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS audit_reject_change()",
]
_SQLITE_CREATE = [
    f"""
    CREATE TRIGGER audit_personaldataaccess_no_{operation.lower()}
    BEFORE {operation} ON {TABLE}
    BEGIN
        SELECT RAISE(ABORT, '{MESSAGE}: {operation} rejected');
    END
    """
    for operation in ("UPDATE", "DELETE")
]
_SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS audit_personaldataaccess_no_{operation.lower()}"
    for operation in ("UPDATE", "DELETE")
]

CREATE_SQL = {"postgresql": _POSTGRES_CREATE, "sqlite": _SQLITE_CREATE}
DROP_SQL = {"postgresql": _POSTGRES_DROP, "sqlite": _SQLITE_DROP}


def _run(connection: BaseDatabaseWrapper, statements: dict[str, list[str]]) -> None:
    if connection.vendor not in statements:
        raise NotImplementedError(
            f"No append-only triggers for the {connection.vendor} database; "
            "add them to civic_portal.audit.triggers."
        )
    with connection.cursor() as cursor:
        for statement in statements[connection.vendor]:
            cursor.execute(statement)


def create_triggers(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers that reject UPDATE and DELETE on the log table."""
    _run(connection, CREATE_SQL)


def drop_triggers(connection: BaseDatabaseWrapper) -> None:
    """Drop the append-only triggers, for a migration backwards or a test flush."""
    _run(connection, DROP_SQL)
