"""Schools (學校) as tenants: departments, classes, students' registration, terms, windows and quotas."""
