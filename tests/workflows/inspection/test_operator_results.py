"""A factory operator reads their factories' inspection results and orders: the signed-off report
and the issued order letters, nothing of a case still in work, nothing of another factory."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory
from tests.workflows.inspection.test_flow_paths import do, s37_drafted, start_and_inspect
from workflows.inspection import services

pytestmark = pytest.mark.django_db


def order_issued(client, songkhla, factory):
    inspection = s37_drafted(client, songkhla, factory)
    do(client, songkhla.officer, inspection, "approve_order", {"approve": "1"})
    return inspection, services.current_order(inspection)


def test_the_operator_reads_the_signed_report_and_the_issued_order_of_their_factory(
    client, songkhla, checklist, factory, rules
):
    operator = OperatorFactory(factory=factory).person
    inspection, order = order_issued(client, songkhla, factory)
    client.force_login(operator)
    page = client.get(reverse("registry:results:index"))
    assert page.status_code == 200
    assert inspection.ref_no in page.content.decode() and order.requirement in page.content.decode()
    report = client.get(reverse("registry:results:report_pdf", args=[inspection.pk]))
    letter = client.get(reverse("registry:results:order_pdf", args=[inspection.pk, order.pk]))
    assert report.status_code == letter.status_code == 200
    assert report["Content-Type"] == letter["Content-Type"] == "application/pdf"


def test_nothing_of_a_case_in_work_nor_of_another_factory(client, songkhla, checklist, factory, rules):
    operator = OperatorFactory(factory=factory).person
    in_review = start_and_inspect(client, songkhla, factory, exit_ok=True)  # not signed off yet
    other, other_order = order_issued(client, songkhla, FactoryFactory())
    client.force_login(operator)
    page = client.get(reverse("registry:results:index")).content.decode()
    assert in_review.ref_no not in page and other.ref_no not in page
    for url in (
        reverse("registry:results:report_pdf", args=[in_review.pk]),
        reverse("registry:results:report_pdf", args=[other.pk]),
        reverse("registry:results:order_pdf", args=[other.pk, other_order.pk]),
        reverse("inspection:case", args=[other.pk]),
        reverse("inspection:case", args=[in_review.pk]),  # the case page is the office's, not theirs
    ):
        assert client.get(url).status_code in (403, 404), url


def test_an_order_awaiting_approval_has_no_letter_for_the_operator(client, songkhla, checklist, factory, rules):
    operator = OperatorFactory(factory=factory).person
    inspection = s37_drafted(client, songkhla, factory)
    order = services.current_order(inspection)
    client.force_login(operator)
    assert client.get(reverse("registry:results:report_pdf", args=[inspection.pk])).status_code == 200  # signed off
    assert client.get(reverse("registry:results:order_pdf", args=[inspection.pk, order.pk])).status_code == 404
    assert order.requirement not in client.get(reverse("registry:results:index")).content.decode()


def test_office_staff_do_not_get_the_operator_page(client, songkhla):
    client.force_login(songkhla.inspector)
    assert client.get(reverse("registry:results:index")).status_code == 403


def test_the_page_reads_the_same_statements_for_one_case_or_three(client, songkhla, checklist, rules):
    factories = [FactoryFactory() for _ in range(3)]
    operator = OperatorFactory(factory=factories[0]).person
    for extra in factories[1:]:
        OperatorFactory(factory=extra, person=operator)
    counts = []
    for made in factories:
        order_issued(client, songkhla, made)
        client.force_login(operator)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("registry:results:index")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[2], counts


def test_the_api_gives_the_operator_the_same_results_with_document_links(client, songkhla, checklist, factory, rules):
    operator = OperatorFactory(factory=factory).person
    inspection, order = order_issued(client, songkhla, factory)
    start_and_inspect(client, songkhla, FactoryFactory(), exit_ok=True)  # another factory's case, in work
    client.force_login(operator)
    body = client.get("/api/results/").json()
    assert [r["ref_no"] for r in body["results"]] == [inspection.ref_no]
    result = body["results"][0]
    assert [o["id"] for o in result["orders"]] == [order.pk]
    for url in (result["report_url"], result["orders"][0]["letter_url"]):
        assert client.get(url).status_code == 200, url
    client.force_login(songkhla.officer)  # officers read cases at /api/cases/
    assert client.get("/api/results/").status_code == 403
