"""The four standard report kinds (yearly operations, รว. pollutant discharge, วอ./อก.7 hazardous
substances, สก. industrial waste). They are data: `ensure_standard_kinds` creates the missing ones and
leaves the ones an administrator edited alone. Field keys `workers`, `machinery_hp` (ops) and
`wastewater_m3_per_day`, `bod`, `cod`, `tss`, `ph` (rw) are what inspection checklists compare with."""

from django.db import transaction

from .models import ReportField, ReportKind, ValueType
from .periods import Frequency

N, INT, T = ValueType.NUMBER, ValueType.INTEGER, ValueType.TEXT


def _f(key, th, en, unit="", value_type=N, low=0, high=None, required=True):
    return {"key": key, "label_th": th, "label_en": en, "unit": unit, "value_type": value_type,
            "min_value": None if value_type == T else low, "max_value": high, "required": required}  # fmt: skip


STANDARD_KINDS = [
    {
        "code": "ops", "form_ref": "รายงานประจำปี", "frequency": Frequency.YEARLY, "due_days": 60,
        "name_th": "รายงานการประกอบกิจการประจำปี", "name_en": "Yearly operations report", "factory_types": [],
        "fields": [
            _f("main_product", "ผลิตภัณฑ์หลัก", "Main product", value_type=T),
            _f("production_tonnes", "ปริมาณการผลิตผลิตภัณฑ์หลัก", "Production of the main product", "ตัน/ปี",
               high=10_000_000),
            _f("other_products", "ผลิตภัณฑ์อื่นและปริมาณ", "Other products and quantities", value_type=T,
               required=False),
            _f("workers", "จำนวนคนงาน", "Workers", "คน", INT, high=100_000),
            _f("machinery_hp", "กำลังเครื่องจักรรวม", "Total machinery power", "แรงม้า", high=1_000_000),
            _f("electricity_kwh", "การใช้ไฟฟ้า", "Electricity used", "kWh/ปี", high=10_000_000_000),
            _f("fuel_litres", "การใช้เชื้อเพลิง", "Fuel used", "ลิตร/ปี", high=1_000_000_000, required=False),
            _f("raw_material", "วัตถุดิบหลัก", "Main raw material", value_type=T),
            _f("raw_material_tonnes", "ปริมาณวัตถุดิบหลัก", "Main raw material used", "ตัน/ปี", high=10_000_000),
        ],
    },
    {
        "code": "rw", "form_ref": "รว.", "frequency": Frequency.HALF_YEARLY, "due_days": 30,
        "name_th": "รายงานชนิดและปริมาณสารมลพิษที่ระบายออกจากโรงงาน (รว.)",
        "name_en": "Pollutant discharge report (รว.)", "factory_types": [3],
        "fields": [
            _f("wastewater_m3_per_day", "ปริมาณน้ำทิ้งที่ระบายออก", "Wastewater discharged", "ลบ.ม./วัน",
               high=1_000_000),
            _f("bod", "บีโอดี (BOD)", "BOD", "มก./ล.", high=100_000),
            _f("cod", "ซีโอดี (COD)", "COD", "มก./ล.", high=200_000),
            _f("tss", "สารแขวนลอย (TSS)", "Suspended solids (TSS)", "มก./ล.", high=100_000),
            _f("ph", "ความเป็นกรด-ด่าง (pH)", "pH", "", high=14),
            _f("stack_dust_mg_m3", "ฝุ่นละอองจากปล่อง", "Stack dust", "มก./ลบ.ม.", high=100_000, required=False),
            _f("stack_so2_ppm", "ซัลเฟอร์ไดออกไซด์จากปล่อง", "Stack SO₂", "ppm", high=100_000, required=False),
            _f("stack_nox_ppm", "ออกไซด์ของไนโตรเจนจากปล่อง", "Stack NOx", "ppm", high=100_000, required=False),
        ],
    },
    {
        "code": "hazmat", "form_ref": "วอ./อก.7", "frequency": Frequency.YEARLY, "due_days": 60,
        "name_th": "รายงานข้อเท็จจริงเกี่ยวกับวัตถุอันตราย (วอ./อก.7)",
        "name_en": "Hazardous substances report (วอ./อก.7)", "factory_types": [3],
        "fields": [
            _f("substance", "ชื่อวัตถุอันตรายหลัก", "Main hazardous substance", value_type=T),
            _f("un_number", "หมายเลข UN", "UN number", value_type=T, required=False),
            _f("stored_kg", "ปริมาณเก็บรักษาสูงสุด", "Largest quantity stored", "กก.", high=1_000_000_000),
            _f("used_kg", "ปริมาณที่ใช้ทั้งปี", "Quantity used in the year", "กก./ปี", high=1_000_000_000),
        ],
    },
    {
        "code": "waste", "form_ref": "สก.3", "frequency": Frequency.YEARLY, "due_days": 60,
        "name_th": "รายงานประจำปีเกี่ยวกับสิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้ว (สก.3)",
        "name_en": "Industrial waste report (สก.3)", "factory_types": [3],
        "fields": [
            _f("waste_tonnes", "สิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้ว (ไม่อันตราย)", "Non-hazardous industrial waste",
               "ตัน/ปี", high=10_000_000),
            _f("hazardous_waste_tonnes", "ของเสียอันตราย", "Hazardous waste", "ตัน/ปี", high=10_000_000),
            _f("waste_code", "รหัสของเสียหลัก", "Main waste code", value_type=T, required=False),
            _f("disposal", "วิธีกำจัดหรือผู้รับกำจัด", "Disposal method or licensed receiver", value_type=T),
        ],
    },
]  # fmt: skip


@transaction.atomic
def ensure_standard_kinds() -> int:
    """Create the standard kinds that do not exist yet (by code). Returns how many were created."""
    created = 0
    for order, spec in enumerate(STANDARD_KINDS, start=1):
        spec = dict(spec)
        fields = spec.pop("fields")
        kind, made = ReportKind.objects.get_or_create(code=spec["code"], defaults={**spec, "order": order})
        if made:
            created += 1
            ReportField.objects.bulk_create(
                ReportField(kind=kind, order=i, **field) for i, field in enumerate(fields, start=1)
            )
    return created
