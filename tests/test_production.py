"""config.production, run the way a server starts it: in a fresh process with its environment."""
import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.conf import settings

SECRET = "k3Yq9-production-test-key-ZpR7wL2xV8nB4mT6cJ1hF5sD0gA"
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "SECURE_SSL_REDIRECT", "STATIC_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.production",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="xeploai.example.vn",
        DATABASE_URL=POSTGRES,
        RATINGS_VAR_DIR=str(tmp_path / "var"),
    )
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args, env):
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60, check=False
    )


def check_deploy(env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_deploy_check_passes_with_the_environment_set(tmp_path):
    result = check_deploy(production_env(tmp_path))
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_refuses_to_start_without(tmp_path, missing):
    result = check_deploy(production_env(tmp_path, **{missing: None}))
    assert result.returncode != 0
    assert f"{missing} must be set in the environment" in result.stderr


def test_blank_secret_key_counts_as_missing(tmp_path):
    result = check_deploy(production_env(tmp_path, SECRET_KEY="  "))
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_missing_secret_key_writes_no_development_key(tmp_path):
    check_deploy(production_env(tmp_path, SECRET_KEY=None))
    assert not (tmp_path / "var" / "secret_key").exists()


def test_refuses_sqlite_unless_allowed(tmp_path):
    refused = check_deploy(production_env(tmp_path, DATABASE_URL=None))
    assert refused.returncode != 0
    assert "config.production needs PostgreSQL" in refused.stderr

    allowed = check_deploy(production_env(tmp_path, DATABASE_URL=None, ALLOW_SQLITE="1"))
    assert allowed.returncode == 0, allowed.stderr


def test_plain_http_without_a_tls_proxy_is_a_deploy_warning(tmp_path):
    result = check_deploy(production_env(tmp_path, SECURE_SSL_REDIRECT="0"))
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout


def test_behind_a_tls_proxy_trusts_its_header_and_leaves_the_redirect_to_it(tmp_path):
    env = production_env(tmp_path, BEHIND_TLS_PROXY="1")
    assert check_deploy(env).returncode == 0
    script = "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.AXES_CLIENT_IP_CALLABLE, s.SECURE_PROXY_SSL_HEADER)"
    result = run(["-c", f"import django; django.setup(); {script}"], env)
    assert result.stdout.split(maxsplit=2) == [
        "False", "ratings.middleware.proxied_client_address", "('HTTP_X_FORWARDED_PROTO', 'https')\n"
    ]


def test_without_a_proxy_login_throttling_counts_the_connecting_address(tmp_path):
    script = "from django.conf import settings as s; print(s.AXES_CLIENT_IP_CALLABLE)"
    result = run(["-c", f"import django; django.setup(); {script}"], production_env(tmp_path))
    assert result.stdout == "None\n"


SERVE_ADMIN_CSS = textwrap.dedent(
    """
    import json
    import django
    django.setup()
    from django.core.management import call_command
    from django.templatetags.static import static
    from django.test import Client

    call_command("collectstatic", interactive=False, verbosity=0)
    url = static("admin/css/base.css")
    response = Client().get(url, secure=True, headers={"host": "xeploai.example.vn", "accept-encoding": "gzip"})
    print(json.dumps({
        "url": url,
        "status": response.status_code,
        "type": response["Content-Type"],
        "encoding": response.get("Content-Encoding"),
        "cache": response["Cache-Control"],
        "size": len(b"".join(response.streaming_content)),
    }))
    """
)


def test_collectstatic_and_whitenoise_serve_the_admin_css(tmp_path):
    static_root = tmp_path / "static"
    result = run(["-c", SERVE_ADMIN_CSS], production_env(tmp_path, STATIC_ROOT=str(static_root)))
    assert result.returncode == 0, result.stderr
    served = json.loads(result.stdout)
    assert served["url"].startswith("/static/admin/css/base.") and served["url"] != "/static/admin/css/base.css"
    assert served["status"] == 200 and served["type"].startswith("text/css")
    assert served["encoding"] == "gzip" and served["size"] > 0
    assert "immutable" in served["cache"]
    assert (static_root / "staticfiles.json").exists()


BARE_SERVER_START = "import config.wsgi; from django.conf import settings; print(settings.SETTINGS_MODULE, settings.DEBUG)"


def test_a_bare_server_start_runs_the_production_settings(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE=None)
    result = run(["-c", BARE_SERVER_START], env)
    assert result.stdout == "config.production False\n", result.stderr


def test_a_bare_server_start_without_secrets_refuses_to_start(tmp_path):
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE=None, SECRET_KEY=None)
    result = run(["-c", BARE_SERVER_START], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


NOT_FOUND_AND_CRASH = textwrap.dedent(
    """
    import config.wsgi
    from django.test import Client
    from django.urls import path
    import config.urls

    def boom(request):
        raise RuntimeError("secret detail")

    config.urls.urlpatterns.append(path("boom/", boom))
    client = Client(raise_request_exception=False)
    missing = client.get("/khong-co/", secure=True, headers={"host": "xeploai.example.vn"})
    crash = client.get("/boom/", secure=True, headers={"host": "xeploai.example.vn"})
    print(missing.status_code, b"URLconf" in missing.content, crash.status_code, b"secret detail" in crash.content)
    """
)


def test_a_bare_start_shows_no_url_list_and_no_traceback(tmp_path):
    result = run(["-c", NOT_FOUND_AND_CRASH], production_env(tmp_path, DJANGO_SETTINGS_MODULE=None))
    assert result.stdout == "404 False 500 False\n", result.stderr


def test_development_settings_keep_debug_off_unless_asked(tmp_path):
    script = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    env = production_env(tmp_path, DJANGO_SETTINGS_MODULE="config.settings", SECRET_KEY=None, DATABASE_URL=None)
    assert run(["-c", script], env).stdout == "False\n"
    assert run(["-c", script], {**env, "DEBUG": "1"}).stdout == "True\n"


@pytest.mark.parametrize("module", ["config.settings", "config.production"])
def test_an_empty_database_url_says_what_to_do(tmp_path, module):
    result = check_deploy(production_env(tmp_path, DJANGO_SETTINGS_MODULE=module, DATABASE_URL=""))
    assert result.returncode != 0
    assert "DATABASE_URL is set but empty" in result.stderr
    assert "KeyError" not in result.stderr


def test_behind_the_proxy_the_trusted_proxies_come_from_the_environment(tmp_path):
    env = production_env(tmp_path, BEHIND_TLS_PROXY="1", TRUSTED_PROXIES="10.0.0.5, 10.1.0.0/16")
    script = "import django; django.setup(); from django.conf import settings as s; print(s.TRUSTED_PROXIES)"
    assert run(["-c", script], env).stdout == "['10.0.0.5', '10.1.0.0/16']\n"
