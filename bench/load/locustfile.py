"""The people of `make bench-load` (bench/load/run.py starts locust on this file with the plan it wrote).

Each locust user is one person of the generated database who logs in through the login form (or, for
the API, sends the token issued to them) and works as that person would: group heads open their inbox
and cases and complete their own tasks (assignments and review approvals), provincial officers sign
off and look at their office's dashboard, inspectors read their inbox, cases and search the factory
registry, executives read the dashboards, integrations page through the API lists. Every response is
checked: a wrong status, a login page where a page was asked for, or a completion that does not
redirect counts as an error."""

import itertools
import json
import os
import random
import re
from pathlib import Path

from locust import HttpUser, between, task

PLAN = json.loads(Path(os.environ["KAMKAP_LOAD_PLAN"]).read_text())
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ERRORS = re.compile(
    r'class="[^"]*(?:errorlist|invalid-feedback|mdc-text-field-helper-line--error)[^"]*"[^>]*>(.{0,200})', re.S
)
POOLS = {role: itertools.cycle(people) for role, people in PLAN["people"].items()}


class Person(HttpUser):
    abstract = True
    wait_time = between(PLAN["wait"][0], PLAN["wait"][1])
    role = ""

    def on_start(self):
        self.me = dict(next(POOLS[self.role]))  # a copy: the task lists are consumed
        self.login()

    # --- requests, each checked -------------------------------------------------------------------

    def login(self) -> None:
        form = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(form.text)
        data = {"username": self.me["username"], "password": PLAN["password"]}
        data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        with self.client.post(
            "/accounts/login/", data=data, name="login", allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {self.me['username']} answered {response.status_code}")

    def page(self, url: str, name: str, params: dict | None = None) -> str:
        with self.client.get(url, name=name, params=params, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("sent to the login page")
            return response.text or ""

    def complete(self, url: str, data: dict, step: str) -> None:
        """A task completion through its page: open the form, post it, expect the redirect."""
        form = self.page(url, f"task page [{step}]")
        token = CSRF.search(form)
        if token is None:
            return  # the page already failed (or is not a form): counted above
        with self.client.post(
            url, data={**data, "csrfmiddlewaretoken": token.group(1)}, name=f"complete [{step}]",
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            location = response.headers.get("Location", "")
            if response.status_code != 302 or "/accounts/login/" in location:
                found = ERRORS.search(response.text or "")
                said = re.sub(r"<[^>]+>|\s+", " ", found.group(1)).strip() if found else ""
                response.failure(f"{response.status_code} {said}"[:200])

    def api(self, url: str, name: str, params: dict | None = None) -> None:
        headers = {"Authorization": f"Token {self.me['token']}"}
        with self.client.get(url, name=name, params=params, headers=headers, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}")

    # --- what everyone may do -------------------------------------------------------------------

    def inbox(self) -> None:
        pages = self.me.get("inbox_pages", 1)
        page = 1 if pages == 1 or random.random() < 0.8 else random.randint(2, min(pages, 5))
        self.page(PLAN["urls"]["inbox"] + ("" if page == 1 else f"?page={page}"), "inbox")

    def case(self) -> None:
        if self.me["cases"]:
            self.page(random.choice(self.me["cases"]), "case page")

    def search(self) -> None:
        self.page(PLAN["urls"]["factories"], "factory search", params={"_search": random.choice(self.me["searches"])})


class GroupHead(Person):
    role = "heads"

    @task(3)
    def read_inbox(self):
        self.inbox()

    @task(3)
    def read_case(self):
        self.case()

    @task(1)
    def search_factories(self):
        self.search()

    @task(3)
    def complete_a_task(self):
        if self.me["review"]:
            self.complete(self.me["review"].pop(), {"decision": "approve"}, "review")
        elif self.me["assign"]:
            url, inspector = self.me["assign"].pop()
            self.complete(url, {"inspector": inspector}, "assign")
        else:
            self.inbox()


class ProvincialOfficer(Person):
    role = "officers"

    @task(3)
    def read_inbox(self):
        self.inbox()

    @task(2)
    def read_case(self):
        self.case()

    @task(2)
    def sign_off(self):
        if self.me["sign_off"]:
            self.complete(self.me["sign_off"].pop(), {"confirm": "on"}, "sign_off")
        else:
            self.inbox()

    @task(2)
    def office_dashboard(self):
        self.page(PLAN["urls"]["dashboard"], "dashboard (own office)")

    @task(1)
    def search_factories(self):
        self.search()


class Inspector(Person):
    role = "inspectors"

    @task(4)
    def read_inbox(self):
        self.inbox()

    @task(3)
    def read_case(self):
        self.case()

    @task(3)
    def search_factories(self):
        self.search()


class Executive(Person):
    role = "executives"

    @task(2)
    def ministry(self):
        self.page(PLAN["urls"]["dashboard"], "dashboard (ministry)")

    @task(2)
    def cluster(self):
        if self.me["clusters"]:
            self.page(random.choice(self.me["clusters"]), "dashboard (cluster)")

    @task(3)
    def office(self):
        if self.me["offices"]:
            self.page(random.choice(self.me["offices"]), "dashboard (office)")

    @task(1)
    def home(self):
        self.page("/", "home")


class Integration(Person):
    """An API client with the token issued to its person (no log-in form)."""

    role = "api"

    def on_start(self):
        self.me = dict(next(POOLS[self.role]))

    @task(3)
    def cases(self):
        page = random.randint(1, self.me["case_pages"])
        self.api(f"/api/cases/?page={page}", "api cases")

    @task(1)
    def open_cases(self):
        self.api("/api/cases/?is_open=true", "api cases (open)")

    @task(2)
    def my_tasks(self):
        self.api("/api/tasks/", "api tasks")

    @task(2)
    def factories(self):
        self.api("/api/factories/", "api factories search", params={"q": random.choice(self.me["searches"])})


for _class in (GroupHead, ProvincialOfficer, Inspector, Executive, Integration):
    _class.fixed_count = PLAN["counts"][_class.role]
del _class  # locust would take the name for one more user class
