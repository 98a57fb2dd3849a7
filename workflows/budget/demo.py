"""Demo budget projects of FY 2566 and 2567 for the seed offices, registered, approved, reported on
and reviewed through the real services and flows (idempotent: nothing is added when projects exist).

Songkhla has the two FY 2566 projects of the seed news item — business-environment support and the
Industry Transformation Center upgrade — both provisional budget disbursed on behalf of the
Department of Industrial Promotion; the ITC upgrade fell behind and carried money over into FY 2567.
The deputy PS's follow-up review of 25 March 2567 left a directive open. Every office has a FY 2567
project; Songkhla's has its first monthly report waiting for the officer."""

from datetime import date
from decimal import Decimal

from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from org.models import Person, Unit, UnitKind
from workflows import engine

from . import behind, plan, reviews, services
from .models import FiscalYearTarget, Project

AS_OF = {2566: date(2023, 10, 1), 2567: date(2024, 4, 1)}
TARGETS = {2566: (30, 54, 77, 100), 2567: (30, 54, 77, 100)}
DIP_SOUTH = "กรมส่งเสริมอุตสาหกรรม (ศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 11)"
OFFICES = {"songkhla": 90, "lopburi": 16, "singburi": 17, "angthong": 15, "chainat": 18}


def _complete(name: str, action, **process) -> None:
    filters = {f"process__{key}": value for key, value in process.items()}
    task = Task.objects.get(flow_task__endswith=f".{name}", status__in=[STATUS.NEW, STATUS.ASSIGNED], **filters)
    (case,) = process.values()  # the flow reads the object the services change
    with engine.activation(task, case=case) as activation:
        activation.start(None)
        action(task.owner)
        activation.execute()


def _plan(fy: int, allocation: Decimal, shape: tuple[int, ...]) -> list[dict]:
    """A plan from a shape of twelve monthly weights: money in proportion, progress cumulative."""
    total = sum(shape)
    rows, spent, done = [], Decimal("0"), 0
    for n, (month, weight) in enumerate(zip(plan.fiscal_months(fy), shape, strict=True)):
        amount = allocation - spent if n == 11 else (allocation * weight / total).quantize(Decimal("1"))
        spent, done = spent + amount, done + weight
        rows.append({"month": month, "progress_pct": Decimal(100 * done / total).quantize(Decimal("0.01")),
                     "disbursement": amount})  # fmt: skip
    return rows


def _register(slug: str, fy: int, title: str, objectives: str, allocation: str, *, on_behalf=False, kpi=None,
              shape=(10, 10, 10, 8, 8, 8, 8, 8, 7, 8, 8, 7)) -> Project:  # fmt: skip
    officer = Person.objects.get(username=f"{slug}.inspector1")
    office = Unit.objects.get(kind=UnitKind.OFFICE, province_id=OFFICES[slug])
    amount = Decimal(allocation)
    line = {"description": title, "allocation": amount}
    if on_behalf:
        line |= {"source": "on_behalf", "owner_agency": DIP_SOUTH, "disbursing_office": office, "provisional": True,
                 "reference_no": f"กสอ. 0501/{fy}-{OFFICES[slug]}"}  # fmt: skip
    project = services.project_register(
        office=office, by=officer, fiscal_year=fy, title=title, objectives=objectives, lines=[line],
        kpis=[kpi] if kpi else [], plan_rows=_plan(fy, amount, shape),
    )  # fmt: skip
    _complete("approve", lambda owner: services.project_decide(project=project, by=owner, approve=True),
              projectprocess__project=project)  # fmt: skip
    project.refresh_from_db()
    return project


def _report(project: Project, months: int, share: float, *, problems: str = "", kpi_actual=None) -> None:
    """Approved reports for the first `months` months, disbursing `share` of each month's plan."""
    planned = {p.month: p for p in project.plan.all()}
    kpi = project.kpis.first()
    for n, month in enumerate(plan.fiscal_months(project.fiscal_year)[:months], start=1):
        report = services.report_open(project=project, month=month)
        row = planned[month]
        actuals = {kpi.pk: Decimal(kpi_actual * n // months)} if kpi and kpi_actual else {}
        submit = {
            "progress_pct": (row.progress_pct * Decimal(str(share))).quantize(Decimal("0.01")),
            "disbursed": (row.disbursement * Decimal(str(share))).quantize(Decimal("0.01")),
            "kpi_actuals": actuals, "problems": problems if n == months else "",
        }  # fmt: skip
        _complete("file", lambda owner, r=report, data=submit: services.report_submit(report=r, by=owner, **data),
                  progressprocess__report=report)  # fmt: skip
        _complete("review", lambda owner, r=report: services.report_review(report=r, by=owner, approve=True),
                  progressprocess__report=report)  # fmt: skip


def _targets() -> None:
    for fy, (q1, q2, q3, q4) in TARGETS.items():
        FiscalYearTarget.objects.get_or_create(fiscal_year=fy, defaults={"q1": q1, "q2": q2, "q3": q3, "q4": q4})


def load_demo_budget() -> int:
    if Project.objects.exists():
        return 0
    _targets()
    made = []
    # Songkhla, FY 2566 (the seed): provisional budget disbursed on behalf of the DIP regional centre.
    business = _register(
        "songkhla", 2566, "โครงการสนับสนุนและพัฒนาปัจจัยแวดล้อมที่เอื้อต่อการดำเนินธุรกิจ",
        "พัฒนาปัจจัยแวดล้อมให้ผู้ประกอบการในจังหวัดสงขลาดำเนินธุรกิจได้สะดวก ลดต้นทุน และเข้าถึงบริการของรัฐ",
        "850000", on_behalf=True, kpi={"name": "ผู้ประกอบการที่ได้รับการพัฒนา", "unit": "ราย", "target": "60"},
    )  # fmt: skip
    _report(business, 12, 1.0, kpi_actual=62)
    itc = _register(
        "songkhla", 2566, "โครงการยกระดับศูนย์ปฏิรูปอุตสาหกรรมสู่ความยั่งยืน",
        "ยกระดับศูนย์ปฏิรูปอุตสาหกรรม (ITC) ให้ผู้ประกอบการใช้เทคโนโลยีดิจิทัล เช่น AppSheet "
        "รายงานข้อมูลแบบ Real Time เพื่อบริหารจัดการคลังสินค้าและปรับปรุงกระบวนการผลิต",
        "1500000", on_behalf=True, kpi={"name": "สถานประกอบการที่นำเทคโนโลยีดิจิทัลไปใช้", "unit": "แห่ง", "target": "15"},
    )  # fmt: skip
    _report(itc, 12, 0.7, problems="งบประมาณไปพลางก่อนได้รับจัดสรรล่าช้า ผู้รับจ้างส่งมอบระบบไม่ทันกำหนด",
            kpi_actual=9)  # fmt: skip
    made += [business, itc]
    # The deputy PS's follow-up of 25 March 2567, with a directive still open.
    deputy, pio = Person.objects.get(username="dps"), Person.objects.get(username="songkhla.pio")
    review = reviews.review_open(
        office=business.office, by=deputy, meeting_on=date(2024, 3, 25), projects=[business, itc],
        attendees="อุตสาหกรรมจังหวัดสงขลา\nผู้อำนวยการศูนย์ส่งเสริมอุตสาหกรรมภาคที่ 11\n"
                  "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร\nผู้เชี่ยวชาญด้านนโยบายและยุทธศาสตร์ กองยุทธศาสตร์และแผนงาน",
        summary="ติดตามความคืบหน้าการดำเนินโครงการประจำปีงบประมาณ พ.ศ. 2566 ไปพลางก่อน (งบประมาณเบิกแทนกัน)",
    )  # fmt: skip
    reviews.directive_add(
        review=review, by=deputy, assignee=pio, due_on=date(2024, 6, 30),
        text="ขับเคลื่อนงานโดยใช้อุตสาหกรรมเศรษฐกิจของจังหวัดสงขลาเป็นจุดมุ่งเน้นในการพัฒนา สนับสนุน และส่งเสริม"
             "ผู้ประกอบการ ให้เกิดผลสัมฤทธิ์อย่างเป็นรูปธรรมและยั่งยืน",
    )  # fmt: skip
    # FY 2567: the ITC money carried over, and a new project whose first report is waiting.
    carried = services.carry_over(
        project=itc, by=Person.objects.get(username="songkhla.inspector1"), amount=Decimal("300000"),
        plan_rows=[{"month": m, "progress_pct": p, "disbursement": d} for m, p, d in zip(
            plan.fiscal_months(2567)[:3], (40, 80, 100), (120000, 120000, 60000), strict=True)],
    )  # fmt: skip
    _report(carried, 2, 1.0)
    songkhla_2567 = _register(
        "songkhla", 2567, "โครงการส่งเสริมการใช้ระบบ i-Auditor ในการกำกับดูแลโรงงาน",
        "ให้เจ้าหน้าที่ สอจ.สงขลา รายงานผลการตรวจกำกับดูแลโรงงานผ่านระบบ i-Auditor ครบทุกโรงงานจำพวกที่ 3",
        "420000", kpi={"name": "โรงงานที่รายงานผ่านระบบ i-Auditor", "unit": "โรง", "target": "120"},
    )  # fmt: skip
    services.report_open(project=songkhla_2567, month=plan.fiscal_months(2567)[0])
    made += [carried, songkhla_2567]
    # The other seed offices: one project a year each; Lopburi's FY 2567 project lags.
    for slug, name in (("lopburi", "ลพบุรี"), ("singburi", "สิงห์บุรี"), ("angthong", "อ่างทอง"), ("chainat", "ชัยนาท")):
        old = _register(slug, 2566, f"โครงการพัฒนาศักยภาพเครือข่ายอุตสาหกรรมรักษ์สิ่งแวดล้อม จังหวัด{name}",
                        "สร้างและพัฒนาศักยภาพเครือข่ายอุตสาหกรรมรักษ์สิ่งแวดล้อมในพื้นที่", "380000")  # fmt: skip
        _report(old, 12, 1.0)
        new = _register(slug, 2567, f"โครงการบริหารจัดการลุ่มน้ำและธรรมาภิบาลสิ่งแวดล้อม จังหวัด{name}",
                        "วางระบบธรรมาภิบาลสิ่งแวดล้อมของโรงงานในลุ่มน้ำ", "450000")  # fmt: skip
        _report(new, 6, 0.5 if slug == "lopburi" else 1.0,
                problems="ผู้ประกอบการเข้าร่วมกิจกรรมน้อยกว่าเป้าหมาย" if slug == "lopburi" else "")  # fmt: skip
        made += [old, new]
    for project in made:  # judged as the deputy PS saw them: FY 2566 at its end, FY 2567 after Q2
        behind.flag_project(project=project, on=AS_OF[project.fiscal_year])
    return len(made)
