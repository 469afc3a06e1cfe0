"""Licheng (歷程): an open platform for Taiwan's Student Learning Portfolio (學生學習歷程檔案)."""
