"""The logistics pages: documents."""
