"""Loading the Thai geography and the provincial offices from the shared CSVs (idempotent)."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import District, Province, SubDistrict


def _rows(name: str) -> list[dict]:
    path = Path(settings.GEO_DATA_DIR) / name
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.DictReader(fh) if not row.get("deleted_at")]


@transaction.atomic
def load_geography() -> dict[str, int]:
    """Provinces, districts and sub-districts keyed by the official DOPA codes.
    The CSV's province `id` is a running number: the official 2-digit code is taken from the
    first two digits of its districts' codes."""
    regions = {row["id"]: row["name"] for row in _rows("geographies.csv")}
    districts = _rows("districts.csv")
    province_code = {row["province_id"]: int(row["id"][:2]) for row in districts}
    provinces = [
        Province(
            code=province_code[row["id"]],
            name_th=row["name_th"].strip(),
            name_en=row["name_en"].strip(),
            region=regions.get(row["geography_id"], ""),
        )
        for row in _rows("provinces.csv")
    ]
    Province.objects.bulk_create(
        provinces, update_conflicts=True, unique_fields=["code"], update_fields=["name_th", "name_en", "region"]
    )
    District.objects.bulk_create(
        [
            District(
                code=int(row["id"]),
                name_th=row["name_th"].strip(),
                name_en=row["name_en"].strip(),
                province_id=province_code[row["province_id"]],
            )
            for row in districts
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "province"],
    )
    known_districts = {int(row["id"]) for row in districts}
    subs = [
        SubDistrict(
            code=int(row["id"]),
            name_th=row["name_th"].strip(),
            name_en=row["name_en"].strip(),
            district_id=int(row["district_id"]),
            postcode=row["zip_code"].strip(),
        )
        for row in _rows("sub_districts.csv")
        if int(row["district_id"]) in known_districts
    ]
    SubDistrict.objects.bulk_create(
        subs,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name_th", "name_en", "district", "postcode"],
    )
    return {"provinces": len(provinces), "districts": len(districts), "sub_districts": len(subs)}


def cluster_rows() -> list[dict]:
    """clusters.csv with the official province code added."""
    districts = _rows("districts.csv")
    province_code = {row["province_id"]: int(row["id"][:2]) for row in districts}
    return [{**row, "province_code": province_code[row["province_id"]]} for row in _rows("clusters.csv")]
