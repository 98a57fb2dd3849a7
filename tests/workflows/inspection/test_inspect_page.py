"""The inspect task page as the inspector uses it on a phone (issue 16, item 1): one card per item,
answer buttons, numbers as typed (never in exponent notation), several captioned photos per item, and a
refused submit that marks every item still missing something."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from workflows.inspection import services
from workflows.inspection.models import ChecklistItem

from .test_flow_paths import do, open_task

pytestmark = pytest.mark.django_db


def png_file(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 140, 70)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def case(client, songkhla, checklist, factory, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    inspection = services.inspection_start(factory=factory, by=songkhla.head)
    do(client, songkhla.head, inspection, "assign", {"inspector": songkhla.inspector.pk})
    task = open_task(inspection, "inspect")
    client.force_login(songkhla.inspector)
    inspection.url = reverse("inspection:flow:inspect:execute", args=[task.process_id, task.pk])
    return inspection


def items(checklist) -> dict[str, ChecklistItem]:
    return {item.code: item for item in ChecklistItem.objects.filter(section__version=checklist)}


def card(html: str, code: str) -> str:
    start = html.index(f'data-testid="item-{code}"')
    return html[html.rindex("<section", 0, start) : html.index("</section>", start)]


def test_each_item_is_a_card_with_answer_buttons(client, case, checklist):
    html = client.get(case.url).content.decode()
    s1 = card(html, "S1")
    assert len(re.findall(r'<input type="radio" name="item_\d+"', s1)) == 3  # yes, no, n.a. as buttons
    assert 'capture="environment"' in s1 and 'accept="image/*"' in s1 and "multiple" in s1
    assert 'data-testid="checklist-progress"' in html and "0 / 2" in html
    assert 'src="/static/kamkap/js/checklist.js"' in html and "<script>" not in html  # CSP: no inline script


def test_a_saved_number_comes_back_as_typed_not_in_exponent_notation(client, case, checklist):
    s1, s2 = items(checklist)["S1"], items(checklist)["S2"]
    response = client.post(case.url, {f"item_{s1.pk}": "yes", f"item_{s2.pk}": "80", "save_draft": "1"})
    assert response.status_code == 302
    s2_card = card(client.get(case.url).content.decode(), "S2")
    assert 'value="80"' in s2_card and "E+" not in s2_card


def test_several_photos_of_one_item_are_kept_with_their_caption(client, case, checklist):
    s1 = items(checklist)["S1"]
    data = {
        f"item_{s1.pk}": "no",
        f"photo_{s1.pk}": [png_file("exit-1.png"), png_file("exit-2.png")],
        f"caption_{s1.pk}": "ประตูหนีไฟด้านหลังถูกปิดกั้น",
        "save_draft": "1",
    }
    assert client.post(case.url, data).status_code == 302
    photos = case.evidence.filter(item=s1).order_by("pk")
    assert [p.original_name for p in photos] == ["exit-1.png", "exit-2.png"]
    assert {p.caption for p in photos} == {"ประตูหนีไฟด้านหลังถูกปิดกั้น"}
    s1_card = card(client.get(case.url).content.decode(), "S1")
    assert s1_card.count('class="kk-thumb"') == 2 and "ประตูหนีไฟด้านหลังถูกปิดกั้น" in s1_card
    assert "kk-cl-failing" in s1_card  # "no" fails the item


def test_a_refused_submit_marks_the_unanswered_items(client, case, checklist):
    s1 = items(checklist)["S1"]
    response = client.post(case.url, {f"item_{s1.pk}": "yes", "_submit": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="form-errors"' in html and 'href="#item-S2"' in html
    assert "kk-cl-gap" in card(html, "S2") and 'data-testid="gap-S2"' in card(html, "S2")
    assert "kk-cl-gap" not in card(html, "S1")
    case.refresh_from_db()
    assert case.submitted_at is None and not case.answers.exists()  # refused before anything is written
    assert re.search(rf'name="item_{s1.pk}" value="yes"[^>]*checked', card(html, "S1"))  # what was typed is shown
