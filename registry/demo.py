"""~2,000 demo factories with Thai names and real addresses, registered through the same checked
path as a CSV import (registry.imports.register_rows). Deterministic, so a rerun adds nothing."""

import random
from datetime import date

from org.models import Province, SubDistrict

from .imports import register_rows
from .models import Factory

# (business, category code, hp range, workers range); categories as written in the registry.
TRADES_SOUTH = [
    ("ยางแผ่นรมควัน", "52(1)", (60, 400), (15, 80)),
    ("ยางแท่ง", "52(2)", (300, 2000), (50, 300)),
    ("แปรรูปอาหารทะเลแช่เย็น", "9(1)", (150, 1500), (50, 600)),
    ("ปลากระป๋อง", "9(2)", (300, 2500), (100, 900)),
    ("สกัดน้ำมันปาล์ม", "16(1)", (200, 3000), (30, 200)),
    ("แปรรูปไม้ยางพารา", "34(2)", (100, 900), (20, 150)),
    ("น้ำแข็ง", "13(2)", (80, 600), (10, 40)),
]
TRADES_CENTRAL = [
    ("โรงสีข้าว", "10(1)", (50, 800), (10, 120)),
    ("อาหารสัตว์", "18(1)", (200, 1500), (30, 200)),
    ("ผลิตภัณฑ์คอนกรีต", "77(2)", (80, 700), (15, 90)),
    ("อิฐมอญ", "77(1)", (50, 200), (10, 60)),
    ("น้ำตาลทราย", "17(1)", (1000, 9000), (200, 900)),
    ("ชิ้นส่วนโลหะ", "64(1)", (60, 900), (20, 250)),
    ("พลาสติกขึ้นรูป", "53(5)", (100, 1200), (20, 300)),
    ("เฟอร์นิเจอร์ไม้", "35(1)", (50, 400), (15, 120)),
]
STEMS = ["สยาม", "ไทยรุ่งเรือง", "เจริญผล", "ศรีสุข", "มั่นคง", "รุ่งโรจน์", "พัฒนา", "อุดมทรัพย์", "สินไทย", "เอเชีย",
         "ทักษิณ", "เจ้าพระยา", "ชัยมงคล", "ทองไทย", "ร่วมใจ", "ก้าวหน้า", "บูรพา", "สุวรรณ", "นครไทย", "ธนากร",
         "วัฒนา", "เกษตรทอง", "ไทยเจริญ", "รวมมิตร", "ประเสริฐ", "มิตรภาพ", "แสงทอง", "ศรีไทย", "สหกิจ", "บุญเจริญ"]  # fmt: skip
FORMS = [("บริษัท ", " จำกัด"), ("ห้างหุ้นส่วนจำกัด ", ""), ("บริษัท ", " จำกัด (มหาชน)"), ("", "")]
SOUTH = {90, 91, 92, 93, 94, 95, 96, 80, 81, 82, 83, 84, 85, 86}
PLAN = {90: 420, 16: 160, 17: 120, 15: 120, 18: 130}  # seed offices; the rest spread below
TOTAL = 2000


def demo_rows(total: int = TOTAL, seed: int = 2566) -> list[dict]:
    rng = random.Random(seed)
    subs_by_province: dict[int, list[tuple[int, int]]] = {}
    for code, district, province in SubDistrict.objects.values_list("code", "district_id", "district__province_id"):
        subs_by_province.setdefault(province, []).append((code, district))
    others = [p for p in Province.objects.order_by("code").values_list("code", flat=True) if p not in PLAN]
    counts = {code: round(n * total / TOTAL) for code, n in PLAN.items()}
    remaining = total - sum(counts.values())
    for i in range(remaining):
        counts[others[i % len(others)]] = counts.get(others[i % len(others)], 0) + 1
    rows = []
    for province, count in sorted(counts.items()):
        trades = TRADES_SOUTH if province in SOUTH else TRADES_CENTRAL
        for seq in range(1, count + 1):
            trade, category, hp, workers = rng.choice(trades)
            prefix, suffix = rng.choice(FORMS)
            stem = rng.choice(STEMS)
            name = f"{prefix}{stem}{trade}{suffix}" if prefix else f"โรงงาน{trade}{stem}"
            sub, district = rng.choice(subs_by_province[province])
            issuer = "1" if province == 10 else "2"
            estate = "1" if rng.random() < 0.08 else "0"
            year = rng.randint(1995, 2024)
            rows.append(
                {
                    "reg_no": f"{issuer}{estate}{province:02d}{seq:05d}{year + 543:04d}0"[:14].ljust(14, "0"),
                    "name": name,
                    "operator": f"{stem}{trade}" if prefix else f"นาย{rng.choice(STEMS)} {rng.choice(STEMS)}",
                    "factory_type": str(rng.choices([1, 2, 3], weights=[2, 3, 5])[0]),
                    "category_code": category,
                    "jurisdiction": "diw" if province == 10 else ("estate" if estate == "1" else "provincial"),
                    "address": f"เลขที่ {rng.randint(1, 999)} หมู่ {rng.randint(1, 12)}",
                    "province_code": str(province),
                    "district_code": str(district),
                    "sub_district_code": str(sub),
                    "latitude": "",
                    "longitude": "",
                    "machinery_hp": str(rng.randint(*hp)),
                    "workers": str(rng.randint(*workers)),
                    "status": rng.choices(["operating", "suspended", "closed"], weights=[92, 5, 3])[0],
                    "licence_issued_on": date(year, rng.randint(1, 12), rng.randint(1, 28)).isoformat(),
                    "operating_since": date(year, 1, 1).isoformat(),
                }
            )
    return rows


def load_demo_factories(*, by) -> int:
    rows = demo_rows()
    known = set(Factory.objects.filter(reg_no__in=[r["reg_no"] for r in rows]).values_list("reg_no", flat=True))
    fresh = [r for r in rows if r["reg_no"] not in known]
    return register_rows(fresh, by=by) if fresh else 0
