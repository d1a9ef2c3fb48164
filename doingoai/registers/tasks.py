from django_tasks import task

from .services import press_question_reminders_send


@task()
def send_press_question_reminders() -> int:
    """Email the units assigned to overdue press questions (once per question)."""
    return press_question_reminders_send()
