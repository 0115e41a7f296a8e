from kpu_polda.base import clock


def shell(request):
    """What base.html needs on every page: the app's clock (for the simulated-time badge)."""
    return {"clock_now": clock.now(), "clock_simulated": clock.is_simulated()}
