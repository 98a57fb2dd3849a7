"""schemathesis (a client the project did not write) against the live schema of the running app, as
three personas — anonymous, a group head, a factory operator: every operation of /api/v1/ is called
with generated requests (valid and invalid), each answer run through schemathesis's default checks
(no 5xx, a documented status, content type and headers, a body matching its schema, invalid input
refused, valid input accepted...). Examples are bounded so the whole run stays short."""

import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import checks
from schemathesis.generation import GenerationMode

from api import tokens
from tests.factories import FactoryFactory
from tests.registry.selfreports.factories import OperatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes the database connection after each request (close_old_connections), which
    would end the test's transaction on PostgreSQL; Django's test client disconnects it likewise."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


EXAMPLES = 3  # per operation, persona and generation mode (valid, invalid)
STATEFUL_SCENARIOS = 10  # per persona, each of up to 4 linked calls


def schema():
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())


# Pages go gzipped to a client that accepts it (django.middleware.gzip); schemathesis's WSGI transport asks for
# gzip like an HTTP library but reads the body as it comes, so the personas ask for it uncompressed.
PLAIN = {"Accept-Encoding": "identity"}


def token_of(person) -> dict:
    _token, key = tokens.token_issue(user=person, scopes=list(tokens.SCOPES))
    return {"Authorization": f"Token {key}", **PLAIN}


def run_operation(operation, headers: dict) -> None:
    """EXAMPLES valid and EXAMPLES invalid requests of one operation, every answer checked."""
    # A POST or PUT may be refused for what the schema cannot say (no such province, report kind or
    # factory, a second open case): a 400 to a schema-valid body is the service's rule, not a fault.
    excluded = [] if operation.method.upper() == "GET" else [checks.positive_data_acceptance]
    strategy = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @settings(
        max_examples=2 * EXAMPLES, deadline=None, database=None, derandomize=True,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )  # fmt: skip
    @given(case=strategy)
    def check(case):
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


def run_all(headers: dict) -> list[str]:
    failures = []
    for result in schema().get_all_operations():
        operation = result.ok()
        try:
            run_operation(operation, headers)
        except (Exception, BaseExceptionGroup) as exc:  # collected: every failing operation is reported
            failures.append(f"{operation.label}: {exc}"[:3000])
    return failures


@pytest.mark.parametrize("persona", ["anonymous", "group_head", "operator"])
def test_schemathesis_default_checks_pass_for_each_persona(persona, songkhla):
    FactoryFactory.create_batch(2)
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    headers = {"anonymous": PLAIN, "group_head": token_of(songkhla.head), "operator": token_of(link.person)}[persona]
    started = time.monotonic()
    failures = run_all(headers)
    print(f"{persona}: {time.monotonic() - started:.1f} s")
    assert not failures, "\n\n".join(failures)


def stateful_machine(headers: dict):
    """schemathesis's state machine over the schema's links (those it infers: an object created, then
    read by its id), calling as the persona, checked as above."""
    machine = schema().as_state_machine()

    class Persona(machine):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            excluded = [] if case.operation.method.upper() == "GET" else [checks.positive_data_acceptance]
            case.validate_response(
                response, headers=kwargs.get("headers"), additional_checks=additional_checks,
                excluded_checks=excluded, transport_kwargs=kwargs,
            )  # fmt: skip  # the persona's headers, so that the auth checks know the credentials were the caller's

    return Persona


@pytest.mark.parametrize("persona", ["anonymous", "group_head", "operator"])
def test_schemathesis_stateful_links_for_each_persona(persona, songkhla, checklist):  # noqa: F811
    link = OperatorFactory(factory=FactoryFactory(factory_type=3))
    FactoryFactory.create_batch(2)
    headers = {"anonymous": PLAIN, "group_head": token_of(songkhla.head), "operator": token_of(link.person)}[persona]
    machine = stateful_machine(headers)
    started = time.monotonic()
    machine.run(
        settings=settings(
            max_examples=STATEFUL_SCENARIOS, stateful_step_count=4, deadline=None, database=None, derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )  # fmt: skip
    print(f"stateful {persona}: {time.monotonic() - started:.1f} s")
