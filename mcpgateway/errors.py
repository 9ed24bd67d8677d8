"""Errors the toolkit raises; the CLI turns each into one line and an exit code."""

from alembic.util import CommandError


class ToolkitError(CommandError):
    """A problem the user can fix, reported as one line.

    It subclasses Alembic's ``CommandError`` so that plain ``alembic ...`` reports it as one
    ``FAILED:`` line too, instead of a traceback.
    """

    exit_code: int = 1


class UsageError(ToolkitError):
    """The command was called with missing or malformed arguments."""

    exit_code = 2


class SettingsError(ToolkitError):
    """A setting (environment variable or ``.env`` entry) is invalid."""

    exit_code = 2


class DatabaseUnreachable(ToolkitError):
    """The database refused the connection, or nothing answered in time."""


class EmptyRevision(ToolkitError):
    """Autogenerate found no difference, so no revision file was written."""


class ModelImportError(ToolkitError):
    """A model module raised while being imported."""


class DuplicateRevision(ToolkitError):
    """Two revision files declare the same revision id."""


class DivergentHeads(ToolkitError):
    """One history has more than one head; it needs a merge revision."""


class UnknownRevision(ToolkitError):
    """A revision named by the user, or recorded in the database, has no script."""


class BehindHead(ToolkitError):
    """The database is not at head, and the command needs it to be."""


class SchemaDrift(ToolkitError):
    """The models and the migrations describe different schemas."""


class PluginError(ToolkitError):
    """A plugin is unknown, broken, or declares tables it does not own."""


class LockWaitTimeout(ToolkitError):
    """Another runner held the migration lock for longer than we were willing to wait."""


class TableLockTimeout(ToolkitError):
    """A revision could not lock a table within the lock timeout, even after retries."""


class InterruptedRevision(ToolkitError):
    """A revision stopped part-way on a database whose DDL is not transactional."""


class ChecksumMismatch(ToolkitError):
    """An applied revision's file has changed since it was applied."""


class UnmanagedSchema(ToolkitError):
    """The database has tables but no version table: it was not built by these migrations."""


class BackupError(ToolkitError):
    """A backup or restore could not be made."""
