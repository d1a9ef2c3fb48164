"""Tasks (django-tasks): thin wrappers around the services."""

from django_tasks import task


@task()
def evaluate_alerts() -> dict:
    """Evaluate the alert rules over the new items."""
    from .services import alerts_evaluate

    result = alerts_evaluate()
    return {"items": result.items, "alerts": result.alert_count}


@task()
def deliver(delivery_id: int) -> str:
    """Send one alert notification (email or webhook)."""
    from .services import delivery_send

    delivery = delivery_send(delivery_id=delivery_id)
    return delivery.status if delivery else "skipped"


@task()
def retry_deliveries() -> int:
    from .services import deliveries_retry_due

    return deliveries_retry_due()


@task()
def send_digest() -> bool:
    from .services import digest_send_if_due

    return digest_send_if_due()
