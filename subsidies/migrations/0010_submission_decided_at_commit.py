"""PostgreSQL decides a submission by its commit time: a deferred constraint trigger refuses to commit a draft
turning `submitted` unless a call for its clause is open at that moment (or the clause is rolling).

The workflow's `call_open` condition refuses early with a clear message; this is the guard for a submit in flight
at the closing minute: the trigger runs at COMMIT and reads clock_timestamp() then, so a transaction that started
before the closing time and commits after it is refused whole (the row, its event, its reference roll back).
Rolling (常年受理), as programmes.selectors.Window says: an opened call without a closing time, or no call ever
declared for the clause.

PostgreSQL only: the embedded SQLite of development (bin/run) has no deferred triggers and keeps the workflow's check.
"""
from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION subsidies_application_call_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    now_at timestamptz := clock_timestamp();
BEGIN
    IF NOT EXISTS (SELECT 1 FROM programmes_call_clauses cc WHERE cc.clause_id = NEW.clause_id)
       OR EXISTS (SELECT 1 FROM programmes_call c JOIN programmes_call_clauses cc ON cc.call_id = c.id
                  WHERE cc.clause_id = NEW.clause_id AND c.opens_at <= now_at
                    AND (c.closes_at IS NULL OR c.closes_at > now_at)) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'call_closed: no call for the clause of application % is open at %', NEW.id, now_at
        USING ERRCODE = 'check_violation', CONSTRAINT = 'application_submitted_while_call_open';
END
$$;

CREATE CONSTRAINT TRIGGER application_submitted_while_call_open
    AFTER UPDATE OF status ON subsidies_application
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW WHEN (OLD.status = 'draft' AND NEW.status = 'submitted')
    EXECUTE FUNCTION subsidies_application_call_open();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS application_submitted_while_call_open ON subsidies_application;
DROP FUNCTION IF EXISTS subsidies_application_call_open();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in schema_editor.connection.ops.prepare_sql_script(sql):  # as RunSQL runs a script
                schema_editor.execute(statement, params=None)
    return run


forward, backward = _run(FORWARD), _run(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0009_calls_materials_references"), ("programmes", "0002_budgets")]

    operations = [migrations.RunPython(forward, backward)]
