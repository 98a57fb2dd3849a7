import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import image_bytes
from workflows.inspection import services
from workflows.inspection.models import Evidence

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG")


@pytest.fixture
def case(songkhla, checklist, factory):
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    services.inspection_assign(inspection=inspection, inspector=songkhla.inspector, by=songkhla.head)
    return inspection


def test_a_photo_is_stored(case, songkhla):
    evidence = services.evidence_add(
        inspection=case, by=songkhla.inspector, upload=SimpleUploadedFile("ถังดับเพลิง.png", PNG, "image/png")
    )
    assert evidence.is_image and evidence.size == len(PNG)


@pytest.mark.parametrize(
    ("name", "content", "content_type", "message"),
    [
        ("macro.exe", b"MZ", "application/octet-stream", "JPEG"),
        ("huge.png", PNG, "image/png", "MB"),
    ],
)
def test_wrong_type_or_too_large_is_refused_and_nothing_stored(case, songkhla, name, content, content_type, message):
    upload = SimpleUploadedFile(name, content, content_type)
    if name == "huge.png":
        upload.size = services.EVIDENCE_MAX_BYTES + 1
    with pytest.raises(services.InspectionError):
        services.evidence_add(inspection=case, by=songkhla.inspector, upload=upload)
    assert not Evidence.objects.exists()


def test_only_the_assigned_inspector_adds_evidence(case, songkhla):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.evidence_add(
            inspection=case, by=songkhla.inspector2, upload=SimpleUploadedFile("a.png", PNG, "image/png")
        )
    assert not Evidence.objects.exists()


def test_evidence_is_served_only_to_people_who_may_see_the_case(client, case, songkhla):
    from django.urls import reverse

    from tests.conftest import LOPBURI, staff

    evidence = services.evidence_add(
        inspection=case, by=songkhla.inspector, upload=SimpleUploadedFile("a.png", PNG, "image/png")
    )
    url = reverse("inspection:evidence", args=[evidence.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(staff(LOPBURI, "group_head"))
    assert client.get(url).status_code == 404
    client.force_login(songkhla.head)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PNG
    assert client.get("/media/" + evidence.file.name).status_code == 404  # no public media URL
    evidence.file.storage.delete(evidence.file.name)  # the media lost (a database restored without them)
    assert client.get(url).status_code == 404


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/passwd"/></svg>'


@pytest.mark.parametrize(
    ("content", "claimed"),
    [
        (SVG, "image/png"),  # an SVG that says it is a PNG
        (b"\x89PNG\r\n\x1a\n" + b"0" * 200, "image/png"),  # a PNG's first bytes and nothing of an image
        (image_bytes("GIF"), "image/gif"),  # an image, but not one of JPEG, PNG, WebP
        (b"<html><body>%PDF-</body></html>", "application/pdf"),
    ],
)
def test_a_file_is_judged_by_its_content_not_the_type_the_client_claims(case, songkhla, content, claimed):
    with pytest.raises(services.InspectionError):
        services.evidence_add(
            inspection=case, by=songkhla.inspector, upload=SimpleUploadedFile("photo.png", content, claimed)
        )
    assert not Evidence.objects.exists()


def test_the_stored_type_and_name_come_from_the_content_and_the_name_is_random(case, songkhla):
    upload = SimpleUploadedFile("ทางหนีไฟ-สงขลา.pdf", image_bytes("WEBP"), "application/pdf")
    evidence = services.evidence_add(inspection=case, by=songkhla.inspector, upload=upload)
    assert (evidence.content_type, evidence.original_name) == ("image/webp", "ทางหนีไฟ-สงขลา.pdf")
    assert evidence.file.name.endswith(".webp") and "ทางหนีไฟ" not in evidence.file.name
    again = services.evidence_add(
        inspection=case, by=songkhla.inspector, upload=SimpleUploadedFile("ทางหนีไฟ-สงขลา.pdf", b"%PDF-1.4\n%%EOF")
    )
    assert again.content_type == "application/pdf" and again.file.name != evidence.file.name
