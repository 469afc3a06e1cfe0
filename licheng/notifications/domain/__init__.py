"""Business logic of notifications: creating them once per event, delivering, reminders, feeds."""
