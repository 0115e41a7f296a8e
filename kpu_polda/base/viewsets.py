"""The scoped viewsets every app's API is declared with (NetBox's netbox/api/viewsets shape).

An app viewset is a declaration: ``scope`` (the policy ``(queryset, user) -> queryset``),
``queryset``, ``serializer_class``, ``filterset_class`` and, for writes, the services
that create, update and delete. Scoping the queryset (not only object permissions) keeps
lists and foreign detail URLs out of reach: another region's id reads as 404.
"""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, mixins, viewsets
from rest_framework.generics import get_object_or_404

from kpu_polda.base.exceptions import OutOfScope
from kpu_polda.base.queries import one_in_scope

PAGE_PARAMS = {"page", "page_size", "format", "lang"}  # query parameters that are not filters


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Reads through the app's policy. A viewset that lists must declare its filterset
    (one per listed model, shared with the HTML list), so every list can be narrowed."""

    abstract = True
    scope = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if getattr(cls, "list", None) is not None and cls.__dict__.get("abstract") is not True \
                and getattr(cls, "filterset_class", None) is None:
            raise ImproperlyConfigured(f"{cls.__name__} lists rows and must declare filterset_class")

    def filter_queryset(self, queryset):
        # With no parameter but the page's every filter passes the rows through unchanged
        # (no filterset here has a required filter or a default): skip building and
        # validating the filterset, a measurable part of a short read.
        if set(self.request.query_params) <= PAGE_PARAMS:
            return queryset
        return super().filter_queryset(queryset)

    def get_target(self):
        """The row a write action hands to its service: looked up through the scope (404
        when missing or outside it, as get_object) but without the list's joins and
        filters, since the service locks and re-reads it and the answer is re-read."""
        if type(self).scope is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare scope")
        queryset = type(self).scope(self.queryset.model._default_manager.all(), self.request.user)
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(queryset, **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        return obj

    def page_values(self) -> list[str] | None:
        """For a list whose serializer can render values() rows (PlainRowsMixin), the
        lookups its page is read with; None to read model instances."""
        if self.action != "list":
            return None
        lookups = getattr(self.get_serializer_class(), "value_lookups", None)
        values = lookups() if lookups is not None else None
        pk = self.queryset.model._meta.pk.attname
        return values if values and pk in values else None

    def target_ref(self):
        """A bare reference (``Model(pk=...)``) to the row in the URL, for a write service
        that locks the row through the same scope itself (a workflow with ``scope``, a
        service locking with ``one_in_scope``): the lock is then the only read, and a
        row missing or out of scope is still a 404. Never hand it to anything else."""
        lookup = self.lookup_url_kwarg or self.lookup_field
        if self.lookup_field != "pk":
            raise ImproperlyConfigured(f"{type(self).__name__}.target_ref needs lookups by pk")
        try:
            pk = self.queryset.model._meta.pk.to_python(self.kwargs[lookup])
        except DjangoValidationError as exc:
            raise OutOfScope(_("%(what)s not found.") % {"what": self.queryset.model._meta.verbose_name}) from exc
        return self.queryset.model(pk=pk)

    def get_queryset(self):
        if type(self).scope is None:
            raise ImproperlyConfigured(f"{type(self).__name__} must declare scope")
        return type(self).scope(super().get_queryset(), self.request.user)

    def reread(self, obj):
        """``obj`` as the caller may see it after a write: through the scope again, so a
        write can never hand back (or reveal) a row outside the caller's region."""
        queryset = self.get_queryset()
        return one_in_scope(queryset, queryset.model._meta.verbose_name, pk=obj.pk)


class ScopedViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                    ScopedReadOnlyViewSet):
    """Reads as ScopedReadOnlyViewSet; writes only through the app's services.

    Declare ``create_service(*, actor, **validated_data)``,
    ``update_service(*, actor, <update_instance_name>=obj, **validated_data)`` and
    ``destroy_service(*, actor, <update_instance_name>=obj)`` as needed. A write without a
    declared service is not offered (405, and absent from the schema); PUT never is
    (updates are PATCH). The serializer checks the input's shape, the service decides and
    saves, and the answer is the row re-read through the scope. Transitions are
    ``@action(detail=True, methods=["post"])`` endpoints calling their service.
    """

    abstract = True
    create_service = None
    update_service = None
    destroy_service = None
    update_instance_name = "instance"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "http_method_names" in cls.__dict__:
            return
        methods = {"get", "head", "options"}
        if cls.create_service is not None:
            methods.add("post")
        if cls.update_service is not None:
            methods.add("patch")
        if cls.destroy_service is not None:
            methods.add("delete")
        for extra in cls.get_extra_actions():
            methods |= set(extra.mapping)
        cls.http_method_names = sorted(methods)

    SERVICE_OF = {"create": "create_service", "update": "update_service", "partial_update": "update_service",
                  "destroy": "destroy_service"}

    @classmethod
    def offers(cls, action: str | None) -> bool:
        """Whether ``action`` is offered: a write needs its declared service. (A POST
        transition puts "post" in http_method_names; the list's POST is still no create.)"""
        service = cls.SERVICE_OF.get(action)
        return service is None or getattr(cls, service) is not None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.offers(self.action):
            raise exceptions.MethodNotAllowed(request.method)

    def perform_create(self, serializer):
        obj = type(self).create_service(actor=self.request.user, **serializer.validated_data)
        serializer.instance = self.reread(obj)

    def perform_update(self, serializer):
        obj = type(self).update_service(actor=self.request.user,
                                        **{self.update_instance_name: serializer.instance},
                                        **serializer.validated_data)
        serializer.instance = self.reread(obj)

    def perform_destroy(self, instance):
        type(self).destroy_service(actor=self.request.user, **{self.update_instance_name: instance})
