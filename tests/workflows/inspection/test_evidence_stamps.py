"""Evidence as the inspector takes it (issue 16, item 4): photos stamped with time and place (only what the
device sent, with the inspector's consent), thumbnails made on the server, the factory representative's and the
inspector's signatures kept as evidence and shown on the case and the report; and (item 5) a number shown as it
was typed ("80.0" stays "80.0")."""

import base64
import io
import json
import subprocess
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from workflows.inspection import forms, selectors, services
from workflows.inspection.issued import REPORT_TEMPLATE
from workflows.inspection.models import Evidence, EvidenceKind, SignerRole
from workflows.pdf import render_pdf

from .test_inspect_page import card, case, items  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def photo(name="gauge.jpg", size=(1200, 800), fmt="JPEG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (40, 90, 160)).save(buffer, fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def signature_png(width=300, height=120) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    for x in range(20, width - 20):
        image.putpixel((x, height // 2 + (x % 17) - 8), (13, 27, 74, 255))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def data_url(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


TAKEN = datetime(2026, 11, 20, 3, 15, tzinfo=UTC)  # 10:15 in Bangkok


@pytest.fixture
def assigned(case):  # noqa: F811
    case.refresh_from_db()  # its inspector, assigned through the page
    return case


def test_a_photo_keeps_its_stamp_and_gets_a_small_thumbnail(assigned, songkhla):  # noqa: F811
    stamp = services.Stamp(
        taken_at=TAKEN, latitude=Decimal("7.0086123456"), longitude=Decimal("100.4747"), accuracy_m=12
    )
    evidence = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=photo(), stamp=stamp)
    evidence.refresh_from_db()
    assert evidence.taken_at == TAKEN and evidence.accuracy_m == 12
    assert (evidence.latitude, evidence.longitude) == (Decimal("7.008612"), Decimal("100.474700"))
    with Image.open(evidence.thumbnail.open("rb")) as thumb:
        assert thumb.format == "JPEG" and max(thumb.size) == services.THUMBNAIL_PX and thumb.size == (320, 213)
    assert evidence.thumbnail.name != evidence.file.name and evidence.kind == EvidenceKind.PHOTO


def test_a_large_photo_turned_by_the_camera_gets_its_thumbnail_upright(assigned, songkhla):  # noqa: F811
    """A phone's photo: large (the size services._thumbnail decodes at a fraction of) and stored sideways with an EXIF
    orientation (6: shown turned 90° clockwise): the thumbnail is upright, its longer side THUMBNAIL_PX,
    the stored photo's top (red) on its right, its bottom (blue) on its left."""
    image = Image.new("RGB", (3200, 2400), (200, 30, 30))
    image.paste((30, 30, 200), (0, 1200, 3200, 2400))  # the bottom half blue
    exif = Image.Exif()
    exif[0x0112] = 6
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    upload = SimpleUploadedFile("gauge.jpg", buffer.getvalue(), content_type="image/jpeg")

    evidence = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=upload)

    with Image.open(evidence.thumbnail.open("rb")) as thumb:
        thumb = thumb.convert("RGB")
        assert thumb.size == (240, 320)
        left, right = thumb.getpixel((40, 160)), thumb.getpixel((200, 160))
    assert left[2] > 150 > left[0] and right[0] > 150 > right[2]


def test_a_photo_of_a_thumbnails_size_is_its_own_thumbnail(assigned, songkhla):  # noqa: F811
    """Already small and upright: the thumbnail is the photo's own bytes (not decoded and drawn again)."""
    upload = photo(name="small.png", size=(320, 240), fmt="PNG")
    sent = upload.read()

    evidence = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=upload)

    assert evidence.thumbnail.open("rb").read() == sent and evidence.thumbnail.name != evidence.file.name


def small_jpeg(mode: str = "RGB", orientation: int | None = None) -> SimpleUploadedFile:
    image = Image.new(mode, (300, 200), (200, 30, 30) if mode == "RGB" else (0, 200, 200, 0))
    if mode == "RGB":
        image.paste((30, 30, 200), (0, 100, 300, 200))  # the bottom half blue
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return SimpleUploadedFile("small.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_a_small_photo_turned_by_the_camera_or_in_print_colours_is_drawn_again(assigned, songkhla):  # noqa: F811
    """Small, but stored sideways (EXIF 6) or in CMYK: the thumbnail is drawn upright, in RGB."""
    turned = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=small_jpeg(orientation=6))
    cmyk = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=small_jpeg(mode="CMYK"))

    with Image.open(turned.thumbnail.open("rb")) as thumb:
        assert thumb.size == (200, 300)
        left, right = thumb.convert("RGB").getpixel((30, 150)), thumb.convert("RGB").getpixel((170, 150))
    assert left[2] > 150 > left[0] and right[0] > 150 > right[2]
    with Image.open(cmyk.thumbnail.open("rb")) as thumb:
        assert thumb.mode == "RGB"


def png_turned_after_its_pixels(orientation: int = 6) -> SimpleUploadedFile:
    """A small PNG stored sideways whose EXIF chunk follows its pixels (allowed; Pillow finds it only by
    decoding them): the red top and blue bottom as small_jpeg's."""
    image = Image.new("RGB", (300, 200), (200, 30, 30))
    image.paste((30, 30, 200), (0, 100, 300, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "PNG", exif=exif.tobytes())
    data, chunks, at = buffer.getvalue(), [], 8
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunks.append(data[at : at + 12 + length])
        at += 12 + length
    exif_chunk = next(c for c in chunks if c[4:8] == b"eXIf")
    chunks.remove(exif_chunk)
    chunks.insert(len(chunks) - 1, exif_chunk)  # after the pixels, before IEND
    return SimpleUploadedFile("late.png", data[:8] + b"".join(chunks), content_type="image/png")


def test_a_small_png_whose_orientation_follows_its_pixels_is_drawn_upright(assigned, songkhla):  # noqa: F811
    upload = png_turned_after_its_pixels()
    with Image.open(io.BytesIO(upload.read())) as opened:
        assert "exif" not in opened.info  # not known before the pixels are decoded
    upload.seek(0)

    evidence = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=upload)

    with Image.open(evidence.thumbnail.open("rb")) as thumb:
        assert thumb.size == (200, 300)
        left, right = thumb.convert("RGB").getpixel((30, 150)), thumb.convert("RGB").getpixel((170, 150))
    assert left[2] > 150 > left[0] and right[0] > 150 > right[2]


def test_without_consent_a_photo_has_no_stamp(assigned, songkhla):  # noqa: F811
    evidence = services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=photo(fmt="PNG", name="a.png"))
    assert evidence.taken_at is None and not evidence.located and evidence.thumbnail.name.endswith(".png")


@pytest.mark.parametrize(
    "stamp",
    [
        services.Stamp(latitude=Decimal("91"), longitude=Decimal("100")),
        services.Stamp(latitude=Decimal("7"), longitude=Decimal("-181")),
        services.Stamp(latitude=Decimal("7")),
        services.Stamp(taken_at=datetime(2030, 1, 1, tzinfo=UTC)),
    ],
)
def test_a_stamp_off_the_earth_or_in_the_future_is_refused_and_nothing_stored(assigned, songkhla, stamp):  # noqa: F811
    with pytest.raises(services.InspectionError):
        services.evidence_add(inspection=assigned, by=songkhla.inspector, upload=photo(), stamp=stamp)
    assert not Evidence.objects.exists()


def test_the_stamps_field_reads_what_the_page_sends_and_ignores_the_rest():
    sent = json.dumps(
        {
            "12": {"taken_at": "2026-11-20T03:15:00.000Z", "latitude": 7.0086, "longitude": 100.4747, "accuracy": 12.6},
            "13": {"taken_at": "not a time", "latitude": "NaN", "longitude": True},
            "x": {"latitude": 1},
            "14": "no",
        }
    )
    stamps = forms.StampsField(required=False).clean(sent)
    assert set(stamps) == {12, 13}
    assert stamps[12] == services.Stamp(TAKEN, Decimal("7.0086"), Decimal("100.4747"), 13)
    assert stamps[13] == services.NO_STAMP
    assert forms.StampsField(required=False).clean("{broken") == {}


def test_signatures_are_evidence_with_signer_and_the_latest_of_each_role_is_shown(assigned, songkhla):  # noqa: F811
    by = songkhla.inspector
    first = services.signature_add(
        inspection=assigned, by=by, image=ContentFile(signature_png(), "s.png"), role=SignerRole.REPRESENTATIVE,
        name="นายสมชาย ใจดี", title="ผู้จัดการโรงงาน",
    )  # fmt: skip
    again = services.signature_add(
        inspection=assigned, by=by, image=ContentFile(signature_png(320), "s.png"), role=SignerRole.REPRESENTATIVE,
        name="นายสมชาย ใจดี", title="ผู้จัดการโรงงาน",
    )  # fmt: skip
    mine = services.signature_add(
        inspection=assigned, by=by, image=ContentFile(signature_png(), "s.png"), role=SignerRole.INSPECTOR
    )
    assert first.kind == EvidenceKind.SIGNATURE and first.content_type == "image/png" and first.taken_at
    assert mine.signer_name == by.display_name  # the inspector's own name, whatever was sent
    context = selectors.case_context(assigned)
    assert context["signatures"] == [again, mine]  # representative first, then the inspector
    assert all(not file.is_signature for file in context["evidence"])  # not listed among the photos


@pytest.mark.parametrize(
    ("role", "name", "image"),
    [
        (SignerRole.REPRESENTATIVE, "  ", signature_png()),  # whose acknowledgement?
        (SignerRole.REPRESENTATIVE, "นายสมชาย", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ("boss", "นายสมชาย", signature_png()),
    ],
)
def test_a_signature_without_a_name_not_a_png_or_of_no_known_role_is_refused(assigned, songkhla, role, name, image):  # noqa: F811
    with pytest.raises(services.InspectionError):
        services.signature_add(
            inspection=assigned, by=songkhla.inspector, image=ContentFile(image, "s.png"), role=role, name=name
        )
    assert not Evidence.objects.exists()


def test_only_the_cases_inspector_collects_signatures(assigned, songkhla):  # noqa: F811
    with pytest.raises(PermissionDenied):
        services.signature_add(
            inspection=assigned, by=songkhla.inspector2, image=ContentFile(signature_png(), "s.png"),
            role=SignerRole.REPRESENTATIVE, name="นายสมชาย",
        )  # fmt: skip


def test_the_inspect_page_keeps_stamped_photos_and_both_signatures(client, case, checklist, songkhla):  # noqa: F811
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    data = {
        f"item_{s1.pk}": "no",
        f"item_{s2.pk}": "80.0",
        f"photo_{s1.pk}": [photo("exit-1.jpg"), photo("exit-2.jpg")],
        f"caption_{s1.pk}": "ประตูหนีไฟถูกปิดกั้น",
        "stamps": json.dumps({s1.pk: {"taken_at": "2026-11-20T03:15Z", "latitude": 7.0086, "longitude": 100.4747,
                                      "accuracy": 9}}),
        "representative_name": "นายสมชาย ใจดี",
        "representative_title": "ผู้จัดการโรงงาน",
        "representative_signature": data_url(signature_png()),
        "inspector_signature": data_url(signature_png()),
        "save_draft": "1",
    }  # fmt: skip
    assert client.post(case.url, data).status_code == 302
    photos = list(case.evidence.filter(kind=EvidenceKind.PHOTO).order_by("pk"))
    assert [(p.item_id, p.latitude, p.accuracy_m) for p in photos] == [(s1.pk, Decimal("7.008600"), 9)] * 2
    signers = {e.signer_role: e.signer_name for e in case.evidence.filter(kind=EvidenceKind.SIGNATURE)}
    assert signers == {"representative": "นายสมชาย ใจดี", "inspector": songkhla.inspector.display_name}
    html = client.get(case.url).content.decode()
    s1_card = card(html, "S1")
    assert s1_card.count(reverse("inspection:evidence_thumb", args=[photos[0].pk])) == 1
    assert f'data-testid="stamp-{photos[0].pk}"' in s1_card and "7.00860" in s1_card
    assert 'data-testid="signature-representative"' in html and "นายสมชาย ใจดี" in html
    assert 'value="80.0"' in card(html, "S2")  # as typed, not "80"
    thumb = client.get(reverse("inspection:evidence_thumb", args=[photos[0].pk]))
    assert thumb.status_code == 200 and Image.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 213)


def test_a_representative_signature_without_a_name_is_refused_on_the_page(client, case, checklist):  # noqa: F811
    s1 = items(checklist)["S1"]
    data = {f"item_{s1.pk}": "yes", "representative_signature": data_url(signature_png()), "save_draft": "1"}
    response = client.post(case.url, data)
    assert response.status_code == 200 and not case.evidence.exists()
    assert data_url(signature_png()) in response.content.decode()  # what was drawn is shown again


def test_numbers_keep_the_form_typed_on_the_case_and_report(assigned, songkhla, checklist):  # noqa: F811
    s2 = items(checklist)["S2"]
    services.answers_save(inspection=assigned, by=songkhla.inspector, answers={s2.pk: {"number": Decimal("80.0")}})
    answer = assigned.answers.get(item=s2)
    assert (answer.number, answer.number_typed, answer.number_shown) == (Decimal("80.000"), "80.0", "80.0")
    services.answers_save(inspection=assigned, by=songkhla.inspector, answers={s2.pk: {"number": Decimal("80")}})
    answer.refresh_from_db()
    assert answer.number_shown == "80"  # the same value typed otherwise is kept as typed
    answer.number_typed = ""  # one saved before the column: the value without the column's zeros, never 8E+1
    assert answer.number_shown == "80"


def test_the_report_shows_the_signatures_and_the_photos_stamp(assigned, songkhla, tmp_path):  # noqa: F811
    by = songkhla.inspector
    services.evidence_add(
        inspection=assigned, by=by, upload=photo(), caption="มาตรวัดหม้อน้ำ",
        stamp=services.Stamp(TAKEN, Decimal("7.0086"), Decimal("100.4747"), 9),
    )  # fmt: skip
    for role, name in ((SignerRole.REPRESENTATIVE, "นายสมชาย ใจดี"), (SignerRole.INSPECTOR, "")):
        services.signature_add(
            inspection=assigned, by=by, image=ContentFile(signature_png(), "s.png"), role=role, name=name,
            title="ผู้จัดการโรงงาน" if name else "",
        )  # fmt: skip
    context = selectors.report_context(assigned)
    files = list(assigned.evidence.order_by("pk"))
    assert context["embeds"] == [files[0].thumbnail.name, files[1].file.name, files[2].file.name]  # the photo small
    pdf = render_pdf(REPORT_TEMPLATE, context)
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "(นายสมชาย ใจดี)" in text and "ผู้แทนโรงงาน รับทราบผลการตรวจ" in text and "ผู้จัดการโรงงาน" in text
    assert "มาตรวัดหม้อน้ำ" in text and "พิกัด 7.0086," in text and "100.4747 (±9 ม.)" in text
    (tmp_path / "report.pdf").write_bytes(pdf)
    listed = subprocess.run(["pdfimages", "-list", tmp_path / "report.pdf"], capture_output=True, check=True)
    images = listed.stdout.decode()
    assert len(images.strip().splitlines()) - 2 >= 3  # the photo's thumbnail and both signatures are drawn
    assert timezone.localtime(TAKEN).strftime("%H:%M") == "10:15" and "10:15" in text
    assert (
        timedelta(0)
        <= timezone.now() - assigned.evidence.filter(kind="signature").last().taken_at
        < timedelta(minutes=5)
    )


@pytest.mark.parametrize("sent", ["80.0", 80.0])
def test_a_number_sent_through_the_api_keeps_the_form_typed(client, assigned, checklist, songkhla, sent):
    """The offline inspections send their answers through the v1 API (…/draft/): "80.0" comes back as 80.0,
    not as the serializer's 80.000."""
    from tests.workflows.inspection.test_flow_paths import open_task

    s2 = items(checklist)["S2"]
    task = open_task(assigned, "inspect")
    client.force_login(songkhla.inspector)
    body = {"answers": [{"item": s2.pk, "number": sent}]}
    response = client.post(f"/api/v1/tasks/{task.pk}/draft/", body, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    assert assigned.answers.get(item=s2).number_shown == "80.0"


def test_the_api_takes_a_stamped_photo_and_a_signature_as_the_offline_page_sends_them(
    client, assigned, checklist, songkhla
):
    """POST /api/v1/tasks/{id}/evidence/ (the offline inspections' queue): a photo with its stamp, a signature
    with its signer; a signature without a name is a 400 and stores nothing."""
    from tests.workflows.inspection.test_flow_paths import open_task

    s1 = items(checklist)["S1"]
    url = f"/api/v1/tasks/{open_task(assigned, 'inspect').pk}/evidence/"
    client.force_login(songkhla.inspector)
    sent = {"file": photo(), "item": s1.pk, "taken_at": "2026-11-20T10:15:00+07:00", "latitude": "7.00861234",
            "longitude": "100.4747", "accuracy": "8.6"}  # fmt: skip
    assert client.post(url, sent).status_code == 201
    unsigned = {"file": ContentFile(signature_png(), "s.png"), "signer_role": "representative"}
    assert client.post(url, unsigned).status_code == 400
    signed = {**unsigned, "file": ContentFile(signature_png(), "s.png"), "signer_name": "นายสมชาย ใจดี"}
    assert client.post(url, signed).status_code == 201
    stamped, signature = assigned.evidence.order_by("pk")
    assert (stamped.taken_at, stamped.latitude, stamped.accuracy_m) == (TAKEN, Decimal("7.008612"), 9)
    assert (signature.kind, signature.signer_role, signature.signer_name) == (
        "signature",
        "representative",
        "นายสมชาย ใจดี",
    )
