from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import District, Province


class DistrictSelect(forms.Select):
    """Each option carries its province, so a tiny inline script can hide the other provinces' districts."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-province"] = instance.province_id
        return option


class PublicComplaintForm(forms.Form):
    """The public form (Thai labels). Rules live in services.complaint_submit, not here."""

    description = forms.CharField(
        label=_("รายละเอียดเรื่องร้องเรียน"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": 5000}),
        help_text=_("เล่าว่าเกิดอะไรขึ้น ที่ไหน เมื่อไร (20–5,000 ตัวอักษร)"),
    )
    province = forms.ModelChoiceField(Province.objects.all(), label=_("จังหวัด"), empty_label=_("— เลือกจังหวัด —"))
    district = forms.ModelChoiceField(
        District.objects.all(), label=_("อำเภอ/เขต"), empty_label=_("— เลือกอำเภอ/เขต —"), widget=DistrictSelect
    )
    factory_text = forms.CharField(
        label=_("โรงงานที่เกี่ยวข้อง (ถ้าทราบ)"),
        required=False,
        max_length=255,
        help_text=_("เลขทะเบียนโรงงานหรือชื่อโรงงาน"),
    )
    contact_name = forms.CharField(label=_("ชื่อผู้ร้องเรียน (ไม่บังคับ)"), required=False, max_length=150)
    contact_phone = forms.CharField(label=_("เบอร์โทรศัพท์ (ไม่บังคับ)"), required=False, max_length=30)
    contact_email = forms.EmailField(label=_("อีเมล (ไม่บังคับ)"), required=False)


class TriageForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept: inspect the factory")), ("reject", _("Reject"))],
        widget=forms.RadioSelect,
    )  # fmt: skip
    factory_reg_no = forms.CharField(
        label=_("Registration number of the factory to inspect"), required=False, max_length=30,
        help_text=_("Needed to accept when the complainant did not name a known factory."),
    )  # fmt: skip
    reason = forms.CharField(
        label=_("Reason / note"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when rejecting."),
    )  # fmt: skip


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer to the complainant"), widget=forms.Textarea(attrs={"rows": 5}))
