"""Settings of the benchmarks: the project's own plus the bench app (what was generated), the
stock-Viewflow baseline app and its URLs, a file database of its own (bench/bench.sqlite3 unless
DATABASE_URL is set) and DEBUG off."""

from project.env import env_database, env_str
from project.settings import *  # noqa: F403
from project.settings import BASE_DIR, INSTALLED_APPS

DEBUG = False  # no query log, no debug template checks: timings as in production
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "bench.stockflow"]
ROOT_URLCONF = "bench.urls"
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench' / 'bench.sqlite3'}")}
MEDIA_ROOT = BASE_DIR / "bench" / ".media"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # task e-mails are rendered, not printed
# As in production (REDIS_URL set), the outbox hands its rows to a broker at commit and a worker sends
# the e-mails, out of the request: an in-memory broker that no worker reads here, so a chain costs what
# a request costs (the outbox row, the hand-over, its mark), not the rendering of its e-mails.
# BENCH_BROKER_URL: a real broker instead (a throwaway redis-server of your own: nothing reads or empties
# its queue), to count what the hand-over over the network costs.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = env_str("BENCH_BROKER_URL", "") or "memory://localhost/"
