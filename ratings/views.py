from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import aggregates
from .models import Stage


@login_required
def home(request):
    """The years held, with the number of ratings per level at each stage."""
    counts = aggregates.level_counts_by_year()
    levels = aggregates.level_columns({row.year for row in counts})
    rows = [
        {
            "year": row.year,
            "stage_label": Stage(row.stage).label,
            "cells": [row.counts.get(level.code, 0) for level in levels],
            "total": row.total,
        }
        for row in counts
    ]
    return render(request, "ratings/home.html", {"rows": rows, "levels": levels})
