"""The logistics pages: field."""
