"""Demo self-reports: the four standard kinds, two operator logins, and reports of the factories of the
seed provinces for the periods that fell due in the last year, filed through the real service. Most are
on time; some were filed late, some are missing, some were amended; the Songkhla factories of the demo
inspection cases reported figures well below what an inspection observes (workers, machinery, wastewater,
BOD), so their cases show discrepancies. Deterministic; a second run adds nothing."""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from org.demo import DEMO_PASSWORD, SEED_PROVINCES
from org.models import Person

from ..models import Factory, FactoryOperator, FactoryStatus, SelfReport
from .kinds import ensure_standard_kinds
from .models import Channel, ReportKind
from .periods import Period
from .selectors import dues
from .services import selfreport_file

OPERATORS = {  # login: (province, first name, last name)
    "operator1": (90, "สมพงษ์", "รักษ์โรงงาน"),
    "operator2": (16, "วิภาวดี", "ทองสุข"),
}
INSPECTED = 8  # the demo inspection cases take the first operating Songkhla factories (by pk)
ONE = Decimal("0.1")


def inspected_factories() -> list[Factory]:
    """The factories workflows.inspection.demo_cases opens cases for."""
    return list(Factory.objects.filter(province_id=90, status=FactoryStatus.OPERATING).order_by("pk")[:INSPECTED])


def _operator_factory(province: int) -> Factory:
    if province == 90:  # one of the inspected factories, so its case shows the operator's own figures
        candidates = [f for f in inspected_factories() if f.factory_type == 3] or inspected_factories()
        return candidates[0]
    return (
        Factory.objects.filter(province_id=province, status=FactoryStatus.OPERATING, factory_type=3)
        .order_by("pk")
        .first()
    )


def load_demo_operators() -> list[FactoryOperator]:
    links = []
    for username, (province, first, last) in OPERATORS.items():
        person = Person.objects.filter(username=username).first()
        if person is None:
            person = Person(username=username, first_name=first, last_name=last, title_th="นาย" if username ==
                            "operator1" else "นางสาว", email=f"{username}@factory.example",
                            password=make_password(DEMO_PASSWORD))  # fmt: skip
            person.save()
        factory = _operator_factory(province)
        if factory is not None:
            links.append(FactoryOperator.objects.get_or_create(person=person, factory=factory)[0])
    return links


def _values(kind: ReportKind, factory: Factory, rng: random.Random, *, under: bool) -> dict:
    """Plausible figures from the registry; `under`: well below what is really there."""
    share = Decimal("0.45") if under else Decimal(str(rng.uniform(0.95, 1.05)))
    workers = max(1, int(factory.workers * share))
    hp = (factory.machinery_hp * share).quantize(ONE)
    if kind.code == "ops":
        tonnes = Decimal(rng.randint(200, 20000))
        return {"main_product": f"ผลิตภัณฑ์ตามประเภทโรงงานลำดับที่ {factory.category_code}",
                "production_tonnes": tonnes, "workers": workers, "machinery_hp": hp,
                "electricity_kwh": int(hp * 2200), "raw_material": "วัตถุดิบทางการเกษตร",
                "raw_material_tonnes": (tonnes * Decimal("1.3")).quantize(ONE)}  # fmt: skip
    if kind.code == "rw":
        flow = Decimal(max(5, int(factory.workers * 0.6))) * (Decimal("0.4") if under else 1)
        bod = Decimal(str(rng.uniform(8, 15) if under else rng.uniform(12, 45))).quantize(ONE)
        ratio = Decimal("0.8") if rng.random() < 0.04 else Decimal("3.2")  # a few: COD below BOD, inconsistent
        return {"wastewater_m3_per_day": flow.quantize(ONE), "bod": bod, "cod": (bod * ratio).quantize(ONE),
                "tss": Decimal(str(rng.uniform(15, 50))).quantize(ONE),
                "ph": Decimal(str(rng.uniform(6.6, 8.2))).quantize(ONE)}  # fmt: skip
    if kind.code == "hazmat":
        return {"substance": rng.choice(["กรดซัลฟิวริก", "โซเดียมไฮดรอกไซด์", "แอมโมเนีย", "คลอรีน"]),
                "stored_kg": rng.randint(500, 20000), "used_kg": rng.randint(2000, 120000)}  # fmt: skip
    return {"waste_tonnes": Decimal(rng.randint(5, 900)), "hazardous_waste_tonnes": Decimal(rng.randint(0, 40)),
            "waste_code": "02 01 99", "disposal": "ส่งกำจัดโดยผู้รับกำจัดที่ได้รับอนุญาต"}  # fmt: skip


def load_demo_reports(*, by: Person) -> int:
    """Returns how many reports were filed (0 when demo reports exist)."""
    ensure_standard_kinds()
    links = load_demo_operators()
    if SelfReport.objects.exists():
        return 0
    rng = random.Random(2567)
    today = timezone.localdate()
    kinds = list(ReportKind.objects.filter(active=True).prefetch_related("fields"))
    due_list = sorted(dues(today, kinds), key=lambda d: (d.due, d.kind.order))
    under = {f.pk for f in inspected_factories()}
    owner = {link.factory_id: link.person for link in links}
    last_rw = Period.containing("half", today).previous()  # the operators still have this รว. to file
    factories = Factory.objects.filter(province_id__in=SEED_PROVINCES, status=FactoryStatus.OPERATING).order_by("pk")
    filed = 0
    with transaction.atomic():
        for factory in factories:
            for due in due_list:
                if not due.kind.applies_to(factory):
                    continue
                if factory.pk in owner and due.kind.code == "rw" and due.period == last_rw:
                    continue
                roll = rng.random()
                if roll < 0.04 and factory.pk not in under:
                    continue  # missing
                late = roll > 0.95
                report = selfreport_file(
                    factory=factory, kind=due.kind, period=due.period, by=owner.get(factory.pk, by),
                    values=_values(due.kind, factory, rng, under=factory.pk in under),
                    channel=Channel.FORM if factory.pk in owner else Channel.API,
                )  # fmt: skip
                # The demo files today what was filed in the past: give the filing its day.
                when = (
                    due.due + timedelta(days=rng.randint(3, 40))
                    if late
                    else due.due - timedelta(days=rng.randint(0, 25))
                )
                stamp = timezone.make_aware(datetime.combine(min(when, today), time(rng.randint(8, 16))))
                SelfReport.objects.filter(pk=report.pk).update(first_filed_at=stamp, filed_at=stamp)
                filed += 1
                if rng.random() < 0.03:  # a correction: the earlier version stays in the history
                    values = _values(due.kind, factory, rng, under=factory.pk in under)
                    selfreport_file(factory=factory, kind=due.kind, period=due.period, by=owner.get(factory.pk, by),
                                    values=values, amend=True, note="แก้ไขตัวเลขตามบันทึกจริง",
                                    channel=Channel.FORM if factory.pk in owner else Channel.API)  # fmt: skip
    return filed
