"""Admin forms of the approval rules: the process administrator ticks levels and picks kinds from
lists, never types JSON. The levels are stored as the same JSON list the chain reads, in chain order."""

from django import forms
from django.utils.translation import gettext_lazy as _

from org.models import PositionKind
from workflows.inspection.models import OrderKind, Severity

from .models import ApprovalRule
from .models.approval import CHAIN_KINDS, RuleSubject, validate_levels


def level_label(kind: str) -> str:
    return str(PositionKind(kind).label) if kind in PositionKind.values else str(kind)


def levels_text(levels) -> str:
    """`อุตสาหกรรมจังหวัด → ผู้ช่วยปลัดกระทรวง`: a rule's levels as a person reads them."""
    if not isinstance(levels, list):
        return str(levels)
    return " → ".join(level_label(kind) for kind in levels)


class LevelsField(forms.MultipleChoiceField):
    """One checkbox per level of the chain, in chain order; the ticked ones are stored climbing the
    chain (office → assistant PS → deputy PS), so they can neither repeat nor go down."""

    widget = forms.CheckboxSelectMultiple
    default_error_messages = {
        "required": _("Tick at least one approval level."),
        "invalid_choice": _("%(value)s is not a level of the approval chain."),
    }

    def __init__(self, **kwargs):
        super().__init__(choices=[(kind.value, kind.label) for kind in CHAIN_KINDS], **kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, list | tuple) else []

    def clean(self, value):
        picked = super().clean(value)
        ordered = [kind.value for kind in CHAIN_KINDS if kind.value in picked]
        validate_levels(ordered)
        return ordered


class ApprovalRuleForm(forms.ModelForm):
    levels = LevelsField(
        label=_("approval levels"),
        help_text=_(
            "Tick who approves, from the provincial industry officer up. A vacant post is skipped and the "
            "next level up approves."
        ),
    )
    order_kind = forms.ChoiceField(
        label=_("order kind"),
        choices=[("", _("Any kind of order"))] + list(OrderKind.choices),
        required=False,
        help_text=_("Only for corrective orders."),
    )
    min_severity = forms.TypedChoiceField(
        label=_("from severity"),
        choices=[("", _("Any severity"))] + list(Severity.choices),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Only for corrective orders: the rule applies from this severity of the case up."),
    )

    class Meta:
        model = ApprovalRule
        fields = ("subject", "name", "order_kind", "min_severity", "min_amount", "levels", "priority", "active")
        labels = {"updated_by": _("updated by")}
        help_texts = {
            "min_amount": _("Only for budget projects: the rule applies from this amount up. Blank: any amount."),
            "priority": _("When several active rules match a case, the one with the highest priority decides."),
        }

    def clean(self):
        data = super().clean()
        if data.get("subject") == RuleSubject.BUDGET_PROJECT:
            if data.get("order_kind"):
                self.add_error("order_kind", _("A rule for budget projects has no order kind; leave it as any."))
            if data.get("min_severity") is not None:
                self.add_error("min_severity", _("A rule for budget projects has no severity; leave it as any."))
        if data.get("subject") == RuleSubject.ORDER and data.get("min_amount") is not None:
            self.add_error("min_amount", _("A rule for corrective orders has no amount; leave it blank."))
        return data
