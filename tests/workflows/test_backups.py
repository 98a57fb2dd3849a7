"""Backup and restore as an operator runs them: each command in its own process, against a file database and a
media folder of the test's own (DATABASE_URL and MEDIA_ROOT), with cases made by the real services.

The SQLite starting point is a copy of the test database (geography and organisation, made once per run) taken
with SQLite's backup API; the cases and their evidence photos are then added through the services. The
PostgreSQL round trip creates and drops its own databases (kamkap_backup_src_<pid>, kamkap_backup_dst_<pid>), never the
test database."""

import hashlib
import io
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from workflows import backups

ROOT = Path(settings.BASE_DIR)
TIMEOUT = 300

# The test database must exist for `reference_db` (pytest-django creates it only when a test asks for it).
pytestmark = pytest.mark.django_db


def manage(*args: str, database_url: str, media: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(media),
        "REDIS_URL": "",  # tasks run in the process, no broker needed
        "CACHE_URL": "",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def seed(*, with_cases: bool = True) -> None:
    """Run inside `manage.py shell`: people, cases and evidence photos through the services (each service
    writes its audit entries), or — without the geography, on PostgreSQL — a person's audit chain and a
    factory import's file."""
    from django.core.files.base import ContentFile
    from django.core.files.uploadedfile import SimpleUploadedFile

    from registry.models import FactoryImport
    from tests.factories import PersonFactory, image_bytes
    from workflows import audit

    if not with_cases:
        person = PersonFactory()
        for step in range(3):
            audit.record(subject=person, action="test.step", label=f"step {step}", by=person)
        job = FactoryImport(created_by=person, original_name="factories.csv")
        job.file.save("factories.csv", ContentFile(b"reg_no,name\n"), save=True)
        return

    from django.utils import timezone

    from org import services as org_services
    from org.models import PositionKind, Unit
    from tests.conftest import SONGKHLA, office
    from tests.factories import FactoryFactory
    from workflows.inspection import services
    from workflows.inspection.models import (
        AnswerType,
        ChecklistItem,
        ChecklistSection,
        ChecklistTemplate,
        ChecklistVersion,
    )

    if not Unit.objects.exists():  # the test database had been flushed
        from org.geo import load_geography

        load_geography()
        org_services.build_org_tree()
    group = org_services.create_group(office=office(SONGKHLA), code="OFF90-GT", name_th="กลุ่มกำกับ")

    def hold(kind: str, title: str):
        position = org_services.create_position(unit=group, kind=kind, title_th=title)
        person = PersonFactory()
        org_services.appoint(position=position, person=person, start=timezone.localdate())
        return person

    head = hold(PositionKind.GROUP_HEAD, "หัวหน้ากลุ่มกำกับ")
    inspector = hold(PositionKind.INSPECTOR, "นักวิชาการอุตสาหกรรม")
    template = ChecklistTemplate.objects.create(code="general", title_th="การตรวจกำกับดูแลโรงงานทั่วไป")
    version = ChecklistVersion.objects.create(
        template=template, number=1, status="published", published_at=timezone.now()
    )
    section = ChecklistSection.objects.create(version=version, order=1, title_th="ความปลอดภัย")
    ChecklistItem.objects.create(
        section=section, order=1, code="S1", question_th="ทางหนีไฟไม่ถูกปิดกั้น", answer_type=AnswerType.YES_NO,
        noncompliant_answers=["no"], severity=3,
    )  # fmt: skip
    for kind in ("PNG", "JPEG"):
        inspection = services.inspection_start(factory=FactoryFactory(), by=head)
        services.inspection_assign(inspection=inspection, inspector=inspector, by=head)
        upload = SimpleUploadedFile(f"ถังดับเพลิง.{kind.lower()}", image_bytes(kind), f"image/{kind.lower()}")
        services.evidence_add(inspection=inspection, by=inspector, upload=upload)


def sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(folder: Path) -> dict[str, str]:
    """Every file under `folder` with its SHA-256."""
    return {file.relative_to(folder).as_posix(): digest(file) for file in sorted(folder.rglob("*")) if file.is_file()}


def database_state(path: Path) -> str:
    """The rows of every table, not the file's bytes (WAL, page layout): what a reader of the database sees."""
    with sqlite3.connect(path) as db:
        tables = sorted(row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        sha = hashlib.sha256()
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY 1'):
                sha.update(repr((table, row)).encode())
        return sha.hexdigest()


@pytest.fixture(scope="module")
def reference_db(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The test database (geography, organisation) copied into a file with SQLite's backup API."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip starts from the SQLite test database (it runs in the SQLite pass)")
    assert connection.is_in_memory_db(), "not the test database"
    path = tmp_path_factory.mktemp("reference") / "db.sqlite3"
    with django_db_blocker.unblock():
        connection.ensure_connection()
        copy = sqlite3.connect(path)
        connection.connection.backup(copy)
        copy.close()
    return path


@pytest.fixture(scope="module")
def site(reference_db, tmp_path_factory) -> Path:
    """A Kamkap installation: a file database with two inspection cases and their photos, and its media."""
    folder = tmp_path_factory.mktemp("site")
    shutil.copy(reference_db, folder / "db.sqlite3")
    result = manage(
        "shell", "-c", "from tests.workflows.test_backups import seed; seed()",
        database_url=sqlite_url(folder / "db.sqlite3"), media=folder / "media",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture(scope="module")
def archive(site, tmp_path_factory) -> Path:
    """The site's backup, taken while another connection holds a committed write that is still only in the
    WAL (a copy of the database file would miss it)."""
    target = tmp_path_factory.mktemp("archives")
    live = sqlite3.connect(site / "db.sqlite3", isolation_level=None)
    try:
        live.execute("PRAGMA wal_autocheckpoint = 0")
        live.execute("CREATE TABLE live_write (x)")
        live.execute("INSERT INTO live_write VALUES (1)")
        assert (site / "db.sqlite3-wal").stat().st_size > 0
        result = manage("backup", str(target), database_url=sqlite_url(site / "db.sqlite3"), media=site / "media")
    finally:
        live.close()
    assert result.returncode == 0, result.stderr
    (path,) = target.glob("kamkap-backup-*.tar.gz")
    return path


def copy_site(site: Path, into: Path) -> Path:
    shutil.copytree(site, into)
    return into


def test_backup_holds_the_database_and_every_photo_with_their_checksums(site, archive):
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    photos = sorted(file.relative_to(site).as_posix() for file in (site / "media").rglob("*") if file.is_file())
    assert len(photos) == 4 and len([p for p in photos if "/thumbs/" in p]) == 2  # two photos, their thumbnails
    assert names == ["database/kamkap.sqlite3", *photos, "manifest.json"]
    assert manifest["database"]["engine"] == "sqlite"
    assert manifest["created_at"].endswith("+07:00")  # Bangkok
    assert "0001_initial" in manifest["migrations"]["inspection"]
    listed = {entry["path"]: entry for entry in manifest["files"]}
    for photo in photos:
        assert listed[photo]["sha256"] == digest(site / photo)
        assert listed[photo]["size"] == (site / photo).stat().st_size


def test_a_restore_after_a_wipe_brings_back_every_row_and_file(site, archive, tmp_path):
    home = copy_site(site, tmp_path / "site")
    for file in home.glob("db.sqlite3*"):
        file.unlink()
    shutil.rmtree(home / "media")

    result = manage(
        "restore", "--noinput", str(archive), database_url=sqlite_url(home / "db.sqlite3"), media=home / "media"
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Audit trail OK" in result.stdout and "Files OK: all 4 files named by rows exist" in result.stdout
    counts = sqlite_counts(home / "db.sqlite3")
    assert counts == sqlite_counts(site / "db.sqlite3")
    assert counts["inspection_evidence"] == 2 and counts["workflows_auditentry"] > 0
    assert counts["live_write"] == 1  # written to the WAL only, while the backup ran
    assert tree(home / "media") == tree(site / "media")
    assert not list((home / "media").glob(".restore-*"))  # the staging folder is gone
    check = manage("verify_audit", database_url=sqlite_url(home / "db.sqlite3"), media=home / "media")
    assert check.returncode == 0 and check.stdout.startswith("OK:")


def tamper(archive: Path, into: Path, member: str) -> Path:
    """A copy of `archive` where the first member whose name starts with `member` has one byte changed."""
    changed = into / "tampered.tar.gz"
    done = False
    with tarfile.open(archive) as source, tarfile.open(changed, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if not done and info.name.startswith(member):
                data, done = bytes([data[0] ^ 0xFF]) + data[1:], True
            target.addfile(info, io.BytesIO(data))
    assert done
    return changed


@pytest.mark.parametrize("member", ["media/", "database/"])
def test_a_tampered_archive_is_refused_naming_the_file_and_nothing_changes(reference_db, archive, tmp_path, member):
    home = tmp_path / "site"
    (home / "media").mkdir(parents=True)
    shutil.copy(reference_db, home / "db.sqlite3")  # a database without the cases: a restore would add them
    (home / "media" / "kept.txt").write_text("a file uploaded later")
    before = database_state(home / "db.sqlite3"), tree(home / "media")
    bad = tamper(archive, tmp_path, member)
    with tarfile.open(bad) as tar:
        altered = next(name for name in tar.getnames() if name.startswith(member))

    result = manage(
        "restore", "--noinput", str(bad), database_url=sqlite_url(home / "db.sqlite3"), media=home / "media"
    )

    assert result.returncode == 1
    assert f"{altered} does not match its checksum" in result.stderr and "nothing was restored" in result.stderr
    assert "Traceback" not in result.stderr
    assert (database_state(home / "db.sqlite3"), tree(home / "media")) == before


def test_a_restore_not_confirmed_changes_nothing(reference_db, archive, tmp_path):
    home = tmp_path / "site"
    home.mkdir()
    shutil.copy(reference_db, home / "db.sqlite3")
    before = database_state(home / "db.sqlite3")

    result = manage(
        "restore", str(archive), database_url=sqlite_url(home / "db.sqlite3"), media=home / "media", stdin="no\n"
    )

    assert result.returncode == 0, result.stderr
    assert "Type 'yes'" in result.stdout and "Restore cancelled; nothing was changed." in result.stdout
    assert database_state(home / "db.sqlite3") == before and not (home / "media").exists()


def test_a_file_missing_after_restore_is_reported_and_fails(site, tmp_path):
    home = copy_site(site, tmp_path / "site")
    lost = next(file for file in (home / "media").rglob("*") if file.is_file() and "thumbs" not in file.parts)
    lost.unlink()  # the database names a photo the media no longer holds
    url = sqlite_url(home / "db.sqlite3")
    made = manage("backup", str(tmp_path / "backup.tar.gz"), database_url=url, media=home / "media")
    assert made.returncode == 0, made.stderr
    assert "WARNING: 1 file(s) named by rows are not in the media" in made.stdout
    for file in home.glob("db.sqlite3*"):
        file.unlink()
    shutil.rmtree(home / "media")

    result = manage("restore", "--noinput", str(tmp_path / "backup.tar.gz"), database_url=url, media=home / "media")

    assert result.returncode == 1
    name = lost.relative_to(home / "media").as_posix()
    assert "MISSING: inspection.Evidence" in result.stdout and f"file: {name}" in result.stdout
    assert "Audit trail OK" in result.stdout  # the audit trail is fine; the file is not
    assert "1 file(s) named by rows are missing" in result.stderr and "Traceback" not in result.stderr


def test_a_backup_to_a_place_that_cannot_be_written_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot write the backup to .*missing/backup.tar.gz"):
        call_command("backup", str(tmp_path / "missing" / "backup.tar.gz"))
    assert not list(tmp_path.rglob("*"))


def test_a_backup_over_an_existing_file_is_refused(tmp_path):
    (tmp_path / "backup.tar.gz").write_text("an older backup")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", str(tmp_path / "backup.tar.gz"))
    assert (tmp_path / "backup.tar.gz").read_text() == "an older backup"


def test_a_backup_inside_the_media_it_copies_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    with pytest.raises(CommandError, match="under MEDIA_ROOT"):
        call_command("backup", str(tmp_path / "media"))
    assert not list((tmp_path / "media").iterdir())


def test_without_pg_dump_the_error_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(backups, "PG_BIN_GLOB", str(tmp_path / "postgresql" / "*" / "bin"))
    with pytest.raises(backups.BackupError, match="pg_dump was not found .* install the PostgreSQL client"):
        backups.pg_tool("pg_dump")


def test_pg_dump_is_found_in_the_newest_postgresql_folder(tmp_path, monkeypatch):
    for version in ("9", "15", "13"):
        tool = tmp_path / "postgresql" / version / "bin" / "pg_dump"
        tool.parent.mkdir(parents=True)
        tool.write_text("#!/bin/sh\n")
        tool.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(backups, "PG_BIN_GLOB", str(tmp_path / "postgresql" / "*" / "bin"))
    assert backups.pg_tool("pg_dump") == str(tmp_path / "postgresql" / "15" / "bin" / "pg_dump")


# --- PostgreSQL ---------------------------------------------------------------------------------------------

PG_SERVER = "postgres://postgres@127.0.0.1:5432"
# Named per test process: two suites run at once (the SQLite and the PostgreSQL pass) dropped each other's.
PG_DATABASES = (f"kamkap_backup_src_{os.getpid()}", f"kamkap_backup_dst_{os.getpid()}")


def _pg_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
    except OSError:
        return False
    return True


@pytest.fixture
def pg_databases():
    from django.db import connection

    if connection.vendor != "postgresql":  # one run is enough: the PostgreSQL pass of `make test`
        pytest.skip("a PostgreSQL backup is tested in the PostgreSQL pass")
    psycopg = pytest.importorskip("psycopg")
    if not _pg_reachable():
        pytest.skip("no PostgreSQL server at 127.0.0.1:5432")
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as server:
        for name in PG_DATABASES:
            server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            server.execute(f"CREATE DATABASE {name}")
    yield [f"{PG_SERVER}/{name}" for name in PG_DATABASES]
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as server:
        for name in PG_DATABASES:
            server.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_counts(url: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(url) as db:
        tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


@pytest.mark.postgres
def test_a_postgresql_database_and_its_files_come_back_whole(pg_databases, tmp_path):
    source, target = pg_databases
    media = tmp_path / "media"
    migrated = manage("migrate", "-v0", database_url=source, media=media)
    assert migrated.returncode == 0, migrated.stderr
    code = "from tests.workflows.test_backups import seed; seed(with_cases=False)"
    seeded = manage("shell", "-c", code, database_url=source, media=media)
    assert seeded.returncode == 0, seeded.stderr
    made = manage("backup", str(tmp_path / "backup.tar.gz"), database_url=source, media=media)
    assert made.returncode == 0, made.stderr
    with tarfile.open(tmp_path / "backup.tar.gz") as tar:
        assert "database/kamkap.pgdump" in tar.getnames()

    restored_media = tmp_path / "restored-media"
    result = manage("restore", "--noinput", str(tmp_path / "backup.tar.gz"), database_url=target, media=restored_media)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Audit trail OK: 3 entries in 1 chains" in result.stdout
    assert "Files OK: all 1 files named by rows exist" in result.stdout
    counts = pg_counts(target)
    assert counts == pg_counts(source) and counts["registry_factoryimport"] == 1
    assert tree(restored_media) == tree(media)
    again = manage("restore", "--noinput", str(tmp_path / "backup.tar.gz"), database_url=target, media=restored_media)
    assert again.returncode == 0, again.stderr  # --clean --if-exists: over a database that already holds it
    assert pg_counts(target) == counts
