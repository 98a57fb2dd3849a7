"""Writes to the registry. Views and the import call these; nothing else saves a Factory."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from permissions import access
from workflows import audit, outbox

from .errors import RegistryError
from .models import Factory, FactoryImport
from .rules import GeoIndex
from .tasks import import_factories
from .validators import normalise_registration_number, validate_registration_number

EDITABLE = (
    "reg_no", "name", "operator", "factory_type", "category_code", "jurisdiction", "status", "address",
    "province", "district", "sub_district", "latitude", "longitude", "machinery_hp", "workers",
    "licence_issued_on", "operating_since",
)  # fmt: skip


AUDITED = (*EDITABLE, "office")


def _apply(factory: Factory, data: dict, geo: GeoIndex) -> None:
    for name, value in data.items():
        if name.removesuffix("_id") not in EDITABLE:
            raise RegistryError({name: _("This field cannot be set.")})
        setattr(factory, name, value)
    factory.reg_no = normalise_registration_number(factory.reg_no)
    try:
        validate_registration_number(factory.reg_no)
    except ValidationError as exc:
        raise RegistryError({"reg_no": exc.messages[0]}) from None
    errors = geo.address_errors(factory.province_id, factory.district_id, factory.sub_district_id)
    if errors:
        raise RegistryError(errors)
    factory.postcode = factory.postcode or geo.postcode(factory.sub_district_id)
    factory.office_id = geo.office_for(factory.province_id)


@transaction.atomic
def factory_create(*, by, data: dict) -> Factory:
    factory = Factory()
    _apply(factory, data, GeoIndex.load())
    if not access.can(by, "change", factory):
        raise PermissionDenied
    if Factory.objects.filter(reg_no=factory.reg_no).exists():
        raise RegistryError({"reg_no": _("A factory with this registration number is already registered.")})
    factory.save()
    return factory


@transaction.atomic
def factory_update(*, factory: Factory, by, data: dict) -> Factory:
    factory = Factory.objects.select_for_update().get(pk=factory.pk)
    access.require(by, "change", factory)
    before = audit.snapshot(factory, AUDITED)
    _apply(factory, data, GeoIndex.load())
    access.require(by, "change", factory)  # may not move a factory out of one's scope either
    if Factory.objects.filter(reg_no=factory.reg_no).exclude(pk=factory.pk).exists():
        raise RegistryError({"reg_no": _("A factory with this registration number is already registered.")})
    factory.save()
    audit.record_changes(subject=factory, before=before, after=audit.snapshot(factory, AUDITED), by=by)
    return factory


def import_start(*, by, upload) -> FactoryImport:
    """Store an uploaded CSV and queue its import (runs at once in the embedded set-up)."""
    if not access.can_anywhere(by, "change"):
        raise PermissionDenied
    if not upload.name.lower().endswith(".csv"):
        raise RegistryError({"file": _("Upload a .csv file.")})
    if upload.size > settings.IMPORT_MAX_BYTES:
        raise RegistryError(
            {"file": _("The file is larger than %(mb)s MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}}
        )
    with transaction.atomic():  # the job and its outbox row, or neither
        job = FactoryImport.objects.create(created_by=by, file=upload, original_name=upload.name[:255])
        outbox.enqueue(import_factories, job.pk)
    return job
