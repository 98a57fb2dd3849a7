"""Who operates which factory is a grant: the process administrator's adds and deletes in the admin
enter the audit chain."""

import pytest
from django.conf import settings
from django.urls import reverse

from registry.selfreports.models import FactoryOperator
from tests.factories import FactoryFactory, PersonFactory
from workflows import audit
from workflows.models.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_an_operator_given_and_taken_away_in_the_admin_is_audited(client):
    admin = PersonFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    person, factory = PersonFactory(), FactoryFactory()
    data = {"person": person.pk, "factory": factory.pk}
    assert client.post(reverse("admin:registry_factoryoperator_add"), data).status_code == 302
    link = FactoryOperator.objects.get(person=person, factory=factory)
    delete = reverse("admin:registry_factoryoperator_delete", args=[link.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    given, taken = AuditEntry.objects.filter(chain=audit.chain_key(link)).order_by("seq")
    assert given.action == "admin.factoryoperator.add" and given.after == {"person": person.pk, "factory": factory.pk}
    assert taken.action == "admin.factoryoperator.delete" and taken.before["person"] == person.pk
    assert given.actor == admin == taken.actor
