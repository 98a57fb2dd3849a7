"""Inbox pages through the whole Django stack (test client, logged in): ours for the inspector with
the big inbox and for the one with 10x fewer rows, and stock Viewflow's for the stock user."""

from django.test import Client
from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ..timing import explain, kinds, seconds, statements

ROW = b'data-testid="task-row"'


def _page(user, url: str):
    client = Client()
    client.force_login(user)

    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} for {user.username}")
        return response

    return get


def measure(cast) -> tuple[dict, dict]:
    ours, small = (
        _page(cast.big_inbox, reverse("inspection:inbox")),
        _page(cast.small_inbox, reverse("inspection:inbox")),
    )
    stock = _page(cast.stock_user, reverse("stock:inbox"))
    time_ours, time_stock = seconds(ours), seconds(stock)  # not paired: stock is slow, ours gets 5 reps
    sql, sql_small = statements(ours), statements(small)
    page, stock_page = ours(), stock()
    figures = {
        "inbox_ms": time_ours.scaled(1000),
        "inbox_kb": round(len(page.content) / 1024, 1),
        "inbox_queries": len(sql),
        "stock_inbox_ms": time_stock.scaled(1000),
        "stock_inbox_kb": round(len(stock_page.content) / 1024, 1),
        "inbox_queries_10x": len(sql_small),
    }
    slowest = max(sql, key=lambda q: float(q["time"]))
    waiting = Task.objects.filter(status=STATUS.ASSIGNED)
    evidence = {
        "tasks waiting in the big / small / stock inbox": " / ".join(
            f"{waiting.filter(owner=user).count():,}" for user in (cast.big_inbox, cast.small_inbox, cast.stock_user)
        ),
        "inbox rows on the page": page.content.count(ROW),
        "our inbox with 10× fewer rows, ms": seconds(small).scaled(1000).median,
        "inbox statements by kind": kinds(sql),
        "inbox statements, ms each": ", ".join(f"{float(q['time']) * 1000:.0f}" for q in sql),
        "inbox slowest statement": f"{float(slowest['time']) * 1000:.0f} ms: {slowest['sql'][:160]}…",
        "inbox slowest statement's plan": explain(slowest["sql"]),
        "stock inbox statements": len(statements(stock)),
    }
    return figures, evidence
