"""Registry rules shared by the form service and the bulk import: address consistency against
the official geography, and which office supervises a factory. Lookups load once (GeoIndex) so
that a 10k-row import validates without a query per row."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from org.models import District, SubDistrict, Unit, UnitKind

BANGKOK = 10


@dataclass
class GeoIndex:
    district_province: dict[int, int]
    sub_district: dict[int, tuple[int, str]]  # code → (district code, postcode)
    office_of_province: dict[int, int]

    @classmethod
    def load(cls) -> "GeoIndex":
        return cls(
            district_province=dict(District.objects.values_list("code", "province_id")),
            sub_district={c: (d, p) for c, d, p in SubDistrict.objects.values_list("code", "district_id", "postcode")},
            office_of_province=dict(Unit.objects.filter(kind=UnitKind.OFFICE).values_list("province_id", "pk")),
        )

    def address_errors(self, province: int, district: int, sub_district: int) -> dict[str, str]:
        errors = {}
        if province not in set(self.district_province.values()):
            errors["province"] = _("Unknown province code %(code)s.") % {"code": province}
            return errors
        if self.district_province.get(district) is None:
            errors["district"] = _("Unknown district code %(code)s.") % {"code": district}
        elif self.district_province[district] != province:
            errors["district"] = _("District %(code)s is not in province %(province)s.") % {
                "code": district,
                "province": province,
            }
        sub = self.sub_district.get(sub_district)
        if sub is None:
            errors["sub_district"] = _("Unknown sub-district code %(code)s.") % {"code": sub_district}
        elif sub[0] != district:
            errors["sub_district"] = _("Sub-district %(code)s is not in district %(district)s.") % {
                "code": sub_district,
                "district": district,
            }
        return errors

    def postcode(self, sub_district: int) -> str:
        return self.sub_district.get(sub_district, (0, ""))[1]

    def office_for(self, province: int) -> int | None:
        """The provincial office holds the registry of its province; Bangkok has none (DIW)."""
        return self.office_of_province.get(province)
