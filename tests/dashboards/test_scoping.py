"""Who may open the dashboard and which offices' numbers they get (persona matrix): the deputy PS and
the executive viewer see every office of their scope, the assistant PS only their cluster, the
provincial industry officer only Songkhla; an inspector, a person with no position and a stranger to
the office are refused, and nothing outside a scope ever appears."""

import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def urls(world) -> dict[str, str]:
    return {
        "index": reverse("dashboards:index"),
        "xlsx": reverse("dashboards:xlsx"),
        "south": reverse("dashboards:cluster", args=[world.songkhla.parent_id]),
        "south_xlsx": reverse("dashboards:cluster_xlsx", args=[world.songkhla.parent_id]),
        "central": reverse("dashboards:cluster", args=[world.lopburi.parent_id]),
        "songkhla": reverse("dashboards:office", args=[world.songkhla.pk]),
        "songkhla_xlsx": reverse("dashboards:office_xlsx", args=[world.songkhla.pk]),
        "songkhla_pdf": reverse("dashboards:briefing", args=[world.songkhla.pk]),
        "lopburi": reverse("dashboards:office", args=[world.lopburi.pk]),
        "lopburi_xlsx": reverse("dashboards:office_xlsx", args=[world.lopburi.pk]),
        "lopburi_pdf": reverse("dashboards:briefing", args=[world.lopburi.pk]),
        "neighbour": reverse("dashboards:office", args=[world.neighbour.pk]),
    }


def statuses(client, user, world, names) -> dict[str, int]:
    if user is not None:
        client.force_login(user)
    every = urls(world)
    return {name: client.get(every[name]).status_code for name in names}


PAGES = ["index", "xlsx", "south", "south_xlsx", "central", "songkhla", "songkhla_xlsx", "lopburi", "lopburi_xlsx",
         "neighbour"]  # fmt: skip


def test_deputy_ps_sees_both_clusters_and_every_office_in_them(client, world):
    assert statuses(client, world.people.deputy, world, PAGES) == dict.fromkeys(PAGES, 200)
    page = client.get(reverse("dashboards:index")).content.decode()
    assert world.songkhla.parent.name_th in page and world.lopburi.parent.name_th in page
    assert page.count('data-testid="dashboard-row"') == 2


def test_executive_viewer_sees_the_whole_ministry(client, world):
    from org.models import Unit, UnitKind

    assert statuses(client, world.people.executive, world, ["index", "songkhla", "lopburi"]) == dict.fromkeys(
        ["index", "songkhla", "lopburi"], 200
    )
    response = client.get(reverse("dashboards:index"))
    assert len(response.context["board"].rows) == Unit.objects.filter(kind=UnitKind.CLUSTER).count()
    assert response.context["board"].total.planned == 6


def test_assistant_ps_sees_their_cluster_only(client, world):
    got = statuses(client, world.people.aps, world, PAGES + ["lopburi_pdf"])
    assert got == {"index": 200, "xlsx": 200, "south": 200, "south_xlsx": 200, "central": 404, "songkhla": 200,
                   "songkhla_xlsx": 200, "lopburi": 404, "lopburi_xlsx": 404, "neighbour": 200,
                   "lopburi_pdf": 404}  # fmt: skip
    response = client.get(reverse("dashboards:index"))
    page = response.content.decode()
    assert [row.unit.pk for row in response.context["board"].rows] == [world.songkhla.parent_id]
    assert world.lopburi.parent.name_th not in page and "ลพบุรี" not in page
    assert response.context["board"].total.planned == 4  # Lopburi's 2 planned inspections are not counted
    assert response.context["board"].total.overdue == 2


def test_provincial_officer_lands_on_their_office_and_nothing_else(client, world):
    got = statuses(client, world.people.pio, world, PAGES + ["songkhla_pdf"])
    assert got == {"index": 302, "xlsx": 200, "south": 200, "south_xlsx": 200, "central": 404, "songkhla": 200,
                   "songkhla_xlsx": 200, "lopburi": 404, "lopburi_xlsx": 404, "neighbour": 404,
                   "songkhla_pdf": 200}  # fmt: skip
    assert client.get(reverse("dashboards:index"))["Location"].startswith(urls(world)["songkhla"])
    cluster = client.get(urls(world)["south"])
    assert [row.unit.pk for row in cluster.context["board"].rows] == [world.songkhla.pk]  # not the neighbour
    assert world.neighbour.province.name_th not in cluster.content.decode()


def test_lopburi_officer_never_sees_songkhla(client, world):
    got = statuses(client, world.people.lopburi_pio, world, ["songkhla", "songkhla_xlsx", "songkhla_pdf", "south"])
    assert got == dict.fromkeys(["songkhla", "songkhla_xlsx", "songkhla_pdf", "south"], 404)


@pytest.mark.parametrize("who", ["inspector", "nobody"])
def test_inspector_and_person_without_position_are_refused(client, world, who):
    user = world.people.inspector if who == "inspector" else PersonFactory()
    assert statuses(client, user, world, PAGES + ["songkhla_pdf"]) == dict.fromkeys(PAGES + ["songkhla_pdf"], 403)


def test_anonymous_is_sent_to_login(client, world):
    for name, url in urls(world).items():
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), name


def test_home_links_to_the_dashboard_only_for_those_who_may_open_it(client, world):
    client.force_login(world.people.deputy)
    assert 'data-testid="dashboard-link"' in client.get(reverse("index")).content.decode()
    client.force_login(world.people.inspector)
    assert 'data-testid="dashboard-link"' not in client.get(reverse("index")).content.decode()


def test_a_year_not_offered_is_not_found(client, world):
    client.force_login(world.people.deputy)
    assert client.get(reverse("dashboards:index"), {"fy": "abc"}).status_code == 404
    assert client.get(reverse("dashboards:index"), {"fy": "1999"}).status_code == 404


def test_nothing_changes_when_the_dashboard_is_read(client, world):
    from workflows.inspection.models import CorrectiveOrder, Inspection

    before = (Inspection.objects.count(), CorrectiveOrder.objects.count())
    statuses(client, world.people.deputy, world, PAGES)
    assert (Inspection.objects.count(), CorrectiveOrder.objects.count()) == before
