"""Login throttling (django-axes): five wrong passwords lock that username from that address for 15 minutes."""
import pytest
from django.urls import reverse

LOGIN = reverse("admin:login")
PASSWORD = "mat-khau-dung-82"


@pytest.fixture
def staff(django_user_model):
    django_user_model.objects.create_user("canbo", password=PASSWORD, is_staff=True)
    django_user_model.objects.create_user("dongnghiep", password=PASSWORD, is_staff=True)


def log_in(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_account_with_a_vietnamese_page(client, staff):
    for _ in range(4):
        assert log_in(client, "canbo", "sai").status_code == 200
    response = log_in(client, "canbo", "sai")
    assert response.status_code == 429
    text = response.content.decode()
    assert "tạm thời bị khóa đăng nhập" in text and "Hãy thử lại sau 15 phút" in text


def test_the_right_password_is_refused_during_the_cool_off(client, staff):
    for _ in range(5):
        log_in(client, "canbo", "sai")
    assert log_in(client, "canbo", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_fifteen_minutes(client, staff, settings):
    from datetime import timedelta

    from axes.models import AccessAttempt

    for _ in range(5):
        log_in(client, "canbo", "sai")
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert log_in(client, "canbo", PASSWORD).status_code == 302


def test_other_users_and_other_addresses_are_not_locked(client, staff):
    for _ in range(5):
        log_in(client, "canbo", "sai")
    assert log_in(client, "dongnghiep", PASSWORD).status_code == 302
    client.logout()
    assert log_in(client, "canbo", PASSWORD, ip="10.0.0.2").status_code == 302


def test_a_successful_login_resets_the_count(client, staff):
    for _ in range(4):
        log_in(client, "canbo", "sai")
    assert log_in(client, "canbo", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "canbo", "sai").status_code == 200


@pytest.fixture
def behind_proxy(settings):
    settings.AXES_CLIENT_IP_CALLABLE = "ratings.middleware.proxied_client_address"


def log_in_through_proxy(client, username, password, client_ip):
    data = {"username": username, "password": password, "next": "/"}
    return client.post(LOGIN, data, REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP=client_ip)


def test_behind_the_proxy_one_clients_failures_do_not_lock_the_others(client, staff, behind_proxy):
    for _ in range(5):
        log_in_through_proxy(client, "canbo", "sai", client_ip="203.0.113.7")
    assert log_in_through_proxy(client, "canbo", PASSWORD, client_ip="203.0.113.7").status_code == 429
    assert log_in_through_proxy(client, "canbo", PASSWORD, client_ip="10.20.0.15").status_code == 302


def test_a_client_reaching_the_server_directly_cannot_pick_its_address(client, staff, behind_proxy):
    """X-Real-IP from anyone but the proxy is ignored: a fresh forged address per guess still counts as one client."""
    data = {"username": "canbo", "password": "sai", "next": "/"}
    for n in range(5):
        client.post(LOGIN, data, REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP=f"203.0.113.{n}")
    right = {**data, "password": PASSWORD}
    assert client.post(LOGIN, right, REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP="203.0.113.99").status_code == 429


def test_the_proxy_list_may_name_a_network(client, staff, behind_proxy, settings):
    settings.TRUSTED_PROXIES = ["10.8.0.0/24"]
    for _ in range(5):
        client.post(LOGIN, {"username": "canbo", "password": "sai"}, REMOTE_ADDR="10.8.0.3", HTTP_X_REAL_IP="203.0.113.7")
    right = {"username": "canbo", "password": PASSWORD, "next": "/"}
    assert client.post(LOGIN, right, REMOTE_ADDR="10.8.0.3", HTTP_X_REAL_IP="203.0.113.7").status_code == 429
    assert client.post(LOGIN, right, REMOTE_ADDR="10.8.0.4", HTTP_X_REAL_IP="203.0.113.8").status_code == 302
