from django.core.management.base import BaseCommand

from doingoai.demo.loader import DEMO_PASSWORD, DEMO_USERS, demo_load


class Command(BaseCommand):
    help = "Nạp dữ liệu trình diễn của một tỉnh (chạy lại nhiều lần không tạo trùng)."

    def handle(self, *args, **options):
        report = demo_load(progress=lambda message: self.stdout.write(f"• {message}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Xong: {report.pages_created} trang mới, {report.images_created} ảnh mới."
            )
        )
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu chung: {DEMO_PASSWORD}):")
        for username, role, _first, _last in DEMO_USERS:
            self.stdout.write(f"  {username:<10} {role}")
