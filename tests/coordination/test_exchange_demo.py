"""The register's demo rows: made by the demo accounts through the services, around the
demo clock, once."""

from datetime import datetime

from django.utils import timezone

from coordination import demo
from coordination.choices import AgencyKind
from coordination.demo import exchange
from coordination.models import InformationExchange, User
from coordination.selectors import exchange as selectors
from kpu_polda.base import clock
from tests.factories import AgencyFactory, region

DEMO_NOW = datetime(2024, 2, 8, 9, tzinfo=timezone.get_fixed_timezone(8 * 60))


def _ground():
    """The demo agencies the entries name, and the demo accounts."""
    kaltim, samarinda, mahulu = region("64"), region("64.72", "Kota Samarinda"), region("64.11", "Mahakam Ulu")
    for code, kind, where in [("kpu-kaltim", AgencyKind.KPU, kaltim), ("polda-kaltim", AgencyKind.POLRI, kaltim),
                              ("bawaslu-kaltim", AgencyKind.BAWASLU, kaltim),
                              ("kpu-samarinda", AgencyKind.KPU, samarinda),
                              ("polres-samarinda", AgencyKind.POLRI, samarinda),
                              ("kpu-mahulu", AgencyKind.KPU, mahulu), ("polres-mahulu", AgencyKind.POLRI, mahulu)]:
        AgencyFactory(code=code, kind=kind, jurisdiction=where, short_name=code)
    demo.demo_users_seed(actor=User.objects.create(username="system"))


def test_the_demo_register_tells_its_story_once(db):
    _ground()
    assert exchange.seed(actor=User.objects.get(username="system")) == 5
    assert exchange.seed(actor=User.objects.get(username="system")) == 0
    rows = {row.subject.split(" (demo)")[0]: row for row in InformationExchange.objects.all()}
    assert {(row.classification, row.status) for row in rows.values()} == {
        ("public", "acknowledged"), ("limited", "answered"), ("confidential", "sent"), ("limited", "sent")}
    secret = rows["Data pribadi anggota KPPS se-Kota Samarinda"]
    assert (secret.from_agency.code, secret.to_agency.code, secret.sent_by.username) == (
        "polres-samarinda", "kpu-samarinda", "polresta.samarinda")
    assert secret.legal_basis and secret.history.first().history_user.username == "polresta.samarinda"
    answered = rows["Jadwal distribusi logistik Pemilu 2024 dari gudang KPU Provinsi ke KPU kabupaten/kota"]
    assert answered.answered_by.username == "kpu.kaltim" and answered.acknowledged_by.username == "kpu.kaltim"
    with clock.travel_to(DEMO_NOW):
        police = User.objects.get(username="polresta.samarinda")
        assert [row.subject for row in selectors.exchanges_awaiting(police)] == [
            "Rencana pengamanan rekapitulasi suara tingkat PPK dan KPU Kota Samarinda (demo)"]
        kpu = User.objects.get(username="kpu.samarinda")
        assert list(selectors.exchanges_awaiting(kpu)) == [secret]
        late = InformationExchange.objects.filter(selectors.overdue_q())
        assert [row.to_agency.code for row in late] == ["polres-mahulu"]
        # The confidential request is the parties' and the secretariat's alone.
        assert secret not in selectors.exchanges_for(User.objects.get(username="bawaslu.kaltim"))
        assert secret in selectors.exchanges_for(User.objects.get(username="sekretariat"))
