"""``manage.py backup``: write a backup generation of the database and every stored file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from licheng.ops import snapshot
from licheng.ops.domain import backups


class Command(BaseCommand):
    help = "備份資料庫與所有儲存檔案（寫入一個新的備份世代）"

    def add_arguments(self, parser):
        parser.add_argument("--dir", help=f"備份目錄（預設 {settings.BACKUP_DIR}）")
        parser.add_argument("--keep", type=int, help="保留幾個世代（預設不刪除舊世代）")
        parser.add_argument(
            "--verify", action="store_true", help="完成後還原到暫存資料庫並驗證，記錄於備份紀錄"
        )

    def handle(self, *args, **options):
        root = Path(options["dir"] or settings.BACKUP_DIR)
        if options["verify"]:
            if options["dir"]:
                raise CommandError(
                    "--verify 使用設定的備份目錄（LICHENG_BACKUP_DIR），不能與 --dir 併用"
                )
            run = backups.run_backup(backups.queue_manual_backup(), keep=options["keep"])
            self.stdout.write(f"{run.get_status_display()}：{run.generation}\n{run.message}")
            if run.status != "verified":
                raise CommandError("備份未通過驗證")
            return
        try:
            manifest = snapshot.create(root, default_storage)
        except snapshot.BackupError as error:
            raise CommandError(str(error)) from error
        if options["keep"]:
            snapshot.prune(root, options["keep"])
        self.stdout.write(
            f"已備份 {manifest.generation}：{len(manifest.tables)} 個資料表共 {manifest.row_count} 筆，"
            f"{len(manifest.files)} 個檔案共 {manifest.total_bytes} 位元組 → {root / manifest.generation}"
        )
        if manifest.problems:
            raise CommandError("來源資料有問題：\n  " + "\n  ".join(manifest.problems[:50]))
