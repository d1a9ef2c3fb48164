"""The media files (uploaded pictures, documents, video and their renditions) as one tar.

Why one uncompressed tar per backup rather than an incremental copy: a backup is then one
self-contained folder of three files that one checksum each proves intact, that ``age``/``gpg``
encrypt and ``rclone``/``rsync`` copy off the machine as they are, and that restores by
extracting into a new folder and renaming it into place (nothing half-restored). The pictures
and video are compressed formats already, so compressing the tar would spend CPU for almost no
space. The cost is space: each generation holds all media again (BACKUP_KEEP × the media
size; docs/deployment.md gives the figures and the off-site copy that keeps more history).
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

from .manifest import BackupError, FileEntry, HashingWriter, disk_full, is_disk_full

CHUNK = 1024 * 1024


def media_inventory(root: Path) -> tuple[list[Path], list[Path], int]:
    """(folders, files, total bytes) under ``root``, in a stable order; links are not
    followed."""
    folders, files, total = [], [], 0
    if not root.is_dir():
        return folders, files, total
    for current, dirnames, filenames in os.walk(root):
        dirnames.sort()
        base = Path(current)
        if base != root:
            folders.append(base)
        for name in sorted(filenames):
            path = base / name
            try:
                if path.is_file() and not path.is_symlink():
                    total += path.stat().st_size
                files.append(path)
            except OSError:
                continue  # removed meanwhile
    return folders, files, total


def _add_file(tar: tarfile.TarFile, path: Path, arcname: str, progress, state: dict) -> None:
    info = tar.gettarinfo(str(path), arcname=arcname)
    if info.isreg():
        with path.open("rb") as handle:
            tar.addfile(info, _CountingReader(handle, progress, state))
    else:
        tar.addfile(info)


class _CountingReader:
    def __init__(self, handle, progress, state):
        self.handle, self.progress, self.state = handle, progress, state

    def read(self, size=-1):
        data = self.handle.read(size)
        self.state["done"] += len(data)
        self.progress.step("Tệp ảnh, tài liệu, video", self.state["done"], self.state["total"])
        return data


def media_tar_create(root: Path, dest: Path, progress) -> tuple[FileEntry, int, int]:
    """Write ``dest`` (media.tar) from ``root``; returns (entry, files, bytes)."""
    folders, files, total = media_inventory(root)
    state = {"done": 0, "total": max(total, 1)}
    added = 0
    try:
        with dest.open("wb") as handle:
            writer = HashingWriter(handle)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                for folder in folders:
                    tar.addfile(tar.gettarinfo(str(folder), arcname=_arcname(root, folder)))
                for path in files:
                    try:
                        _add_file(tar, path, _arcname(root, path), progress, state)
                    except FileNotFoundError:
                        continue  # deleted between the listing and now: not in this backup
                    added += 1
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as error:
        if is_disk_full(error):
            raise disk_full(dest.parent, error) from error
        raise BackupError(f"Không ghi được {dest.name}: {error} / cannot write media") from error
    progress.step("Tệp ảnh, tài liệu, video", state["total"], state["total"])
    entry = FileEntry(name=dest.name, sha256=writer.digest.hexdigest(), bytes=writer.bytes)
    return entry, added, total


def _arcname(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def media_tar_extract(tar_path: Path, dest: Path, progress, *, total_bytes: int) -> int:
    """Extract into ``dest`` (a new folder) refusing absolute paths, ``..`` and links leaving
    it (tarfile's "data" filter); returns the number of files."""
    files = 0
    done = 0
    dest.mkdir(parents=True)
    try:
        with tarfile.open(tar_path, "r:") as tar:
            for member in tar:
                tar.extract(member, dest, filter="data")
                if member.isfile():
                    files += 1
                    done += member.size
                    progress.step("Giải nén tệp", done, max(total_bytes, 1))
    except tarfile.FilterError as error:
        raise BackupError(
            f"Tệp media.tar chứa đường dẫn không an toàn ({error}); không khôi phục "
            f"/ unsafe path in media.tar"
        ) from error
    except tarfile.TarError as error:
        raise BackupError(f"media.tar hỏng: {error} / corrupt media archive") from error
    except OSError as error:
        if is_disk_full(error):
            raise disk_full(dest.parent, error) from error
        raise
    return files
