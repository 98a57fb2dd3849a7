"""Bulk CSV of self-reports through the real upload screen: all or nothing, row errors with line numbers."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import ImportStatus, ReportImport, SelfReport
from registry.selfreports.imports import columns
from tests.conftest import LOPBURI
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory

pytestmark = pytest.mark.django_db


def rw_row(factory, period="2567-H1", **changes) -> dict:
    return {"reg_no": factory.reg_no, "period": period, "wastewater_m3_per_day": "120", "bod": "18", "cod": "75",
            "tss": "30", "ph": "7.1", **changes}  # fmt: skip


def csv_bytes(kind, rows) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns(kind))
    writer.writeheader()
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    def post(user, kind, data: bytes, name="reports.csv"):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("registry:selfreports:import"), {"kind": kind.pk, "file": SimpleUploadedFile(name, data)}
            )
        return client.get(response["Location"]) if response.status_code == 302 else response

    return post


def test_a_valid_file_files_every_row(upload, kinds, songkhla_inspector):
    factories = FactoryFactory.create_batch(5, factory_type=3)
    rows = [rw_row(f) for f in factories] + [rw_row(factories[0], "2567-H2", bod="22")]
    response = upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], rows))
    job = ReportImport.objects.get()
    assert job.status == ImportStatus.DONE and job.created_count == 6
    assert SelfReport.objects.filter(channel="csv").count() == 6
    assert 'data-testid="import-created"' in response.content.decode()


def test_one_bad_row_files_nothing_and_names_its_line_and_column(upload, kinds, songkhla_inspector):
    factories = FactoryFactory.create_batch(4, factory_type=3)
    rows = [rw_row(f) for f in factories]
    rows[1]["ph"] = "15"  # line 3
    rows[3]["period"] = "2567"  # line 5: not a half year
    response = upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], rows))
    job = ReportImport.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["column"]) for e in job.errors] == [(3, "ph"), (5, "period")]
    assert not SelfReport.objects.exists()
    assert 'data-testid="import-errors"' in response.content.decode()


def test_a_period_already_filed_needs_the_amend_column_and_then_keeps_history(upload, kinds, songkhla_inspector):
    factory = FactoryFactory(factory_type=3)
    upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], [rw_row(factory)]))
    upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], [rw_row(factory, bod="30")]))
    refused = ReportImport.objects.order_by("pk").last()
    assert refused.status == ImportStatus.FAILED and refused.errors[0]["column"] == "period"
    upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], [rw_row(factory, bod="30", amend="1")]))
    assert ReportImport.objects.order_by("pk").last().status == ImportStatus.DONE
    assert list(
        SelfReport.objects.filter(factory=factory).values_list("revision", "is_current").order_by("revision")
    ) == [
        (1, False),
        (2, True),
    ]


def test_the_same_period_twice_in_a_file_is_a_row_error(upload, kinds, songkhla_inspector):
    factory = FactoryFactory(factory_type=3)
    upload(songkhla_inspector, kinds["rw"], csv_bytes(kinds["rw"], [rw_row(factory), rw_row(factory, bod="1")]))
    job = ReportImport.objects.get()
    assert [(e["line"], e["column"]) for e in job.errors] == [(3, "period")]
    assert not SelfReport.objects.exists()


def test_rows_for_factories_one_may_not_file_for_are_refused(upload, kinds):
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    stranger = FactoryFactory(factory_type=3, province_code=LOPBURI)
    upload(link.person, kinds["rw"], csv_bytes(kinds["rw"], [rw_row(link.factory), rw_row(stranger)]))
    job = ReportImport.objects.get()
    assert job.status == ImportStatus.FAILED and [(e["line"], e["column"]) for e in job.errors] == [(3, "reg_no")]
    assert not SelfReport.objects.exists()


def test_a_missing_required_column_is_reported(upload, kinds, songkhla_inspector):
    upload(songkhla_inspector, kinds["rw"], b"reg_no,period,bod\n20900000000001,2567-H1,10\n")
    job = ReportImport.objects.get()
    assert job.status == ImportStatus.FAILED and "ph" in job.errors[0]["message"]


def test_someone_who_files_for_nobody_may_not_upload(upload, kinds, nobody, songkhla_cluster_aps):
    for person in (nobody, songkhla_cluster_aps):
        assert upload(person, kinds["rw"], csv_bytes(kinds["rw"], [])).status_code == 403
    assert not ReportImport.objects.exists()
