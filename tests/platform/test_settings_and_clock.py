import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from coordination import demo
from kpu_polda import env
from kpu_polda.base import clock
from kpu_polda.base.exceptions import DomainError

ROOT = Path(__file__).resolve().parents[2]
WITA = timezone.get_fixed_timezone(8 * 60)


def test_typed_readers_reject_bad_values(monkeypatch, tmp_path):
    monkeypatch.setenv("X_BOOL", "maybe")
    with pytest.raises(env.EnvError, match="X_BOOL"):
        env.boolean("X_BOOL", False)
    monkeypatch.setenv("X_INT", "ten")
    with pytest.raises(env.EnvError, match="X_INT"):
        env.integer("X_INT", 1)
    monkeypatch.setenv("X_INT", "-1")
    with pytest.raises(env.EnvError):
        env.integer("X_INT", 1, minimum=0)
    monkeypatch.setenv("X_SECRET", "short")
    with pytest.raises(env.EnvError):
        env.secret("X_SECRET")
    monkeypatch.setenv("X_MOMENT", "2024-02-08 09:00")
    with pytest.raises(env.EnvError, match="offset"):
        env.moment("X_MOMENT")
    secret_file = tmp_path / "secret"
    secret_file.write_text("a" * 60 + "\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret_file))
    assert env.secret("X_SECRET") == "a" * 60
    monkeypatch.setenv("X_LIST", "a.example, b.example,")
    assert env.str_list("X_LIST") == ["a.example", "b.example"]
    monkeypatch.setenv("X_LIST", " , ")
    with pytest.raises(env.EnvError, match="at least one"):
        env.str_list("X_LIST")
    monkeypatch.setenv("X_BOOL", "")
    assert env.boolean("X_BOOL", True) is True


def _manage(*args, **environ):
    dropped = {"SECRET_KEY", "ALLOWED_HOSTS", "CLOCK_START", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base["DJANGO_SETTINGS_MODULE"] = "kpu_polda.settings.production"
    base.update(environ)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base, capture_output=True,
                          text=True, timeout=120)


def test_production_refuses_to_start_without_secret_and_hosts():
    missing_secret = _manage("check", ALLOWED_HOSTS="kpu.example")
    assert missing_secret.returncode != 0 and "SECRET_KEY must be set" in missing_secret.stderr
    missing_hosts = _manage("check", SECRET_KEY="k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyz!@#$")
    assert missing_hosts.returncode != 0 and "ALLOWED_HOSTS" in missing_hosts.stderr
    simulated = _manage("check", SECRET_KEY="z" * 64, ALLOWED_HOSTS="kpu.example", CLOCK_START="2024-02-08T09:00+08:00")
    assert simulated.returncode != 0 and "CLOCK_START" in simulated.stderr


def test_simulated_clock_needs_a_shared_anchor():
    result = _manage("check", DJANGO_SETTINGS_MODULE="kpu_polda.settings.local", CLOCK_START="2024-02-08T09:00+08:00")
    assert result.returncode != 0 and "CLOCK_ANCHOR" in result.stderr


def test_production_passes_check_deploy_without_warnings():
    secret = "Qx7-" + "9f3kLm2pZr8vNw4tYb6hJc1sGd5aXe0u" * 2
    result = _manage("check", "--deploy", "--fail-level", "WARNING", SECRET_KEY=secret, ALLOWED_HOSTS="kpu.example")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_demo_accounts_are_refused_in_production(db):
    with override_settings(DEMO_DATA_ALLOWED=False), pytest.raises(DomainError, match="production"):
        demo.demo_users_seed(actor=None)


def test_clock_travel_and_today_in_wita():
    moment = datetime(2024, 2, 13, 17, 30, tzinfo=WITA).astimezone(timezone.get_fixed_timezone(0))
    with clock.travel_to(moment):
        assert clock.now() == moment
        assert str(clock.today()) == "2024-02-13"
    late = datetime(2024, 2, 13, 23, 30, tzinfo=timezone.get_fixed_timezone(0))  # 07:30 WITA on the 14th
    with clock.travel_to(late):
        assert str(clock.today()) == "2024-02-14"
    assert abs(clock.now() - timezone.now()) < timedelta(seconds=2)


def test_clock_starts_at_a_chosen_moment_and_runs_forward():
    start = datetime(2024, 2, 8, 9, 0, tzinfo=WITA)
    anchor = timezone.now() - timedelta(minutes=90)  # the demo began 90 minutes ago
    with override_settings(CLOCK_START=start, CLOCK_ANCHOR=anchor):
        elapsed = clock.now() - start
        assert timedelta(minutes=90) <= elapsed < timedelta(minutes=91)
        assert clock.is_simulated()
        assert str(clock.today()) == "2024-02-08"


def test_pages_say_when_time_is_simulated(personas, client):
    client.force_login(personas["observer"])
    start = datetime(2024, 2, 8, 9, 0, tzinfo=WITA)
    with override_settings(CLOCK_START=start, CLOCK_ANCHOR=timezone.now()):
        body = client.get("/").content.decode()
    assert "2024" in body and "WITA" in body and "alert-warning" in body
    assert "alert-warning" not in client.get("/").content.decode()
