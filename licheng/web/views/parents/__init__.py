"""Pages of the parents area: binding (親子綁定), the homeroom queue, the parent's read-only view
of a child, and notifications (通知) with the calendar feed."""
