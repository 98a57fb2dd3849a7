"""The factory registry (Factory Act B.E. 2535 as amended B.E. 2562)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from org.models import District, Province, SubDistrict, Unit
from project.links import link

from .validators import ISSUERS, validate_registration_number


class FactoryType(models.IntegerChoices):
    TYPE_1 = 1, _("Type 1")
    TYPE_2 = 2, _("Type 2")
    TYPE_3 = 3, _("Type 3")


class Jurisdiction(models.TextChoices):
    PROVINCIAL = "provincial", _("Provincial industry office")
    DIW = "diw", _("Department of Industrial Works")
    ESTATE = "estate", _("Industrial estate")
    LOCAL = "local", _("Local government")


class FactoryStatus(models.TextChoices):
    OPERATING = "operating", _("Operating")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class Factory(models.Model):
    reg_no = models.CharField(
        _("registration number"), max_length=14, unique=True, validators=[validate_registration_number]
    )
    name = models.CharField(_("factory name"), max_length=255)
    operator = models.CharField(_("operator"), max_length=255)
    factory_type = models.PositiveSmallIntegerField(
        _("factory type"),
        choices=FactoryType.choices,
        help_text=_("Type 1 may operate at once; type 2 notifies before starting; type 3 needs a licence."),
    )
    category_code = models.CharField(
        _("category code"), max_length=20, help_text=_("Factory category number, e.g. 3(1) or 101")
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=12, choices=Jurisdiction.choices, default=Jurisdiction.PROVINCIAL
    )
    office = models.ForeignKey(
        Unit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="factories",
        verbose_name=_("supervising office"),
        limit_choices_to={"kind": "office"},
    )
    address = models.CharField(_("address"), max_length=255, help_text=_("House number, village, road"))
    sub_district = models.ForeignKey(SubDistrict, models.PROTECT, verbose_name=_("sub-district"))
    district = models.ForeignKey(District, models.PROTECT, verbose_name=_("district"))
    province = models.ForeignKey(Province, models.PROTECT, verbose_name=_("province"))
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(5), MaxValueValidator(21)],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(97), MaxValueValidator(106)],
    )
    machinery_hp = models.DecimalField(
        _("machinery (hp)"), max_digits=12, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    workers = models.PositiveIntegerField(_("workers"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=FactoryStatus.choices, default=FactoryStatus.OPERATING
    )
    licence_issued_on = models.DateField(_("licence issued on"), null=True, blank=True)
    operating_since = models.DateField(_("operating since"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("factory")
        verbose_name_plural = _("factories")
        indexes = [
            models.Index(fields=["office", "name"]),
            models.Index(fields=["province", "status"]),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(factory_type__in=[1, 2, 3]), name="factory_type_1_2_3"),
        ]

    def __str__(self):
        return f"{self.name} ({self.reg_no})"

    def get_absolute_url(self):
        return link("registry:factory:detail", self.pk)

    @property
    def issuer(self) -> str:
        return str(ISSUERS.get(self.reg_no[:1], ""))


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    VALIDATING = "validating", _("Checking rows")
    WRITING = "writing", _("Saving")
    FAILED = "failed", _("Rejected — nothing saved")
    DONE = "done", _("Imported")


class ImportJob(models.Model):
    """One CSV upload checked row by row, then saved all at once or not at all (progress shown as it goes)."""

    created_by = models.ForeignKey("org.Person", models.PROTECT, verbose_name=_("uploaded by"))
    original_name = models.CharField(_("file name"), max_length=255)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows checked"), default=0)
    errors = models.JSONField(_("row errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.PENDING, ImportStatus.VALIDATING, ImportStatus.WRITING)


class FactoryImport(ImportJob):
    """One CSV upload: all rows are saved in one transaction, or none when any row fails."""

    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    created_count = models.PositiveIntegerField(_("factories created"), default=0)

    class Meta(ImportJob.Meta):
        verbose_name = _("factory import")
        verbose_name_plural = _("factory imports")


# The self-report models live in their own module of this app.
from .selfreports.models import (  # noqa: E402
    FactoryOperator,
    ReportField,
    ReportImport,
    ReportKind,
    ReportValue,
    SelfReport,
)

__all__ = [
    "Factory", "FactoryImport", "FactoryOperator", "FactoryStatus", "FactoryType", "ImportJob", "ImportStatus",
    "Jurisdiction", "ReportField", "ReportImport", "ReportKind", "ReportValue", "SelfReport",
]  # fmt: skip
