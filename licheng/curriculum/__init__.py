"""Curriculum (課程): course plans and course codes, course records and grades, counselling records."""
