import io

from django.contrib.auth import get_user_model
from django.core.management import call_command

from ratings.models import Rating, Regime, Unit


def run_setup():
    out = io.StringIO()
    call_command("run", "--no-serve", stdout=out)
    return out.getvalue()


def test_setup_loads_everything_and_prints_a_generated_password_once(db):
    first = run_setup()
    assert Regime.objects.count() == 5 and Unit.objects.exists() and Rating.objects.count() == 3
    assert "admin / " in first
    password = first.split("admin / ")[1].split()[0]
    assert len(password) >= 12
    assert get_user_model().objects.get(username="admin").check_password(password)
    second = run_setup()
    assert "admin / " not in second
    assert Rating.objects.count() == 3 and get_user_model().objects.count() == 1


def test_setup_keeps_what_staff_changed(db):
    run_setup()
    Unit.objects.filter(code="BINH-PHUOC").update(name="Đảng bộ tỉnh Bình Phước (sửa)")
    run_setup()
    assert Unit.objects.get(code="BINH-PHUOC").name == "Đảng bộ tỉnh Bình Phước (sửa)"


def test_setup_loads_the_article_data_beside_demo_data(db):
    from ratings import demo
    from ratings.models import Source

    call_command("loaddata", "fixtures/scales.json", verbosity=0)
    demo.build_demo_data(units=2000, years=1, seed=3)
    run_setup()
    assert Source.objects.count() == 5 and Unit.objects.filter(code="BINH-PHUOC").exists()
