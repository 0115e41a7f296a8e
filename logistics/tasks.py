from celery import shared_task

from logistics import services


@shared_task
def check_escort_slas() -> int:
    """Every five minutes: raise the escort SLA alerts newly due (not accepted in time, not
    departed, not arrived) and tell both agencies, once per escort and condition. Idempotent,
    so a retried task or a doubled beat writes nothing twice. Returns the alerts raised."""
    return services.escort_sla_check()
