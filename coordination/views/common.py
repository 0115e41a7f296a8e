"""What every list page does the same way: filter through the shared filterset, page."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 50


def filtered_page(request, filterset_class, queryset) -> dict:
    """The context of a filtered, paged list: ``filter``, ``page`` and ``query`` (the
    filters without the page number, for the pagination links). Invalid filters show
    their errors and an empty list."""
    filterset = filterset_class(request.GET, queryset=queryset)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    query = request.GET.copy()
    query.pop("page", None)
    return {"filter": filterset, "page": page_of(request, rows), "query": query.urlencode()}


def page_of(request, queryset) -> Page:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
