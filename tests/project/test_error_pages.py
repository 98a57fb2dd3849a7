"""Error pages are ours and Thai: Viewflow's fell back to "Django Material" as their title (an error
page has no site in its context) and showed their icon as an English word."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_forbidden_and_a_missing_page_read_in_thai_under_our_name(client, songkhla_head):
    client.force_login(songkhla_head)
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    page = missing.content.decode()
    assert "Django Material" not in page and ">lock<" not in page
    assert "กำกับ" in page and "ไม่พบ" in page


def test_the_forbidden_page_reads_in_thai_under_our_name(client, nobody):
    client.force_login(nobody)  # works in no office: the inspection app is closed to them
    response = client.get("/inspection/inbox/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "Django Material" not in page and ">lock<" not in page
    assert "กำกับ" in page and "403" in page and "ไม่มีสิทธิ" in page
