import factory
from django.contrib.auth.hashers import make_password

from org.models import Person, SubDistrict, Unit
from registry.models import Factory

PASSWORD = "test-pass-123"
_HASH = make_password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Sequence(lambda n: f"สมชาย{n}")
    last_name = "ใจดี"
    password = _HASH


class FactoryFactory(factory.django.DjangoModelFactory):
    """A registered factory (defaults to Songkhla); office follows the province as the service sets it."""

    class Meta:
        model = Factory

    class Params:
        province_code = 90

    reg_no = factory.Sequence(lambda n: f"2090{n:010d}")
    name = factory.Sequence(lambda n: f"บริษัท โรงงานทดสอบ {n} จำกัด")
    operator = "บริษัท ทดสอบ จำกัด"
    factory_type = 3
    category_code = "52(1)"
    address = "เลขที่ 1 หมู่ 2"

    @factory.lazy_attribute
    def sub_district(self):
        return SubDistrict.objects.select_related("district").filter(district__province_id=self.province_code).first()

    district = factory.LazyAttribute(lambda o: o.sub_district.district)
    province_id = factory.LazyAttribute(lambda o: o.province_code)
    postcode = factory.LazyAttribute(lambda o: o.sub_district.postcode)
    office = factory.LazyAttribute(lambda o: Unit.objects.filter(kind="office", province_id=o.province_code).first())


def image_bytes(format: str = "PNG", size: tuple[int, int] = (8, 8)) -> bytes:
    """A real image file (drawn with Pillow): uploads are judged by what Pillow decodes."""
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, format)
    return buffer.getvalue()
