from rest_framework import viewsets


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """A read-only viewset whose queryset always passes through the app's policy.

    Subclasses declare ``scope`` (a policy function ``(queryset, user) -> queryset``),
    ``queryset``, ``serializer_class`` and ``filterset_class``. Scoping the queryset (not
    only object permissions) keeps lists and foreign detail URLs out of reach: another
    region's id reads as 404.
    """

    scope = None

    def get_queryset(self):
        assert self.scope is not None, f"{type(self).__name__} must declare scope"
        return type(self).scope(super().get_queryset(), self.request.user)
