"""The test suite's SQLite backend: Django's own, except for the flush between tests.

The audit table's triggers refuse every DELETE (AU-02), and SQLite has neither TRUNCATE
nor a way to switch a trigger off, so the flush that ends each transactional test
(`django_db(transaction=True)`, the browser tests' live server) would fail. Around that
flush only, this backend drops the audit triggers and re-creates them from their own
stored SQL, inside the flush's transaction. Production uses the plain backend, where
the triggers always hold; nothing in the app can reach this code.
"""

from django.db.backends.sqlite3 import base, operations

AUDIT_TABLE = "audit_auditevent"


class DatabaseOperations(operations.DatabaseOperations):
    def execute_sql_flush(self, sql_list):
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [AUDIT_TABLE]
            )
            triggers = cursor.fetchall()
        if not triggers or not any(AUDIT_TABLE in sql for sql in sql_list):
            return super().execute_sql_flush(sql_list)
        # SQLite's DDL is transactional: if anything fails, the triggers come back.
        statements = [f'DROP TRIGGER "{name}"' for name, _ in triggers] + list(sql_list)
        statements += [sql for _, sql in triggers]
        return super().execute_sql_flush(statements)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
