import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from org.models import District, SubDistrict
from registry.errors import RegistryError
from registry.models import Factory
from registry.services import factory_create, factory_update
from tests.conftest import LOPBURI, SONGKHLA, office
from tests.factories import FactoryFactory

pytestmark = pytest.mark.django_db


def data(province=SONGKHLA, **changes):
    sub = SubDistrict.objects.select_related("district").filter(district__province_id=province).first()
    base = {
        "reg_no": "2-09-00000099999",
        "name": "บริษัท ทดสอบ จำกัด",
        "operator": "นายทดสอบ",
        "factory_type": 3,
        "category_code": "52(1)",
        "address": "1 หมู่ 1",
        "province_id": province,
        "district_id": sub.district_id,
        "sub_district_id": sub.pk,
    }
    return {**base, **changes}


def test_group_head_registers_a_factory_in_their_office(songkhla_head):
    factory = factory_create(by=songkhla_head, data=data())
    assert factory.reg_no == "20900000099999"
    assert factory.office == office(SONGKHLA)
    assert factory.postcode == factory.sub_district.postcode


def test_district_of_another_province_is_refused(songkhla_head):
    foreign = District.objects.filter(province_id=LOPBURI).first()
    with pytest.raises(RegistryError) as exc:
        factory_create(by=songkhla_head, data=data(district_id=foreign.pk))
    assert "district" in exc.value.errors
    assert not Factory.objects.exists()


def test_sub_district_of_another_district_is_refused(songkhla_head):
    payload = data()
    wrong = SubDistrict.objects.filter(district__province_id=SONGKHLA).exclude(district_id=payload["district_id"])
    with pytest.raises(RegistryError) as exc:
        factory_create(by=songkhla_head, data={**payload, "sub_district_id": wrong.first().pk})
    assert "sub_district" in exc.value.errors


def test_duplicate_registration_number_is_refused(songkhla_head):
    FactoryFactory(reg_no="20900000099999")
    with translation.override("en"), pytest.raises(RegistryError, match="already registered"):
        factory_create(by=songkhla_head, data=data())
    assert Factory.objects.count() == 1


def test_cannot_register_in_another_province(songkhla_head):
    with pytest.raises(PermissionDenied):
        factory_create(by=songkhla_head, data=data(province=LOPBURI))
    assert not Factory.objects.exists()


def test_cannot_move_a_factory_out_of_ones_scope(songkhla_head):
    factory = FactoryFactory()
    moved = data(province=LOPBURI, reg_no=factory.reg_no)
    with pytest.raises(PermissionDenied):
        factory_update(factory=factory, by=songkhla_head, data=moved)
    assert Factory.objects.get(pk=factory.pk).province_id == SONGKHLA


def test_bangkok_factory_has_no_provincial_office(db):
    from tests.factories import PersonFactory

    admin = PersonFactory(is_superuser=True)
    factory = factory_create(by=admin, data=data(province=10, reg_no="10100000000001", jurisdiction="diw"))
    assert factory.office is None


def test_an_edit_is_recorded_with_before_and_after(songkhla_head):
    from workflows.audit import timeline

    factory = FactoryFactory(workers=40)
    payload = data(reg_no=factory.reg_no, workers=55)
    factory_update(factory=factory, by=songkhla_head, data=payload)
    entry = timeline(factory).last()
    assert entry.before["workers"] == 40 and entry.after["workers"] == 55
    assert entry.actor == songkhla_head
