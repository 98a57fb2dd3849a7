"""Cross-office access matrix of the screens added with budget follow-up, planning, self-reports and the
complaint office pages, including Viewflow's own task URLs (detail, assign, unassign, undo, cancel,
execute) and the process chart. For each: anonymous, a person with no role, the same role in another
province (Lopburi), an operator of another factory where relevant — the status code *and* that nothing
changed — and the right person gets through."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from registry.selfreports.kinds import ensure_standard_kinds
from registry.selfreports.models import ReportImport, ReportKind
from registry.selfreports.services import report_import_start, selfreport_file
from tests.factories import FactoryFactory
from tests.permissions.test_selfreport_access_matrix import H1, RW
from tests.registry.selfreports.factories import OperatorFactory
from tests.workflows.budget.conftest import approve_project, fy, lopburi, register, task_of  # noqa: F401
from tests.workflows.complaint.test_complaints import jpeg, submit
from tests.workflows.planning.conftest import checklist, kinds, risky, songkhla  # noqa: F401
from workflows.budget import reviews
from workflows.budget.models import Directive, Project, ProjectStatus
from workflows.complaint.models import Complaint
from workflows.models import AuditEntry
from workflows.planning import selectors as plan_selectors
from workflows.planning import services as planning
from workflows.planning.models import InspectionPlan, OfficeCapacity, PlanItem

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def refused(response) -> bool:
    return response.status_code in (403, 404)


def to_login(response) -> bool:
    return response.status_code == 302 and LOGIN in response["Location"]


def tasks_state() -> list:
    return list(Task.objects.order_by("pk").values_list("pk", "status", "owner_id"))


# --- budget: Viewflow's task URLs of the project approval --------------------------------------------


@pytest.fixture
def pending(songkhla, fy):  # noqa: F811
    """A Songkhla project waiting for the provincial industry officer's approval."""
    project = register(songkhla, fy_be=fy)
    return project, task_of("approve", projectprocess__project=project)


def flow_urls(task, flow_ns: str) -> dict:
    """Viewflow's URLs of one task, e.g. flow_ns="budget:project_flow"."""
    args, node = [task.process_id, task.pk], task.flow_task.name
    names = ("detail", "assign", "unassign", "undo", "cancel", "execute")
    urls = {name: reverse(f"{flow_ns}:{node}:{name}", args=args) for name in names}
    urls["process"] = reverse(f"{flow_ns}:process_detail", args=[task.process_id])
    return urls


def budget_state(project) -> tuple:
    project.refresh_from_db()
    return project.status, project.approvals.count(), tasks_state(), AuditEntry.objects.count()


def test_budget_task_urls_refuse_strangers_and_change_nothing(client, songkhla, lopburi, nobody, pending):  # noqa: F811
    project, task = pending
    urls = flow_urls(task, "budget:project_flow")
    chart = reverse("budget:project_flow:process_chart", args=[task.process_id])
    before = budget_state(project)
    for url in urls.values():
        assert to_login(client.get(url)), url
        assert to_login(client.post(url, {"decision": "approve"})), url
    assert to_login(client.get(chart))
    for stranger in (nobody, lopburi.head, lopburi.inspector, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.get(urls["detail"])), stranger
        assert refused(client.get(urls["process"])), stranger
        assert refused(client.get(chart)), stranger
        for name in ("assign", "unassign", "undo", "cancel", "execute"):
            assert refused(client.post(urls[name], {"decision": "approve"})), (name, stranger)
    assert budget_state(project) == before
    assert project.status == ProjectStatus.APPROVING


def test_budget_task_urls_let_the_office_and_its_approver_through(client, songkhla, pending):  # noqa: F811
    project, task = pending
    urls = flow_urls(task, "budget:project_flow")
    chart = reverse("budget:project_flow:process_chart", args=[task.process_id])
    for insider in (songkhla.inspector, songkhla.aps):
        client.force_login(insider)
        assert client.get(urls["detail"]).status_code == 200, insider
        assert client.get(urls["process"])["Location"] == reverse("budget:list"), insider
        assert client.get(chart).status_code == 200, insider
        assert refused(client.post(urls["execute"], {"decision": "approve"})), insider  # not theirs
    client.force_login(songkhla.officer)
    assert client.get(urls["execute"]).status_code == 200
    assert client.post(urls["execute"], {"decision": "approve"}).status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectStatus.APPROVED


def test_an_unassigned_budget_task_is_not_taken_by_another_province(client, songkhla, lopburi, pending):  # noqa: F811
    project, task = pending
    urls = flow_urls(task, "budget:project_flow")
    client.force_login(songkhla.officer)
    assert client.post(urls["unassign"]).status_code == 302
    task.refresh_from_db()
    assert task.owner_id is None
    before = budget_state(project)
    # Only the approver the step names may take it back (project_decide accepts no one else).
    for stranger in (lopburi.head, lopburi.aps, songkhla.inspector, songkhla.aps):
        client.force_login(stranger)
        assert refused(client.post(urls["assign"])), stranger
    assert budget_state(project) == before
    client.force_login(songkhla.officer)
    assert client.post(urls["assign"]).status_code == 302
    task.refresh_from_db()
    assert task.owner_id == songkhla.officer.pk


def test_budget_task_redirect_finds_only_my_own_tasks(client, songkhla, lopburi, pending):  # noqa: F811
    _, task = pending
    url = reverse("budget:task", args=[task.pk])
    for stranger in (lopburi.head, songkhla.inspector):
        client.force_login(stranger)
        assert client.get(url).status_code == 404, stranger
    client.force_login(songkhla.officer)
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == flow_urls(task, "budget:project_flow")["execute"]


# --- budget: carry-over, cluster view, follow-up reviews -----------------------------------------------


@pytest.fixture
def approved(client, songkhla, fy):  # noqa: F811
    return approve_project(client, songkhla, register(songkhla, fy_be=fy))


def test_carry_over_by_strangers_changes_nothing(client, songkhla, lopburi, nobody, approved):  # noqa: F811
    client.logout()
    url = reverse("budget:carry_over", args=[approved.pk])
    before = list(Project.objects.order_by("pk").values_list("pk", "status")), AuditEntry.objects.count()
    assert to_login(client.post(url, {"amount": "1000"}))
    for stranger in (nobody, lopburi.head, lopburi.inspector, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.post(url, {"amount": "1000"})), stranger
    client.force_login(songkhla.aps)  # sees the project, does not work in the office
    client.post(url, {"amount": "1000"})
    assert (list(Project.objects.order_by("pk").values_list("pk", "status")), AuditEntry.objects.count()) == before


def test_cluster_view_shows_only_the_offices_overseen(client, songkhla, lopburi, approved, fy):  # noqa: F811
    client.logout()
    url = reverse("budget:cluster") + f"?fy={fy}"
    assert to_login(client.get(url))
    client.force_login(lopburi.aps)
    response = client.get(url)
    assert response.status_code == 200 and approved.code not in response.content.decode()
    client.force_login(songkhla.aps)
    response = client.get(url)
    assert response.status_code == 200 and approved.code in response.content.decode()


@pytest.fixture
def review(songkhla):  # noqa: F811
    return reviews.review_open(office=songkhla.unit, by=songkhla.aps, meeting_on=timezone.localdate())


def directive_data(person):
    return {"text": "เร่งรัดการเบิกจ่ายให้เป็นไปตามแผน", "due_on": timezone.localdate() + timedelta(days=30),
            "assignee": person.pk}  # fmt: skip


def test_review_pages_refuse_strangers_and_change_nothing(client, songkhla, lopburi, nobody, review):  # noqa: F811
    detail = reverse("budget:review", args=[review.pk])
    new = reverse("budget:review_new", args=[songkhla.unit.pk])
    data = directive_data(songkhla.officer)
    before = Directive.objects.count(), AuditEntry.objects.count(), review.__class__.objects.count()
    assert to_login(client.get(detail)) and to_login(client.post(detail, data)) and to_login(client.get(new))
    for stranger in (nobody, lopburi.head, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.get(detail)), stranger
        assert refused(client.post(detail, data)), stranger
        assert client.get(new).status_code == 403, stranger
        assert client.post(new, {"meeting_on": timezone.localdate()}).status_code == 403, stranger
    for insider in (songkhla.officer, songkhla.inspector):  # see the review, may not issue directives
        client.force_login(insider)
        assert client.get(detail).status_code == 200, insider
        assert client.post(detail, data).status_code == 403, insider
        assert client.get(new).status_code == 403, insider
    assert (Directive.objects.count(), AuditEntry.objects.count(), review.__class__.objects.count()) == before


def test_the_reviewer_issues_a_directive(client, songkhla, review):  # noqa: F811
    client.force_login(songkhla.aps)
    assert client.get(reverse("budget:review_new", args=[songkhla.unit.pk])).status_code == 200
    assert client.post(reverse("budget:review", args=[review.pk]), directive_data(songkhla.officer)).status_code == 302
    assert Directive.objects.filter(review=review).count() == 1


def test_close_out_pdf_is_served_only_inside_the_scope(client, songkhla, lopburi, nobody, approved):  # noqa: F811
    from workflows.budget import services as budget

    budget.project_close(project=approved, by=songkhla.officer, summary="ดำเนินการครบตามแผน")
    client.logout()
    url = reverse("budget:close_pdf", args=[approved.pk])
    assert to_login(client.get(url))
    for stranger in (nobody, lopburi.head, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.get(url)), stranger
    client.force_login(songkhla.aps)
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_directive_task_urls_refuse_strangers_and_change_nothing(client, songkhla, lopburi, nobody, review):  # noqa: F811
    directive = reviews.directive_add(
        review=review, by=songkhla.aps, text="เร่งรัดการเบิกจ่าย", due_on=review.meeting_on + timedelta(days=30),
        assignee=songkhla.officer,
    )  # fmt: skip
    task = Task.objects.get(process__directiveprocess__directive=directive, flow_task__endswith=".report_action")
    urls = flow_urls(task, "budget:directive")
    chart = reverse("budget:directive:process_chart", args=[task.process_id])
    before = list(Directive.objects.values_list("pk", "status")), tasks_state(), AuditEntry.objects.count()
    for stranger in (nobody, lopburi.head, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.get(urls["detail"])) and refused(client.get(chart)), stranger
        for name in ("assign", "unassign", "undo", "cancel", "execute"):
            assert refused(client.post(urls[name], {"text": "ดำเนินการแล้ว"})), (name, stranger)
    client.force_login(songkhla.aps)  # the reviewer checks later; the office reports
    assert refused(client.post(urls["execute"], {"text": "ดำเนินการแล้ว"}))
    assert (list(Directive.objects.values_list("pk", "status")), tasks_state(), AuditEntry.objects.count()) == before
    client.force_login(songkhla.officer)
    assert client.get(urls["execute"]).status_code == 200
    assert client.post(urls["execute"], {"text": "ดำเนินการแล้ว"}).status_code == 302


# --- planning --------------------------------------------------------------------------------------------


@pytest.fixture
def plan(songkhla, risky):  # noqa: F811
    """A draft Songkhla plan of next quarter with a few risky factories in it, and one factory outside it."""
    for index in range(6):
        risky(FactoryFactory(factory_type=1, category_code="3(1)"), complaints=1, years=3 + index)
    year, quarter = plan_selectors.quarter_after(plan_selectors.today())
    planning.capacity_set(office=songkhla.unit, cases_per_inspector=1, by=songkhla.head)
    made = planning.plan_generate(office=songkhla.unit, fiscal_year=year, quarter=quarter, by=songkhla.head)
    assert made.items.exists()
    return made


def plan_state(plan) -> tuple:
    plan.refresh_from_db()
    items = sorted(PlanItem.objects.filter(plan=plan).values_list("factory_id", flat=True))
    capacities = list(OfficeCapacity.objects.order_by("pk").values_list("office_id", "cases_per_inspector"))
    return plan.status, items, capacities, tasks_state(), InspectionPlan.objects.count(), AuditEntry.objects.count()


def test_plan_writes_by_strangers_change_nothing(client, songkhla, lopburi, nobody, plan):  # noqa: F811
    outside = FactoryFactory(factory_type=1, category_code="3(1)")
    item = plan.items.first()
    task = Task.objects.get(process__planprocess__plan=plan, flow_task__endswith=".prepare")
    urls = flow_urls(task, "planning:flow")
    chart = reverse("planning:flow:process_chart", args=[task.process_id])
    add = reverse("planning:item_add", args=[plan.pk])
    remove = reverse("planning:item_remove", args=[plan.pk, item.pk])
    why = reverse("planning:why", args=[item.factory_id])
    capacity = {"office": songkhla.unit.pk, "cases_per_inspector": 9}
    before = plan_state(plan)
    for url in (add, remove, urls["execute"]):
        assert to_login(client.post(url, {"reg_no": outside.reg_no}))
    assert to_login(client.get(why)) and to_login(client.get(urls["detail"]))
    for stranger in (nobody, lopburi.head, lopburi.inspector, lopburi.aps):
        client.force_login(stranger)
        assert refused(client.post(add, {"reg_no": outside.reg_no})), stranger
        assert refused(client.post(remove)), stranger
        assert refused(client.get(why)), stranger
        assert refused(client.get(urls["detail"])), stranger
        assert refused(client.get(urls["process"])), stranger
        assert refused(client.get(chart)), stranger
        for name in ("assign", "unassign", "undo", "cancel", "execute"):
            assert refused(client.post(urls[name], {})), (name, stranger)
        client.post(reverse("planning:capacity"), capacity)
        client.post(reverse("planning:generate"), {"office": songkhla.unit.pk, "fiscal_year": plan.fiscal_year,
                                                   "quarter": plan.quarter})  # fmt: skip
    client.force_login(songkhla.inspector)  # sees the plan and the scores, may not change them
    assert client.get(why).status_code == 200
    assert client.get(urls["detail"]).status_code == 200
    assert client.get(chart).status_code == 200
    assert client.post(add, {"reg_no": outside.reg_no}).status_code == 403
    assert client.post(remove).status_code == 403
    assert refused(client.post(urls["execute"], {}))
    client.post(reverse("planning:capacity"), capacity)
    assert plan_state(plan) == before


def test_the_group_head_edits_the_draft(client, songkhla, plan):  # noqa: F811
    item = plan.items.first()
    client.force_login(songkhla.head)
    assert client.post(reverse("planning:item_remove", args=[plan.pk, item.pk])).status_code == 302
    assert not PlanItem.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize("target", ["/\\evil.example/", "//evil.example/", "https://evil.example/"])
def test_plan_edits_never_redirect_off_site(client, songkhla, plan, target):  # noqa: F811
    item = plan.items.first()
    client.force_login(songkhla.head)
    response = client.post(reverse("planning:item_remove", args=[plan.pk, item.pk]), {"next": target})
    location = response["Location"]
    assert response.status_code == 302 and location.startswith("/") and not location.startswith("//")
    assert not urlsplit(location).netloc and "\\" not in location


# --- self-reports: CSV import jobs, the overdue list -------------------------------------------------------


@pytest.fixture
def job(db):
    ensure_standard_kinds()
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    upload = SimpleUploadedFile("rw.csv", b"reg_no,period\n", content_type="text/csv")
    return link, report_import_start(by=link.person, kind=ReportKind.objects.get(code="rw"), upload=upload)


def test_an_import_job_is_seen_only_by_its_uploader(client, songkhla, lopburi, nobody, job):  # noqa: F811
    link, upload = job
    url = reverse("registry:selfreports:import_detail", args=[upload.pk])
    other = OperatorFactory(factory=FactoryFactory(factory_type=3)).person
    before = list(ReportImport.objects.values_list("pk", "status"))
    assert to_login(client.get(url))
    for stranger in (nobody, other, lopburi.head, songkhla.inspector, songkhla.officer):
        client.force_login(stranger)
        assert refused(client.get(url)), stranger
    client.force_login(link.person)
    assert client.get(url).status_code == 200
    assert list(ReportImport.objects.values_list("pk", "status")) == before


def test_overdue_list_never_shows_another_province(client, songkhla, lopburi, nobody):  # noqa: F811
    url = reverse("registry:selfreports:overdue") + f"?office={songkhla.unit.pk}"
    assert to_login(client.get(url))
    client.force_login(nobody)
    assert client.get(url).status_code == 403
    client.force_login(OperatorFactory().person)
    assert client.get(url).status_code == 403
    client.force_login(lopburi.head)
    response = client.get(url)
    assert response.status_code == 200 and response.context["office"] == lopburi.unit
    client.force_login(songkhla.inspector)
    assert client.get(url).context["office"] == songkhla.unit


def test_amend_and_factory_filter_never_show_another_factorys_report(client, lopburi):  # noqa: F811
    ensure_standard_kinds()
    rw = ReportKind.objects.get(code="rw")
    mine = OperatorFactory(factory=FactoryFactory(factory_type=3))
    theirs = OperatorFactory(factory=FactoryFactory(factory_type=3))
    other = selfreport_file(factory=theirs.factory, kind=rw, period=H1, values=RW, by=theirs.person)
    amend = reverse("registry:selfreports:file", args=[mine.factory.pk, "rw"]) + f"?amend={other.pk}"
    listing = reverse("registry:selfreports:index") + f"?factory={theirs.factory.pk}"
    client.force_login(mine.person)  # an operator of another factory
    page = client.get(amend)
    assert page.status_code == 200 and "cod" not in page.context["form"].initial
    assert [r.pk for r in client.get(listing).context["reports"]] == []
    assert client.get(reverse("registry:selfreports:detail", args=[other.pk])).status_code == 404
    client.force_login(lopburi.head)  # an officer of another province
    assert client.get(amend).status_code == 404
    assert [r.pk for r in client.get(listing).context["reports"]] == []
    assert client.get(reverse("registry:selfreports:detail", args=[other.pk])).status_code == 404
    client.force_login(theirs.person)
    own = reverse("registry:selfreports:file", args=[theirs.factory.pk, "rw"]) + f"?amend={other.pk}"
    assert client.get(own).context["form"].initial["cod"] == other.values.get(key="cod").display
    assert [r.pk for r in client.get(listing).context["reports"]] == [other.pk]


# --- complaint office pages ------------------------------------------------------------------------------


def test_complaint_pages_and_photos_stay_in_the_office(client, songkhla, lopburi, nobody):  # noqa: F811
    complaint = submit(photos=[jpeg()])
    photo = complaint.photos.get()
    task = Task.objects.get(process__complaintprocess__complaint=complaint, flow_task__endswith=".triage")
    detail = reverse("complaints:detail", args=[complaint.pk])
    photo_url = reverse("complaints:photo", args=[photo.pk])
    execute = flow_urls(task, "complaints:flow")["execute"]
    before = list(Complaint.objects.values_list("pk", "status", "factory_id")), tasks_state()
    assert to_login(client.get(detail)) and to_login(client.get(photo_url))
    for stranger in (nobody, lopburi.head, lopburi.inspector):
        client.force_login(stranger)
        assert refused(client.get(detail)), stranger
        assert refused(client.get(photo_url)), stranger
        assert refused(client.post(execute, {"decision": "reject", "reason": "ไม่ใช่"})), stranger
        listed = client.get(reverse("complaints:list"))
        assert complaint.tracking_no not in listed.content.decode(), stranger
    assert (list(Complaint.objects.values_list("pk", "status", "factory_id")), tasks_state()) == before
    client.force_login(songkhla.inspector)
    assert client.get(detail).status_code == 200
    response = client.get(photo_url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"\xff\xd8")
