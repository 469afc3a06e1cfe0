"""The HTTP API (OpenAPI at /api/v1/openapi.json) for other systems: organizers, school vendors,
admission committees and the central repository's intake."""
