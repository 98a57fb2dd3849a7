"""CSV import: all-or-nothing, row errors with line numbers, through the real upload screen."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from org.models import SubDistrict
from registry.imports import COLUMNS
from registry.models import Factory, FactoryImport, ImportStatus
from tests.conftest import LOPBURI, SONGKHLA
from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db


def row(n: int, province: int = SONGKHLA, **changes) -> dict:
    sub = SubDistrict.objects.select_related("district").filter(district__province_id=province).first()
    base = {c: "" for c in COLUMNS}
    base.update(
        reg_no=f"2{province:02d}{n:011d}",
        name=f"บริษัท นำเข้า {n} จำกัด",
        operator="นายนำเข้า",
        factory_type="3",
        category_code="9(1)",
        address=f"{n} หมู่ 3",
        province_code=str(province),
        district_code=str(sub.district_id),
        sub_district_code=str(sub.pk),
        machinery_hp="120.5",
        workers="45",
        licence_issued_on="2567-03-25",
    )
    base.update(changes)
    return base


def csv_bytes(rows: list[dict], *, bom: bool = True) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + out.getvalue()).encode()


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file to the upload screen; the queued import runs when the request commits."""

    def post(user, data: bytes, name="factories.csv"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("registry:factory:import"), {"file": SimpleUploadedFile(name, data)})
        return client.get(response["Location"]) if response.status_code == 302 else response

    return post


def test_valid_file_registers_every_row(upload, client, songkhla_head):
    response = upload(songkhla_head, csv_bytes([row(i) for i in range(1, 51)]))
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.DONE and job.created_count == 50
    assert Factory.objects.count() == 50
    first = Factory.objects.get(reg_no=f"2{SONGKHLA:02d}{1:011d}")
    assert str(first.licence_issued_on) == "2024-03-25"  # BE year read as BE
    assert 'data-testid="import-created">ขึ้นทะเบียนโรงงานแล้ว 50 แห่ง</p>' in response.content.decode()


def test_one_bad_row_saves_nothing_and_names_its_line(upload, client, songkhla_head):
    rows = [row(i) for i in range(1, 11)]
    rows[3]["factory_type"] = "4"  # line 5 (header is line 1)
    rows[7]["reg_no"] = "12345"  # line 9
    response = upload(songkhla_head, csv_bytes(rows))
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["column"]) for e in job.errors] == [(5, "factory_type"), (9, "reg_no")]
    assert Factory.objects.count() == 0
    page = response.content.decode()
    assert 'data-testid="import-errors"' in page


def test_duplicates_in_file_and_in_registry_are_row_errors(songkhla_head):
    from registry.imports import check_rows

    FactoryFactory(reg_no=f"2{SONGKHLA:02d}{2:011d}")
    rows = [row(1), row(2), row(1)]
    with translation.override("en"):
        _, errors = check_rows(rows, by=songkhla_head)
    assert [(e["line"], e["column"]) for e in errors] == [(3, "reg_no"), (4, "reg_no")]
    assert "already registered" in errors[0]["message"] and "repeats line 2" in errors[1]["message"]


def test_address_not_matching_the_official_geography_is_a_row_error(songkhla_head):
    from registry.imports import check_rows

    lopburi_sub = SubDistrict.objects.filter(district__province_id=LOPBURI).first()
    _, errors = check_rows([row(1, sub_district_code=str(lopburi_sub.pk))], by=songkhla_head)
    assert errors[0]["line"] == 2 and errors[0]["column"] == "sub_district_code"


def test_rows_outside_ones_offices_are_refused(upload, client, songkhla_head):
    upload(songkhla_head, csv_bytes([row(1), row(2, province=LOPBURI)]))
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.errors[0]["line"] == 3
    assert Factory.objects.count() == 0


def test_missing_header_column_is_reported(upload, client, songkhla_head):
    upload(songkhla_head, b"reg_no,name\n20900000000001,x\n")
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.FAILED and "province_code" in job.errors[0]["message"]


def test_non_utf8_file_is_reported(upload, client, songkhla_head):
    upload(songkhla_head, "reg_no,ชื่อ\n".encode("cp874"))
    assert "UTF-8" in FactoryImport.objects.get().errors[0]["message"]


def test_not_a_csv_is_refused_before_storing(upload, client, songkhla_head):
    response = upload(songkhla_head, b"%PDF-1.4", name="factories.pdf")
    assert response.status_code == 200 and 'data-testid="file-error"' in response.content.decode()
    assert not FactoryImport.objects.exists()


def test_inspector_may_not_import(upload, client, songkhla_inspector):
    response = upload(songkhla_inspector, csv_bytes([row(1)]))
    assert response.status_code == 403
    assert not FactoryImport.objects.exists() and not Factory.objects.exists()


def test_someone_elses_import_is_not_shown(upload, client, songkhla_head, lopburi_head):
    upload(songkhla_head, csv_bytes([row(1)]))
    job = FactoryImport.objects.get()
    client.force_login(lopburi_head)
    assert client.get(reverse("registry:factory:import_detail", args=[job.pk])).status_code == 404


def test_another_provinces_registration_number_is_not_told_apart_from_a_row_outside_ones_offices(lopburi_head):
    from registry.imports import check_rows

    FactoryFactory(reg_no=f"2{SONGKHLA:02d}{7:011d}", province_code=SONGKHLA)
    taken_elsewhere = row(7, province=LOPBURI, reg_no=f"2{SONGKHLA:02d}{7:011d}")  # a Songkhla factory's number
    outside = row(8, province=SONGKHLA)
    with translation.override("en"):
        _, errors = check_rows([taken_elsewhere, outside], by=lopburi_head)
    assert [(e["line"], e["column"]) for e in errors] == [(2, "reg_no"), (3, "reg_no")]
    assert errors[0]["message"] == errors[1]["message"] and "or already registered" in errors[0]["message"]
    assert Factory.objects.count() == 1


def test_a_field_longer_than_csv_allows_fails_the_job_with_its_line(upload, client, songkhla_head):
    data = csv_bytes([row(1)]) + ("x" * 140_000).encode() + b"\n"
    upload(songkhla_head, data)
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.FAILED and job.errors[0]["line"] == 3
    assert "too long" in job.errors[0]["message"] or "ยาว" in job.errors[0]["message"]
    assert Factory.objects.count() == 0


# --- a job never stays running because its task raised ----------------------------------------------


def test_a_job_whose_file_is_gone_when_the_task_runs_ends_failed_with_its_reason(
    client, songkhla_head, django_capture_on_commit_callbacks, caplog
):
    """The worker cannot read the upload (e.g. its media is not the web server's): the task raises,
    the job ends failed with a reason in Thai and the error is logged, instead of "waiting" for ever."""
    from django.core.files.storage import default_storage

    client.force_login(songkhla_head)
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("registry:factory:import"), {"file": SimpleUploadedFile("f.csv", csv_bytes([row(1)]))})
    job = FactoryImport.objects.get()
    default_storage.delete(job.file.name)
    for run in queued:  # the real task, run by Celery (eager here) as the request's commit would
        run()
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.finished_at is not None and not job.is_running
    assert "ข้อผิดพลาดที่ไม่คาดคิด" in job.errors[0]["message"] and "FileNotFoundError" in job.errors[0]["message"]
    assert Factory.objects.count() == 0
    assert any(r.exc_info and r.exc_info[0] is FileNotFoundError for r in caplog.records)
    page = client.get(reverse("registry:factory:import_detail", args=[job.pk]))
    assert "ข้อผิดพลาดที่ไม่คาดคิด" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"latitude": "NaN"}, "latitude"), ({"longitude": "sNaN"}, "longitude"), ({"workers": "9" * 20}, "workers")],
)
def test_a_value_the_database_cannot_hold_is_a_row_error_not_a_crash(upload, songkhla_head, changes, column):
    upload(songkhla_head, csv_bytes([row(1), row(2, **changes)]))
    job = FactoryImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["column"]) for e in job.errors] == [(3, column)]
    assert Factory.objects.count() == 0
