"""How the inbox's time grows with the rows (issue 20 item 1): our inbox page for the inspector with
the big inbox and for the one with 10× fewer tasks, timed in turn rep by rep (the same load on both).
At `--inbox 50000` the small inbox holds 5,000 tasks: `inbox_ms_5k` is its page and `inbox_growth`
the big page's time over it (goal ≤ 1.2: keyset pages, workflows.keyset). At other sizes the keys
hold the same ratio for --inbox and --inbox/10 tasks (the evidence names them)."""

from django.urls import reverse
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from ..timing import paired, statements
from .inbox import _page

REPS = 9  # both pages are fast: more reps steady the ratio of two medians


def measure(cast) -> tuple[dict, dict]:
    url = reverse("inspection:inbox")
    big, small = _page(cast.big_inbox, url), _page(cast.small_inbox, url)
    time_big, time_small = paired(big, small, reps=REPS)
    waiting = Task.objects.filter(status=STATUS.ASSIGNED)
    sql_big, sql_small = statements(big), statements(small)
    task_reads = [q["sql"] for q in sql_big if 'FROM "viewflow_task"' in q["sql"]]
    figures = {
        "inbox_ms_5k": time_small.scaled(1000),
        "inbox_growth": round(time_big.median / time_small.median, 2),
    }
    evidence = {
        "inbox growth: tasks in the big / small inbox": " / ".join(
            f"{waiting.filter(owner=user).count():,}" for user in (cast.big_inbox, cast.small_inbox)
        ),
        "inbox growth: big inbox ms (paired with the small one)": time_big.scaled(1000),
        "inbox growth: statements big / small": f"{len(sql_big)} / {len(sql_small)}",
        "inbox growth: COUNT over viewflow_task in the big inbox's statements": sum(
            "COUNT(" in sql.upper() for sql in task_reads
        ),
        "inbox growth: task reads, ms each": ", ".join(
            f"{float(q['time']) * 1000:.1f}" for q in sql_big if 'FROM "viewflow_task"' in q["sql"]
        ),
    }
    return figures, evidence
