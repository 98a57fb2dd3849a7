"""A request body over REQUEST_MAX_BYTES is refused with a 413 before anything reads it (Django streams
uploaded files to disk whatever their size): the API in its one error shape, a page in Thai, and
nothing is stored. Just under the cap goes through."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.api.test_complaints import URL, stored
from tests.workflows.complaint.test_complaints import JPEG, form_data
from tests.workflows.inspection.conftest import songkhla  # noqa: F401

pytestmark = pytest.mark.django_db

CAP = 64 * 1024


def padded_photo(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("a.jpg", JPEG + b"\0" * (size - len(JPEG)), content_type="image/jpeg")


@pytest.fixture
def capped(settings):
    settings.REQUEST_MAX_BYTES = CAP
    return settings


def test_an_api_request_over_the_cap_is_a_413_in_the_error_shape_and_stores_nothing(client, songkhla, capped):  # noqa: F811
    before = stored()
    data = {**form_data(), "photos": [padded_photo(CAP + 1)]}
    response = client.post(URL, data, REMOTE_ADDR="198.51.100.20", HTTP_ACCEPT_LANGUAGE="th")
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "MB" in response.json()["message"]
    assert stored() == before

    data = {**form_data(), "photos": [padded_photo(CAP // 2)]}  # under the cap: through to the form's rules
    assert client.post(URL, data, REMOTE_ADDR="198.51.100.20").status_code == 201


def test_a_page_post_over_the_cap_is_a_thai_413_page_and_stores_nothing(client, songkhla, capped):  # noqa: F811
    before = stored()
    data = {**form_data(), "photos": [padded_photo(CAP * 2)]}
    response = client.post(reverse("complaint_public:new"), data, REMOTE_ADDR="192.0.2.45")
    assert response.status_code == 413
    body = response.content.decode()
    assert 'data-testid="too-large"' in body and "ส่งข้อมูลมากเกินไป" in body
    assert stored() == before
