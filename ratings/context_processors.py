"""What every page template may key its cached parts on."""
from django.utils.functional import SimpleLazyObject

from . import aggregates


def data_version(request):
    """The data counter, read only by a template that uses it (one query of index lookups)."""
    return {"data_version": SimpleLazyObject(aggregates.data_version)}
