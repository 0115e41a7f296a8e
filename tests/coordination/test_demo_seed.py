from io import StringIO

from django.core.management import call_command
from django.db.models import Count, F, Max, Sum

from coordination import demo
from coordination.demo.polling_stations import _allocate, _tps_per_regency
from coordination.models import Agency, PollingStation, User


def test_seed_demo_builds_kaltim_and_is_idempotent(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "regions 1,154" in out.getvalue()

    totals = PollingStation.objects.aggregate(n=Count("id"), dpt=Sum("voters"), most=Max("voters"))
    assert totals == {"n": 11_441, "dpt": 2_778_644, "most": 300}
    per_regency = dict(
        PollingStation.objects.values_list("village__parent__parent__code").annotate(n=Count("id")).order_by()
    )
    assert per_regency["64.72"] == 2_565 and per_regency["64.07"] == 532 and per_regency["64.09"] == 542
    assert len(per_regency) == 10
    assert PollingStation.objects.filter(village__code__startswith="64.72.", is_special_location=True).count() == 15
    assert PollingStation.objects.filter(village__code__startswith="64.11.").exclude(access_mode="river").count() == 0
    assert PollingStation.objects.values("village").distinct().count() == 1_038
    assert not PollingStation.objects.exclude(village_code=F("village__code")).exists()  # bulk_create's copy

    assert Agency.objects.count() == 25
    samarinda = Agency.objects.get(code="kpu-samarinda")
    assert samarinda.name == "KPU Kota Samarinda" and samarinda.counterpart.short_name == "Polresta Samarinda"
    usernames = {u for u, *_ in demo.DEMO_USERS}
    users = User.objects.filter(username__in=usernames)
    assert users.count() == 8
    assert users.get(username="kpu.samarinda").check_password("pemilu-damai-2024")
    assert users.get(username="sekretariat").is_staff

    from coordination.models import Agreement, ElectionStage, IkpScore, RiskAssessment, TpsVulnerability

    assert ElectionStage.objects.filter(election__code="pemilu-2024").count() >= 25
    assert Agreement.objects.get(code="pks-kpu-polda-kaltim-2023").clauses.count() >= 10
    assert TpsVulnerability.objects.count() == 11_441
    assert TpsVulnerability.objects.filter(polri_class="khusus").count() == 17  # the special-location TPS
    ikp = IkpScore.objects.get()
    assert (str(ikp.score), ikp.category, ikp.region.code) == ("77.04", "tinggi", "64")
    first_risk = RiskAssessment.objects.get(stage__code="3b")
    assert first_risk.region.code == "64" and first_risk.category == "geography"

    first = list(PollingStation.objects.order_by("id").values_list("village__code", "number", "voters")[:50])
    again = StringIO()
    call_command("seed_demo", stdout=again)
    assert "(+0)" in again.getvalue() and "demo accounts +0" in again.getvalue()
    assert "stages +0; TPS classified +0; demo risks +0" in again.getvalue()
    assert PollingStation.objects.count() == 11_441 and Agency.objects.count() == 25
    assert list(PollingStation.objects.order_by("id").values_list("village__code", "number", "voters")[:50]) == first


def test_allocation_is_exact_and_keeps_the_minimum():
    shares = _allocate(10, {"a": 3.0, "b": 1.0, "c": 1.0}, minimum=1)
    assert sum(shares.values()) == 10 and min(shares.values()) >= 1 and shares["a"] > shares["b"]
    per_regency = _tps_per_regency()
    assert sum(per_regency.values()) == 11_441
