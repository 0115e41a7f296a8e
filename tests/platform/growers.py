"""Growers for the query bounds (test_query_bounds.py): each adds ``count`` rows that the
persona of its cases can see, numbered from ``start``, so a case grows its list to N rows
and then to 2N. ``world`` is the few rows several growers add to."""

from datetime import date, timedelta

from coordination import services
from tests.factories import AgencyFactory, PollingStationFactory, assessor, region


def grow_regions(tree, election, start, count):
    for index in range(start, start + count):
        village = region(f"64.72.{index + 10:02d}.1001", f"Kelurahan {index}")
        PollingStationFactory(election=election, village=village, number=1)


def grow_stations(tree, election, start, count):
    for number in range(start + 2, start + count + 2):  # TPS 1 comes from the fixture
        PollingStationFactory(election=election, village=tree["sam_kel"], number=number)


def grow_station_history(tree, election, start, count):
    """Changes of one TPS: its page shows its history."""
    station = world(tree, election)["station"]
    for index in range(start, start + count):
        station.voters = 100 + index
        station.save(update_fields=["voters"])


def grow_agencies(tree, election, start, count):
    for index in range(start, start + count):
        AgencyFactory(code=f"posko-{index}", jurisdiction=tree["samarinda"])


def grow_agency_history(tree, election, start, count):
    from coordination.models import Agency

    agency = Agency.objects.get(code="kpu-samarinda")
    for index in range(start, start + count):
        agency.name = f"KPU Kota Samarinda ({index})"
        agency.save(update_fields=["name"])


def grow_users(tree, election, start, count):
    from coordination.models import Agency
    from tests.factories import UserFactory

    agency = Agency.objects.get(code="kpu-samarinda")
    for index in range(start, start + count):
        UserFactory(username=f"operator-{index}", agency=agency)


def grow_tokens(tree, election, start, count, user=None):
    from coordination.models import User

    owner = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        services.api_token_create(actor=owner, name=f"script-{index}")


def grow_elections(tree, election, start, count):
    from tests.factories import ElectionFactory

    for index in range(start, start + count):
        ElectionFactory(code=f"pilkada-{index}", name=f"Pilkada {index}", voting_day=date(2024, 11, 27))


def world(tree, election):
    """The shared rows the growers below add to (created once per test): a stage, the
    province's agreement with one clause, a Samarinda risk and TPS."""
    from coordination.models import Agreement, Clause, ElectionStage, PollingStation, RiskAssessment
    from tests.factories import risk

    stage = ElectionStage.objects.filter(election=election).order_by("pk").first()
    if stage is None:
        stage = ElectionStage.objects.create(election=election, code="9", name="Pemungutan",
                                             starts_on=date(2024, 2, 14), ends_on=date(2024, 3, 20))
    agreement = Agreement.objects.filter(code="pks").first() or Agreement.objects.create(
        code="pks", title="PKS", region=tree["kaltim"], signed_on=date(2023, 3, 13), term_start=date(2023, 3, 13),
        status="active")
    clause = Clause.objects.filter(agreement=agreement, number=1000).first() or Clause.objects.create(
        agreement=agreement, number=1000, title="Rapat evaluasi", text="...", category="evaluation_meetings",
        expectation_kind="every_days", evidence_kind="meeting", expectation_value=30)
    risk_row = RiskAssessment.objects.filter(title="Risiko pokok").first() or risk(
        stage, tree["samarinda"], title="Risiko pokok")
    station = PollingStation.objects.filter(village=tree["sam_kel"], number=1).first() or PollingStationFactory(
        election=election, village=tree["sam_kel"], number=1)
    return {"stage": stage, "agreement": agreement, "clause": clause, "risk": risk_row, "station": station}


def grow_risks(tree, election, start, count):
    from tests.factories import risk

    stage = world(tree, election)["stage"]
    for index in range(start, start + count):
        risk(stage, tree["sam_kec"] if index % 2 else tree["samarinda"], title=f"Risiko {index}",
             likelihood=1 + index % 5, impact=1 + (index // 5) % 5)


def grow_reviews(tree, election, start, count):
    rows = world(tree, election)
    for index in range(start, start + count):
        services.risk_review(actor=assessor(), risk=rows["risk"], likelihood=1 + index % 5, impact=2,
                             note=f"Tinjauan {index}")


def grow_clauses(tree, election, start, count):
    from coordination.models import Clause, ClauseEvidence

    rows = world(tree, election)
    for index in range(start, start + count):
        clause = Clause.objects.create(agreement=rows["agreement"], number=index + 1, title=f"Pasal {index}",
                                       text="...", category="other", expectation_kind="per_stage",
                                       evidence_kind="training", expectation_value=1)
        ClauseEvidence.objects.create(clause=clause, kind="training", occurred_on=date(2024, 2, 14),
                                      stage=rows["stage"], region=tree["samarinda"], description="Latihan")


def grow_evidence(tree, election, start, count):
    """Evidence of one clause: its page and its evidence list."""
    from coordination.models import ClauseEvidence

    rows = world(tree, election)
    for index in range(start, start + count):
        ClauseEvidence.objects.create(clause=rows["clause"], kind="meeting",
                                      occurred_on=date(2024, 1, 1) + timedelta(days=index), stage=rows["stage"],
                                      region=tree["sam_kec"] if index % 2 else tree["samarinda"],
                                      description=f"Rapat {index}")


def grow_agreements(tree, election, start, count):
    from coordination.models import Agreement

    for index in range(start, start + count):
        Agreement.objects.create(code=f"pks-smr-{index}", title=f"PKS Samarinda {index}", region=tree["samarinda"],
                                 signed_on=date(2023, 6, 1), term_start=date(2023, 6, 1), status="active")


def grow_status_changes(tree, election, start, count):
    """Moves of the province's agreement, active and expired in turn."""
    agreement = world(tree, election)["agreement"]
    for index in range(start, start + count):
        agreement.refresh_from_db()
        services.agreement_transition(actor=assessor(), agreement=agreement,
                                      to_status="expired" if agreement.status == "active" else "active",
                                      reason=f"(uji {index})")


def grow_stages(tree, election, start, count):
    from coordination.models import ElectionStage

    world(tree, election)
    for index in range(start, start + count):
        ElectionStage.objects.create(election=election, code=f"s{index}", name=f"Tahap {index}",
                                     starts_on=date(2023, 1, 1) + timedelta(days=index), ends_on=date(2023, 12, 31))


def grow_sub_stages(tree, election, start, count):
    """Sub-stages of one stage: its page lists them."""
    from coordination.models import ElectionStage

    parent = world(tree, election)["stage"]
    for index in range(start, start + count):
        ElectionStage.objects.create(election=election, code=f"9.{index}", name=f"Sub-tahap {index}", parent=parent,
                                     starts_on=date(2024, 2, 14) + timedelta(days=index % 30),
                                     ends_on=date(2024, 3, 20))


def grow_classes(tree, election, start, count):
    from coordination.models import SecurityPattern, TpsVulnerability

    if not SecurityPattern.objects.exists():
        SecurityPattern.objects.create(polri_class="rawan", police=2, tps=2, linmas=4, valid_from=date(2023, 1, 1))
    for number in range(start + 2, start + count + 2):
        station = PollingStationFactory(election=election, village=tree["sam_kel2" if number % 2 else "sam_kel3"],
                                        number=number)
        TpsVulnerability.objects.create(polling_station=station, polri_class="rawan", assessed_on=date(2024, 2, 5))


def grow_patterns(tree, election, start, count):
    """Security patterns: general ones and the Samarinda Polresta's own."""
    from coordination.models import Agency, SecurityPattern

    polresta = Agency.objects.get(code="polres-samarinda")
    for index in range(start, start + count):
        SecurityPattern.objects.create(polri_class=["rawan", "sangat_rawan"][index % 2], police=2, tps=2, linmas=4,
                                       police_unit=polresta if index % 3 else None,
                                       valid_from=date(2020, 1, 1) + timedelta(days=index))


def grow_ikp(tree, election, start, count):
    from coordination.models import IkpDimensionScore, IkpScore

    for index in range(start, start + count):
        ikp = IkpScore.objects.create(region=tree["samarinda"], election=election, score=10 + index,
                                      category="sedang", published_on=date(2022, 1, 1) + timedelta(days=index),
                                      source="https://example.test/")
        IkpDimensionScore.objects.create(ikp=ikp, dimension="kontestasi", score=5)


def grow_ikp_thresholds(tree, election, start, count):
    from coordination.models import IkpThreshold

    for index in range(start, start + count):
        IkpThreshold.objects.create(level=["province", "regency", "district"][index % 3], high_from=60,
                                    medium_from=40, valid_from=date(2020, 1, 1) + timedelta(days=index))


def grow_notifications(tree, election, start, count):
    from coordination.models import User

    recipient = User.objects.get(username="samarinda_operator")
    for index in range(start, start + count):
        services.notification_enqueue(recipient=recipient, kind="test", dedupe_key=f"bound:{index}",
                                      template=lambda context: ("Rapat evaluasi", "Besok pukul 09.00"))
