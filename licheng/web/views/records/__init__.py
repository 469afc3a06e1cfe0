"""School records pages (校務資料): course plans, grades, basic data, counselling, imports."""
