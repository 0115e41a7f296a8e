"""The logistics pages, one module per group: escorts (list, request, an escort's page
and its steps), field (the officers' phone page), board, documents (berita acara)."""
