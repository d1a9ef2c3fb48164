"""Khôi phục một bản sao lưu vào cơ sở dữ liệu và thư mục media mới — restore a backup.

    manage.py restore_backup latest           # into the configured database and MEDIA_ROOT, empty
    manage.py restore_backup /srv/sao-luu/2026-12-07_020000 \\
        --database-url postgres://doingoai@db/doingoai_moi --media-root /srv/doingoai/media-moi
    manage.py restore_backup latest --force   # replace them (the portal stopped first)

Every checksum is verified before anything is written; a backup of a newer version of the
software, a corrupt file or a full disk stop it with nothing half-restored.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from doingoai.backups.manifest import BackupError
from doingoai.backups.progress import Progress, Silent, seconds
from doingoai.backups.services import backup_restore

from .backup import resolve_backup


class Command(BaseCommand):
    help = "Khôi phục bản sao lưu vào cơ sở dữ liệu và thư mục media trống / Restore a backup."

    def add_arguments(self, parser):
        parser.add_argument("backup", help='thư mục bản sao lưu, hoặc "latest"')
        parser.add_argument("--database-url", help="nơi khôi phục (mặc định: DATABASE_URL)")
        parser.add_argument("--media-root", help="thư mục media (mặc định: MEDIA_ROOT)")
        parser.add_argument("--no-media", action="store_true", help="không khôi phục tệp media")
        parser.add_argument(
            "--force",
            action="store_true",
            help="thay thế cơ sở dữ liệu và thư mục media đã có dữ liệu (cái cũ được để riêng)",
        )

    def handle(self, *args, **options):
        folder = resolve_backup(options["backup"])
        progress = Progress(self.stdout.write) if options["verbosity"] > 0 else Silent()
        try:
            result = backup_restore(
                folder,
                database_url=options["database_url"],
                media_root=options["media_root"],
                media=not options["no_media"],
                force=options["force"],
                progress=progress,
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục {folder.name} vào {result.target.describe()} / restored\n"
                f"  {len(result.counts)} bảng, {rows} dòng (khớp manifest), "
                f"{result.media_files} tệp media; {seconds(result.seconds)}"
            )
        )
        for path in result.moved_aside:
            self.stdout.write(f"  Bản cũ được để riêng / previous copy kept: {path}")
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"  Mã nguồn có {len(result.pending_migrations)} migration mới hơn bản sao "
                    f"lưu: chạy `manage.py migrate` trước khi mở cổng thông tin."
                )
            )
