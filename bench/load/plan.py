"""Who the locust users are (bench/load/locustfile.py reads this plan): people of the generated
database with the open tasks they own, the cases and factories they may see, the dashboards they may
open, and API tokens for the integrations. Run with Django set up on the load database."""

import math
import random

ROLES = ("heads", "officers", "inspectors", "executives", "api")
SHARE = {"heads": 0.24, "officers": 0.16, "inspectors": 0.24, "executives": 0.12, "api": 0.24}
CASES_EACH = 40
SEARCHES_EACH = 12


def counts_for(users: int) -> dict[str, int]:
    """How many locust users of each role (largest remainder, summing to `users`)."""
    exact = {role: users * SHARE[role] for role in ROLES}
    counts = {role: math.floor(value) for role, value in exact.items()}
    by_remainder = sorted(ROLES, key=lambda role: exact[role] - counts[role], reverse=True)
    for role in by_remainder[: users - sum(counts.values())]:
        counts[role] += 1
    return counts


def _open_tasks(step: str) -> dict[str, list[tuple[int, int, int]]]:
    """Per owner's username: (process id, task id, office id) of their open tasks at `step`."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    rows = (
        Task.objects.filter(status=STATUS.ASSIGNED, flow_task__endswith=f".{step}", owner__isnull=False)
        .filter(process__inspectionprocess__isnull=False)  # not the stock flow's tasks
        .values_list("owner__username", "process_id", "pk", "process__inspectionprocess__inspection__office_id")
        .order_by("pk")
    )
    found: dict[str, list] = {}
    for username, process_id, task_id, office_id in rows:
        found.setdefault(username, []).append((process_id, task_id, office_id))
    return found


def _office_of(tasks: list[tuple[int, int, int]]) -> int:
    return max({office for _p, _t, office in tasks}, key=lambda office: sum(t[2] == office for t in tasks))


def build(*, counts: dict[str, int], wait: tuple[float, float], seed: int = 14) -> dict:
    from django.urls import reverse
    from rest_framework.authtoken.models import Token
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from api.selectors import visible_cases
    from bench.seed.people import BIG_INBOX, SMALL_INBOX
    from dashboards import tracking
    from org.demo import DEMO_PASSWORD
    from org.models import Person, Unit, UnitKind
    from registry.models import Factory
    from workflows.inspection.lists import PAGE
    from workflows.inspection.models import Inspection
    from workflows.inspection.services import office_inspectors

    rng = random.Random(seed)
    review, assign, sign_off, inspect = (_open_tasks(step) for step in ("review", "assign", "sign_off", "inspect"))
    offices = {office.pk: office for office in Unit.objects.filter(kind=UnitKind.OFFICE)}

    def execute(step: str, process_id: int, task_id: int) -> str:
        return reverse(f"inspection:flow:{step}:execute", args=[process_id, task_id])

    def cases_of(office_id: int, **filters) -> list[str]:
        pks = list(Inspection.objects.filter(office_id=office_id, **filters).values_list("pk", flat=True))
        return [reverse("inspection:case", args=[pk]) for pk in rng.sample(pks, min(CASES_EACH, len(pks)))]

    searches: dict[int, list[str]] = {}

    def searches_of(office_id: int) -> list[str]:
        if office_id not in searches:
            rows = list(Factory.objects.filter(office_id=office_id).values_list("reg_no", "operator"))
            terms = {
                term for reg_no, operator in rows for term in (reg_no[:6], operator.split()[0] if operator else "")
            }
            terms.discard("")
            searches[office_id] = rng.sample(sorted(terms), min(SEARCHES_EACH, len(terms))) or ["โรงงาน"]
        return searches[office_id]

    def inbox_pages(username: str) -> int:
        n = Task.objects.filter(owner__username=username, status=STATUS.ASSIGNED).count()
        return max(1, math.ceil(n / PAGE))

    people: dict[str, list[dict]] = {role: [] for role in ROLES}
    # Group heads: the most open assignments and reviews first; completions need distinct people.
    heads = sorted(set(review) | set(assign), key=lambda u: (-len(review.get(u, [])) - len(assign.get(u, [])), u))
    for username in heads[: counts["heads"]]:
        tasks = review.get(username, []) + assign.get(username, [])
        office = _office_of(tasks)
        inspectors = {
            o: office_inspectors(offices[o]).exclude(username__in=[BIG_INBOX, SMALL_INBOX]).values_list("pk", flat=True)
            for o in {t[2] for t in assign.get(username, [])}
        }  # fmt: skip
        people["heads"].append({
            "username": username, "inbox_pages": inbox_pages(username), "cases": cases_of(office),
            "searches": searches_of(office),
            "review": [execute("review", p, t) for p, t, _o in review.get(username, [])],
            "assign": [(execute("assign", p, t), inspectors[o][0]) for p, t, o in assign.get(username, [])],
        })  # fmt: skip
    officers = sorted(sign_off, key=lambda u: (-len(sign_off[u]), u))
    for username in officers[: counts["officers"]]:
        office = _office_of(sign_off[username])
        people["officers"].append({
            "username": username, "inbox_pages": inbox_pages(username), "cases": cases_of(office),
            "searches": searches_of(office), "sign_off": [execute("sign_off", p, t) for p, t, _o in sign_off[username]],
        })  # fmt: skip
    inspectors = sorted(inspect, key=lambda u: (-len(inspect[u]), u))  # the big bench inbox first
    for username in inspectors[: counts["inspectors"]]:
        office = _office_of(inspect[username])
        mine = cases_of(office, inspector__username=username)
        people["inspectors"].append({
            "username": username, "inbox_pages": inbox_pages(username), "cases": mine or cases_of(office),
            "searches": searches_of(office),
        })  # fmt: skip
    watchers = Person.objects.filter(username__in=["dps", "executive"]) | Person.objects.filter(
        username__startswith="aps"
    )
    for person in watchers.order_by("username"):
        clusters = [
            reverse("dashboards:cluster", args=[pk])
            for pk in tracking.visible_clusters(person).values_list("pk", flat=True)
        ]
        office_pks = list(tracking.visible_offices(person).filter(kind=UnitKind.OFFICE).values_list("pk", flat=True))
        offices_seen = [
            reverse("dashboards:office", args=[pk]) for pk in rng.sample(office_pks, min(20, len(office_pks)))
        ]
        people["executives"].append({"username": person.username, "clusters": clusters, "offices": offices_seen})
    # Integrations: people not already logged in above, each with the token issued to them.
    used = {p["username"] for role in ("heads", "officers") for p in people[role]}
    callers = [u for u in [*officers, *heads] if u not in used][: counts["api"]] or [*officers, *heads][: counts["api"]]
    for username in callers:
        person = Person.objects.get(username=username)
        office = _office_of(sign_off.get(username) or review.get(username) or assign.get(username))
        token, _created = Token.objects.get_or_create(user=person)
        case_pages = max(1, min(5, math.ceil(visible_cases(person).count() / 50)))
        people["api"].append({"username": username, "token": token.key, "case_pages": case_pages,
                              "searches": searches_of(office)})  # fmt: skip
    return {
        "password": DEMO_PASSWORD,
        "wait": list(wait),
        "counts": counts,
        "urls": {
            "inbox": reverse("inspection:inbox"),
            "factories": reverse("registry:factory:index"),
            "dashboard": reverse("dashboards:index"),
        },
        "people": people,
        "completions_planned": {
            "review": sum(len(p["review"]) for p in people["heads"]),
            "assign": sum(len(p["assign"]) for p in people["heads"]),
            "sign_off": sum(len(p["sign_off"]) for p in people["officers"]),
        },
    }


def completions_since(started) -> dict[str, int]:
    """Tasks finished by people at each step since `started`, as the database records them."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    done = Task.objects.filter(status=STATUS.DONE, finished__gte=started)
    return {step: done.filter(flow_task__endswith=f".{step}").count() for step in ("review", "assign", "sign_off")}
