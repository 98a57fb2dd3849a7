"""Bad values in a query or a path: a number too large for an id, a word where true/false or a page
number belongs, a path no endpoint serves. Each is a JSON 400 naming the parameter (or a JSON 404),
never a 500 nor Django's HTML page, and nothing is filtered away silently or changed."""

import pytest
from django.conf import settings

from registry.models import SelfReport
from tests.factories import FactoryFactory
from workflows.complaint.models import Complaint

pytestmark = pytest.mark.django_db

HUGE = ["1e19", "9223372036854775808", "99999999999999999999", "-1", "0", "1.5", "abc"]
ID_FILTERS = [
    ("/api/factories/", "province"),
    ("/api/factories/", "office"),
    ("/api/cases/", "office"),
    ("/api/cases/", "factory"),
    ("/api/selfreports/", "factory"),
]


def assert_json(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return response.json()


@pytest.mark.parametrize("url, param", ID_FILTERS)
@pytest.mark.parametrize("value", HUGE)
def test_an_id_filter_out_of_range_is_a_400_naming_it(client, songkhla, url, param, value):
    client.force_login(songkhla.officer)
    body = assert_json(client.get(url, {param: value}), 400)
    assert list(body["fields"]) == [param] and body["fields"][param][0]


def test_the_largest_id_is_accepted_and_finds_nothing(client, songkhla):
    FactoryFactory()
    client.force_login(songkhla.officer)
    assert assert_json(client.get("/api/factories/", {"office": "9223372036854775807"}), 200)["count"] == 0


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_is_open_must_be_true_or_false(client, songkhla, value):
    client.force_login(songkhla.officer)
    body = assert_json(client.get("/api/cases/", {"is_open": value}), 400)
    assert list(body["fields"]) == ["is_open"]


def test_is_open_says_what_it_takes_in_thai_or_english(client, songkhla):
    client.force_login(songkhla.officer)
    assert client.get("/api/cases/", {"is_open": "maybe"}).json()["fields"] == {"is_open": ["กรุณาระบุ true หรือ false"]}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get("/api/cases/", {"is_open": "maybe"}).json()["fields"] == {"is_open": ["Enter true or false."]}


@pytest.mark.parametrize("value", ["", "0", "-1", "abc", "1.5", "๑"])
@pytest.mark.parametrize("param", ["page", "page_size"])
def test_a_bad_page_or_page_size_is_a_400(client, songkhla, param, value):
    client.force_login(songkhla.officer)
    body = assert_json(client.get("/api/factories/", {param: value}), 400)
    assert list(body["fields"]) == [param]


def test_page_size_has_a_maximum_and_is_honoured_below_it(client, songkhla):
    FactoryFactory.create_batch(3)
    client.force_login(songkhla.officer)
    assert list(assert_json(client.get("/api/factories/", {"page_size": 201}), 400)["fields"]) == ["page_size"]
    body = assert_json(client.get("/api/factories/", {"page_size": 2, "page": 2}), 200)
    assert body["count"] == 3 and len(body["results"]) == 1 and body["previous"]


def test_a_page_past_the_last_is_a_json_404(client, songkhla):
    client.force_login(songkhla.officer)
    assert assert_json(client.get("/api/factories/", {"page": 2}), 404)["code"] == "not_found"


@pytest.mark.parametrize(
    "path",
    ["/api/nothing-here/", "/api/cases/0.5/", "/api/cases/99999999999999999999/", "/api/factories/1/extra/",
     "/api/v0/factories/", "/api/factories"],
)  # fmt: skip
def test_unknown_paths_under_api_are_a_json_404(client, songkhla, path):
    client.force_login(songkhla.officer)
    body = assert_json(client.get(path), 404)
    assert set(body) == {"code", "message", "fields"} and body["code"] == "not_found" and body["fields"] == {}


def test_unknown_path_is_a_json_404_for_anyone_and_any_method(client):
    assert assert_json(client.post("/api/nothing-here/", {}), 404)["code"] == "not_found"
    assert assert_json(client.delete("/api/cases/0.5/"), 404)["code"] == "not_found"


def test_a_huge_factory_id_in_a_filing_is_a_400_and_saves_nothing(client, songkhla):
    client.force_login(songkhla.officer)
    for factory in (2**63, 10**30, -5):
        data = {"factory": factory, "kind": "rw", "period": "2567-H2", "values": {}}
        body = assert_json(client.post("/api/selfreports/", data, content_type="application/json"), 400)
        assert "factory" in body["fields"]
    assert not SelfReport.objects.exists()


def test_huge_place_codes_in_a_complaint_are_a_400_and_store_nothing(client, songkhla):
    from tests.workflows.complaint.test_complaints import form_data

    for field in ("province", "district"):
        data = form_data(**{field: 10**19})
        body = assert_json(client.post("/api/complaints/", data, content_type="application/json"), 400)
        assert field in body["fields"]
    assert not Complaint.objects.exists()


@pytest.mark.parametrize(
    "url, params",
    [("/api/cases/", {"is_opne": "true"}), ("/api/factories/", {"office[x]": "1"}), ("/api/tasks/", {"owner": "1"}),
     ("/api/factories/1/", {"expand": "office"}), ("/api/complaints/status/RC-2569-ZZZZZZ/", {"lang": "en"})],
)  # fmt: skip
def test_an_unknown_query_parameter_is_a_400_naming_it_not_ignored(client, songkhla, url, params):
    client.force_login(songkhla.officer)
    body = assert_json(client.get(url, params), 400)
    assert body["fields"] == {name: ["ไม่รู้จักพารามิเตอร์นี้"] for name in params}


def test_unknown_parameters_are_judged_after_authentication(client):
    assert client.get("/api/cases/", {"is_opne": "true"}).status_code == 401


@pytest.mark.parametrize(
    "url, param",
    [*ID_FILTERS, ("/api/cases/", "is_open"), ("/api/cases/", "outcome"), ("/api/factories/", "status")],
)
def test_a_filter_given_without_a_value_is_a_400_naming_it(client, songkhla, url, param):
    client.force_login(songkhla.officer)
    body = assert_json(client.get(url, {param: ""}), 400)
    assert list(body["fields"]) == [param]


def test_an_empty_text_search_is_no_filter(client, songkhla):
    FactoryFactory()
    client.force_login(songkhla.officer)
    assert assert_json(client.get("/api/factories/", {"q": ""}), 200)["count"] == 1
