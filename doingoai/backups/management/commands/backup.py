"""Sao lưu cơ sở dữ liệu và tệp media — back up the database and the media files.

manage.py backup                      # a new dated folder under BACKUP_DIR, keeps BACKUP_KEEP
manage.py backup --dest /mnt/sao-luu  # elsewhere
manage.py backup --list               # the backups there
manage.py backup --verify latest      # check a backup's checksums without restoring it
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from doingoai.backups.manifest import BackupError
from doingoai.backups.progress import Progress, Silent, human_bytes, seconds
from doingoai.backups.services import (
    backup_create,
    backup_root,
    backup_verify,
    backups_list,
)


def resolve_backup(value: str, root: Path | None = None) -> Path:
    """A backup folder, or "latest" for the newest one under BACKUP_DIR."""
    if value == "latest":
        backups = backups_list(root)
        if not backups:
            raise CommandError(
                f"Chưa có bản sao lưu nào trong {root or backup_root()} / no backups"
            )
        return backups[-1].path
    return Path(value)


class Command(BaseCommand):
    help = "Sao lưu cơ sở dữ liệu và tệp media vào một thư mục có ngày giờ / Back up the portal."

    def add_arguments(self, parser):
        parser.add_argument("--dest", help="thư mục chứa các bản sao lưu (mặc định BACKUP_DIR)")
        parser.add_argument("--keep", type=int, help="số bản giữ lại (mặc định BACKUP_KEEP)")
        parser.add_argument("--no-media", action="store_true", help="chỉ sao lưu cơ sở dữ liệu")
        parser.add_argument("--list", action="store_true", help="liệt kê các bản sao lưu")
        parser.add_argument("--verify", metavar="THƯ_MỤC", help="kiểm tra một bản sao lưu")

    def handle(self, *args, **options):
        root = Path(options["dest"]) if options["dest"] else None
        progress = Progress(self.stdout.write) if options["verbosity"] > 0 else Silent()
        try:
            if options["list"]:
                return self._list(root)
            if options["verify"]:
                folder = resolve_backup(options["verify"], root)
                manifest = backup_verify(folder, progress)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{folder}: nguyên vẹn ({manifest.engine}, {manifest.created_at}) / intact"
                    )
                )
                return
            result = backup_create(
                root=root, media=not options["no_media"], keep=options["keep"], progress=progress
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        manifest = result.manifest
        rows = sum(manifest.row_counts.values())
        media = (
            f"{manifest.media_files} tệp media ({human_bytes(manifest.media.bytes)})"
            if manifest.media
            else "không có tệp media"
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu vào {result.path} / backup written\n"
                f"  {manifest.engine}: {len(manifest.row_counts)} bảng, {rows} dòng, "
                f"{human_bytes(manifest.database.bytes)}; {media}; "
                f"{seconds(manifest.seconds)}"
            )
        )
        for path in result.removed:
            self.stdout.write(f"  Đã xoá bản cũ / removed: {path.name}")

    def _list(self, root):
        from doingoai.backups.manifest import Manifest

        backups = backups_list(root)
        if not backups:
            self.stdout.write(f"Chưa có bản sao lưu nào trong {root or backup_root()}")
        for info in backups:
            try:
                manifest = Manifest.read(info.path)
                size = sum(entry.bytes for entry in manifest.files)
                self.stdout.write(
                    f"{info.name}  {manifest.engine:10}  {human_bytes(size):>10}  "
                    f"{sum(manifest.row_counts.values())} dòng, {manifest.media_files} tệp"
                )
            except BackupError as error:
                self.stdout.write(f"{info.name}  HỎNG / corrupt: {error}")
