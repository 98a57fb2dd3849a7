import pytest
from django.urls import reverse

from tests.factories import FactoryFactory
from tests.workflows.inspection.conftest import checklist, rules, songkhla  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_home_shows_inbox_count_roles_and_scope(client, songkhla_inspector):
    FactoryFactory.create_batch(2)
    FactoryFactory(province_code=16)
    client.force_login(songkhla_inspector)
    page = client.get(reverse("index")).content.decode()
    assert 'data-testid="inbox-count">0<' in page
    assert "สำนักงานอุตสาหกรรมจังหวัดสงขลา" in page
    assert "ลพบุรี" not in page


def test_home_for_acting_person_shows_the_acting_title(client, acting_songkhla_officer):
    client.force_login(acting_songkhla_officer)
    page = client.get(reverse("index")).content.decode()
    assert "อุตสาหกรรมจังหวัดสงขลา" in page


def test_pages_are_thai_by_default_and_switch_to_english(client, songkhla_inspector):
    client.force_login(songkhla_inspector)
    assert '<html lang="th"' in client.get(reverse("index")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert '<html lang="en"' in client.get(reverse("index")).content.decode()


def test_login_page_has_no_outside_assets(client):
    page = client.get("/accounts/login/").content.decode()
    assert "http://" not in page.replace("http://testserver", "") and "https://" not in page


def test_an_english_browser_still_gets_thai_until_the_person_switches(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="th"' in page


def test_home_counts_my_tasks_per_flow_with_a_link_to_each_list(client, songkhla, checklist, rules):  # noqa: F811
    from workflows.inspection import services

    for factory in FactoryFactory.create_batch(2):
        services.inspection_start(factory=factory, by=songkhla.head)  # each opens an "assign" task for the head
    client.force_login(songkhla.head)
    page = client.get(reverse("index")).content.decode()
    assert 'data-testid="inbox-count">2<' in page
    assert f'<a href="{reverse("inspection:inbox")}">' in page and "<strong>2</strong>" in page


def test_an_operator_lands_on_their_factories_and_the_way_to_file(client):
    from tests.registry.selfreports.factories import OperatorFactory

    link = OperatorFactory(factory=FactoryFactory(name="บริษัท ทดสอบยางพารา จำกัด"))
    client.force_login(link.person)
    page = client.get(reverse("index")).content.decode()
    assert "บริษัท ทดสอบยางพารา จำกัด" in page and reverse("registry:selfreports:index") in page
    assert 'data-testid="scope-card"' not in page  # no office scope to show
