import time

from django.core.management.base import BaseCommand

from doingoai.core.periodic import registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Chạy các tác vụ định kỳ (xuất bản theo lịch, ghi lượt truy cập) — Run periodic jobs."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once and exit.")

    def handle(self, *args, once: bool = False, **options):
        if once:
            ran = run_due_jobs(force=True)
            self.stdout.write(f"Đã chạy: {', '.join(ran) or '—'}")
            return
        names = ", ".join(job.name for job in registered_jobs())
        self.stdout.write(f"Tác vụ định kỳ: {names}. Nhấn Ctrl+C để dừng.")
        while True:
            run_due_jobs()
            time.sleep(5)
