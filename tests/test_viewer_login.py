"""Viewers (Người xem) sign in on the site's own login page without being staff, and see the pages only."""
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

PASSWORD = "xem-thu-2026-an-toan"


@pytest.fixture
def viewer(db, django_user_model):
    user = django_user_model.objects.create_user("nguoixem", password=PASSWORD, is_staff=False)
    user.groups.add(Group.objects.get(name="Người xem"))
    return user


def sign_in(client, password=PASSWORD):
    return client.post(reverse("login"), {"username": "nguoixem", "password": password, "next": "/compare/years/"})


def test_a_viewer_who_is_not_staff_signs_in_and_reads_the_pages(client, viewer):
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == "/compare/years/"
    assert client.get("/compare/years/").status_code == 200


def test_the_admin_stays_closed_to_a_viewer(client, viewer):
    sign_in(client)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_page_sends_an_anonymous_visitor_to_the_login_page_and_back(client, viewer):
    response = client.get("/compare/units/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=/compare/units/"
    assert "Đăng nhập" in response.content.decode()


def test_a_wrong_password_is_said_in_vietnamese(client, viewer):
    text = sign_in(client, password="sai").content.decode()
    assert "mật khẩu chính xác" in text


def test_the_site_login_is_throttled_like_the_admins(client, viewer):
    for _ in range(5):
        sign_in(client, password="sai")
    assert sign_in(client).status_code == 429


def test_signing_out_returns_to_the_login_page(client, viewer):
    sign_in(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert client.get("/").status_code == 302


def test_the_site_login_never_sends_a_user_to_another_site(client, viewer):
    data = {"username": "nguoixem", "password": PASSWORD, "next": "https://evil.example/"}
    response = client.post(reverse("login"), data)
    assert response.status_code == 302 and response["Location"] == "/"
