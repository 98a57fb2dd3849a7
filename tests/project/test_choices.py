"""project.choices.label gives what get_FOO_display gives, for every value of every choices field of
Kamkap's models, in Thai and in English, and a value that is not a choice as it is."""

import pytest
from django.apps import apps
from django.utils import translation

from project.choices import label

FIELDS = [
    field
    for model in apps.get_models()
    if model.__module__.split(".")[0] in {"org", "registry", "workflows", "dashboards", "api", "permissions"}
    for field in model._meta.concrete_fields
    if field.choices
]


def test_there_are_choices_fields_to_compare():
    assert len(FIELDS) > 20


@pytest.mark.parametrize("language", ["th", "en"])
def test_every_label_is_get_foo_displays(language):
    with translation.override(language):
        for field in FIELDS:
            instance = field.model()
            for value, _text in field.flatchoices:
                setattr(instance, field.attname, value)
                shown = getattr(instance, f"get_{field.name}_display")()
                assert label(field, value) == shown, (field, value)
            assert label(field, "not-a-choice") == "not-a-choice"


def test_the_label_follows_the_language():
    from workflows.inspection.models import Inspection

    field = Inspection._meta.get_field("outcome")
    with translation.override("th"):
        thai = label(field, "compliant")
    with translation.override("en"):
        english = label(field, "compliant")
    assert thai != english and english == "Compliant", (thai, english)
