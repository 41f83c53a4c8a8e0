"""The admin is where staff enter ratings: Vietnamese labels, tree-aware lists,
levels chosen by name and checked against the year's scale, quota warnings."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import decisions, figures, quarters, ratings, reference, sources, units  # noqa: F401  (each registers its models)

admin.site.site_header = _("Theo dõi đánh giá, xếp loại chất lượng tổ chức đảng")
admin.site.site_title = _("Xếp loại chất lượng")
admin.site.index_title = _("Quản trị dữ liệu")
admin.site.enable_nav_sidebar = False
