"""Log-in throttling (django-axes): repeated wrong passwords lock the user name from that address,
the login page says so in Thai, and an administrator unlocks it in axes' admin."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.urls import reverse

from tests.factories import PASSWORD, PersonFactory

LOGIN = reverse("login")
LOCKED_TH = "ใส่รหัสผ่านผิดเกินจำนวนครั้ง"


def log_in(client, username, password, address="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def fail_five_times(client, username, address="10.1.2.3"):
    for _ in range(5):
        response = log_in(client, username, "wrong-password", address)
    return response


@pytest.mark.django_db
def test_five_wrong_passwords_lock_even_the_right_one_with_a_thai_message(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    person = PersonFactory()
    for _ in range(4):
        response = log_in(client, person.username, "wrong-password")
        assert response.status_code == 200 and LOCKED_TH not in response.content.decode()

    response = log_in(client, person.username, "wrong-password")  # the fifth
    assert response.status_code == 429

    response = log_in(client, person.username, PASSWORD)
    page = response.content.decode()
    assert response.status_code == 429
    assert LOCKED_TH in page and "30 นาที" in page
    assert 'data-testid="login-form"' in page  # the login page itself, not a bare error
    assert not logged_in(client)


@pytest.mark.django_db
def test_the_lock_holds_that_user_from_that_address_only(client):
    person, other = PersonFactory(), PersonFactory()
    fail_five_times(client, person.username)

    assert log_in(client, other.username, PASSWORD).status_code == 302  # another user, same address
    client.logout()
    assert log_in(client, person.username, PASSWORD, address="10.9.9.9").status_code == 302  # elsewhere


@pytest.mark.django_db
def test_a_success_before_the_limit_clears_the_count(client):
    person = PersonFactory()
    for _ in range(4):
        log_in(client, person.username, "wrong-password")
    assert log_in(client, person.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, person.username, "wrong-password")
    assert log_in(client, person.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_after_axes_reset_the_right_password_logs_in(client):
    person = PersonFactory()
    fail_five_times(client, person.username)
    assert log_in(client, person.username, PASSWORD).status_code == 429

    reset(username=person.username)

    assert log_in(client, person.username, PASSWORD).status_code == 302
    assert logged_in(client)


@pytest.mark.django_db
def test_an_administrator_unlocks_in_the_admin(client):
    person = PersonFactory()
    fail_five_times(client, person.username)
    attempt = AccessAttempt.objects.get(username=person.username)

    admin = PersonFactory(is_staff=True, is_superuser=True)
    admin_client = type(client)()
    admin_client.force_login(admin)
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200 and person.username in listing.content.decode()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=person.username).exists()

    assert log_in(client, person.username, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too(client):
    admin = PersonFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(5):
        client.post(url, {"username": admin.username, "password": "wrong-password"}, REMOTE_ADDR="10.1.2.3")
    response = client.post(url, {"username": admin.username, "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 429 and LOCKED_TH in response.content.decode()
    assert not logged_in(client)


@pytest.mark.django_db
def test_without_a_cool_off_the_lock_waits_for_an_administrator(client, settings):
    settings.AXES_COOLOFF_TIME = None
    person = PersonFactory()
    fail_five_times(client, person.username)
    page = log_in(client, person.username, PASSWORD).content.decode()
    assert LOCKED_TH in page and "ติดต่อผู้ดูแลระบบ" in page and "ลองใหม่ภายหลัง" not in page


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off(client, settings, time_machine):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    time_machine.move_to("2026-11-16 10:00 +07:00")
    person = PersonFactory()
    fail_five_times(client, person.username)
    time_machine.shift(timedelta(minutes=29))
    assert log_in(client, person.username, PASSWORD).status_code == 429
    time_machine.shift(timedelta(minutes=31))  # that refused attempt started the 30 minutes again
    assert log_in(client, person.username, PASSWORD).status_code == 302
