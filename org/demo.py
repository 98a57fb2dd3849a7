"""Demo organisation: people for every role in the seed offices (Songkhla, Lopburi, Sing Buri,
Ang Thong, Chai Nat), their clusters' assistant PS, the deputy PS, an executive viewer, a process
administrator and an acting assignment. Built through org.services; safe to run twice."""

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.utils import timezone

from . import services
from .models import Person, Position, PositionKind, Unit, UnitKind

DEMO_PASSWORD = "kamkap-demo"
SEED_PROVINCES = {90: "songkhla", 16: "lopburi", 17: "singburi", 15: "angthong", 18: "chainat"}


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    where: str


FIRST = ["สมชาย", "สุดารัตน์", "วิชัย", "อรุณี", "ประเสริฐ", "กนกวรรณ", "ธนพล", "พิมพ์ชนก", "สุรเชษฐ์", "นภัสสร",
         "อนุชา", "จิราภรณ์", "ชัยวัฒน์", "ปวีณา", "ณัฐวุฒิ", "วราภรณ์", "กิตติพงษ์", "ศิริพร", "เอกชัย", "รัชนี",
         "ภาณุวัฒน์", "สุภาวดี", "ธีรพงศ์", "มาลินี", "ปิยะพงษ์", "อัญชลี", "สมศักดิ์", "วันเพ็ญ"]  # fmt: skip
LAST = ["ใจดี", "ศรีสวัสดิ์", "วงศ์ไทย", "บุญมา", "แก้วประเสริฐ", "สุขสม", "ทองคำ", "พรหมมา", "รัตนพันธ์", "จันทร์เพ็ญ",
        "มณีรัตน์", "ชัยมงคล", "สายทอง", "อินทร์แก้ว", "ปัญญาดี", "เพชรรัตน์", "นาคสวัสดิ์", "ศักดิ์ดี"]  # fmt: skip


@functools.cache
def _demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def _person(username: str, index: int, *, female: bool | None = None, **extra) -> Person:
    person = Person.objects.filter(username=username).first()
    if person:
        return person
    first, last = FIRST[index % len(FIRST)], LAST[(index * 7) % len(LAST)]
    female = (index % 2 == 1) if female is None else female
    person = Person(
        username=username,
        first_name=first,
        last_name=last,
        title_th="นาง" if female else "นาย",
        email=f"{username}@industry.example",
        **extra,
    )
    person.password = _demo_password_hash()
    person.save()
    return person


def _post(unit: Unit, kind: str, title_th: str, title_en: str, holder: Person | None, start: date, **kw) -> Position:
    position = services.create_position(unit=unit, kind=kind, title_th=title_th, title_en=title_en, **kw)
    if holder is not None and not position.holdings.exists():
        services.appoint(position=position, person=holder, start=start)
    return position


def load_demo_org() -> list[DemoLogin]:
    today = timezone.localdate()
    start = date(today.year - 1, 10, 1)
    ops = Unit.objects.get(code=services.OPS_CODE)
    ministry = Unit.objects.get(code=services.MINISTRY_CODE)
    logins: list[DemoLogin] = []
    clusters: dict[int, Unit] = {}
    n = 0
    for code, slug in SEED_PROVINCES.items():
        office = Unit.objects.get(kind=UnitKind.OFFICE, province_id=code)
        clusters[office.parent_id] = office.parent
        province = office.province.name_th
        group = services.create_group(
            office=office, code=f"OFF{code:02d}-G1", name_th="กลุ่มกำกับและส่งเสริมอุตสาหกรรม",
            name_en="Industrial Supervision and Promotion Group",
        )  # fmt: skip
        head = _person(f"{slug}.head", n := n + 1)
        _post(group, PositionKind.GROUP_HEAD, f"หัวหน้ากลุ่มกำกับและส่งเสริมอุตสาหกรรม สอจ.{province}",
              "Group head", head, start)  # fmt: skip
        logins.append(DemoLogin(head.username, "หัวหน้ากลุ่ม (group head)", province))
        for i in (1, 2):
            inspector = _person(f"{slug}.inspector{i}", n := n + 1)
            _post(group, PositionKind.INSPECTOR, f"นักวิชาการอุตสาหกรรม {i} สอจ.{province}", "Inspector",
                  inspector, start)  # fmt: skip
            logins.append(DemoLogin(inspector.username, "นักวิชาการอุตสาหกรรม (inspector)", province))
        pio_title = f"อุตสาหกรรมจังหวัด{province}"
        if slug == "chainat":
            # The Chai Nat post is vacant; the group head acts for it (รักษาราชการแทน).
            pio = _post(office, PositionKind.PROVINCIAL_OFFICER, pio_title, "Provincial industry officer", None, start)
            if not pio.acting.exists():
                services.appoint_acting(
                    position=pio, person=head, start=today - timedelta(days=30), end=today + timedelta(days=90),
                    order_ref="คำสั่ง สป.อก. ที่ 123/2569",
                )  # fmt: skip
            logins[-3] = DemoLogin(head.username, "หัวหน้ากลุ่ม + รักษาราชการแทนอุตสาหกรรมจังหวัด (acting)", province)
        else:
            officer = _person(f"{slug}.pio", n := n + 1)
            _post(office, PositionKind.PROVINCIAL_OFFICER, pio_title, "Provincial industry officer", officer, start)
            logins.append(DemoLogin(officer.username, "อุตสาหกรรมจังหวัด (provincial industry officer)", province))
    deputy_clusters = []
    for i, cluster in enumerate(sorted(clusters.values(), key=lambda u: u.code), start=1):
        aps = _person(f"aps{i}", n := n + 1)
        _post(ops, PositionKind.ASSISTANT_PS, f"ผู้ช่วยปลัดกระทรวงอุตสาหกรรม ({cluster.name_th})",
              "Assistant permanent secretary", aps, start, oversees=[cluster])  # fmt: skip
        logins.append(DemoLogin(aps.username, "ผู้ช่วยปลัดกระทรวง (assistant PS)", cluster.name_th))
        deputy_clusters.append(cluster)
    deputy = _person("dps", n := n + 1)
    _post(ops, PositionKind.DEPUTY_PS, "รองปลัดกระทรวงอุตสาหกรรม", "Deputy permanent secretary", deputy, start,
          oversees=deputy_clusters)  # fmt: skip
    logins.append(
        DemoLogin(deputy.username, "รองปลัดกระทรวง (deputy PS)", " + ".join(c.name_th for c in deputy_clusters))
    )
    viewer = _person("executive", n := n + 1)
    _post(ops, PositionKind.EXECUTIVE_VIEWER, "ผู้อำนวยการกองยุทธศาสตร์และแผนงาน", "Executive viewer", viewer, start,
          oversees=[ministry])  # fmt: skip
    logins.append(DemoLogin(viewer.username, "ผู้บริหาร (executive viewer, read-only)", "ทั้งประเทศ"))
    admin = _person("admin", n := n + 1, is_staff=True, is_superuser=True)
    _post(ops, PositionKind.PROCESS_ADMIN, "ผู้ดูแลกระบวนงาน ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "Process administrator",
          admin, start)  # fmt: skip
    logins.append(DemoLogin(admin.username, "ผู้ดูแลกระบวนงาน (process administrator)", "ทั้งประเทศ"))
    return logins
