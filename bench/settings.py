"""Settings of the benchmarks: the project's own plus the bench app (what was generated), the
stock-Viewflow baseline app and its URLs, a file database of its own (bench/bench.sqlite3 unless
DATABASE_URL is set) and DEBUG off."""

from project.env import env_database
from project.settings import *  # noqa: F403
from project.settings import BASE_DIR, INSTALLED_APPS

DEBUG = False  # no query log, no debug template checks: timings as in production
INSTALLED_APPS = [*INSTALLED_APPS, "bench", "bench.stockflow"]
ROOT_URLCONF = "bench.urls"
DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'bench' / 'bench.sqlite3'}")}
MEDIA_ROOT = BASE_DIR / "bench" / ".media"
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # task e-mails are rendered, not printed
