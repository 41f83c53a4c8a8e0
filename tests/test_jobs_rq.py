"""The same jobs on Redis (TASKS_BACKEND=rq), as a deployment on several machines runs them: queued by
one process, worked by `manage.py rqworker`, read back by a third. `.ci/run` starts Debian's redis-server."""
import os
import subprocess
import sys

import pytest
from django.conf import settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_answers():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(
    not redis_answers() and not os.environ.get("REQUIRE_REDIS"),
    reason="no Redis at TEST_REDIS_URL (set REQUIRE_REDIS=1 to make this a failure)",
)


def manage(args, env):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_a_job_queued_on_redis_is_worked_by_an_rq_worker(tmp_path):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL",)}
    env.update(RATINGS_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="config.settings", TASKS_BACKEND="rq", REDIS_URL=REDIS_URL)
    manage(["migrate", "-v", "0"], env)
    submit = (
        "from django.contrib.auth.models import User; from ratings import tasks; from ratings.models import JobKind;"
        "user = User.objects.create_superuser('sep', password='mat-khau-dai-9');"
        "job = tasks.submit(user=user, kind=JobKind.BACKUP, title='Sao lưu', params={'file_name': 'b.json.gz'});"
        "print(job.pk)"
    )
    pk = manage(["shell", "-c", submit], env)
    assert manage(["shell", "-c", f"from ratings.models import Job; print(Job.objects.get(pk={pk}).status)"], env) == "queued"
    manage(["rqworker", "--burst", "--job-class", "django_tasks_rq.Job", "default"], env)
    done = f"from ratings.models import Job; job = Job.objects.get(pk={pk}); print(job.status, job.path.exists())"
    assert manage(["shell", "-c", done], env) == "done True"
