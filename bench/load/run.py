"""`make bench-load`: locust headless on loopback against gunicorn on PostgreSQL (issue 14).

    .venv/bin/python bench/load/run.py [--users 50] [--time 5m] [--spawn-rate 2] [--workers N]
        [--database-url postgres://postgres@127.0.0.1:5432/kamkap_load] [--factories 3000] [--cases 20000]
        [--inbox 2000] [--no-write]

1. The generated database is kept as <name>_seed (bench/generate.py fills it when it is missing or
   holds other sizes); every run works on a fresh copy, <name> (CREATE DATABASE … TEMPLATE), since
   the run completes tasks. Only an empty or a benchmark database is ever dropped or filled.
2. The copy is migrated; the plan (bench/load/plan.py: who logs in, their open tasks, cases,
   searches, dashboards, API tokens) is written for the locust users.
3. gunicorn (project/gunicorn.py, DEBUG off) on a free loopback port with its own control socket;
   locust headless with --csv; gunicorn stopped; the figures merged into bench/results.json and a
   section of bench/RESULTS.md (--no-write: printed only, for a trial run)."""

import argparse
import json
import os
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench import boot  # noqa: E402
from bench.generate import DEFAULTS  # noqa: E402
from bench.load import plan as load_plan  # noqa: E402
from bench.load import report  # noqa: E402
from bench.seed.ledger import MARK  # noqa: E402

HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/kamkap_load"
WAIT = (1.0, 3.0)  # seconds a person waits between two requests


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--time", default="5m", help="locust's --run-time: 30s, 5m…")
    parser.add_argument("--spawn-rate", type=float, default=2, help="users started a second (each logs in)")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: project/gunicorn.py's)")
    parser.add_argument("--database-url", default=os.environ.get("LOAD_DATABASE_URL") or DEFAULT_URL)
    for name, default in DEFAULTS.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    parser.add_argument("--keep-logs", type=Path, default=None, help="copy gunicorn's and locust's files here")
    parser.add_argument("--no-write", action="store_true", help="print the figures, leave bench/results.json")
    return parser.parse_args(argv)


# --- databases ---------------------------------------------------------------------------------------


def _with_path(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _connect(url: str):
    import psycopg

    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True, connect_timeout=5)


def _exists(admin_url: str, name: str) -> bool:
    with _connect(admin_url) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def _tables(url: str) -> set[str]:
    with _connect(url) as conn:
        rows = conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        return {name for (name,) in rows}


def _refuse_unless_ours(url: str) -> None:
    tables = _tables(url)
    if tables and MARK not in tables:
        raise SystemExit(f"{boot.database_label(url)} holds data bench/generate.py did not make: not touching it.")


def prepare_database(url: str, sizes: dict) -> dict:
    """Generate <name>_seed when needed, then make <name> a fresh copy of it; returns the generation."""
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if not url.startswith(("postgres://", "postgresql://")) or not name:
        raise SystemExit(f"bench-load runs on PostgreSQL only (a database of its own), not {url!r}.")
    admin, seed_name = _with_path(url, "postgres"), f"{name}_seed"
    seed = _with_path(url, seed_name)
    with _connect(admin) as conn:
        if not _exists(admin, seed_name):
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(seed_name)))
    _refuse_unless_ours(seed)
    sizes_args = [f"--{key}={value}" for key, value in sizes.items()]
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), f"--database-url={seed}", *sizes_args],
                   check=True, cwd=ROOT)  # fmt: skip
    if _exists(admin, name):
        _refuse_unless_ours(url)
    with _connect(admin) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        began = time.perf_counter()
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(seed_name)))
    print(f"Fresh copy {name} of {seed_name} in {time.perf_counter() - began:.1f} s", flush=True)
    with _connect(seed) as conn:
        row = conn.execute("SELECT record FROM bench_generation ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else {}


# --- gunicorn ----------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(
    url: str, workdir: Path, workers: int | None, extra_env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str, Path]:
    """gunicorn with project/gunicorn.py on a free loopback port, once it answers /health/; `extra_env`
    overrides the environment (another settings module, a known SECRET_KEY, threads)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_COOKIES": "false",  # plain http on loopback: the session cookie must come back
        "DATABASE_URL": url,
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_CONTROL_SOCKET": str(workdir / "gunicorn.ctl"),
        "GUNICORN_ACCESS_LOG": str(workdir / "access.log"),
        "MEDIA_ROOT": str(workdir / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",  # rendered, not printed
    }
    if workers:
        env["GUNICORN_WORKERS"] = str(workers)
    env.update(extra_env or {})
    log = workdir / "gunicorn.log"
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", str(ROOT / "project" / "gunicorn.py"), "project.wsgi"],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped (exit {server.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base}/health/", timeout=5) as response:
                if response.status == 200:
                    return server, base, log
        except OSError:
            time.sleep(0.5)
    stop(server)
    raise SystemExit(f"gunicorn did not answer /health/ within 90 s:\n{log.read_text()[-3000:]}")


def warm_up(base: str, workers: int) -> float:
    """Unmeasured login-page requests, several at once, until every worker has served some: a worker's
    first request imports the views and compiles the templates (about 5 s here under load), which a
    server that has been running has long done. Returns the seconds it took."""
    began = time.perf_counter()

    def fetch(_n: int) -> None:
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=60) as response:
            response.read()

    with ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(fetch, range(6 * workers)))
    return time.perf_counter() - began


def stop(server: subprocess.Popen) -> None:
    """TERM to gunicorn's master (a graceful stop), KILL to its process group if it lingers."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def workers_cpu(master: int) -> dict[int, float]:
    """CPU seconds each gunicorn worker (a child of the master) has used so far."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == master:
            found[int(stat.parent.name)] = _cpu_seconds(int(stat.parent.name))
    return found


def workers_of(log: Path) -> int:
    return len(set(re.findall(r"Booting worker with pid: (\d+)", log.read_text())))


def server_errors(access_log: Path) -> int:
    """Responses of 500 and above in gunicorn's access log (the default format: `"GET …" 200 …`)."""
    if not access_log.exists():
        return 0
    return sum(1 for line in access_log.open(encoding="utf-8", errors="replace") if re.search(r'" 5\d\d ', line))


def completions_logged(access_log: Path) -> dict[str, int]:
    """Task completions gunicorn answered with the redirect, per step (whether or not locust, stopping,
    still read the answer)."""
    found: dict[str, int] = {}
    if access_log.exists():
        for line in access_log.open(encoding="utf-8", errors="replace"):
            match = re.search(r'"POST /inspection/flow/\d+/(\w+)/\d+/execute/ [^"]*" 302 ', line)
            if match:
                found[match.group(1)] = found.get(match.group(1), 0) + 1
    return found


# --- the run -----------------------------------------------------------------------------------------


def run_locust(base: str, plan_file: Path, prefix: Path, args) -> None:
    command = [
        str(VENV_BIN / "locust"), "-f", str(HERE / "locustfile.py"), "--headless", "--host", base,
        "--users", str(args.users), "--spawn-rate", str(args.spawn_rate), "--run-time", args.time,
        "--csv", str(prefix), "--only-summary", "--stop-timeout", "30", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = {**os.environ, "KAMKAP_LOAD_PLAN": str(plan_file)}
    finished = subprocess.run(command, cwd=ROOT, env=env)
    if not Path(f"{prefix}_stats.csv").exists():
        raise SystemExit(f"locust wrote no statistics (exit {finished.returncode})")


def machine_line(before: float, after: float) -> str:
    from bench.report import machine

    m = machine()
    return (
        f"Machine: {m['cpu']}, {m['cores']} cores, the load generator, gunicorn and PostgreSQL on the "
        f"same cores (the load averages show what else ran); load average (1 min) {before:.2f} before, {after:.2f} "
        f"after; {m['database']}, Python {m['python']}, Django {m['django']}."
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    sizes = {name: getattr(args, name) for name in DEFAULTS}
    generation = prepare_database(args.database_url, sizes)
    boot.setup(args.database_url)
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    counts = load_plan.counts_for(args.users)
    plan = load_plan.build(counts=counts, wait=WAIT)
    connections.close_all()
    with tempfile.TemporaryDirectory(prefix="kamkap-load-") as tmp:
        workdir = Path(tmp)
        plan_file, prefix = workdir / "plan.json", workdir / "locust"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False))
        print(f"Users {counts}; completions planned {plan['completions_planned']}", flush=True)
        server, base, log = start_gunicorn(args.database_url, workdir, args.workers)
        warmed = warm_up(base, max(1, len(workers_cpu(server.pid))))
        load_before, started = os.getloadavg()[0], timezone.now()
        cpu_before, locust_before = workers_cpu(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        try:
            run_locust(base, plan_file, prefix, args)
        finally:
            seconds = time.perf_counter() - began
            load_after, cpu_after = os.getloadavg()[0], workers_cpu(server.pid)
            locust_after = resource.getrusage(resource.RUSAGE_CHILDREN)  # before gunicorn is reaped
            stop(server)
        locust_cpu = sum(getattr(locust_after, f) - getattr(locust_before, f) for f in ("ru_utime", "ru_stime"))
        # Workers replaced during the run (max_requests) took their CPU time with them: a lower bound.
        server_cpu = sum(cpu - cpu_before.get(pid, 0.0) for pid, cpu in cpu_after.items())
        stats = report.read_stats(prefix)
        server_5xx, workers = server_errors(workdir / "access.log"), workers_of(log)
        logged = completions_logged(workdir / "access.log")
        tracebacks = log.read_text(errors="replace").count("Traceback")
        if args.keep_logs:
            args.keep_logs.mkdir(parents=True, exist_ok=True)
            for kept in workdir.glob("*.*"):
                shutil.copy(kept, args.keep_logs / kept.name)
    recorded = load_plan.completions_since(started)
    answered = {
        name.removeprefix("POST complete [").rstrip("]"): row["requests"] - row["errors"]
        for name, row in stats["by_request"].items()
        if name.startswith("POST complete [")
    }
    command = "make bench-load" + "".join(
        f" {key}={value}" for key, value in (("LOAD_USERS", args.users), ("LOAD_TIME", args.time)) if value
    )
    load = {
        "date": timezone.localtime().isoformat(timespec="seconds"),
        "command": f"{command}  # bench/load/run.py {shlex.join(argv if argv is not None else sys.argv[1:])}",
        "database": boot.database_label(args.database_url),
        "sizes": sizes,
        "generation_seconds": generation.get("seconds"),
        "run": {
            "users": args.users,
            "spawn_rate": args.spawn_rate,
            "wait": list(WAIT),
            "time": args.time,
            "seconds": round(seconds),
            "gunicorn_workers": workers,
            "warm_up_s": round(warmed, 1),
            "locust": version("locust"),
            "roles": counts,
        },  # fmt: skip
        "machine": machine_line(load_before, load_after),
        "cores": os.cpu_count(),
        "load_average": {"before": round(load_before, 2), "after": round(load_after, 2)},
        "cpu_seconds": {
            "gunicorn_workers": round(server_cpu, 1),
            "locust": round(locust_cpu, 1),
            "gunicorn_ms_per_request": round(1000 * server_cpu / max(stats["total"]["requests"], 1), 1),
            "workers_replaced": len(set(cpu_before) - set(cpu_after)),
        },  # fmt: skip
        "server_5xx": server_5xx,
        "server_tracebacks": tracebacks,
        "completions_answered": answered,
        "completions_logged": logged,
        "completions_recorded": recorded,
        "stats": stats,
    }
    total = stats["total"]
    print(
        f"{total['requests']:,} requests in {seconds:.0f} s: {total['rps']} requests/s, p50 {total['p50_ms']:g} ms, "
        f"p95 {total['p95_ms']:g} ms, p99 {total['p99_ms']:g} ms, errors {total['errors']} (server 5xx {server_5xx}); "
        f"completions answered {answered}, in gunicorn's log {logged}, recorded {recorded}; CPU {load['cpu_seconds']}"
    )
    for failure in stats["failures"][:10]:
        print(f"  error: {failure}")
    if args.no_write:
        print(json.dumps(load["stats"]["by_request"], indent=1, ensure_ascii=False))
        return
    report.write(load)
    print("Wrote the load figures into bench/results.json and bench/RESULTS.md")


if __name__ == "__main__":
    main()
