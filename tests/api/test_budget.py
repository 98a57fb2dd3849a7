"""Budget projects through the API, read only: the offices' own projects with their plan against
their results, another province's a 404, anonymous a 401; a page costs the same statements for 1 or 3
projects."""

import pytest

from tests.api.conftest import queries_of
from tests.workflows.budget.conftest import approved, fy, register  # noqa: F401

pytestmark = pytest.mark.django_db
URL = "/api/v1/budget/projects/"


def test_the_office_reads_its_project_with_progress_and_months(client, songkhla, approved):  # noqa: F811
    client.force_login(songkhla.officer)
    body = client.get(URL).json()
    assert [row["id"] for row in body["results"]] == [approved.pk]
    row = body["results"][0]
    assert row["progress"]["allocation"] == "1200000.00" and row["progress"]["disbursed"] == "0.00"
    assert row["office"]["id"] == songkhla.unit.pk and "months" not in row
    detail = client.get(f"{URL}{approved.pk}/")
    assert detail.status_code == 200 and len(detail.json()["months"]) == 12
    assert detail.json()["months"][0]["planned"] == "100000.00"
    assert client.get(URL, {"fiscal_year": approved.fiscal_year - 1}).json()["count"] == 0
    assert client.get(URL, {"fiscal_year": "last"}).status_code == 400


def test_anonymous_is_401_on_the_list_and_the_detail(client, approved):  # noqa: F811
    client.logout()  # the fixture approved the project on its page
    for url in (URL, f"{URL}{approved.pk}/"):
        response = client.get(url)
        assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_another_province_sees_none_of_it(client, lopburi_officer, approved):  # noqa: F811
    client.force_login(lopburi_officer)
    assert client.get(URL).json()["count"] == 0
    assert client.get(f"{URL}{approved.pk}/").status_code == 404


def test_a_page_costs_the_same_for_one_or_three_projects(client, songkhla, fy):  # noqa: F811
    register(songkhla, fy_be=fy)
    client.force_login(songkhla.officer)
    one, _body = queries_of(client, URL)
    register(songkhla, fy_be=fy)
    register(songkhla, fy_be=fy - 1)
    three, body = queries_of(client, URL)
    assert body["count"] == 3 and one == three, (one, three)
