"""ETag / If-None-Match on detail reads: the same object read again with its tag is a 304 without a
body; once it changes the tag changes; lists carry none; the schema says so."""

import pytest
from django.core.management import call_command

from registry.models import Factory
from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db


def test_a_detail_read_again_with_its_etag_is_304_until_it_changes(client, songkhla):
    factory = FactoryFactory(name="โรงงานเดิม")
    client.force_login(songkhla.officer)
    url = f"/api/v1/factories/{factory.pk}/"
    first = client.get(url)
    etag = first["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and len(etag) == 42
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    assert client.get(url, HTTP_IF_NONE_MATCH=f'"other", W/{etag}').status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200
    Factory.objects.filter(pk=factory.pk).update(name="โรงงานใหม่")
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag and changed.json()["name"] == "โรงงานใหม่"


def test_the_tag_is_of_what_the_caller_reads_and_a_stranger_still_gets_404(client, songkhla, lopburi_officer):
    factory = FactoryFactory()
    client.force_login(songkhla.officer)
    etag = client.get(f"/api/v1/factories/{factory.pk}/")["ETag"]
    english = client.get(f"/api/v1/factories/{factory.pk}/", HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=etag)
    assert english.status_code == 200  # the labels are in another language: another representation
    client.force_login(lopburi_officer)
    assert client.get(f"/api/v1/factories/{factory.pk}/", HTTP_IF_NONE_MATCH=etag).status_code == 404


def test_report_kinds_and_lists(client, songkhla, kinds):
    client.force_login(songkhla.officer)
    kind = client.get("/api/v1/report-kinds/rw/")
    assert client.get("/api/v1/report-kinds/rw/", HTTP_IF_NONE_MATCH=kind["ETag"]).status_code == 304
    assert "ETag" not in client.get("/api/v1/report-kinds/")


def test_the_schema_documents_if_none_match_and_304_on_details(tmp_path):
    import yaml

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--file", str(target))
    document = yaml.safe_load(target.read_text())
    for path in ["/api/v1/factories/{id}/", "/api/v1/cases/{id}/", "/api/v1/tasks/{id}/", "/api/v1/selfreports/{id}/"]:
        operation = document["paths"][path]["get"]
        assert "304" in operation["responses"] and "ETag" in operation["responses"]["200"]["headers"], path
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), path
    assert "304" not in document["paths"]["/api/v1/factories/"]["get"]["responses"]
