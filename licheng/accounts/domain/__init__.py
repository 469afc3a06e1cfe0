"""Business logic of accounts: one function per state change, each audited."""
