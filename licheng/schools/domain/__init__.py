"""Business logic of the schools app: one function per state change, each audited."""
