"""/health/ and /health/ready/: reachable without logging in, JSON without secrets, 503 naming the
failing check. The failures are real conditions: an unwritable media directory, a migration the
database does not have, a broker nobody listens on."""

import os
import socket
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder


def ready(client):
    response = client.get("/health/ready/")
    assert response["Content-Type"] == "application/json"
    return response


def test_alive_answers_without_login_or_database(client):
    response = client.get("/health/")  # no django_db mark: any database access would raise
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.head("/health/").status_code == 200


@pytest.mark.django_db
def test_ready_is_200_when_every_check_passes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = ready(client)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database", "cache", "migrations", "media"}  # no broker configured (eager)
    assert list(tmp_path.iterdir()) == []  # the probe file is gone


def unwritable_directory(tmp_path: Path) -> Path:
    """A directory nobody may create a file in: read-only by mode, or, for root (whom modes do not stop),
    sysfs, where not even root can create a file."""
    directory = tmp_path / "media"
    directory.mkdir()
    directory.chmod(0o555)
    try:
        (directory / "probe").write_bytes(b"x")
    except PermissionError:
        return directory
    (directory / "probe").unlink()
    return Path("/sys")


@pytest.mark.django_db
def test_unwritable_media_is_503_naming_media(client, settings, tmp_path):
    settings.MEDIA_ROOT = unwritable_directory(tmp_path)
    response = ready(client)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed" and body["failing"] == ["media"]
    assert body["checks"]["media"]["status"] == "failed"
    assert body["checks"]["database"] == {"status": "ok"}
    assert str(settings.MEDIA_ROOT) not in response.content.decode()  # no path, no secret


@pytest.mark.django_db
def test_an_unapplied_migration_is_503_naming_migrations(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="org").order_by("-id").first()
    latest.delete()  # the database now lacks org's latest migration (the test's transaction restores it)

    response = ready(client)
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_a_configured_broker_that_is_down_is_503_naming_broker(client, settings, tmp_path):
    from project.celery import app

    settings.MEDIA_ROOT = tmp_path
    url = f"redis://127.0.0.1:{free_port()}/0"  # nobody listens there
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = url, False
    previous = app.conf.broker_url
    app.conf.broker_url = url
    try:
        response = ready(client)
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"] and "broker" in body["checks"]
    assert "redis" not in response.content.decode() and "127.0.0.1" not in response.content.decode()


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/sys").is_dir(), reason="needs sysfs when run as root")
def test_unwritable_directory_helper_really_refuses(tmp_path):
    with pytest.raises(OSError):
        (unwritable_directory(tmp_path) / "x").write_bytes(b"x")
