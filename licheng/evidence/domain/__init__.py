"""Business logic of the evidence app: validating, storing and verifying files (存證檔案)."""
