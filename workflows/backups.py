"""Backups: the database and the uploaded files in one .tar.gz with a manifest of SHA-256 checksums
(`manage.py backup`), and their restoration (`manage.py restore`), which refuses an archive that does not
match its manifest, changes nothing until every byte is checked, and then proves what it restored: the
audit trail verifies and every file a row names is in storage.

An archive holds `database/kamkap.sqlite3` (SQLite's online backup API: a consistent copy of a live WAL
database, never a file copy) or `database/kamkap.pgdump` (pg_dump's custom format), `media/<path under
MEDIA_ROOT>`, and last `manifest.json`, written once every checksum is known. The database is copied
before the media, so every file its rows name is already on disk when the media is read."""

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from glob import glob
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from workflows import audit

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database/kamkap.sqlite3", "postgresql": "database/kamkap.pgdump"}
MEDIA = "media/"
STAGING_PREFIX = ".restore-"  # a restore unpacks into MEDIA_ROOT/.restore-*, so that files move by rename
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"  # Debian/Ubuntu keep one directory per major version
PG_CONNINFO_OPTIONS = (
    "sslmode", "sslrootcert", "sslcert", "sslkey", "sslpassword", "connect_timeout", "application_name",
    "target_session_attrs", "passfile", "service",
)  # fmt: skip
CHUNK = 1024 * 1024
PROGRESS_EVERY = 2.0  # seconds between progress lines of long work

Progress = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do (no traceback)."""


@dataclass(frozen=True)
class MissingFile:
    model: str
    pk: object
    field: str
    name: str

    def __str__(self) -> str:
        return f"{self.model} {self.pk} {self.field}: {self.name}"


@dataclass
class Checks:
    """What a restore proves about the data it restored."""

    audit_problems: list[audit.Problem] = field(default_factory=list)
    audit_entries: int = 0
    audit_chains: int = 0
    missing_files: list[MissingFile] = field(default_factory=list)
    files_checked: int = 0
    error: str = ""  # the checks themselves could not run (e.g. the restored schema is older than the code)

    @property
    def ok(self) -> bool:
        return not (self.audit_problems or self.missing_files or self.error)


@dataclass
class Backup:
    path: Path
    manifest: dict


@dataclass
class Restored:
    manifest: dict
    checks: Checks
    media_files: int
    left_in_place: int  # files under MEDIA_ROOT that the archive does not hold (uploaded after the backup)


def _quiet(message: str) -> None:
    pass


# --- backup --------------------------------------------------------------------------------------------------


def default_name() -> str:
    """`kamkap-backup-2026-12-02-174312.tar.gz`: Bangkok wall time, Gregorian so that names sort."""
    return f"kamkap-backup-{timezone.localtime():%Y-%m-%d-%H%M%S}.tar.gz"


def backup(target: Path | None = None, *, using: str = DEFAULT_DB_ALIAS, progress: Progress = _quiet) -> Backup:
    """Write the database and MEDIA_ROOT into one archive at `target` (a file, or a directory to hold one
    under the default name). The archive appears only when complete: it is written as `<name>.partial`."""
    target = Path(target) if target else Path.cwd()
    if target.is_dir():
        target = target / default_name()
    if target.exists():
        raise BackupError(f"{target} already exists; name another file.")
    if target.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupError(f"{target} is under MEDIA_ROOT ({settings.MEDIA_ROOT}): write the backup elsewhere.")
    if _engine(connections[using]) == "postgresql":
        pg_tool("pg_dump")  # before anything is written
    partial = target.with_name(target.name + ".partial")
    try:
        out = open(partial, "wb")  # noqa: SIM115 (closed below, removed on failure)
    except OSError as error:
        raise BackupError(f"Cannot write the backup to {target}: {error.strerror}.") from None
    try:
        with out, tempfile.TemporaryDirectory(prefix=".kamkap-backup-", dir=target.parent) as work:
            manifest = _manifest(using)
            dump = Path(work) / "database"
            engine = manifest["database"]["engine"]
            progress(f"Database ({engine}): copying…")
            started = time.monotonic()
            (_sqlite_dump if engine == "sqlite" else _pg_dump)(connections[using], dump)
            progress(f"Database: {_size(dump.stat().st_size)} in {time.monotonic() - started:.1f} s")
            missing = missing_files(using)
            if missing:
                progress(f"WARNING: {len(missing)} file(s) named by rows are not in the media, e.g. {missing[0]}")
            with tarfile.open(fileobj=out, mode="w:gz", compresslevel=6) as tar:
                manifest["files"].append(_add(tar, dump, DATABASE_FILES[engine]))
                manifest["files"].extend(_add_media(tar, progress))
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o644
                tar.addfile(info, io.BytesIO(data))
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup to {target} failed: {error}") from None
    except DatabaseError as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The database cannot be read: {error}") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Backup(target, manifest)


def _manifest(using: str) -> dict:
    connection = connections[using]
    applied = MigrationRecorder(connection).applied_migrations()
    migrations: dict[str, list[str]] = {}
    for app_label, name in sorted(applied):
        migrations.setdefault(app_label, []).append(name)
    connection.ensure_connection()
    return {
        "format": FORMAT,
        "created_at": timezone.localtime().isoformat(timespec="seconds"),
        "kamkap_version": _version(),
        "database": {
            "engine": _engine(connection),
            "server_version": sqlite3.sqlite_version if connection.vendor == "sqlite" else _pg_version(connection),
        },
        "migrations": migrations,
        "media_root": str(settings.MEDIA_ROOT),
        "files": [],
    }


def _version() -> str:
    try:
        return importlib.metadata.version("kamkap")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _engine(connection) -> str:
    if connection.vendor not in DATABASE_FILES:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def _pg_version(connection) -> str:
    version = connection.connection.info.server_version  # 150020 → 15.20
    return f"{version // 10000}.{version % 10000}"


def _sqlite_dump(connection, dest: Path) -> None:
    """SQLite's online backup API: one read transaction, so the copy is a consistent snapshot while the
    application goes on writing (WAL lets writers proceed). A copy of the file would miss the WAL."""
    if connection.is_in_memory_db():
        if connection.in_atomic_block:  # the backup would wait for ever on our own open transaction
            raise BackupError("An in-memory database cannot be backed up inside a transaction.")
        connection.ensure_connection()
        source = connection.connection
    else:
        source = sqlite3.connect(connection.settings_dict["NAME"], timeout=20)
    copy = sqlite3.connect(dest)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        result = copy.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not copy the database: {error}") from None
    finally:
        copy.close()
        if source is not connection.connection:
            source.close()
    if result != "ok":
        raise BackupError(f"The copy of the database fails SQLite's check: {result}")


def _add(tar: tarfile.TarFile, path: Path, name: str) -> dict:
    """Add one file, hashing exactly the bytes that go into the archive."""
    stat = path.stat()
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o644
    with open(path, "rb") as raw:
        reader = _Reader(raw)
        tar.addfile(info, reader)
    return {"path": name, "size": info.size, "sha256": reader.sha256.hexdigest()}


def _media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        if Path(folder) == root:
            dirs[:] = [name for name in dirs if not name.startswith(STAGING_PREFIX)]  # a failed restore's leftovers
        dirs.sort()
        found.extend(Path(folder) / name for name in sorted(files) if (Path(folder) / name).is_file())
    return found


def _add_media(tar: tarfile.TarFile, progress: Progress) -> Iterator[dict]:
    root = Path(settings.MEDIA_ROOT)
    files = _media_files()
    progress(f"Media: {len(files):,} files under {root}")
    done = size = 0
    last = time.monotonic()
    for path in files:
        entry = _add(tar, path, MEDIA + path.relative_to(root).as_posix())
        done, size = done + 1, size + entry["size"]
        yield entry
        if time.monotonic() - last >= PROGRESS_EVERY:
            progress(f"Media: {done:,} of {len(files):,} files, {_size(size)}")
            last = time.monotonic()
    if files:
        progress(f"Media: {done:,} files, {_size(size)}")


class _Reader:
    """A file read through SHA-256: what went into the archive is what was hashed."""

    def __init__(self, raw):
        self.raw = raw
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.sha256.update(data)
        return data


# --- PostgreSQL tools ----------------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: on PATH, else the newest under /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = [path for path in glob(f"{PG_BIN_GLOB}/{name}") if os.access(path, os.X_OK)]
    if candidates:
        return max(candidates, key=lambda path: _major(Path(path).parent.parent.name))
    raise BackupError(
        f"{name} was not found on PATH nor in {PG_BIN_GLOB}: install the PostgreSQL client "
        f"(Debian: postgresql-client, the server's major version or newer)."
    )


def _major(text: str) -> int:
    return int(text) if text.isdigit() else -1


def _pg_command(connection, tool: str, *args: str) -> tuple[list[str], dict]:
    """The command line and environment of a PostgreSQL client tool; the password goes in the environment,
    never on the command line (where `ps` shows it)."""
    from psycopg.conninfo import make_conninfo

    config = connection.settings_dict
    options = config.get("OPTIONS", {})
    params = {
        "dbname": config["NAME"],
        "host": config.get("HOST") or None,
        "port": str(config["PORT"]) if config.get("PORT") else None,
        "user": config.get("USER") or None,
        **{key: str(options[key]) for key in PG_CONNINFO_OPTIONS if options.get(key) is not None},
    }
    env = {**os.environ}
    env.pop("PGOPTIONS", None)  # the tools set their own session settings (statement_timeout = 0)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = config["PASSWORD"]
    conninfo = make_conninfo(**{key: value for key, value in params.items() if value is not None})
    return [pg_tool(tool), *args, "--no-password", f"--dbname={conninfo}"], env


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as error:
        raise BackupError(f"{what}: {command[0]} could not run: {error.strerror}.") from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()][-5:]
        raise BackupError(f"{what} failed ({Path(command[0]).name}, exit {result.returncode}):\n" + "\n".join(lines))


def _pg_dump(connection, dest: Path) -> None:
    command, env = _pg_command(connection, "pg_dump", "--format=custom", f"--file={dest}")
    _run(command, env, "The database dump")


def _pg_restore(connection, source: Path) -> None:
    """One transaction: the database is either the backup's or untouched."""
    command, env = _pg_command(
        connection, "pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
        "--single-transaction", "--exit-on-error",
    )  # fmt: skip
    _run([*command, str(source)], env, "The database restore")


# --- restore -------------------------------------------------------------------------------------------------


def read_manifest(path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress = _quiet) -> dict:
    """Read the whole archive and check every file against the manifest; raise naming the first file that
    does not match. Nothing is written."""
    found, manifest = _scan(Path(path), progress)
    if manifest is None:
        raise BackupError(f"{path} holds no {MANIFEST}: it is not a Kamkap backup.")
    _compare(manifest, found)
    engine = manifest["database"]["engine"]
    here = _engine(connections[using])
    if engine != here:
        raise BackupError(f"The backup holds a {engine} database but this installation uses {here}.")
    return manifest


def _scan(path: Path, progress: Progress, into: Path | None = None) -> tuple[dict[str, tuple[int, str]], dict | None]:
    """Every member's size and SHA-256 (and the manifest); with `into`, each file is also written there."""
    found: dict[str, tuple[int, str]] = {}
    manifest = None
    last = time.monotonic()
    try:
        with tarfile.open(path, "r|gz") as tar:
            for member in tar:
                if not member.isfile() or not _safe(member.name):
                    raise BackupError(f"{path}: {member.name!r} is not a file a backup holds; nothing was restored.")
                if member.name in found:
                    raise BackupError(f"{path}: {member.name} appears twice; nothing was restored.")
                source = tar.extractfile(member)
                if member.name == MANIFEST:
                    manifest = _parse_manifest(path, source.read())
                    found[member.name] = (member.size, "")
                    continue
                sha, size = hashlib.sha256(), 0
                out = _open_staged(into, member.name) if into is not None else None
                try:
                    while chunk := source.read(CHUNK):
                        sha.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            _write(out, chunk, into)
                finally:
                    if out is not None:
                        out.close()
                found[member.name] = (size, sha.hexdigest())
                if time.monotonic() - last >= PROGRESS_EVERY:
                    progress(f"Archive: {len(found):,} files read")
                    last = time.monotonic()
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except (tarfile.TarError, EOFError, zlib.error, OSError) as error:
        raise BackupError(f"{path} is not a readable backup (damaged or truncated): {error}") from None
    return found, manifest


def _write(out, chunk: bytes, staging: Path) -> None:
    try:
        out.write(chunk)
    except OSError as error:
        raise BackupError(f"Cannot unpack the backup into {staging}: {error.strerror}.") from None


def _safe(name: str) -> bool:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or name != pure.as_posix():
        return False
    return name == MANIFEST or name in DATABASE_FILES.values() or (name.startswith(MEDIA) and len(pure.parts) > 1)


def _parse_manifest(path: Path, data: bytes) -> dict:
    try:
        manifest = json.loads(data)
        _entries(manifest)
        engine = manifest["database"]["engine"]
    except (ValueError, KeyError, TypeError) as error:
        raise BackupError(f"{path}: {MANIFEST} cannot be read ({error!r}); nothing was restored.") from None
    if manifest.get("format") != FORMAT or engine not in DATABASE_FILES:
        raise BackupError(f"{path}: not a backup this Kamkap reads (format {manifest.get('format')!r}, {engine}).")
    if not all(_safe(name) and name != MANIFEST for name in _entries(manifest)):
        raise BackupError(f"{path}: {MANIFEST} names a file outside the backup's layout; nothing was restored.")
    return manifest


def _entries(manifest: dict) -> dict[str, tuple[int, str]]:
    return {entry["path"]: (int(entry["size"]), str(entry["sha256"])) for entry in manifest["files"]}


def _compare(manifest: dict, found: dict[str, tuple[int, str]]) -> None:
    entries = _entries(manifest)
    database = DATABASE_FILES[manifest["database"]["engine"]]
    if database not in entries:
        raise BackupError(f"The manifest lists no {database}; nothing was restored.")
    for name, (size, sha) in entries.items():
        if name not in found:
            raise BackupError(f"{name} is listed in the manifest but missing from the archive; nothing was restored.")
        if found[name] != (size, sha):
            raise BackupError(
                f"{name} does not match its checksum in the manifest (the archive was altered or damaged); "
                f"nothing was restored."
            )
    for name in found:
        if name != MANIFEST and name not in entries:
            raise BackupError(f"{name} is in the archive but not in the manifest; nothing was restored.")


def _open_staged(staging: Path, name: str):
    path = staging / name
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "wb")  # noqa: SIM115 (the caller closes it)


def restore(
    path: Path,
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress = _quiet,
    confirm: Callable[[dict], bool] = lambda manifest: True,
) -> Restored | None:
    """Check the archive, ask `confirm(manifest)`, then replace the database and put the media back;
    finally check the audit trail and the files that rows name. None when `confirm` said no."""
    path = Path(path)
    progress(f"Checking {path}…")
    manifest = read_manifest(path, using=using, progress=progress)
    engine = manifest["database"]["engine"]
    progress(f"Archive OK: {len(manifest['files']):,} files match the manifest (made {manifest['created_at']})")
    if engine == "postgresql":
        pg_tool("pg_restore")  # before anything is changed
    if not confirm(manifest):
        return None
    media_root = Path(settings.MEDIA_ROOT)
    try:
        media_root.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=media_root))
    except OSError as error:
        raise BackupError(f"Cannot write under MEDIA_ROOT ({media_root}): {error.strerror}.") from None
    try:
        progress("Unpacking…")
        found, again = _scan(path, progress, into=staging)
        if again is None:
            raise BackupError(f"{path} changed while it was being restored; nothing was restored.")
        _compare(again, found)  # the archive could have changed since it was checked
        progress(f"Database ({engine}): restoring…")
        connection = connections[using]
        connection.close()
        try:
            (_sqlite_restore if engine == "sqlite" else _pg_restore)(connection, staging / DATABASE_FILES[engine])
        except DatabaseError as error:
            raise BackupError(f"The database cannot be restored: {error}") from None
        connection.close()
        progress("Database restored.")
        media = [name for name in found if name.startswith(MEDIA)]
        _move_media(staging, media_root, media)
        progress(f"Media: {len(media):,} files restored under {media_root}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    kept = {media_root / name.removeprefix(MEDIA) for name in media}
    left = [file for file in _media_files() if file not in kept]
    _pending_migrations(using, progress)
    progress("Checking the audit trail and the files that rows name…")
    return Restored(manifest, check(using), len(media), len(left))


def _sqlite_restore(connection, source: Path) -> None:
    """SQLite's backup API writes the backup's pages into the live database under SQLite's own lock, in one
    transaction: other connections see the old database or the new one, never a half (and no stale WAL is
    left behind, as a replaced file could)."""
    try:
        backup = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        result = backup.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.Error as error:
        raise BackupError(f"The database in the backup cannot be opened: {error}") from None
    if result != "ok":
        backup.close()
        raise BackupError(f"The database in the backup fails SQLite's integrity check: {result}")
    if connection.is_in_memory_db():
        connection.ensure_connection()
        target = connection.connection
    else:
        name = Path(connection.settings_dict["NAME"])
        name.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(name, timeout=20)
    try:
        backup.backup(target)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not write the database: {error}") from None
    finally:
        backup.close()
        if target is not connection.connection:
            target.close()


def _move_media(staging: Path, media_root: Path, names: list[str]) -> None:
    """Rename each file into place (same filesystem: MEDIA_ROOT holds the staging folder)."""
    for name in names:
        relative = name.removeprefix(MEDIA)
        destination = media_root / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staging / name, destination)


def _pending_migrations(using: str, progress: Progress) -> None:
    try:
        executor = MigrationExecutor(connections[using])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        progress(f"WARNING: the migrations state cannot be read: {error}")
        return
    if plan:
        progress(f"NOTE: {len(plan)} migration(s) of this code are not applied: run `manage.py migrate`.")
    known = set(executor.loader.graph.nodes)
    known.update(key for squashed in executor.loader.replacements.values() for key in squashed.replaces)
    unknown = set(executor.loader.applied_migrations) - known
    if unknown:
        progress(
            f"WARNING: the backup has {len(unknown)} migration(s) this code does not know: a newer Kamkap made it."
        )


# --- checks --------------------------------------------------------------------------------------------------


def file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for model_field in model._meta.concrete_fields:
            if isinstance(model_field, models.FileField):
                yield model, model_field


def missing_files(using: str = DEFAULT_DB_ALIAS) -> list[MissingFile]:
    """Every file that a FileField of a row names and its storage does not hold."""
    return _files(using)[0]


def _files(using: str) -> tuple[list[MissingFile], int]:
    missing, checked = [], 0
    for model, model_field in file_fields():
        rows = (
            model._default_manager.using(using)
            .exclude(**{model_field.attname: ""})
            .exclude(**{f"{model_field.attname}__isnull": True})
            .order_by("pk")
            .values_list("pk", model_field.attname)
        )
        for pk, name in rows.iterator(chunk_size=2000):
            checked += 1
            if not model_field.storage.exists(name):
                missing.append(MissingFile(model._meta.label, pk, model_field.name, name))
    return missing, checked


def check(using: str = DEFAULT_DB_ALIAS) -> Checks:
    """The audit trail verifies (`manage.py verify_audit`) and every file a row names is in storage."""
    from workflows.models import AuditChain, AuditEntry

    checks = Checks()
    try:
        checks.audit_problems = audit.verify()
        checks.audit_entries = AuditEntry.objects.using(using).count()
        checks.audit_chains = AuditChain.objects.using(using).count()
        checks.missing_files, checks.files_checked = _files(using)
    except DatabaseError as error:
        checks.error = f"The checks could not read the restored database ({error}); run `manage.py migrate`?"
    return checks


def created_at(manifest: dict) -> datetime:
    return datetime.fromisoformat(manifest["created_at"])


def _size(count: int) -> str:
    return f"{count / 1024 / 1024:,.1f} MB"
