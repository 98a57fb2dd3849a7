"""Default risk weights (one row per component, Thai explanation) and the high-risk categories:
data the process administrator edits afterwards."""

from django.db import migrations

CATEGORIES = [
    ("101", 5, "โรงงานปรับคุณภาพของเสียรวม (บำบัด/กำจัดของเสีย)"),
    ("105", 5, "โรงงานคัดแยกหรือฝังกลบสิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้ว"),
    ("106", 5, "โรงงานนำสิ่งปฏิกูลหรือวัสดุที่ไม่ใช้แล้วมาผลิตใหม่"),
    ("42", 4, "โรงงานผลิตเคมีภัณฑ์ สารเคมี"),
    ("89", 3, "โรงงานผลิตพลังงานไฟฟ้า"),
    ("16", 3, "โรงงานสกัดน้ำมันจากพืช (น้ำเสียปริมาณมาก)"),
    ("52", 3, "โรงงานแปรรูปยาง (น้ำเสียและกลิ่น)"),
    ("9", 2, "โรงงานแปรรูปสัตว์น้ำ (น้ำเสีย)"),
    ("17", 2, "โรงงานผลิตน้ำตาล (ฝุ่นและน้ำเสีย)"),
]


def seed(apps, schema_editor):
    from decimal import Decimal

    from workflows.planning.risk import DEFAULT_WEIGHTS

    RiskWeight = apps.get_model("planning", "RiskWeight")
    CategoryRisk = apps.get_model("planning", "CategoryRisk")
    for component, (per_unit, max_points, th, en) in DEFAULT_WEIGHTS.items():
        RiskWeight.objects.get_or_create(
            component=component,
            defaults={"points_per_unit": Decimal(per_unit), "max_points": Decimal(max_points),
                      "explanation_th": th, "explanation_en": en},
        )
    for code, units, note in CATEGORIES:
        CategoryRisk.objects.get_or_create(code=code, defaults={"units": units, "note": note})


class Migration(migrations.Migration):
    dependencies = [("planning", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
