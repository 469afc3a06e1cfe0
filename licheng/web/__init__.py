"""Server-rendered pages, by role. Views parse input, fetch through permission-checked helpers,
call one domain function and render."""
