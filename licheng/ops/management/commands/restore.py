"""``manage.py restore``: put back a backup generation, then verify it against its manifest."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from licheng.audit.domain import record
from licheng.ops import snapshot


class Command(BaseCommand):
    help = "從備份還原資料庫與檔案，並逐一驗證每個檔案的 SHA-256 與每個資料表的筆數"

    def add_arguments(self, parser):
        parser.add_argument("generation", nargs="?", default="latest", help="備份世代（預設最新）")
        parser.add_argument("--dir", help=f"備份目錄（預設 {settings.BACKUP_DIR}）")
        parser.add_argument("--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--check-only", action="store_true", help="不還原，只驗證目前的資料與備份清單是否相符"
        )
        parser.add_argument("--json", action="store_true", help="最後一行輸出 JSON 驗證結果")

    def handle(self, *args, **options):
        root = Path(options["dir"] or settings.BACKUP_DIR)
        generation = options["generation"]
        if generation == "latest":
            names = snapshot.generations(root)
            if not names:
                raise CommandError(f"{root} 沒有任何完整的備份世代")
            generation = names[-1]
        if not (root / generation).is_dir():
            raise CommandError(f"找不到備份世代 {root / generation}")
        try:
            if options["check_only"]:
                result = snapshot.verify(snapshot.Manifest.read(root / generation), default_storage)
            else:
                if options["interactive"]:
                    answer = input(
                        f"這會清除目前資料庫的所有資料，改為 {generation} 的內容。輸入 yes 繼續："
                    )
                    if answer.strip().lower() != "yes":
                        raise CommandError("已取消")
                _, result = snapshot.restore(root, generation, default_storage)
                record("ops.restored", actor_label="manage.py restore",
                       after={"generation": generation, "ok": result.ok})  # fmt: skip
        except snapshot.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{generation}：{result.summary()}")
        if options["json"]:
            self.stdout.write(json.dumps(asdict(result), ensure_ascii=False))
        if not result.ok:
            raise CommandError("還原後的驗證未通過")
